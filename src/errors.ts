/**
 * Errors that cross the CLI's one error boundary (src/cli-main.ts).
 * Logic throws these; only the boundary turns them into an exit code and a message.
 */
import { dirname } from 'node:path';
import { shellWord } from './invocation.js';

export const ExitCode = {
  ok: 0,
  /** a run or a check failed */
  failed: 1,
  /** the command line was wrong */
  usage: 2,
  /**
   * the lab could not check: the environment (the cloud, credentials), not the learner's work; also
   * a workspace that another command holds (lab/workspace-lock.ts): run again once it ends; a
   * damaged workspace file, and the file system's refusals (FileSystemError below)
   */
  environment: 3,
  /** Ctrl-C */
  interrupted: 130,
  /** SIGTERM (128 + 15, as a shell reports a process the signal ended) */
  terminated: 143,
  /** SIGHUP, the terminal closed (128 + 1): stopped as SIGTERM stops it */
  hungUp: 129,
} as const;

export class LabError extends Error {
  override readonly name: string = 'LabError';
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.failed,
    /** one line telling the user how to fix it */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A bad command line: wrong flag value, missing argument. Exit code 2. */
export class UsageError extends LabError {
  override readonly name: string = 'UsageError';
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

/** The user pressed Ctrl-C (exit code 130), or the process was sent SIGTERM (143). */
export class InterruptedError extends LabError {
  override readonly name: string = 'InterruptedError';
  constructor(message = 'Interrupted', exitCode: number = ExitCode.interrupted) {
    super(message, exitCode);
  }
}

/**
 * The local cloud went away (its process was killed, crashed or was stopped) while a command
 * talked to it: the environment, not the learner's work, so exit code 3. `deploymentId`: a
 * CodeDeploy deployment the command followed that had not ended (the cloud rolls it back when it
 * starts again).
 */
export class CloudStoppedError extends LabError {
  override readonly name: string = 'CloudStoppedError';
  constructor(
    message: string,
    hint?: string,
    readonly deploymentId?: string,
  ) {
    super(message, ExitCode.environment, hint);
  }
}

/**
 * The port of this workspace's cloud answered for another workspace's cloud (emulator/
 * cloud-identity.ts): this one stopped and the other took its port. Exit code 3, as a cloud that
 * stopped; `other` names the cloud that answered.
 */
export class WrongCloudError extends CloudStoppedError {
  override readonly name: string = 'WrongCloudError';
  constructor(
    message: string,
    hint: string,
    /** `stop`: the command that stops it */
    readonly other: { stateDir: string; pid: number; port: string; stop: string },
  ) {
    super(message, hint);
  }
}

/** an error and its causes (`err.cause`, as the AWS SDK and node chain them), at most five deep */
type ErrorLike = { code?: unknown; message?: unknown; address?: unknown; cause?: unknown };

export function* causes(err: unknown): Generator<ErrorLike> {
  for (let e = err as ErrorLike | undefined, i = 0; e && typeof e === 'object' && i < 5; e = e.cause as ErrorLike | undefined, i++) yield e;
}

const LOST = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * A refused, reset or cut connection (node's error codes, as the AWS SDK passes them on, in the
 * error or its causes): the code, or undefined for any other error.
 */
export function connectionLost(err: unknown): string | undefined {
  for (const e of causes(err)) {
    if (typeof e.code === 'string' && LOST.has(e.code)) return e.code;
    const m = typeof e.message === 'string' ? /\b(ECONNREFUSED|ECONNRESET)\b|socket hang up/.exec(e.message) : null;
    if (m) return m[1] ?? 'ECONNRESET';
  }
  return undefined;
}

/**
 * The learner pressed q where the lab was not asking (a live view): the step stops as q at a
 * prompt stops it (progress saved, the command that goes on from here). Outside the lab it ends
 * the command with exit 0: stopping to watch is a choice, not an error.
 */
export class LearnerQuit extends LabError {
  override readonly name: string = 'LearnerQuit';
  constructor(message = 'stopped by the learner') {
    super(message, ExitCode.ok);
  }
}

/**
 * The errno codes that are the machine's, not the lab's: a full disk, a read-only or immutable
 * file, a path too long, too many open files, a failing disk. Each in words, with what to do.
 * ENOENT is not among them: a file the lab expected and did not find is the lab's to explain.
 */
const SYSTEM_SAID: Record<string, { words: string; fix: (file: string) => string }> = {
  EACCES: { words: 'permission denied', fix: (f) => `check who may read and write it (ls -ld ${shellWord(f)} ${shellWord(dirname(f))}), give yourself access, then run the command again` },
  EPERM: { words: 'operation not permitted', fix: (f) => `the file or its folder refuses changes (ls -ld ${shellWord(f)}; on Linux, lsattr shows an immutable 'i' flag that chattr -i removes), then run the command again` },
  ENOSPC: { words: 'no space left on the device', fix: (f) => `free some space on that disk (df -h ${shellWord(dirname(f))}), then run the command again: the file keeps what it held before` },
  EDQUOT: { words: 'disk quota exceeded', fix: (f) => `free some space within your quota on that disk (df -h ${shellWord(dirname(f))}), then run the command again: the file keeps what it held before` },
  EROFS: { words: 'the file system is read-only', fix: () => 'use a --workspace on a disk you can write to' },
  ENAMETOOLONG: { words: 'the path is longer than the file system allows', fix: () => 'use a --workspace with a shorter path' },
  EMFILE: { words: 'too many files are open in this process', fix: () => 'raise the limit (ulimit -n 4096) or close other programs, then run the command again' },
  ENFILE: { words: 'too many files are open on this machine', fix: () => 'close other programs, then run the command again' },
  EIO: { words: 'the disk reported an input/output error', fix: () => 'check the disk (dmesg says more), and copy your workspace to a healthy one' },
  ENOTDIR: { words: 'part of the path is a file, not a folder', fix: () => 'pick another --workspace, or move that file away' },
  EISDIR: { words: 'it is a folder, not a file', fix: () => 'move that folder away, then run the command again' },
  ELOOP: { words: 'too many symbolic links on the path', fix: () => 'check the symbolic links on that path (ls -l)' },
  EBUSY: { words: 'the file is busy', fix: () => 'close the program that holds it, then run the command again' },
  ETXTBSY: { words: 'the file is busy', fix: () => 'close the program that holds it, then run the command again' },
  EFBIG: { words: 'the file is too large for the file system', fix: () => 'use a --workspace on another disk' },
};

/** the calls of node:fs whose errors are about a file (a socket's EACCES or a kill's EPERM are not) */
const FILE_CALLS = new Set(['open', 'read', 'write', 'close', 'rename', 'mkdir', 'rmdir', 'unlink', 'stat', 'lstat', 'fstat', 'statfs', 'scandir', 'opendir', 'readdir', 'copyfile', 'cp', 'access', 'chmod', 'fsync', 'ftruncate', 'utime', 'symlink', 'readlink', 'realpath', 'rm']);

/** true for an error of the file system that the machine, not the lab, has to fix */
export function isFileSystemFault(err: unknown): err is NodeJS.ErrnoException {
  const e = err as NodeJS.ErrnoException | undefined;
  return typeof e?.code === 'string' && Object.hasOwn(SYSTEM_SAID, e.code) && (typeof e.path === 'string' || FILE_CALLS.has(e.syscall ?? ''));
}

/**
 * A file the machine would not let the lab read or write: which file, what the system said in
 * words, what to do. Exit 3 (environment): nothing is wrong with the learner's work or the lab.
 */
export class FileSystemError extends LabError {
  override readonly name: string = 'FileSystemError';
  readonly code: string;
  constructor(
    readonly file: string | undefined,
    err: NodeJS.ErrnoException,
    doing: 'read' | 'write' | 'use' = 'use',
  ) {
    const said = SYSTEM_SAID[err.code!]!;
    super(`cannot ${doing} ${file ?? 'a file'}: ${said.words} (${err.code})`, ExitCode.environment, file ? said.fix(file) : 'free space and check permissions, then run the command again');
    this.code = err.code!;
    this.cause = err;
  }
}

/**
 * `err` as a FileSystemError when it is one of the machine's (see isFileSystemFault), naming
 * `file` when the caller knows which (a write's ENOSPC carries no path), else the error's own path.
 * Anything else is returned as it is.
 */
export function asFileSystemError(err: unknown, file?: string, doing?: 'read' | 'write' | 'use'): unknown {
  if (err instanceof LabError || !isFileSystemFault(err)) return err;
  // a rename's path is the lab's temp file; the file it was replacing is the one to name
  const own = err.syscall === 'rename' ? ((err as { dest?: string }).dest ?? err.path) : err.path;
  const how = doing ?? (['write', 'rename', 'mkdir', 'unlink', 'rmdir', 'copyfile', 'ftruncate', 'fsync'].includes(err.syscall ?? '') ? 'write' : ['read', 'scandir', 'readdir'].includes(err.syscall ?? '') ? 'read' : 'use');
  return new FileSystemError(file ?? own, err, how);
}

