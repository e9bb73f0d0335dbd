import { createHash, randomBytes } from 'node:crypto';
import { ServiceError } from '../../core/service-error.js';

/**
 * Multipart uploads, as S3 documents them (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html,
 * API_CreateMultipartUpload / API_UploadPart / API_CompleteMultipartUpload / API_AbortMultipartUpload /
 * API_ListParts / API_ListMultipartUploads). The aws CLI and the SDKs' upload helpers switch to
 * them at 8 MB.
 *
 * The rules here are the pure part (part numbers, the parts list of Complete, the object's ETag);
 * the backend keeps the records and the bytes. Errors and messages are S3's as recorded against AWS
 * (LocalStack's AWS-validated snapshots, tests/aws/services/s3/test_s3.snapshot.json).
 */

export interface UploadedPart {
  partNumber: number;
  /** quoted MD5 hex of the part's bytes, as UploadPart answers it */
  etag: string;
  size: number;
  /** epoch ms, whole seconds */
  lastModified: number;
  /** blob path inside the state dir's blobs/ */
  blob: string;
}

export interface MultipartUpload {
  uploadId: string;
  bucket: string;
  key: string;
  /** epoch ms, whole seconds */
  initiated: number;
  contentType?: string;
  metadata: Record<string, string>;
  /** part number → part; a part uploaded again replaces the earlier one */
  parts: Map<number, UploadedPart>;
}

/** as persisted: parts as a list */
export type PersistedUpload = Omit<MultipartUpload, 'parts'> & { parts: UploadedPart[] };

/** "Each part must be at least 5 MB in size, except the last part." (Amazon S3 multipart upload limits) */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_NUMBER = 10_000;

/** opaque, URL-safe, as long as S3's own */
export function newUploadId(): string {
  return randomBytes(48).toString('base64url');
}

export function noSuchUpload(uploadId: string): ServiceError {
  return new ServiceError(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
    { UploadId: uploadId },
  );
}

/** UploadPart's `partNumber` query parameter: a whole number from 1 to 10,000 */
export function parsePartNumber(text: unknown): number {
  const s = typeof text === 'string' ? text : '';
  const n = /^\d{1,5}$/.test(s) ? Number(s) : NaN;
  if (!(n >= 1 && n <= MAX_PART_NUMBER)) {
    throw new ServiceError('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', 400, {
      ArgumentName: 'partNumber',
      ArgumentValue: s,
    });
  }
  return n;
}

/** a part named by CompleteMultipartUpload's body */
export interface RequestedPart {
  partNumber: number;
  etag: string;
}

const unquote = (etag: string): string => etag.trim().replace(/^"(.*)"$/, '$1');

/**
 * The `<CompleteMultipartUpload>` body (already parsed to a plain object) → its parts. A body
 * without parts is S3's InvalidRequest; one that does not fit the schema is MalformedXML.
 */
export function readCompleteBody(body: unknown): RequestedPart[] {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).Part : undefined;
  if (raw === undefined) throw new ServiceError('InvalidRequest', 'You must specify at least one part', 400);
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((p) => {
    const part = p && typeof p === 'object' ? (p as Record<string, unknown>) : {};
    const number = typeof part.PartNumber === 'string' && /^\d{1,5}$/.test(part.PartNumber) ? Number(part.PartNumber) : NaN;
    if (!Number.isInteger(number) || typeof part.ETag !== 'string') {
      throw new ServiceError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    }
    return { partNumber: number, etag: part.ETag };
  });
}

/**
 * Picks the uploaded parts that the Complete request names, in its order, as S3 checks them:
 * ascending part numbers (InvalidPartOrder), each part uploaded with that ETag (InvalidPart), every
 * part but the last at least 5 MiB (EntityTooSmall).
 */
export function selectParts(upload: MultipartUpload, requested: RequestedPart[]): UploadedPart[] {
  if (requested.length === 0) throw new ServiceError('InvalidRequest', 'You must specify at least one part', 400);
  let previous = 0;
  const chosen: UploadedPart[] = [];
  for (const r of requested) {
    if (r.partNumber <= previous) {
      throw new ServiceError('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400, {
        UploadId: upload.uploadId,
      });
    }
    previous = r.partNumber;
    const part = upload.parts.get(r.partNumber);
    if (!part || unquote(part.etag) !== unquote(r.etag)) {
      throw new ServiceError(
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        400,
        { UploadId: upload.uploadId, PartNumber: r.partNumber, ETag: unquote(r.etag) },
      );
    }
    chosen.push(part);
  }
  for (const part of chosen.slice(0, -1)) {
    if (part.size < MIN_PART_SIZE) {
      throw new ServiceError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, {
        ProposedSize: part.size,
        MinSizeAllowed: MIN_PART_SIZE,
        PartNumber: part.partNumber,
        ETag: unquote(part.etag),
      });
    }
  }
  return chosen;
}

/**
 * A multipart object's ETag: the MD5 of the parts' binary MD5s, a dash and the number of parts
 * (what S3 answers; "the ETag is not an MD5 digest of the object data", Checking object integrity).
 */
export function multipartEtag(parts: UploadedPart[]): string {
  const md5 = createHash('md5');
  for (const p of parts) md5.update(Buffer.from(unquote(p.etag), 'hex'));
  return `"${md5.digest('hex')}-${parts.length}"`;
}

/** ListParts' page: parts after `marker`, at most `max` */
export function partsPage(upload: MultipartUpload, marker: number, max: number): { parts: UploadedPart[]; isTruncated: boolean } {
  const after = [...upload.parts.values()].filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  return { parts: after.slice(0, max), isTruncated: after.length > max };
}

export function toPersisted(u: MultipartUpload): PersistedUpload {
  return { ...u, parts: [...u.parts.values()].sort((a, b) => a.partNumber - b.partNumber) };
}

export function fromPersisted(u: PersistedUpload): MultipartUpload {
  return { ...u, parts: new Map(u.parts.map((p) => [p.partNumber, p])) };
}
