/**
 * The state dir's owner lock: a local socket that the running emulator listens on, named after its
 * state dir (src/socket-lock.ts: the operating system frees it when the process ends, however it
 * ends). No file in the state dir can damage it: a deleted or garbled `emulator-process.json` can
 * no longer lead to a second emulator on the same state dir (the second one finds the socket
 * taken), and any command can ask the owner for its record there (`holderOf`), to reuse, report or
 * stop it.
 */
import { findSocketLockHolder, socketLockAddress, socketLockHolder, socketLockHolderPid, takeSocketLock, type SocketLock } from '../socket-lock.js';

/** what the owner answers on its lock: its pid, and its process record once it is listening */
export interface LockOwner {
  pid: number;
  record?: unknown;
  [key: string]: unknown;
}

export type StateLock = SocketLock;

export function lockAddress(stateDir: string): string {
  return socketLockAddress('emulator', stateDir);
}

/**
 * Take the lock of `stateDir`, answering `describe()` to whoever asks; or, when another process
 * holds it, `{ heldBy }` with what that process answered (undefined: it did not answer).
 */
export function takeStateLock(stateDir: string, describe: () => LockOwner): Promise<StateLock | { heldBy: LockOwner | undefined }> {
  return takeSocketLock(lockAddress(stateDir), describe);
}

/**
 * Whether a process holds `stateDir`'s lock, and what it answered (`owner`); `held` without an
 * owner: it holds the lock but does not answer (stopped with Ctrl-Z or SIGSTOP, or stuck).
 */
export function holderOf(stateDir: string, timeoutMs = 1500): Promise<{ owner: LockOwner | undefined; held: boolean }> {
  return socketLockHolder<LockOwner>(lockAddress(stateDir), timeoutMs);
}

/**
 * The pid of a process that holds `stateDir`'s lock without answering on it (see holderOf), found
 * through the system (Linux); undefined when the system does not say.
 */
export function silentHolderPid(stateDir: string): number | undefined {
  return socketLockHolderPid(lockAddress(stateDir));
}

/** the command that lists the process holding `stateDir`'s lock (`ss -xlp | grep …`, `lsof …`) */
export function findHolderCommand(stateDir: string): string | undefined {
  return findSocketLockHolder(lockAddress(stateDir));
}
