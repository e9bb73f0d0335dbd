/**
 * The background cloud's process entry (daemon.ts spawns it by path: `node background.cjs '<json
 * options>'`). CommonJS on purpose: its first line runs before any asynchronous file read, so the
 * process's threads are still only those Node starts with (V8's helper threads: background
 * compilation and garbage collection), not yet libuv's thread pool, which starts on first use.
 */
import { readdirSync } from 'node:fs';

/** the threads Node started with, besides the main thread (Linux; none elsewhere) */
function startupThreads(): number[] {
  if (process.platform !== 'linux') return [];
  try {
    return readdirSync('/proc/self/task')
      .map(Number)
      .filter((tid) => Number.isInteger(tid) && tid !== process.pid);
  } catch {
    return [];
  }
}

const helpers = startupThreads();
import('./main.js').then(
  (main) => main.runAsBackgroundChild(process.argv[2] ?? '{}', helpers),
  (err: unknown) => {
    process.stderr.write(`error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
