import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageRoot } from '../../../package-root.js';
import { invalidParameter } from './errors.js';

/**
 * The label files local Rekognition answers from. Beside each sample image `<name>.jpg` (or .png)
 * sits `<name>.labels.json`:
 *
 *   { "Labels": [DetectLabels Label, ...],
 *     "CelebrityFaces": [RecognizeCelebrities Celebrity, ...],
 *     "UnrecognizedFaces": [ComparedFace, ...] }
 *
 * Images are matched by the SHA-256 of their bytes, so a sample uploaded under any key (or sent as
 * `Image.Bytes`) finds its labels.
 */
export interface LabelFile {
  Labels?: Record<string, unknown>[];
  CelebrityFaces?: Record<string, unknown>[];
  UnrecognizedFaces?: Record<string, unknown>[];
  /** optional, DetectLabels answers "3.0" otherwise */
  LabelModelVersion?: string;
}

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);

/** `cat.jpg` → [`cat.labels.json`, `cat.jpg.labels.json`]: the names a label file beside an image may have */
export function labelFileNames(imageName: string): string[] {
  const ext = extname(imageName);
  const names = [`${imageName}.labels.json`];
  if (ext) names.unshift(`${imageName.slice(0, -ext.length)}.labels.json`);
  return names;
}

/** Reads a label file's text; a malformed one is the learner's to fix, so the message names it. */
export function parseLabelFile(text: string, where: string): LabelFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw invalidParameter(`Local Rekognition: the label file ${where} is not valid JSON (${(err as Error).message}).`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw invalidParameter(`Local Rekognition: the label file ${where} must hold a JSON object.`);
  }
  const file = doc as Record<string, unknown>;
  for (const member of ['Labels', 'CelebrityFaces', 'UnrecognizedFaces']) {
    const value = file[member];
    if (value !== undefined && (!Array.isArray(value) || value.some((v) => v === null || typeof v !== 'object'))) {
      throw invalidParameter(`Local Rekognition: "${member}" in the label file ${where} must be a list of objects.`);
    }
  }
  if (file.LabelModelVersion !== undefined && typeof file.LabelModelVersion !== 'string') {
    throw invalidParameter(`Local Rekognition: "LabelModelVersion" in the label file ${where} must be a string.`);
  }
  return file as LabelFile;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface CachedImage {
  mtimeMs: number;
  size: number;
  hash: string;
  labelsPath?: string;
}

/**
 * Sample folders on disk. Re-listed on each lookup (a few files), hashing only images that are new
 * or changed since the last look, so an edited label file or an added sample counts at once.
 */
export class SampleCatalog {
  private readonly cache = new Map<string, CachedImage>();

  constructor(readonly dirs: string[]) {}

  lookup(hash: string): LabelFile | undefined {
    for (const dir of this.dirs) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue; // a folder that does not exist has no samples
      }
      const present = new Set(names);
      for (const name of names) {
        if (!IMAGE_EXTENSIONS.has(extname(name).toLowerCase())) continue;
        const labelsName = labelFileNames(name).find((n) => present.has(n));
        if (!labelsName) continue;
        const image = this.image(join(dir, name), join(dir, labelsName));
        if (image?.hash === hash && image.labelsPath) {
          return parseLabelFile(readFileSync(image.labelsPath, 'utf8'), image.labelsPath);
        }
      }
    }
    return undefined;
  }

  private image(path: string, labelsPath: string): CachedImage | undefined {
    let st;
    try {
      st = statSync(path);
    } catch {
      return undefined;
    }
    let cached = this.cache.get(path);
    if (!cached || cached.mtimeMs !== st.mtimeMs || cached.size !== st.size) {
      cached = { mtimeMs: st.mtimeMs, size: st.size, hash: sha256(readFileSync(path)) };
      this.cache.set(path, cached);
    }
    cached.labelsPath = labelsPath;
    return cached;
  }
}

/** `<package root>/sam-app/samples`, found from this file's place, not from the cwd. */
export function bundledSamplesDir(from: string = fileURLToPath(import.meta.url)): string | undefined {
  const root = findPackageRoot(from);
  return root === undefined ? undefined : join(root, 'sam-app', 'samples');
}
