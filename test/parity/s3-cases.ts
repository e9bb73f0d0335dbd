/**
 * S3: our answers beside AWS's, as LocalStack's AWS-validated snapshots recorded them
 * (tests/aws/services/s3/test_s3.snapshot.json, test_s3_api.snapshot.json,
 * test_s3_list_operations.snapshot.json; the inputs are those of the matching tests).
 * Multipart uploads are compared in test/emulator/s3/multipart.test.ts as well.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ParityCase } from './case.js';

const S3 = 'tests/aws/services/s3/test_s3.snapshot.json';
const S3_API = 'tests/aws/services/s3/test_s3_api.snapshot.json';
const LIST = 'tests/aws/services/s3/test_s3_list_operations.snapshot.json';
const NO_SUCH_UPLOAD = 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.';

let serial = 0;
async function bucket(s3: S3Client): Promise<string> {
  const name = `parity-bucket-${++serial}`;
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

const OBJECT_READ_KEYS = ['AcceptRanges', 'ContentLength', 'ContentType', 'ETag', 'LastModified', 'Metadata', 'ServerSideEncryption'];

export const s3Cases: ParityCase[] = [
  // ---- buckets ----
  {
    name: 'CreateBucket: a new bucket',
    source: `${S3} TestS3::test_create_bucket_head_bucket create_bucket`,
    call: ({ s3 }) => s3.send(new CreateBucketCommand({ Bucket: `parity-bucket-${++serial}` })),
    expect: { status: 200, keys: ['BucketArn', 'Location'] },
  },
  {
    name: 'HeadBucket: the bucket',
    source: `${S3} TestS3::test_create_bucket_head_bucket head_bucket`,
    call: async ({ s3 }) => s3.send(new HeadBucketCommand({ Bucket: await bucket(s3) })),
    expect: { status: 200, keys: ['AccessPointAlias', 'BucketArn', 'BucketRegion'], values: { BucketRegion: 'us-east-1', AccessPointAlias: false } },
  },
  {
    name: 'HeadBucket: a bucket that does not exist',
    source: `${S3} TestS3::test_create_bucket_head_bucket head_bucket_not_exist (a HEAD answer has no body: botocore's code 404 is the JS SDK's NotFound, its message UnknownError)`,
    call: ({ s3 }) => s3.send(new HeadBucketCommand({ Bucket: 'parity-does-not-exist' })),
    expect: { status: 404, code: 'NotFound', message: 'UnknownError' },
  },
  {
    name: 'CreateBucket: a name in upper case',
    source: `${S3} TestS3::test_s3_uppercase_bucket_name uppercase-bucket`,
    call: ({ s3 }) => s3.send(new CreateBucketCommand({ Bucket: 'TestUpperCase-parity' })),
    expect: { status: 400, code: 'InvalidBucketName', message: 'The specified bucket is not valid.' },
  },
  {
    name: 'CreateBucket: a bucket already owned (outside us-east-1 answers 409; us-east-1 answers 200)',
    source: `${S3_API} TestS3BucketObjectTagging::test_create_bucket_with_tags create-bucket-different-tags; https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html`,
    call: async ({ s3 }) => s3.send(new CreateBucketCommand({ Bucket: await bucket(s3) })),
    expect: { status: 200, keys: ['BucketArn', 'Location'] },
  },
  {
    name: 'CreateBucket: LocationConstraint us-east-1 in us-east-1',
    source: `${S3} TestS3::test_different_location_constraint create-bucket-constraint-us-east-1`,
    call: ({ s3 }) =>
      s3.send(new CreateBucketCommand({ Bucket: `parity-bucket-${++serial}`, CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })),
    expect: { status: 400, code: 'InvalidLocationConstraint', message: 'The specified location-constraint is not valid' },
  },
  {
    name: 'CreateBucket: a LocationConstraint of another Region',
    source: `${S3} TestS3::test_create_bucket_with_invalid_location_constraint eu-west-1-location-constraint-bar-error`,
    call: ({ s3 }) =>
      s3.send(new CreateBucketCommand({ Bucket: `parity-bucket-${++serial}`, CreateBucketConfiguration: { LocationConstraint: 'bar' as never } })),
    expect: {
      status: 400,
      code: 'IllegalLocationConstraintException',
      message: 'The bar location constraint is incompatible for the region specific endpoint this request was sent to.',
    },
  },
  {
    name: 'DeleteBucket: a bucket with objects',
    source: `${S3_API} TestS3BucketCRUD::test_delete_bucket_with_objects delete-with-obj`,
    call: async ({ s3 }) => {
      const b = await bucket(s3);
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'test', Body: 'test' }));
      return s3.send(new DeleteBucketCommand({ Bucket: b }));
    },
    expect: { status: 409, code: 'BucketNotEmpty', message: 'The bucket you tried to delete is not empty' },
  },
  {
    name: 'DeleteBucket: an empty bucket',
    source: `${S3_API} TestS3BucketCRUD::test_delete_bucket_with_objects (delete after the objects)`,
    call: async ({ s3 }) => s3.send(new DeleteBucketCommand({ Bucket: await bucket(s3) })),
    expect: { status: 204, keys: [] },
  },
  {
    name: 'ListBuckets: MaxBuckets 1 of several',
    source: `${LIST} TestS3ListBuckets::test_list_buckets_with_max_buckets list-objects-with-max-buckets`,
    call: async ({ s3 }) => {
      await bucket(s3);
      await bucket(s3);
      return s3.send(new ListBucketsCommand({ MaxBuckets: 1 }));
    },
    expect: { status: 200, keys: ['Buckets', 'ContinuationToken', 'Owner'] },
  },

  // ---- objects ----
  {
    name: 'PutObject: with the SDK\'s CRC32 checksum',
    source: `${S3} TestS3::test_put_and_get_object_with_utf8_key put-object`,
    call: async ({ s3 }) => s3.send(new PutObjectCommand({ Bucket: await bucket(s3), Key: 'Ā0Ä', Body: 'abc123', ChecksumAlgorithm: 'CRC32' })),
    expect: { status: 200, keys: ['ChecksumCRC32', 'ChecksumType', 'ETag', 'ServerSideEncryption'], values: { ChecksumType: 'FULL_OBJECT', ServerSideEncryption: 'AES256' } },
  },
  {
    name: 'GetObject: the object and its checksum',
    source: `${S3} TestS3::test_put_and_get_object_with_utf8_key get-object`,
    call: async ({ s3 }) => {
      const b = await bucket(s3);
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'Ā0Ä', Body: 'abc123', ChecksumAlgorithm: 'CRC32' }));
      return s3.send(new GetObjectCommand({ Bucket: b, Key: 'Ā0Ä', ChecksumMode: 'ENABLED' }));
    },
    expect: { status: 200, keys: [...OBJECT_READ_KEYS, 'Body', 'ChecksumCRC32', 'ChecksumType'] },
  },
  {
    name: 'GetObject: a range',
    source: `${S3_API} TestS3ObjectCRUD::test_get_object_range get-0-8`,
    call: async ({ s3 }) => {
      const b = await bucket(s3);
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'test-key', Body: 'test-value' }));
      return s3.send(new GetObjectCommand({ Bucket: b, Key: 'test-key', Range: 'bytes=0-8' }));
    },
    expect: { status: 206, keys: [...OBJECT_READ_KEYS, 'Body', 'ContentRange'], values: { ContentRange: 'bytes 0-8/10', ContentLength: 9 } },
  },
  {
    name: 'GetObject: a range past the end',
    source: `${S3} TestS3::test_invalid_range_error exc`,
    call: async ({ s3 }) => {
      const b = await bucket(s3);
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'data' }));
      return s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', Range: 'bytes=1024-4096' }));
    },
    expect: { status: 416, code: 'InvalidRange', message: 'The requested range is not satisfiable' },
  },
  {
    name: 'GetObject: a key that does not exist',
    source: `${S3} TestS3::test_range_key_not_exists exc`,
    call: async ({ s3 }) => s3.send(new GetObjectCommand({ Bucket: await bucket(s3), Key: 'nope', Range: 'bytes=0-10' })),
    expect: { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' },
  },
  {
    name: 'GetObject: a bucket that does not exist',
    source: `${S3} TestS3::test_get_object_no_such_bucket expected_error`,
    call: ({ s3 }) => s3.send(new GetObjectCommand({ Bucket: 'parity-does-not-exist', Key: 'foobar' })),
    expect: { status: 404, code: 'NoSuchBucket', message: 'The specified bucket does not exist' },
  },
  {
    name: 'HeadObject: the object',
    source: `${S3} TestS3::test_head_object_fields head-object`,
    call: async ({ s3 }) => {
      const b = await bucket(s3);
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'test' }));
      return s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' }));
    },
    expect: { status: 200, keys: OBJECT_READ_KEYS },
  },
  {
    name: 'HeadObject: a key that does not exist',
    source: `${S3} TestS3::test_head_object_fields head-object-404 (no body: the JS SDK's NotFound, UnknownError)`,
    call: async ({ s3 }) => s3.send(new HeadObjectCommand({ Bucket: await bucket(s3), Key: 'nope' })),
    expect: { status: 404, code: 'NotFound', message: 'UnknownError' },
  },
  {
    name: 'PutObject: a Content-MD5 that is no MD5',
    source: `${S3} TestS3::test_s3_invalid_content_md5 md5-error-3`,
    call: async ({ s3 }) => s3.send(new PutObjectCommand({ Bucket: await bucket(s3), Key: 'k', Body: 'test-string', ContentMD5: 'MTIz' })),
    expect: { status: 400, code: 'InvalidDigest', message: 'The Content-MD5 you specified was invalid.' },
  },
  {
    name: 'PutObject: a Content-MD5 of other bytes',
    source: `${S3} TestS3::test_s3_invalid_content_md5 md5-error-bad-digest`,
    call: async ({ s3 }) =>
      s3.send(new PutObjectCommand({ Bucket: await bucket(s3), Key: 'k', Body: 'test-string', ContentMD5: Buffer.from('09891eb590524e35fc73372cddc5d596', 'hex').toString('base64') })),
    expect: { status: 400, code: 'BadDigest', message: 'The Content-MD5 you specified did not match what we received.' },
  },
  {
    name: 'DeleteObject: a key that does not exist',
    source: `${S3_API} TestS3ObjectCRUD::test_delete_object (DeleteObject answers 204 whether or not the key exists)`,
    call: async ({ s3 }) => s3.send(new DeleteObjectCommand({ Bucket: await bucket(s3), Key: 'nope' })),
    expect: { status: 204, keys: [] },
  },
  {
    name: 'ListObjectsV2: with a prefix',
    source: `${S3} TestS3::test_list_objects_v2_with_prefix list-objects-v2-1`,
    call: async ({ s3 }) => {
      const b = await bucket(s3);
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'test/foo/bar/123', Body: 'x' }));
      return s3.send(new ListObjectsV2Command({ Bucket: b, Prefix: 'test/', EncodingType: 'url' }));
    },
    expect: { status: 200, keys: ['Contents', 'EncodingType', 'IsTruncated', 'KeyCount', 'MaxKeys', 'Name', 'Prefix'] },
  },
  {
    name: 'ListObjectsV2: a continuation token that is not one',
    source: `${LIST} TestS3ListObjectsV2::test_list_objects_v2_continuation_start_after exc-continuation-token`,
    call: async ({ s3 }) => s3.send(new ListObjectsV2Command({ Bucket: await bucket(s3), ContinuationToken: 'bad-token' })),
    expect: { status: 400, code: 'InvalidArgument', message: 'The continuation token provided is incorrect' },
  },
  {
    name: 'ListObjectsV2: an encoding type that is not url',
    source: `${LIST} TestS3ListObjectsV2::test_list_ops_encoding_type_validation list_objects_v2-error-wrong-value`,
    call: async ({ s3 }) => s3.send(new ListObjectsV2Command({ Bucket: await bucket(s3), EncodingType: 'wrong' as never })),
    expect: { status: 400, code: 'InvalidArgument', message: 'Invalid Encoding Method specified in Request' },
  },

  // ---- multipart (TestS3::test_multipart_*) ----
  {
    name: 'CreateMultipartUpload: an upload',
    source: `${S3} TestS3::test_multipart_and_list_parts create-multipart`,
    call: async ({ s3 }) => s3.send(new CreateMultipartUploadCommand({ Bucket: await bucket(s3), Key: 'test-list-parts' })),
    expect: { status: 200, keys: ['Bucket', 'Key', 'ServerSideEncryption', 'UploadId'] },
  },
  {
    name: 'ListParts: an upload without parts',
    source: `${S3} TestS3::test_multipart_and_list_parts list-part-after-created`,
    call: async ({ s3 }) => {
      const b = await bucket(s3);
      const u = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'k' }));
      return s3.send(new ListPartsCommand({ Bucket: b, Key: 'k', UploadId: u.UploadId }));
    },
    expect: {
      status: 200,
      keys: ['Bucket', 'Initiator', 'IsTruncated', 'Key', 'MaxParts', 'NextPartNumberMarker', 'Owner', 'PartNumberMarker', 'StorageClass', 'UploadId'],
      values: { IsTruncated: false, MaxParts: 1000, StorageClass: 'STANDARD' },
    },
  },
  {
    name: 'UploadPart: a part, with the SDK\'s CRC32 checksum',
    source: `${S3} TestS3::test_s3_invalid_content_md5 success-upload-part-md5`,
    call: async ({ s3 }) => {
      const b = await bucket(s3);
      const u = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'k' }));
      return s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId: u.UploadId, PartNumber: 1, Body: 'upload-part-1', ChecksumAlgorithm: 'CRC32' }));
    },
    expect: { status: 200, keys: ['ChecksumCRC32', 'ETag', 'ServerSideEncryption'] },
  },
  ...(['UploadPart', 'CompleteMultipartUpload', 'AbortMultipartUpload'] as const).map(
    (op): ParityCase => ({
      name: `${op}: an upload id that does not exist`,
      source: `${S3} TestS3::test_multipart_no_such_upload ${op === 'UploadPart' ? 'upload' : op === 'AbortMultipartUpload' ? 'abort' : 'complete'}-exc`,
      call: async ({ s3 }) => {
        const b = await bucket(s3);
        const input = { Bucket: b, Key: 'fake-key', UploadId: 'fakeid' };
        if (op === 'UploadPart') return s3.send(new UploadPartCommand({ ...input, PartNumber: 1, Body: 'body' }));
        if (op === 'AbortMultipartUpload') return s3.send(new AbortMultipartUploadCommand(input));
        return s3.send(new CompleteMultipartUploadCommand({ ...input, MultipartUpload: { Parts: [{ ETag: 'fakeetag', PartNumber: 1 }] } }));
      },
      expect: { status: 404, code: 'NoSuchUpload', message: NO_SUCH_UPLOAD },
    }),
  ),
  {
    name: 'UploadPart: part number -1',
    source: `${S3} TestS3::test_complete_multipart_parts_order upload-part-negative-part-number`,
    call: async ({ s3 }) => {
      const b = await bucket(s3);
      const u = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'k' }));
      return s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId: u.UploadId, PartNumber: -1, Body: 'x' }));
    },
    expect: { status: 400, code: 'InvalidArgument', message: 'Part number must be an integer between 1 and 10000, inclusive' },
  },
  {
    name: 'CompleteMultipartUpload: parts below 5 MiB',
    source: `${S3} TestS3::test_multipart_complete_multipart_too_small complete-exc-too-small`,
    call: async ({ s3 }) => {
      const b = await bucket(s3);
      const u = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'k' }));
      const p1 = await s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId: u.UploadId, PartNumber: 1, Body: 'test' }));
      const p2 = await s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId: u.UploadId, PartNumber: 2, Body: 'test' }));
      return s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: b,
          Key: 'k',
          UploadId: u.UploadId,
          MultipartUpload: { Parts: [{ ETag: p1.ETag, PartNumber: 1 }, { ETag: p2.ETag, PartNumber: 2 }] },
        }),
      );
    },
    expect: { status: 400, code: 'EntityTooSmall', message: 'Your proposed upload is smaller than the minimum allowed size' },
  },
  {
    name: 'CompleteMultipartUpload: one part, its ETag md5-of-md5s-1',
    source: `${S3} TestS3::test_multipart_and_list_parts complete-multipart`,
    call: async ({ s3 }) => {
      const b = await bucket(s3);
      const u = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'test-list-parts' }));
      const p1 = await s3.send(new UploadPartCommand({ Bucket: b, Key: 'test-list-parts', UploadId: u.UploadId, PartNumber: 1, Body: 'upload-part-1'.repeat(5) }));
      return s3.send(
        new CompleteMultipartUploadCommand({ Bucket: b, Key: 'test-list-parts', UploadId: u.UploadId, MultipartUpload: { Parts: [{ ETag: p1.ETag, PartNumber: 1 }] } }),
      );
    },
    // AWS adds ChecksumCRC64NVME / ChecksumType (S3 computes a full-object checksum itself since 2025)
    expect: { status: 200, check: (o) => (/^"[0-9a-f]{32}-1"$/.test(o.ETag) && o.Bucket && o.Key === 'test-list-parts' && o.Location ? undefined : `answer ${JSON.stringify(o)}`) },
  },
];
