/**
 * Making and checking a state dir before anything else touches it (with makeDirs: see
 * src/files.ts for why not `mkdirSync(dir, { recursive: true })`).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode, LabError } from '../errors.js';
import { makeDirs } from '../files.js';

export { makeDirs };

/** `dir` made and proven writable; throws LabError `cannot use state dir <dir>: ...` otherwise */
export function prepareStateDir(dir: string): string {
  const path = resolve(dir);
  try {
    makeDirs(path);
    // access(W_OK) says yes to root for read-only places such as /proc/self; a real write does not lie
    const probe = join(path, `.write-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (err) {
    throw stateDirError(path, err);
  }
  return path;
}

export function stateDirError(path: string, err: unknown): LabError {
  const e = err as NodeJS.ErrnoException;
  const why = e.code ? (REASONS[e.code] ? `${REASONS[e.code]} (${e.code})` : e.code) : (e.message ?? String(err));
  // the machine refusing (permission, a read-only or full disk) is the environment, exit 3, as for
  // a workspace; a path that cannot be one (a file on the way, nothing creatable there) stays 1
  return new LabError(`cannot use state dir ${path}: ${why}; it must be a folder you can write to`, e.code !== undefined && REFUSED.has(e.code) ? ExitCode.environment : undefined);
}

const REFUSED = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC']);

const REASONS: Record<string, string> = {
  ENOENT: 'nothing can be created there',
  ENOTDIR: 'part of the path is a file',
  EEXIST: 'a file of that name exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};
