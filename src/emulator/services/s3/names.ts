import { invalidBucketName, keyTooLong } from './errors.js';

/**
 * General purpose bucket naming rules:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * Because a valid name is only `[a-z0-9.-]` and never `..`, it is also safe as a folder name in the
 * state dir; object keys never are (they are stored under a hash).
 */
export function checkBucketName(name: string): void {
  const fail = (why: string) => {
    throw invalidBucketName(name, why);
  };
  if (name.length < 3 || name.length > 63) fail('a bucket name is 3 to 63 characters long');
  if (!/^[a-z0-9.-]+$/.test(name)) fail('only lowercase letters, digits, dots and hyphens');
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) fail('it must begin and end with a letter or a digit');
  if (name.includes('..')) fail('no two adjacent dots');
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) fail('it must not look like an IP address');
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) if (name.startsWith(prefix)) fail(`it must not start with "${prefix}"`);
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) if (name.endsWith(suffix)) fail(`it must not end with "${suffix}"`);
}

/** "The name for a key is a sequence of Unicode characters whose UTF-8 encoding is at most 1,024 bytes long."
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html */
export function checkKey(key: string): void {
  const size = Buffer.byteLength(key, 'utf8');
  if (size > 1024) throw keyTooLong(size);
}
