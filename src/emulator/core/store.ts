import { readFileSync, accessSync, constants, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { atomicWrite, makeDirs } from '../../files.js';

/**
 * The emulator's state dir. Every write is atomic (temp file + rename in the same folder), so a
 * crash or a kill leaves either the old file or the new one, never half of one. A restart reads
 * back what was written.
 *
 * Layout: `<dir>/<key>.json` for each service's state document, `<dir>/blobs/...` for code
 * packages and objects.
 */
export class StateStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    makeDirs(this.dir);
    accessSync(this.dir, constants.W_OK);
  }

  read<T>(key: string): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.pathOf(`${key}.json`), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return JSON.parse(text) as T;
  }

  write(key: string, value: unknown): void {
    atomicWrite(this.pathOf(`${key}.json`), JSON.stringify(value, null, 1));
  }

  writeBlob(relPath: string, data: Buffer | Uint8Array): string {
    const path = this.pathOf(join('blobs', relPath));
    atomicWrite(path, data);
    return path;
  }

  readBlob(relPath: string): Buffer {
    return readFileSync(this.pathOf(join('blobs', relPath)));
  }

  deleteBlob(relPath: string): void {
    rmSync(this.pathOf(join('blobs', relPath)), { recursive: true, force: true });
  }

  blobPath(relPath: string): string {
    return this.pathOf(join('blobs', relPath));
  }

  /** a path inside the state dir; refuses anything that would leave it (`../`) */
  pathOf(relPath: string): string {
    const path = resolve(this.dir, relPath);
    if (path !== this.dir && !path.startsWith(this.dir + sep)) {
      throw new Error(`path escapes the state dir: ${relPath}`);
    }
    return path;
  }
}
