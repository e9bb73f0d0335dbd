import { operationsOf, type HttpBinding, type Operation } from '../../core/service.js';
import type { S3Backend } from './backend.js';
import { s3Handlers } from './handlers.js';

/**
 * Wire operation → HTTP binding → handler. Bindings follow the S3 API reference (path style,
 * `/{Bucket}` and `/{Key+}` labels): https://docs.aws.amazon.com/AmazonS3/latest/API/
 * A query parameter not listed in a route makes the request match no route (NotImplemented), so
 * unemulated sub-resources (`?acl`, `?tagging`) never reach PutObject or GetObject.
 * S3 answers `x-amz-server-side-encryption: AES256` for every object written or read: since
 * January 2023 every object is encrypted at rest by default ("Default encryption", S3 user guide).
 */

const OBJECT_HEADERS_OUT = {
  ContentType: 'Content-Type',
  ContentLength: 'Content-Length',
  ETag: 'ETag',
  LastModified: 'Last-Modified',
  AcceptRanges: 'Accept-Ranges',
  Metadata: 'x-amz-meta-*',
  ServerSideEncryption: 'x-amz-server-side-encryption',
  ChecksumCRC32: 'x-amz-checksum-crc32',
  ChecksumType: 'x-amz-checksum-type',
} as const;

const CHECKSUM_OUT = { ChecksumCRC32: 'x-amz-checksum-crc32', ChecksumType: 'x-amz-checksum-type' } as const;

const SSE = { ServerSideEncryption: 'x-amz-server-side-encryption' } as const;
const UPLOAD_ID = { uploadId: 'UploadId' };

const LIST_V2_QUERY = {
  prefix: 'Prefix',
  delimiter: 'Delimiter',
  'max-keys': 'MaxKeys',
  'continuation-token': 'ContinuationToken',
  'start-after': 'StartAfter',
  'encoding-type': 'EncodingType',
  'fetch-owner': 'FetchOwner',
};

const bindings = {
  ListBuckets: {
    method: 'GET',
    path: '/',
    query: { prefix: 'Prefix', 'max-buckets': 'MaxBuckets', 'continuation-token': 'ContinuationToken', 'bucket-region': 'BucketRegion' },
    responseXmlRoot: 'ListAllMyBucketsResult',
  },
  CreateBucket: {
    method: 'PUT',
    path: '/{Bucket}',
    xmlPayload: 'CreateBucketConfiguration',
    responseHeaders: { Location: 'Location', BucketArn: 'x-amz-bucket-arn' },
  },
  HeadBucket: {
    method: 'HEAD',
    path: '/{Bucket}',
    responseHeaders: { BucketRegion: 'x-amz-bucket-region', BucketArn: 'x-amz-bucket-arn', AccessPointAlias: 'x-amz-access-point-alias' },
  },
  DeleteBucket: { method: 'DELETE', path: '/{Bucket}', status: 204 },
  GetBucketVersioning: { method: 'GET', path: '/{Bucket}', queryMatch: { versioning: '' }, responseXmlRoot: 'VersioningConfiguration' },
  ListObjectsV2: {
    method: 'GET',
    path: '/{Bucket}',
    queryMatch: { 'list-type': '2' },
    query: LIST_V2_QUERY,
    responseXmlRoot: 'ListBucketResult',
  },
  ListObjects: {
    method: 'GET',
    path: '/{Bucket}',
    query: { prefix: 'Prefix', delimiter: 'Delimiter', 'max-keys': 'MaxKeys', marker: 'Marker', 'encoding-type': 'EncodingType' },
    responseXmlRoot: 'ListBucketResult',
  },
  PutObject: {
    method: 'PUT',
    path: '/{Bucket}/{Key+}',
    headers: { 'content-type': 'ContentType', 'content-md5': 'ContentMD5', 'x-amz-checksum-crc32': 'ChecksumCRC32', 'x-amz-meta-*': 'Metadata' },
    payload: 'Body',
    responseHeaders: { ETag: 'ETag', ...SSE, ...CHECKSUM_OUT },
  },
  GetObject: {
    method: 'GET',
    path: '/{Bucket}/{Key+}',
    headers: { range: 'Range', 'x-amz-checksum-mode': 'ChecksumMode' },
    query: { 'response-content-type': 'ResponseContentType' },
    responsePayload: 'Body',
    responseStatus: 'StatusCode',
    responseHeaders: { ...OBJECT_HEADERS_OUT, ContentRange: 'Content-Range' },
  },
  HeadObject: { method: 'HEAD', path: '/{Bucket}/{Key+}', headers: { 'x-amz-checksum-mode': 'ChecksumMode' }, responseHeaders: OBJECT_HEADERS_OUT },
  DeleteObject: { method: 'DELETE', path: '/{Bucket}/{Key+}', status: 204 },
  CreateMultipartUpload: {
    method: 'POST',
    path: '/{Bucket}/{Key+}',
    queryMatch: { uploads: '' },
    headers: { 'content-type': 'ContentType', 'x-amz-meta-*': 'Metadata' },
    responseHeaders: SSE,
    responseXmlRoot: 'InitiateMultipartUploadResult',
  },
  UploadPart: {
    method: 'PUT',
    path: '/{Bucket}/{Key+}',
    queryMatch: { partNumber: '', uploadId: '' },
    query: { partNumber: 'PartNumber', ...UPLOAD_ID },
    headers: { 'content-md5': 'ContentMD5', 'x-amz-checksum-crc32': 'ChecksumCRC32' },
    payload: 'Body',
    responseHeaders: { ETag: 'ETag', ...SSE, ChecksumCRC32: 'x-amz-checksum-crc32' },
  },
  CompleteMultipartUpload: {
    method: 'POST',
    path: '/{Bucket}/{Key+}',
    queryMatch: { uploadId: '' },
    query: UPLOAD_ID,
    xmlPayload: 'MultipartUpload',
    responseHeaders: SSE,
    responseXmlRoot: 'CompleteMultipartUploadResult',
  },
  AbortMultipartUpload: { method: 'DELETE', path: '/{Bucket}/{Key+}', queryMatch: { uploadId: '' }, query: UPLOAD_ID, status: 204 },
  ListParts: {
    method: 'GET',
    path: '/{Bucket}/{Key+}',
    queryMatch: { uploadId: '' },
    query: { ...UPLOAD_ID, 'max-parts': 'MaxParts', 'part-number-marker': 'PartNumberMarker' },
    responseXmlRoot: 'ListPartsResult',
  },
  ListMultipartUploads: {
    method: 'GET',
    path: '/{Bucket}',
    queryMatch: { uploads: '' },
    query: { prefix: 'Prefix', 'max-uploads': 'MaxUploads', 'key-marker': 'KeyMarker', 'upload-id-marker': 'UploadIdMarker', 'encoding-type': 'EncodingType', delimiter: 'Delimiter' },
    responseXmlRoot: 'ListMultipartUploadsResult',
  },
} as const satisfies Record<string, HttpBinding>;

/** the operations S3 serves; s3Handlers must have one handler for each */
export type S3OperationName = keyof typeof bindings;

export function s3Operations(backend: S3Backend): Operation[] {
  return operationsOf<S3OperationName>(s3Handlers(backend), bindings);
}
