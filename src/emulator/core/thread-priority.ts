import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * On Lambda the platform (the front door, the Lambda service, the AWS APIs a function calls) runs
 * apart from function code; here it is the emulator's main thread, sharing the cores with every
 * execution environment. When 50 environments start at once, an equal share leaves the main thread
 * 1/51 of the CPU: the front door and the APIs the functions call wait behind function init, and
 * invocations time out waiting for answers. So function threads run at a lower priority
 * (nice +10), and the platform's thread gets the CPU when it has work. Linux keeps a nice value per
 * thread (setpriority(2) with a thread id); elsewhere this does nothing.
 */
export const FUNCTION_NICE = 10;

/** a function's thread lowers its own priority (the worker's bootstrap, first thing) */
export function yieldToPlatform(): void {
  if (process.platform !== 'linux') return;
  try {
    // `<pid>/task/<tid>` of the calling thread
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, FUNCTION_NICE);
  } catch {
    // no /proc, or not allowed: run at the same priority
  }
}

/**
 * V8's helper threads (background compilation and garbage collection, for every isolate of the
 * process: the cloud's and each environment's) get the functions' priority too. At the same
 * priority as the platform's thread, under load they took its CPU for compiling what 50 isolates
 * run, each on its own (bench/front-door). Work the platform's thread waits for is not delayed by
 * it: V8's main thread does its own share of a garbage collection and finishes what the helpers
 * have not. `tids` are the threads the process started with (background.cts lists them).
 */
export function yieldHelpersToPlatform(tids: readonly number[]): void {
  for (const tid of tids) {
    try {
      setPriority(tid, FUNCTION_NICE);
    } catch {
      // gone, or not allowed: it runs at the same priority
    }
  }
}
