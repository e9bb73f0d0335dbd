/**
 * The one place that decides about colour and live progress: only on a terminal, and no colour
 * when NO_COLOR is set to anything non-empty (https://no-color.org).
 */
export interface Stream {
  readonly isTTY?: boolean;
}

export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export function progressEnabled(stream: Stream, json: boolean): boolean {
  return stream.isTTY === true && !json;
}
