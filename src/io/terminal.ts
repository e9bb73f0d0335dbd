/**
 * The one place that decides about colour and live progress, and the only module that imports
 * chalk: colour only on a terminal and never when NO_COLOR is set to anything non-empty
 * (https://no-color.org); live progress only on a terminal. Formatters take the decision as a
 * flag, so they stay pure and testable. (The guided lab's prompt and spinner faces join this
 * folder when it lands.)
 */
import { Chalk, type ChalkInstance } from 'chalk';

export type { ChalkInstance };

export interface Stream {
  readonly isTTY?: boolean;
}

export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export function progressEnabled(stream: Stream, json: boolean): boolean {
  return stream.isTTY === true && !json;
}

/** a chalk that colours (basic 16 colours) or passes text through unchanged */
export function chalkFor(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/** The few colours the commands' plain-text output uses. */
export interface Paint {
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function paint(color: boolean): Paint {
  const c = chalkFor(color);
  return { green: (s) => c.green(s), yellow: (s) => c.yellow(s), red: (s) => c.red(s), dim: (s) => c.dim(s), bold: (s) => c.bold(s) };
}
