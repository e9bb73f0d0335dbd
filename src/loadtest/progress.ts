/**
 * The live progress line: one more listener of the run, drawn on stderr (a terminal only; the
 * caller decides with terminal.ts) and erased when the run ends, so the report starts clean.
 */
import { chalkFor } from '../io/terminal.js';
import type { LoadTestListeners, LoadTestProgress } from './types.js';

export interface ProgressStream {
  write(chunk: string): boolean;
}

export const CLEAR_LINE = '\r\x1b[2K';

/** `  340/1000 requests  1203/s  2xx 300  5xx 40  errors 2` */
export function progressLine(p: LoadTestProgress, { color }: { color: boolean }): string {
  const c = chalkFor(color);
  const done = p.total === null ? `${p.done} requests` : `${p.done}/${p.total} requests`;
  const rate = p.elapsedMs > 0 ? Math.round(p.done / (p.elapsedMs / 1000)) : 0;
  const parts = [`  ${done}`, `${rate}/s`];
  const paint = [c, c.green, c.green, c.cyan, c.yellow, c.red];
  for (let cls = 1; cls <= 5; cls++) if (p.byClass[cls] > 0) parts.push(paint[cls](`${cls}xx ${p.byClass[cls]}`));
  if (p.errors > 0) parts.push(c.red(`errors ${p.errors}`));
  return parts.join('  ');
}

/** the first Ctrl-C's answer: `stopping: waiting for 3 requests in flight (Ctrl-C again to stop now)` */
export function stoppingLine(inFlight: number): string {
  return `stopping: waiting for ${inFlight} request${inFlight === 1 ? '' : 's'} in flight (Ctrl-C again to stop now)`;
}

/** `clear()`: erases the line now (words written under it start on a line of their own) */
export function progressListeners(stream: ProgressStream, opts: { color: boolean }): LoadTestListeners & { clear(): void } {
  const clear = () => void stream.write(CLEAR_LINE);
  return {
    progress: (p) => void stream.write(CLEAR_LINE + progressLine(p, opts)),
    end: clear,
    clear,
  };
}
