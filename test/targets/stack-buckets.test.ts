/**
 * `reset` on the aws target empties the stack's buckets before DeleteStack (CloudFormation cannot
 * delete a bucket with objects in it). emptyBucket runs with the real S3 client against the
 * emulator's S3; the versioned branch and the stack listing, which the emulator does not serve,
 * run against recorded answers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, DeleteBucketCommand, GetBucketVersioningCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { emptyBucket, stackBuckets } from '../../src/targets/stack-buckets.js';
import { clientConfig, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

let emu: TestEmulator;
let s3: S3Client;

before(async () => {
  emu = await startTestEmulator();
  s3 = new S3Client({ ...clientConfig(emu.endpoint), forcePathStyle: true });
});

after(async () => {
  s3?.destroy();
  await emu?.close();
});

test('a bucket with objects cannot be deleted until emptyBucket has deleted every object', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'lab-images' }));
  for (const key of ['samples/cat.jpg', 'samples/dog one.jpg', 'upload.png']) await s3.send(new PutObjectCommand({ Bucket: 'lab-images', Key: key, Body: 'x' }));
  await assert.rejects(s3.send(new DeleteBucketCommand({ Bucket: 'lab-images' })), { name: 'BucketNotEmpty' });
  // never versioned: S3 answers no Status, so only the current objects are to delete
  assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'lab-images' }))).Status, undefined);
  assert.equal(await emptyBucket(s3, 'lab-images'), 3);
  assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: 'lab-images' }))).KeyCount, 0);
  await s3.send(new DeleteBucketCommand({ Bucket: 'lab-images' }));
  assert.equal(await emptyBucket(s3, 'lab-images'), 0, 'a bucket already gone is empty');
});

/** a client whose answers are scripted by command name, recording what was sent */
function scripted(answers: Record<string, (input: any) => unknown>) {
  const sent: { name: string; input: any }[] = [];
  return {
    sent,
    async send(cmd: { constructor: { name: string }; input: unknown }) {
      const name = cmd.constructor.name.replace(/Command$/, '');
      sent.push({ name, input: cmd.input });
      const answer = answers[name];
      if (!answer) throw new Error(`no scripted answer for ${name}`);
      return answer(cmd.input);
    },
  };
}

test('a versioned bucket: every version and delete marker is deleted by its VersionId, across pages', async () => {
  const c = scripted({
    ListObjectsV2: () => ({ Contents: [{ Key: 'a.jpg' }], IsTruncated: false }),
    DeleteObject: () => ({}),
    GetBucketVersioning: () => ({ Status: 'Suspended' }),
    ListObjectVersions: (i) =>
      i.KeyMarker === undefined
        ? { Versions: [{ Key: 'a.jpg', VersionId: 'v1' }], DeleteMarkers: [{ Key: 'a.jpg', VersionId: 'm1' }], IsTruncated: true, NextKeyMarker: 'a.jpg', NextVersionIdMarker: 'm1' }
        : { Versions: [{ Key: 'b.jpg', VersionId: 'v2' }], IsTruncated: false },
  });
  assert.equal(await emptyBucket(c as never, 'b'), 4);
  const deletes = c.sent.filter((s) => s.name === 'DeleteObject').map((s) => `${s.input.Key}@${s.input.VersionId ?? '-'}`);
  assert.deepEqual(deletes, ['a.jpg@-', 'a.jpg@v1', 'a.jpg@m1', 'b.jpg@v2']);
  assert.deepEqual(c.sent.filter((s) => s.name === 'ListObjectVersions')[1]!.input, { Bucket: 'b', KeyMarker: 'a.jpg', VersionIdMarker: 'm1' });
});

test("stackBuckets: the stack's AWS::S3::Bucket physical names over every page; none for a stack that does not exist", async () => {
  const c = scripted({
    ListStackResources: (i) =>
      i.NextToken === undefined
        ? { StackResourceSummaries: [{ ResourceType: 'AWS::S3::Bucket', PhysicalResourceId: 'img-1', ResourceStatus: 'CREATE_COMPLETE' }, { ResourceType: 'AWS::Lambda::Function', PhysicalResourceId: 'fn' }], NextToken: 't' }
        : { StackResourceSummaries: [{ ResourceType: 'AWS::S3::Bucket', PhysicalResourceId: 'gone', ResourceStatus: 'DELETE_COMPLETE' }, { ResourceType: 'AWS::S3::Bucket', PhysicalResourceId: 'img-2', ResourceStatus: 'UPDATE_COMPLETE' }] },
  });
  assert.deepEqual(await stackBuckets(c as never, 'ServerlessOps-stack'), ['img-1', 'img-2']);
  const missing = {
    async send() {
      throw Object.assign(new Error('Stack with id ServerlessOps-stack does not exist'), { name: 'ValidationError' });
    },
  };
  assert.deepEqual(await stackBuckets(missing as never, 'ServerlessOps-stack'), []);
});
