/**
 * Deterministic zip of a function's CodeUri: sorted entries, one fixed timestamp, fixed
 * permissions. The same files give the same bytes, so the same CodeSha256, so an unchanged
 * function publishes no new version.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

/** DOS time cannot go below 1980; local-time fields, so it encodes the same in every time zone. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** Unix (os 3), regular file rw-r--r--: readable by the Lambda runtime user. */
const FILE_ATTRS = { os: 3, attrs: 0o100644 << 16 } as const;

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

export interface CodePackage {
  zip: Uint8Array;
  /** base64 SHA-256 of the zip: what Lambda reports as CodeSha256 */
  sha256: string;
  files: number;
}

export async function zipCodeDir(dir: string): Promise<CodePackage> {
  const files = (await listFiles(dir)).map((p) => ({ abs: p, name: relative(dir, p).split(sep).join('/') }));
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tree: Zippable = {};
  for (const f of files) {
    tree[f.name] = [await readFile(f.abs), { ...FILE_ATTRS, mtime: FIXED_MTIME, level: 6 }];
  }
  const zip = zipSync(tree, { mtime: FIXED_MTIME });
  return { zip, sha256: sha256Base64(zip), files: files.length };
}

export function sha256Base64(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('base64');
}
