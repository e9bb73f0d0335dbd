/**
 * A spinner for a command that says nothing until its answer (`status`): on a loaded host it
 * took 6–8 s with an empty line under the prompt (`list` no longer needs one: steps/outline.ts).
 * On a terminal only (stdout and stderr both: piped or redirected output stays byte for byte what
 * it was); it turns on stderr and is cleared before the answer is written. ora is loaded only then, never for a pipe.
 * A terminal that reports 0 columns gets none (ora's row count would be Infinity: interactive.ts).
 */
import type { WriteStream } from 'node:tty';

export interface Waiting {
  /** clears the spinner's line; safe to call twice */
  stop(): void;
}

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export async function waitSpinner(text: string, opts: { stdout?: Stream; stderr?: Stream; signal?: AbortSignal } = {}): Promise<Waiting> {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  if (!stdout.isTTY || !stderr.isTTY || !(stderr.columns ?? 0) || opts.signal?.aborted) return { stop: () => undefined };
  // ora (through spinner.ts) is loaded only here, never for a pipe
  const { turningSpinner } = await import('./spinner.js');
  const turning = turningSpinner(text, stderr as WriteStream, (spinner) => spinner.stop());
  const stop = (): void => {
    turning.release();
    opts.signal?.removeEventListener('abort', stop);
    if (turning.spinner.isSpinning) turning.spinner.stop();
  };
  // Ctrl-C (before its words: spinner.ts), or an error the CLI's boundary catches: the timer ends and the line is cleared
  opts.signal?.addEventListener('abort', stop, { once: true });
  return { stop };
}
