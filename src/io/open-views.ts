/**
 * The spinners still turning, process-wide, so the CLI's error boundary can end the ones a command
 * left open when it threw: a spinner's timer keeps the process alive, and ora redraws it under
 * every line written after it (the error message too). No imports: cli-main.ts loads this without ora.
 */
const open = new Set<() => void>();

/** registers how to end a view; returns what to call when it ended on its own */
export function openView(end: () => void): () => void {
  open.add(end);
  return () => void open.delete(end);
}

/**
 * The spinners still turning (io/spinner.ts): Ctrl-C ends them before it says what it does
 * (interrupt.ts), so its words are not written under a frame that then stays on the screen.
 */
const spinners = new Set<() => void>();

/** registers how to end a turning spinner; returns what to call when it ended on its own */
export function openSpinner(end: () => void): () => void {
  spinners.add(end);
  return () => void spinners.delete(end);
}

/** ends every spinner still turning (each one's `end` unregisters it) */
export function endSpinners(): void {
  for (const end of [...spinners]) end();
  spinners.clear();
}

/** ends every view still open (each one's `end` unregisters it) */
export function endOpenViews(): void {
  for (const end of [...open]) end();
  open.clear();
}
