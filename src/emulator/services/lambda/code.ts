import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { StateStore } from '../../core/store.js';
import { makeDirs } from '../../../files.js';
import { invalidParameter } from './errors.js';
import { provideRuntimeModules } from './runner/index.js';

/** Lambda quota: 250 MB unzipped deployment package. https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html */
export const MAX_UNZIPPED_BYTES = 262_144_000;

const UNZIP_FAILED = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

export interface StoredCode {
  /** base64 SHA-256 of the zip, as Lambda reports CodeSha256 */
  codeSha256: string;
  codeSize: number;
}

/**
 * Code packages in the state dir, stored once per SHA-256: `blobs/lambda/code/<hex>.zip` and the
 * unpacked folder `blobs/lambda/code/<hex>/` that the runner loads handlers from.
 */
export class CodePackages {
  constructor(private readonly store: StateStore) {
    // the SDK a Lambda runtime provides, found by Node's own lookup from every package below
    provideRuntimeModules(store.blobPath('lambda'));
  }

  private key(codeSha256: string): string {
    return `lambda/code/${Buffer.from(codeSha256, 'base64').toString('hex')}`;
  }

  /** folder with the unpacked package */
  dirOf(codeSha256: string): string {
    return this.store.blobPath(this.key(codeSha256));
  }

  zipOf(codeSha256: string): Buffer {
    return this.store.readBlob(`${this.key(codeSha256)}.zip`);
  }

  put(zip: Buffer): StoredCode {
    const codeSha256 = createHash('sha256').update(zip).digest('base64');
    const key = this.key(codeSha256);
    const dir = this.store.blobPath(key);
    if (!existsSync(dir)) {
      const files = unpack(zip);
      // a package that cannot be stored answers the service's 5xx (StateWriteError), not a crash
      this.store.guard(dir, () => this.unpackTo(key, dir, files, zip));
    }
    return { codeSha256, codeSize: zip.length };
  }

  /** unpack beside the final folder, then rename: a crash or a full disk leaves no half-unpacked package */
  private unpackTo(key: string, dir: string, files: [string, Uint8Array][], zip: Buffer): void {
    const tmp = this.store.blobPath(`${key}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      for (const [name, data] of files) {
        const path = join(tmp, name);
        makeDirs(dirname(path));
        writeFileSync(path, data);
      }
      makeDirs(tmp);
      this.store.writeBlob(`${key}.zip`, zip);
      renameSync(tmp, dir);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(dir)) throw err; // else a concurrent put of the same package won the race
    }
  }

  /** delete packages no function or version refers to any more */
  collect(referenced: Set<string>): void {
    try {
      this.collectUnused(referenced);
    } catch {
      // see below
    }
  }

  private collectUnused(referenced: Set<string>): void {
    const keep = new Set([...referenced].map((sha) => Buffer.from(sha, 'base64').toString('hex')));
    const root = this.store.blobPath('lambda/code');
    if (!existsSync(root)) return;
    for (const entry of readdirSync(root)) {
      const hex = entry.replace(/\..*$/, '');
      // best effort, after the change was stored: a read-only state dir leaves an unused package
      if (!keep.has(hex)) rmSync(join(root, entry), { recursive: true, force: true, maxRetries: 0 });
    }
  }
}

/**
 * fflate's unzip, required when a function's first zip arrives (CreateFunction, UpdateFunctionCode),
 * not when the cloud starts: a cloud that serves code already stored never unzips, and the import
 * was part of every cloud's start (its CommonJS build: the ES one needs an import, not a require)
 */
const requireHere = createRequire(import.meta.url);
let fflate: typeof import('fflate') | undefined;
function unzipSync(zip: Uint8Array): Record<string, Uint8Array> {
  fflate ??= requireHere('fflate') as typeof import('fflate');
  return fflate.unzipSync(zip);
}

/** entries of a zip, refusing anything that would leave the package folder (`../`, absolute paths) */
function unpack(zip: Buffer): [string, Uint8Array][] {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch {
    throw invalidParameter(UNZIP_FAILED);
  }
  let total = 0;
  const files: [string, Uint8Array][] = [];
  for (const [name, data] of Object.entries(entries)) {
    const normalized = name.replace(/\\/g, '/');
    if (normalized.startsWith('/') || normalized.split('/').includes('..') || /^[a-zA-Z]:/.test(normalized)) {
      throw invalidParameter(UNZIP_FAILED);
    }
    if (normalized.endsWith('/')) continue;
    total += data.length;
    if (total > MAX_UNZIPPED_BYTES) throw invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
    files.push([normalized, data]);
  }
  return files;
}
