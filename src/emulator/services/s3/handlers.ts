import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { ServiceError } from '../../core/service-error.js';
import type { CallContext } from '../../core/service.js';
import type { S3Backend, S3Object } from './backend.js';
import { badChecksum, badDigest, invalidArgument, invalidDigest, invalidLocationConstraint, invalidRange } from './errors.js';
import { decodeContinuationToken, encodeContinuationToken, urlEncodeKey } from './listing.js';
import { parsePartNumber, readCompleteBody } from './multipart.js';

/**
 * Read each operation's input (strings from path, query and headers; the body as a Buffer), call
 * the backend, return the output as a plain object whose shape mirrors S3's XML (see rest-xml.ts).
 * Shapes: https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
 */

/** the single local account, as S3 shows it in Owner elements */
const OWNER = { ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a', DisplayName: 'local' };
/** every object is encrypted at rest with S3-managed keys by default (see routes.ts) */
const SSE = { ServerSideEncryption: 'AES256' };

type In = Record<string, any>;

export function s3Handlers(backend: S3Backend) {
  return {
    CreateBucket(input: In, ctx: CallContext) {
      const constraint: unknown = input.CreateBucketConfiguration?.LocationConstraint;
      // us-east-1 has no location constraint of its own: naming it is an error there
      if (constraint === 'us-east-1' && ctx.region === 'us-east-1') throw invalidLocationConstraint(constraint);
      // us-east-1 is the bucket region when no constraint is sent (the SDK sends none there).
      const region = typeof constraint === 'string' && constraint ? constraint : ctx.region;
      if (region !== ctx.region) {
        throw new ServiceError(
          'IllegalLocationConstraintException',
          `The ${region} location constraint is incompatible for the region specific endpoint this request was sent to.`,
          400,
        );
      }
      return { Location: backend.createBucket(input.Bucket, region).location, BucketArn: bucketArn(input.Bucket) };
    },

    HeadBucket(input: In) {
      return { BucketRegion: backend.headBucket(input.Bucket).region, BucketArn: bucketArn(input.Bucket), AccessPointAlias: false };
    },

    ListBuckets(input: In) {
      const prefix: string = input.Prefix ?? '';
      const max = input.MaxBuckets === undefined ? 10000 : parseCount(input.MaxBuckets, 'max-buckets');
      const after = input.ContinuationToken === undefined ? undefined : decodeToken(input.ContinuationToken);
      let buckets = backend
        .listBuckets()
        .filter((b) => b.name.startsWith(prefix) && (!input.BucketRegion || b.region === input.BucketRegion))
        .filter((b) => after === undefined || b.name > after);
      const truncated = buckets.length > max;
      buckets = buckets.slice(0, max);
      return {
        Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: b.created, BucketRegion: b.region })) },
        Owner: OWNER,
        ContinuationToken: truncated ? encodeContinuationToken(buckets[buckets.length - 1]!.name) : undefined,
        Prefix: input.Prefix,
      };
    },

    DeleteBucket(input: In) {
      backend.deleteBucket(input.Bucket);
      return {};
    },

    // Versioning is not emulated: every bucket is one that never had it, which S3 answers with an
    // empty VersioningConfiguration, no Status (GetBucketVersioning, S3 API reference).
    GetBucketVersioning(input: In) {
      backend.headBucket(input.Bucket);
      return {};
    },

    PutObject(input: In) {
      const body: Buffer = input.Body ?? Buffer.alloc(0);
      // S3 shows the digest it was sent in hex here and as sent (base64) for a part (test_s3_invalid_content_md5)
      if (input.ContentMD5 !== undefined) checkContentMd5(input.ContentMD5, body, 'hex');
      const checksumCRC32 = checkCrc32(input.ChecksumCRC32, body);
      const object = backend.putObject(input.Bucket, input.Key, body, {
        contentType: input.ContentType,
        metadata: input.Metadata,
        checksumCRC32,
      });
      return { ETag: object.etag, ...SSE, ...(checksumCRC32 ? { ChecksumCRC32: checksumCRC32, ChecksumType: 'FULL_OBJECT' } : {}) };
    },

    CreateMultipartUpload(input: In) {
      const upload = backend.createMultipartUpload(input.Bucket, input.Key, { contentType: input.ContentType, metadata: input.Metadata });
      return { Bucket: upload.bucket, Key: upload.key, UploadId: upload.uploadId, ...SSE };
    },

    UploadPart(input: In) {
      const partNumber = parsePartNumber(input.PartNumber);
      const body: Buffer = input.Body ?? Buffer.alloc(0);
      if (input.ContentMD5 !== undefined) checkContentMd5(input.ContentMD5, body, 'base64');
      const checksumCRC32 = checkCrc32(input.ChecksumCRC32, body);
      const part = backend.uploadPart(input.Bucket, input.Key, input.UploadId, partNumber, body);
      return { ETag: part.etag, ...SSE, ...(checksumCRC32 ? { ChecksumCRC32: checksumCRC32 } : {}) };
    },

    CompleteMultipartUpload(input: In, ctx: CallContext) {
      const requested = readCompleteBody(input.MultipartUpload);
      const object = backend.completeMultipartUpload(input.Bucket, input.Key, input.UploadId, requested);
      return {
        Location: `${ctx.endpoint}/${input.Bucket}/${urlEncodeKey(object.key)}`,
        Bucket: input.Bucket,
        Key: object.key,
        ETag: object.etag,
        ...SSE,
      };
    },

    AbortMultipartUpload(input: In) {
      backend.abortMultipartUpload(input.Bucket, input.Key, input.UploadId);
      return {};
    },

    ListParts(input: In) {
      const max = input.MaxParts === undefined ? 1000 : Math.min(parseCount(input.MaxParts, 'max-parts'), 1000);
      const marker = input.PartNumberMarker === undefined ? 0 : parseCount(input.PartNumberMarker, 'part-number-marker');
      const { upload, parts, isTruncated } = backend.listParts(input.Bucket, input.Key, input.UploadId, marker, max);
      return {
        Bucket: upload.bucket,
        Key: upload.key,
        UploadId: upload.uploadId,
        PartNumberMarker: marker,
        NextPartNumberMarker: parts.length ? parts[parts.length - 1]!.partNumber : 0,
        MaxParts: max,
        IsTruncated: isTruncated,
        Part: parts.map((p) => ({ PartNumber: p.partNumber, LastModified: new Date(p.lastModified), ETag: p.etag, Size: p.size })),
        Initiator: OWNER,
        Owner: OWNER,
        StorageClass: 'STANDARD',
      };
    },

    ListMultipartUploads(input: In) {
      const list = readListInput({ ...input, MaxKeys: input.MaxUploads });
      const keyMarker: string = input.KeyMarker ?? '';
      const all = backend
        .listMultipartUploads(input.Bucket)
        .filter((u) => u.key.startsWith(list.prefix) && (keyMarker === '' || u.key > keyMarker));
      const page = all.slice(0, list.maxKeys);
      const last = page[page.length - 1];
      return {
        Bucket: input.Bucket,
        KeyMarker: list.encode(keyMarker),
        UploadIdMarker: input.UploadIdMarker ?? '',
        NextKeyMarker: last ? list.encode(last.key) : '',
        NextUploadIdMarker: last ? last.uploadId : '',
        Prefix: input.Prefix === undefined ? undefined : list.encode(list.prefix),
        MaxUploads: list.maxKeys,
        IsTruncated: all.length > page.length,
        EncodingType: input.EncodingType,
        Upload: page.map((u) => ({
          Key: list.encode(u.key),
          UploadId: u.uploadId,
          Initiator: OWNER,
          Owner: OWNER,
          StorageClass: 'STANDARD',
          Initiated: new Date(u.initiated),
        })),
      };
    },

    GetObject(input: In) {
      const object = backend.getObject(input.Bucket, input.Key);
      const meta = backend.headObject(input.Bucket, input.Key);
      const range = input.Range === undefined ? undefined : parseRange(input.Range, object.size);
      const out = { ...objectHeaders(meta), ContentType: responseOverride(input.ResponseContentType, 'response-content-type') ?? meta.contentType };
      if (!range) return { ...out, ...checksumOut(meta, input.ChecksumMode), Body: object.body };
      return {
        ...out,
        Body: object.body.subarray(range.start, range.end + 1),
        ContentLength: range.end - range.start + 1,
        ContentRange: `bytes ${range.start}-${range.end}/${object.size}`,
        StatusCode: 206,
      };
    },

    HeadObject(input: In) {
      const meta = backend.headObject(input.Bucket, input.Key);
      return { ...objectHeaders(meta), ...checksumOut(meta, input.ChecksumMode) };
    },

    DeleteObject(input: In) {
      backend.deleteObject(input.Bucket, input.Key);
      return {};
    },

    ListObjectsV2(input: In) {
      const list = readListInput(input);
      let after: string | undefined = input.StartAfter;
      if (input.ContinuationToken !== undefined) after = decodeToken(input.ContinuationToken);
      const page = backend.listObjects(input.Bucket, { ...list, after });
      const enc = list.encode;
      return {
        Name: input.Bucket,
        Prefix: enc(list.prefix),
        Delimiter: list.delimiter === undefined ? undefined : enc(list.delimiter),
        MaxKeys: list.maxKeys,
        KeyCount: page.contents.length + page.commonPrefixes.length,
        IsTruncated: page.isTruncated,
        ContinuationToken: input.ContinuationToken,
        NextContinuationToken: page.isTruncated && page.lastKey !== undefined ? encodeContinuationToken(page.lastKey) : undefined,
        StartAfter: input.StartAfter === undefined ? undefined : enc(input.StartAfter),
        EncodingType: input.EncodingType,
        Contents: page.contents.map((o) => listEntry(o, enc, input.FetchOwner === 'true')),
        CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
      };
    },

    /** ListObjects (version 1): what `GET /bkt` without `list-type=2` is, e.g. from curl */
    ListObjects(input: In) {
      const list = readListInput(input);
      const page = backend.listObjects(input.Bucket, { ...list, after: input.Marker || undefined });
      const enc = list.encode;
      return {
        Name: input.Bucket,
        Prefix: enc(list.prefix),
        Marker: enc(input.Marker ?? ''),
        MaxKeys: list.maxKeys,
        Delimiter: list.delimiter === undefined ? undefined : enc(list.delimiter),
        IsTruncated: page.isTruncated,
        // "returned only if you have the delimiter request parameter specified"
        NextMarker: page.isTruncated && list.delimiter && page.lastKey !== undefined ? enc(page.lastKey) : undefined,
        EncodingType: input.EncodingType,
        Contents: page.contents.map((o) => listEntry(o, enc, true)),
        CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
      };
    },
  };
}

