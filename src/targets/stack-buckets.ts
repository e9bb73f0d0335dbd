/**
 * Emptying a stack's buckets before `reset` deletes the stack on the aws target. CloudFormation
 * does not empty a bucket it deletes, and S3 refuses to delete one that is not empty: "You can only
 * delete empty buckets. Deletion fails for buckets that have contents." (AWS::S3::Bucket, AWS
 * CloudFormation template reference). The stack's delete would stop at DELETE_FAILED with the
 * learner's uploads still billed. "All objects (including all object versions and delete markers)
 * in the bucket must be deleted before the bucket itself can be deleted." (DeleteBucket, S3 API).
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { S3Client } from '@aws-sdk/client-s3';
import { cloudFormationCommands, s3Commands } from './clients.js';

const { ListStackResourcesCommand } = cloudFormationCommands;
const { DeleteObjectCommand, GetBucketVersioningCommand, ListObjectsV2Command, ListObjectVersionsCommand } = s3Commands;

/** the physical names of the stack's AWS::S3::Bucket resources; none when the stack does not exist */
export async function stackBuckets(cfn: Pick<CloudFormationClient, 'send'>, stackName: string, signal?: AbortSignal): Promise<string[]> {
  const buckets: string[] = [];
  let NextToken: string | undefined;
  try {
    do {
      const page = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken }), { abortSignal: signal });
      for (const r of page.StackResourceSummaries ?? []) {
        if (r.ResourceType === 'AWS::S3::Bucket' && r.PhysicalResourceId && r.ResourceStatus !== 'DELETE_COMPLETE') buckets.push(r.PhysicalResourceId);
      }
      NextToken = page.NextToken;
    } while (NextToken);
  } catch (err) {
    // CloudFormation answers a missing stack with ValidationError "Stack with id X does not exist"
    if ((err as Error).name === 'ValidationError' && /does not exist/.test((err as Error).message)) return [];
    throw err;
  }
  return buckets;
}

/**
 * Deletes every object of the bucket and, if versioning was ever enabled on it, every version and
 * delete marker; returns how many deletes it made. A bucket already gone counts as empty. One
 * DeleteObject per key: the lab's bucket holds a few sample images, and the call is the same on
 * both targets.
 */
export async function emptyBucket(s3: Pick<S3Client, 'send'>, bucket: string, signal?: AbortSignal): Promise<number> {
  let deleted = 0;
  try {
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }), { abortSignal: signal });
      for (const o of page.Contents ?? []) {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key! }), { abortSignal: signal });
        deleted++;
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    // A bucket that never had versioning answers no Status; Enabled or Suspended ones keep the
    // older versions (and the delete markers just made) until each is deleted by its VersionId.
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal: signal });
    if (versioning.Status) {
      let KeyMarker: string | undefined;
      let VersionIdMarker: string | undefined;
      for (;;) {
        const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker, VersionIdMarker }), { abortSignal: signal });
        for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
          await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: v.Key!, VersionId: v.VersionId }), { abortSignal: signal });
          deleted++;
        }
        if (!page.IsTruncated) break;
        KeyMarker = page.NextKeyMarker;
        VersionIdMarker = page.NextVersionIdMarker;
      }
    }
  } catch (err) {
    if ((err as Error).name === 'NoSuchBucket') return deleted;
    throw err;
  }
  return deleted;
}
