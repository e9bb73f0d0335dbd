/**
 * The folders of the V8 code cache of the runtime's SDK (worker/compile-cache.ts), as the pool
 * keeps them below the cache's own folder (the state dir's lambda/compile-cache).
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder of this Node build's cache, below the cache's own folder: V8 refuses code from
 * another build. `-2`: files keyed by module path (the first format, keyed by path and source,
 * grew with every source it ever saw).
 */
export function compileCacheFolder(): string {
  return `node-${process.version}-${process.arch}-2`;
}

/**
 * Drops the caches of other Node builds and of earlier formats from `dir` (the one a pool is
 * given), keeping this build's: called when a cloud starts, before any environment runs. Best
 * effort: a cache that cannot be removed is only disk space.
 */
export function pruneCompileCaches(dir: string): void {
  const keep = compileCacheFolder();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no cache yet
  }
  for (const name of names) {
    if (name === keep || !name.startsWith('node-')) continue;
    try {
      rmSync(path.join(dir, name), { recursive: true, force: true });
    } catch {
      // left for the next start
    }
  }
}
