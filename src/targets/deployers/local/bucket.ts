/**
 * The lab bucket: created when absent. The sample images that go into it are uploaded by
 * ../../samples.ts, which the sam deployer shares.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ChangeKind } from '../types.js';
import { isNotFound } from './not-found.js';
import { s3Commands } from '../../clients.js';

const { CreateBucketCommand, HeadBucketCommand } = s3Commands;

export { isNotFound } from './not-found.js';

export async function ensureBucket(s3: S3Client, bucket: string): Promise<ChangeKind> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return 'unchanged';
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return 'created';
}
