/**
 * Physical names as CloudFormation makes them (`<stack>-<LogicalId>-<random suffix>`), kept in
 * `<workspace>/.lab/names.json` so they stay the same from one deploy to the next. The book is
 * saved as soon as a name or a service-assigned id is allocated, even if the deploy then fails,
 * so a retry finds the resources it already made instead of making twins.
 */
import { randomInt } from 'node:crypto';
import { readJsonFile, writeJsonAtomic } from '../../../lab/workspace.js';

interface NamesFile {
  schema: 1;
  /** `<stack>/<logicalId>` or `<stack>/<logicalId>#id` → name or id */
  names: Record<string, string>;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomSuffix(length = 12): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

/**
 * `<stack>-<logicalId>-<suffix>`, cut to `max` characters the way CloudFormation does: the stack
 * name and the logical id are shortened, the suffix is kept whole.
 */
export function physicalName(stack: string, logicalId: string, suffix: string, max: number): string {
  const room = max - suffix.length - 2;
  let s = stack;
  let l = logicalId;
  if (s.length + l.length > room) {
    const half = Math.floor(room / 2);
    if (s.length > half && l.length > half) {
      s = s.slice(0, half);
      l = l.slice(0, room - half);
    } else if (s.length > l.length) s = s.slice(0, room - l.length);
    else l = l.slice(0, room - s.length);
  }
  return `${s}-${l}-${suffix}`;
}

/** Lambda: 64 characters, letters, digits, hyphens, underscores. */
export function functionPhysicalName(stack: string, logicalId: string, suffix = randomSuffix()): string {
  return physicalName(stack.replace(/[^A-Za-z0-9_-]/g, '-'), logicalId, suffix, 64);
}

/** S3: 3–63 characters, lower case, digits, hyphens (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
export function bucketPhysicalName(stack: string, logicalId: string, suffix = randomSuffix()): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return physicalName(clean(stack), clean(logicalId), suffix.toLowerCase(), 63).replace(/-{2,}/g, '-');
}

export class NameBook {
  #file: string;
  #data: NamesFile;
  #dirty = false;
  constructor(file: string) {
    this.#file = file;
    this.#data = readJsonFile<NamesFile>(file) ?? { schema: 1, names: {} };
  }

  get(stack: string, key: string): string | undefined {
    return this.#data.names[`${stack}/${key}`];
  }

  /** the existing name, or `make()`'s, remembered */
  allocate(stack: string, key: string, make: () => string): string {
    const k = `${stack}/${key}`;
    let v = this.#data.names[k];
    if (!v) {
      v = make();
      this.#data.names[k] = v;
      this.#dirty = true;
    }
    return v;
  }

  set(stack: string, key: string, value: string): void {
    const k = `${stack}/${key}`;
    if (this.#data.names[k] !== value) {
      this.#data.names[k] = value;
      this.#dirty = true;
    }
  }

  async save(): Promise<void> {
    if (!this.#dirty) return;
    await writeJsonAtomic(this.#file, this.#data);
    this.#dirty = false;
  }
}
