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
