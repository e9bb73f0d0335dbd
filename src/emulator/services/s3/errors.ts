import { ServiceError } from '../../core/service-error.js';

/** S3 error codes, statuses and messages: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html */

export const noSuchBucket = (bucket: string) =>
  new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });

export const noSuchKey = (key: string) => new ServiceError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });

/** AWS's text says no more than this (test_s3_uppercase_bucket_name); `why` goes to the log only */
export const invalidBucketName = (bucket: string, _why: string) =>
  new ServiceError('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });

export const bucketNotEmpty = (bucket: string) =>
  new ServiceError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket });

export const bucketAlreadyOwnedByYou = (bucket: string) =>
  new ServiceError(
    'BucketAlreadyOwnedByYou',
    'Your previous request to create the named bucket succeeded and you already own it.',
    409,
    { BucketName: bucket },
  );

export const keyTooLong = (size: number) =>
  new ServiceError('KeyTooLongError', 'Your key is too long', 400, { Size: size, MaxSizeAllowed: 1024 });

export const invalidArgument = (message: string, name: string, value: string) =>
  new ServiceError('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value });

export const invalidRange = (size: number, range: string) =>
  new ServiceError('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: range, ActualObjectSize: size });

/**
 * Content-MD5 and checksum errors as S3 answers them (test_s3_invalid_content_md5 and
 * test_put_object_checksum in LocalStack's AWS-validated snapshots, test_s3.snapshot.json).
 */
export const badDigest = (calculated: string, expected: string) =>
  new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
    ExpectedDigest: expected,
    CalculatedDigest: calculated,
  });

export const invalidDigest = (given: string) =>
  new ServiceError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { 'Content-MD5': given });

export const badChecksum = (algorithm: string) =>
  new ServiceError('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400);

/** CreateBucket in us-east-1 naming us-east-1 (test_different_location_constraint) */
export const invalidLocationConstraint = (constraint: string) =>
  new ServiceError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });

/** S3's 500; the answer when a change could not be stored */
export const internalError = (detail: string) =>
  new ServiceError('InternalError', `We encountered an internal error. Please try again. ${detail}`, 500);
