/**
 * Making and checking a state dir before anything else touches it.
 *
 * Not `mkdirSync(dir, { recursive: true })`: on Node 20 that never returns for a path under a
 * folder that exists but cannot hold new entries, e.g. `/proc/nope`. Its walk gets ENOENT for
 * `/proc/nope`, EEXIST for `/proc`, and retries `/proc/nope` forever inside one synchronous call,
 * so no signal handler ever runs (the same back-and-forth as nodejs/node#27198 on Windows and
 * oven-sh/bun#36162). Here each missing folder is made once, top down: at most one mkdir per
 * path component, and the first failure is final.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LabError } from '../errors.js';

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
  return new LabError(`cannot use state dir ${path}: ${why}; it must be a folder you can write to`);
}

const REASONS: Record<string, string> = {
  ENOENT: 'nothing can be created there',
  ENOTDIR: 'part of the path is a file',
  EEXIST: 'a file of that name exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/** mkdir -p with a bound: one stat per component on the way up, one mkdir per missing one on the way down */
export function makeDirs(path: string): void {
  const missing: string[] = [];
  for (let dir = resolve(path); ; ) {
    const st = statOrUndefined(dir);
    if (st) {
      if (!st.isDirectory()) throw Object.assign(new Error(`${dir} is not a folder`), { code: dir === path ? 'EEXIST' : 'ENOTDIR' });
      break;
    }
    missing.push(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (err) {
      // made by someone else in between: fine if it is a folder
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statOrUndefined(dir)?.isDirectory()) throw err;
    }
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
