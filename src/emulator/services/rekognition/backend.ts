/**
 * Local Rekognition does NO image recognition.
 *
 * It answers DetectLabels and RecognizeCelebrities from label files written beforehand: the ones
 * shipped beside the bundled sample images (`sam-app/samples/<name>.labels.json`), matched by the
 * SHA-256 of the image's bytes, and any `<name>.labels.json` object a learner stores beside an
 * image in the same bucket. An image with no label file gets what AWS answers for an image in
 * which nothing is recognised: empty lists. Everything else follows the API: the image must be a
 * JPEG or PNG, at most 5 MB as bytes or 15 MB in S3; a missing bucket or key is
 * InvalidS3ObjectException; MaxLabels and MinConfidence filter the labels.
 *
 * Known limits: no faces, text, moderation, custom labels, collections or video; `Features` other
 * than GENERAL_LABELS, and `Settings`, are accepted and not applied; image dimensions are not read.
 * https://docs.aws.amazon.com/rekognition/latest/APIReference/API_DetectLabels.html
 * https://docs.aws.amazon.com/rekognition/latest/APIReference/API_RecognizeCelebrities.html
 */
import { ServiceError } from '../../core/service-error.js';
import { labelFileNames, parseLabelFile, SampleCatalog, sha256, type LabelFile } from './catalog.js';
import { imageTooLarge, invalidImageFormat, invalidS3Object } from './errors.js';

/**
 * What Rekognition needs from S3, declared here (S3's backend satisfies it): the object's bytes, or
 * a ServiceError NoSuchBucket / NoSuchKey.
 */
export interface ImageObjectReader {
  getObject(bucket: string, key: string): { body: Buffer } | Promise<{ body: Buffer }>;
}

/** The request's `Image`, already checked for shape by the handler. */
export type ImageInput = { bytes: Buffer } | { s3: { bucket: string; name: string } };

// https://docs.aws.amazon.com/rekognition/latest/dg/limits.html ("Maximum image size stored as an
// Amazon S3 object is limited to 15 MB ... passed as raw bytes is 5 MB")
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_S3_BYTES = 15 * 1024 * 1024;

export interface DetectLabelsRequest {
  image: ImageInput;
  /** default: every label */
  maxLabels?: number;
  /** default 55: "If MinConfidence is not specified, the operation returns labels with a confidence values greater than or equal to 55 percent." */
  minConfidence?: number;
  /** GENERAL_LABELS unless given */
  features?: string[];
}

export class RekognitionBackend {
  constructor(
    private readonly images: ImageObjectReader,
    private readonly catalog: SampleCatalog,
  ) {}

  async detectLabels(req: DetectLabelsRequest): Promise<{ Labels: Record<string, unknown>[]; LabelModelVersion: string }> {
    const file = await this.labelsFor(req.image);
    const min = req.minConfidence ?? 55;
    const general = !req.features || req.features.includes('GENERAL_LABELS');
    const labels = (general ? file?.Labels ?? [] : [])
      .filter((label) => confidence(label) >= min)
      .map((label) => withInstancesAbove(label, min))
      .sort((a, b) => confidence(b) - confidence(a))
      .slice(0, req.maxLabels ?? Infinity);
    return { Labels: labels, LabelModelVersion: file?.LabelModelVersion ?? '3.0' };
  }

  /** OrientationCorrection is left out: AWS stopped estimating it in August 2021 and always sends null. */
  async recognizeCelebrities(image: ImageInput): Promise<{ CelebrityFaces: unknown[]; UnrecognizedFaces: unknown[] }> {
    const file = await this.labelsFor(image);
    return { CelebrityFaces: file?.CelebrityFaces ?? [], UnrecognizedFaces: file?.UnrecognizedFaces ?? [] };
  }

  /** The label file for an image: one stored beside it in its bucket, else a sample with the same bytes. */
  private async labelsFor(image: ImageInput): Promise<LabelFile | undefined> {
    if ('bytes' in image) {
      if (image.bytes.length > MAX_BYTES) throw imageTooLarge();
      checkFormat(image.bytes);
      return this.catalog.lookup(sha256(image.bytes));
    }
    const { bucket, name } = image.s3;
    const bytes = await this.read(bucket, name);
    if (!bytes) throw invalidS3Object();
    if (bytes.length > MAX_S3_BYTES) throw imageTooLarge();
    checkFormat(bytes);
    for (const labelsName of labelFileNames(name)) {
      const text = await this.read(bucket, labelsName);
      if (text) return parseLabelFile(text.toString('utf8'), `s3://${bucket}/${labelsName}`);
    }
    return this.catalog.lookup(sha256(bytes));
  }

  private async read(bucket: string, key: string): Promise<Buffer | undefined> {
    try {
      return (await this.images.getObject(bucket, key)).body;
    } catch (err) {
      if (err instanceof ServiceError && (err.code === 'NoSuchBucket' || err.code === 'NoSuchKey')) return undefined;
      throw err;
    }
  }
}

/** JPEG (FF D8 FF) or PNG (89 50 4E 47 0D 0A 1A 0A): "Amazon Rekognition supports the PNG and JPEG image formats." */
function checkFormat(bytes: Buffer): void {
  const jpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const png = bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!jpeg && !png) throw invalidImageFormat();
}

function confidence(item: Record<string, unknown>): number {
  return typeof item.Confidence === 'number' ? item.Confidence : 0;
}

/** instances of a label below MinConfidence are not returned either */
function withInstancesAbove(label: Record<string, unknown>, min: number): Record<string, unknown> {
  if (!Array.isArray(label.Instances)) return label;
  return { ...label, Instances: label.Instances.filter((i: Record<string, unknown>) => confidence(i) >= min) };
}
