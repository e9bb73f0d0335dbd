/**
 * The two ways the CLI and the emulator write to disk.
 *
 * makeDirs: `mkdir -p` that always ends. Not `mkdirSync(dir, { recursive: true })`: on Node 20 that never
 * returns for a path under a folder that exists but cannot hold new entries, e.g. `/proc/nope`
 * (its walk gets ENOENT for `/proc/nope`, EEXIST for `/proc`, and retries forever inside one
 * synchronous call, so no signal handler ever runs; compare nodejs/node#27198). Here each missing
 * folder is made once, top down, and the first failure is final. Every folder the CLI or the
 * emulator creates for the user (workspace, state dir) goes through this.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Temp file in the same folder + rename: readers (and a restart after a crash) see the old file or
 * the new one, never half of one. `beforeRename` is the state store's crash-test hook.
 */
export function atomicWrite(path: string, data: string | Uint8Array, beforeRename?: () => void): void {
  makeDirs(dirname(path));
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data);
    beforeRename?.();
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

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

/** the topmost folder on `path` that does not exist yet (the first one makeDirs would make), or undefined */
export function firstMissing(path: string): string | undefined {
  let missing: string | undefined;
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      if (statOrUndefined(dir)) return missing;
    } catch {
      return missing; // cannot be looked at: nothing above it is ours to remove
    }
    missing = dir;
    if (dirname(dir) === dir) return missing;
  }
}

/**
 * Undoes makeDirs(deepest) for a command that failed before it made anything worth keeping: the
 * named `files` in `deepest` go, then each folder from `deepest` up to `top` while it is empty
 * (rmdir, never a recursive rm: whatever someone else put there in between stays, with its folders).
 */
export function unmakeDirs(top: string, deepest: string, files: readonly string[] = []): void {
  const root = resolve(top);
  const from = resolve(deepest);
  for (const f of files) rmSync(`${from}/${f}`, { force: true });
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
    if (dir === root || dirname(dir) === dir) return;
  }
}
