import { operationsOf, type HttpBinding, type Operation } from '../../core/service.js';
import type { S3Backend } from './backend.js';
import { s3Handlers } from './handlers.js';

/**
 * Wire operation → HTTP binding → handler. Bindings follow the S3 API reference (path style,
 * `/{Bucket}` and `/{Key+}` labels): https://docs.aws.amazon.com/AmazonS3/latest/API/
 * A query parameter not listed in a route makes the request match no route (NotImplemented), so
 * unemulated sub-resources (`?acl`, `?tagging`, `?uploads`) never reach PutObject or GetObject.
 */

const OBJECT_HEADERS_OUT = {
  ContentType: 'Content-Type',
  ContentLength: 'Content-Length',
  ETag: 'ETag',
  LastModified: 'Last-Modified',
  AcceptRanges: 'Accept-Ranges',
  Metadata: 'x-amz-meta-*',
} as const;

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
    responseHeaders: { Location: 'Location' },
  },
  HeadBucket: { method: 'HEAD', path: '/{Bucket}', responseHeaders: { BucketRegion: 'x-amz-bucket-region' } },
  DeleteBucket: { method: 'DELETE', path: '/{Bucket}', status: 204 },
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
    headers: { 'content-type': 'ContentType', 'content-md5': 'ContentMD5', 'x-amz-meta-*': 'Metadata' },
    payload: 'Body',
    responseHeaders: { ETag: 'ETag' },
  },
  GetObject: {
    method: 'GET',
    path: '/{Bucket}/{Key+}',
    headers: { range: 'Range' },
    query: { 'response-content-type': 'ResponseContentType' },
    responsePayload: 'Body',
    responseStatus: 'StatusCode',
    responseHeaders: { ...OBJECT_HEADERS_OUT, ContentRange: 'Content-Range' },
  },
  HeadObject: { method: 'HEAD', path: '/{Bucket}/{Key+}', responseHeaders: OBJECT_HEADERS_OUT },
  DeleteObject: { method: 'DELETE', path: '/{Bucket}/{Key+}', status: 204 },
} as const satisfies Record<string, HttpBinding>;

/** the operations S3 serves; s3Handlers must have one handler for each */
export type S3OperationName = keyof typeof bindings;

export function s3Operations(backend: S3Backend): Operation[] {
  return operationsOf<S3OperationName>(s3Handlers(backend), bindings);
}
