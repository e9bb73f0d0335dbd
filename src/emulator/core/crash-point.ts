/**
 * A test hook for the kill -9 test (test/emulator/crash.test.ts): with
 * `SOL_TEST_CRASH_AT_STATE_WRITE=<n>:<phase>` in its environment, the emulator kills itself with
 * SIGKILL at its n-th state write (documents and blobs, counted from 1), at one of the phases:
 *
 *   before   nothing of this write is on disk yet
 *   written  the new file is written beside the old one but not yet renamed over it (mid-write)
 *   after    the write is complete, nothing after it has run (the answer is not sent yet)
 *
 * Unset (always, outside that test) it costs one comparison per state write.
 */
export type CrashPhase = 'before' | 'written' | 'after';

export const CRASH_ENV = 'SOL_TEST_CRASH_AT_STATE_WRITE';

export interface CrashPoint {
  reached(write: number, phase: CrashPhase): void;
}

export function crashPointFromEnv(env: NodeJS.ProcessEnv = process.env): CrashPoint | undefined {
  const spec = env[CRASH_ENV];
  if (!spec) return undefined;
  const m = /^(\d+):(before|written|after)$/.exec(spec);
  if (!m) throw new Error(`${CRASH_ENV} must be <n>:before|written|after, got ${JSON.stringify(spec)}`);
  const at = Number(m[1]);
  const phase = m[2] as CrashPhase;
  return {
    reached(write, p) {
      if (write === at && p === phase) process.kill(process.pid, 'SIGKILL');
    },
  };
}