/**
 * A `response-*` query override of GetObject, which S3 sends back as a header: a value HTTP
 * cannot carry as one (a line break, another control character, a character above U+00FF) is
 * refused; it used to reach Node's writeHead and fail the answer. S3's exact text is not
 * published; InvalidArgument names the argument [inf].
 */
function responseOverride(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  // each refused character shown as \uXXXX: a control character has no place in the XML error either
  const escaped = text.replace(NOT_IN_HEADER_VALUE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escaped !== text) throw invalidArgument(`${name} must be a valid HTTP header value.`, name, escaped);
  return text;
}

/** a character Node refuses in a header value: not tab, printable ASCII or U+0080–U+00FF */
const NOT_IN_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/g;

function objectHeaders(o: S3Object) {
  return {
    ContentType: o.contentType,
    ContentLength: o.size,
    ETag: o.etag,
    LastModified: new Date(o.lastModified),
    AcceptRanges: 'bytes',
    Metadata: o.metadata,
    ...SSE,
  };
}

function listEntry(o: S3Object, enc: (s: string) => string, withOwner: boolean) {
  return {
    Key: enc(o.key),
    LastModified: new Date(o.lastModified),
    ETag: o.etag,
    Size: o.size,
    Owner: withOwner ? OWNER : undefined,
    StorageClass: 'STANDARD',
  };
}

