import { readFileSync, readdirSync, accessSync, constants, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { atomicWrite, makeDirs } from '../../files.js';
import { crashPointFromEnv, type CrashPoint } from './crash-point.js';
import { parseStateDocument } from './state-file.js';

export { StateReadError } from './state-file.js';

/**
 * A change could not be stored (read-only or full state dir, ...). Thrown by the store; the service
 * answers it with its own AWS-shaped 5xx (ServiceDefinition.storeFailure) and, through
 * StateDocument.commit, the change does not take effect.
 */
export class StateWriteError extends Error {
  override readonly name = 'StateWriteError';
  /** the errno code: EROFS, ENOSPC, EACCES ... */
  readonly code: string;
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    const code = String((cause as NodeJS.ErrnoException)?.code ?? 'EIO');
    super(`The embedded cloud could not store the change in its state dir (${code}: ${path}), so it was not made.`);
    this.code = code;
  }
}

/**
 * The emulator's state dir. Every write is atomic (temp file + rename in the same folder), so a
 * crash or a kill leaves either the old file or the new one, never half of one. A restart reads
 * back what was written.
 *
 * Layout: `<dir>/<key>.json` for each service's state document, `<dir>/blobs/...` for code
 * packages and objects.
 */
export interface StateStoreOptions {
  /** default: SOL_TEST_CRASH_AT_STATE_WRITE (crash-point.ts) */
  crashPoint?: CrashPoint;
  /** default atomicWrite; tests put a disk that fails on demand here (full, read-only) */
  writeFile?: typeof atomicWrite;
}

export class StateStore {
  readonly dir: string;
  /** how many state writes so far (documents and blobs): the crash test's write counter */
  private writes = 0;
  private readonly crashPoint: CrashPoint | undefined;
  private readonly writeAtomically: typeof atomicWrite;

  constructor(dir: string, opts: StateStoreOptions = {}) {
    this.dir = resolve(dir);
    makeDirs(this.dir);
    accessSync(this.dir, constants.W_OK);
    this.crashPoint = opts.crashPoint ?? crashPointFromEnv();
    this.writeAtomically = opts.writeFile ?? atomicWrite;
    // what a kill between writing a temp file and renaming it left behind (documents only; the
    // blobs' temps are named apart and never read)
    for (const name of readdirSync(this.dir)) {
      if (name.endsWith('.tmp')) rmSync(join(this.dir, name), { force: true });
    }
  }

  read<T>(key: string): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.pathOf(`${key}.json`), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return parseStateDocument(this.pathOf(`${key}.json`), text) as T;
  }

  /** writes `<key>.json` atomically; throws StateWriteError when it cannot */
  write(key: string, value: unknown): void {
    this.writeText(key, JSON.stringify(value, null, 1));
  }

  /** the same, for a document already serialized */
  writeText(key: string, json: string): void {
    this.writeFile(this.pathOf(`${key}.json`), json);
  }

  writeBlob(relPath: string, data: Buffer | Uint8Array): string {
    const path = this.pathOf(join('blobs', relPath));
    this.writeFile(path, data);
    return path;
  }

  /**
   * Runs `write` (a service's own multi-file write under blobs/, e.g. an unpacked code package) as a
   * state write: counted for the crash test, and any failure reported as StateWriteError.
   */
  guard<R>(path: string, write: () => R): R {
    const n = ++this.writes;
    this.crashPoint?.reached(n, 'before');
    let result: R;
    try {
      result = write();
    } catch (err) {
      throw err instanceof StateWriteError ? err : new StateWriteError(path, err);
    }
    // the service renames its own temp into place; mid-write is the moment before it answers
    this.crashPoint?.reached(n, 'written');
    this.crashPoint?.reached(n, 'after');
    return result;
  }

  private writeFile(path: string, data: string | Uint8Array): void {
    const n = ++this.writes;
    this.crashPoint?.reached(n, 'before');
    try {
      this.writeAtomically(path, data, this.crashPoint && (() => this.crashPoint!.reached(n, 'written')));
    } catch (err) {
      throw new StateWriteError(path, err);
    }
    this.crashPoint?.reached(n, 'after');
  }

  readBlob(relPath: string): Buffer {
    return readFileSync(this.pathOf(join('blobs', relPath)));
  }

  /**
   * Best effort: blobs are deleted after the change that dropped them was stored, so a failure here
   * (read-only state dir) must not turn a stored change into an error; it leaves an unused file.
   */
  deleteBlob(relPath: string): void {
    try {
      rmSync(this.pathOf(join('blobs', relPath)), { recursive: true, force: true });
    } catch {
      // an orphan blob; no document refers to it
    }
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

/** How a service's in-memory state becomes its persisted document and back. */
export interface DocumentCodec<T> {
  /** the state from the stored document (undefined: nothing stored yet) */
  load(saved: unknown): T;
  /** the document to store; JSON-serializable */
  save(value: T): unknown;
}

/**
 * One service's state document, with the rule that a change that cannot be stored does not take
 * effect: the answer and a later restart always agree.
 *
 * A backend changes its records and then calls commit() before it answers. commit writes the whole
 * new document (atomically); when that fails (read-only or full state dir) the state goes back to
 * the document last stored and commit throws StateWriteError, which the service answers with its own
 * 5xx. The write is synchronous, so no other request runs between a change and its commit or
 * rollback: nobody is ever shown a change that was not stored. A backend that awaits between
 * reading a record and changing it looks the record up again after the await (a rollback replaces
 * the records).
 */
export class StateDocument<T> {
  private current: T;
  /** the JSON text last read or written: what a restart would load */
  private stored: string | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly key: string,
    private readonly codec: DocumentCodec<T>,
  ) {
    const saved = store.read<unknown>(key);
    this.stored = saved === undefined ? undefined : JSON.stringify(saved);
    this.current = codec.load(saved);
  }

  get value(): T {
    return this.current;
  }

  commit(): void {
    const text = JSON.stringify(this.codec.save(this.current), null, 1);
    try {
      this.store.writeText(this.key, text);
    } catch (err) {
      this.current = this.codec.load(this.stored === undefined ? undefined : JSON.parse(this.stored));
      throw err;
    }
    this.stored = text;
  }
}
