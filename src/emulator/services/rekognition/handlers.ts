import type { ImageInput, RekognitionBackend } from './backend.js';
import { invalidParameter } from './errors.js';

/**
 * Read the JSON input (as the client sent it: `Image.Bytes` base64), check it as the API does,
 * call the backend. Any malformed member is InvalidParameterException, the code AWS uses.
 */
type In = Record<string, unknown>;

const FEATURES = new Set(['GENERAL_LABELS', 'IMAGE_PROPERTIES']);

export function rekognitionHandlers(backend: RekognitionBackend) {
  return {
    DetectLabels(input: In) {
      const maxLabels = optionalNumber(input.MaxLabels, 0, Number.MAX_SAFE_INTEGER, true);
      const minConfidence = optionalNumber(input.MinConfidence, 0, 100, false);
      let features: string[] | undefined;
      if (input.Features !== undefined) {
        if (!Array.isArray(input.Features) || !input.Features.every((f) => typeof f === 'string' && FEATURES.has(f))) {
          throw invalidParameter();
        }
        features = input.Features as string[];
      }
      return backend.detectLabels({ image: readImage(input.Image), maxLabels, minConfidence, features });
    },

    RecognizeCelebrities(input: In) {
      return backend.recognizeCelebrities(readImage(input.Image));
    },
  };
}

/** `Image`: exactly one of `Bytes` (base64) and `S3Object {Bucket, Name, Version?}`. */
export function readImage(value: unknown): ImageInput {
  if (!isObject(value)) throw invalidParameter();
  const { Bytes, S3Object } = value;
  if ((Bytes === undefined) === (S3Object === undefined)) throw invalidParameter();
  if (Bytes !== undefined) {
    if (typeof Bytes !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(Bytes)) throw invalidParameter();
    const bytes = Buffer.from(Bytes, 'base64');
    if (bytes.length === 0) throw invalidParameter();
    return { bytes };
  }
  if (!isObject(S3Object)) throw invalidParameter();
  const { Bucket, Name } = S3Object;
  if (typeof Bucket !== 'string' || Bucket === '' || typeof Name !== 'string' || Name === '') throw invalidParameter();
  return { s3: { bucket: Bucket, name: Name } };
}

function optionalNumber(value: unknown, min: number, max: number, integer: boolean): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw invalidParameter();
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
