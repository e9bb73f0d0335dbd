/**
 * The spinners still turning, process-wide, so the CLI's error boundary can end the ones a command
 * left open when it threw: a spinner's timer keeps the process alive, and ora redraws it under
 * every line written after it (the error message too). No imports: cli.ts loads this without ora.
 */
const open = new Set<() => void>();

/** registers how to end a view; returns what to call when it ended on its own */
export function openView(end: () => void): () => void {
  open.add(end);
  return () => void open.delete(end);
}

/** ends every view still open (each one's `end` unregisters it) */
export function endOpenViews(): void {
  for (const end of [...open]) end();
  open.clear();
}