function readListInput(input: In) {
  if (input.EncodingType !== undefined && input.EncodingType !== 'url') {
    throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', input.EncodingType);
  }
  const encode = input.EncodingType === 'url' ? urlEncodeKey : (s: string) => s;
  return {
    prefix: (input.Prefix as string | undefined) ?? '',
    delimiter: (input.Delimiter as string | undefined) || undefined,
    maxKeys: input.MaxKeys === undefined ? 1000 : Math.min(parseCount(input.MaxKeys, 'max-keys'), 1000),
    encode,
  };
}

function parseCount(text: string, name: string): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2147483647) {
    throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, text);
  }
  return Number(text);
}

function decodeToken(token: string): string {
  const key = decodeContinuationToken(token);
  if (key === undefined) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  return key;
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (Content-MD5: base64 of the 128-bit MD5) */
function checkContentMd5(header: string, body: Buffer, shownAs: 'hex' | 'base64'): void {
  const given = Buffer.from(header, 'base64');
  if (given.length !== 16 || given.toString('base64') !== header.trim()) throw invalidDigest(header);
  const calculated = createHash('md5').update(body).digest();
  if (!given.equals(calculated)) throw badDigest(calculated.toString('base64'), shownAs === 'hex' ? given.toString('hex') : header);
}

/**
 * `x-amz-checksum-crc32` (a header, or an aws-chunked trailer): the base64 of the big-endian CRC32,
 * checked and kept, as S3 does for the SDKs' default checksum ("Checking object integrity").
 * Returns the checksum to keep, or undefined when none was sent.
 */
function checkCrc32(given: unknown, body: Buffer): string | undefined {
  if (typeof given !== 'string') return undefined;
  const value = Buffer.alloc(4);
  value.writeUInt32BE(crc32(body) >>> 0);
  const calculated = value.toString('base64');
  if (given.trim() !== calculated) throw badChecksum('CRC32');
  return calculated;
}

/** the object's checksum, sent when the client asks with `x-amz-checksum-mode: ENABLED` */
function checksumOut(o: S3Object, mode: unknown) {
  return mode === 'ENABLED' && o.checksumCRC32 ? { ChecksumCRC32: o.checksumCRC32, ChecksumType: 'FULL_OBJECT' } : {};
}

const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;

/**
 * One byte range, RFC 9110 section 14 (`bytes=0-4`, `bytes=5-`, `bytes=-3`). A header that does not
 * parse is ignored and the whole object served, as HTTP says; S3 does not serve multiple ranges.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
 */
export function parseRange(header: string, size: number): { start: number; end: number } | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw invalidRange(size, header);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return undefined; // not a valid range: ignored
  if (start >= size) throw invalidRange(size, header);
  const last = m[2] === '' ? size - 1 : Number(m[2]);
  return { start, end: Math.min(last, size - 1) };
}
