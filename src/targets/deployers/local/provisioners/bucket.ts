/**
 * AWS::S3::Bucket, and for the lab's images bucket the sample images beside it.
 * Ref → the bucket name; GetAtt Arn, DomainName, RegionalDomainName.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html#aws-resource-s3-bucket-return-values
 */
import { join } from 'node:path';
import { LOCAL_REGION } from '../../../clients.js';
import { uploadSamples } from '../../../samples.js';
import { ensureBucket, isNotFound } from '../bucket.js';
import { s3Commands } from '../../../clients.js';
import { bucketPhysicalName } from '../names.js';
import type { Provisioner } from '../context.js';

/** The bucket the sample images go to: `ImagesBucket` when there is one, else the first. */
const SAMPLES_BUCKET = 'ImagesBucket';

export const s3Bucket: Provisioner = {
  type: 'AWS::S3::Bucket',
  async apply(r, ctx) {
    const given = r.properties.BucketName;
    const name = given !== undefined ? ctx.resolver.string(given, r.position) : ctx.names.allocate(ctx.stackName, r.logicalId, () => bucketPhysicalName(ctx.stackName, r.logicalId));
    await ctx.names.save();
    const change = await ctx.step(`creating bucket ${name}`, () => ensureBucket(ctx.clients.s3, name));
    const buckets = ctx.template.buckets;
    const samples = buckets.find((b) => b.logicalId === SAMPLES_BUCKET) ?? buckets[0];
    let detail: string | undefined;
    if (samples && samples.logicalId === r.logicalId) {
      const up = await ctx.step(`uploading the sample images to ${name}`, () => uploadSamples(ctx.clients.s3, name, join(ctx.template.dir, 'samples')));
      if (up.uploaded.length) detail = `${up.uploaded.length} of ${up.total} sample files uploaded`;
    }
    ctx.report.add({ logicalId: r.logicalId, type: r.type, physicalId: name, change: change === 'unchanged' && detail ? 'updated' : change, detail });
    return {
      type: r.type,
      physicalId: name,
      attributes: { Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com`, RegionalDomainName: `${name}.s3.${LOCAL_REGION}.amazonaws.com` },
    };
  },
  // S3 deletes only an empty bucket, and CloudFormation does not empty one: its deletion fails, and
  // CloudFormation "removes the old resource from the stack and continues updating the stack"
  // (troubleshooting guide, "Resource removed from stack but not deleted",
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html): kept
  // in the cloud, forgotten by the record. Any other failure fails the deploy; a retry finishes.
  async remove(r, ctx) {
    try {
      await ctx.step(`deleting bucket ${r.physicalId}`, () => ctx.clients.s3.send(new s3Commands.DeleteBucketCommand({ Bucket: r.physicalId })));
    } catch (err) {
      if (isNotFound(err)) return;
      if ((err as { name?: string })?.name === 'BucketNotEmpty') return { kept: 'not empty (S3 deletes only an empty bucket): left in the cloud, outside the stack' };
      throw err;
    }
  },
};
