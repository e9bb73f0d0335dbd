/**
 * Multipart uploads through the real clients: the SDK's own calls (no @aws-sdk/lib-storage), and the
 * aws CLI v1's `s3 cp` of a file above its 8 MB multipart threshold, up and down. Errors are
 * compared with S3's answers as recorded against AWS (LocalStack's AWS-validated snapshots,
 * tests/aws/services/s3/test_s3.snapshot.json: test_multipart_no_such_upload,
 * test_multipart_complete_multipart_too_small, _wrong_part, test_complete_multipart_parts_order).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { awsCli, skipWithoutAws, stopAwsCli } from '../../helpers/aws-cli.js';
import { clientConfig, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

// the aws CLI driver this file's calls started (see test/helpers/aws-cli.ts), ended by its PID
after(stopAwsCli);

let emu: TestEmulator;
let s3: S3Client;
const MiB = 1024 * 1024;

before(async () => {
  emu = await startTestEmulator();
  s3 = new S3Client({ ...clientConfig(emu.endpoint), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'mpu' }));
});

after(async () => {
  s3?.destroy();
  await emu?.close();
});

type AwsError = Error & { $metadata: { httpStatusCode?: number }; [field: string]: unknown };

async function rejects(p: Promise<unknown>, name: string, status: number, message: string): Promise<AwsError> {
  try {
    await p;
  } catch (err) {
    const e = err as AwsError;
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata.httpStatusCode, status);
    assert.equal(e.message, message);
    return e;
  }
  assert.fail(`expected ${name}`);
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

test('create, upload parts, list parts, complete: the object is the parts joined, its ETag md5-of-md5s-N', async () => {
  const part1 = randomBytes(5 * MiB);
  const part2 = Buffer.from('the last part may be small');
  const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: 'big/file.bin', ContentType: 'application/x-lab', Metadata: { from: 'test' } }));
  assert.equal(created.Bucket, 'mpu');
  assert.equal(created.Key, 'big/file.bin');
  assert.match(created.UploadId ?? '', /^[\w-]{20,}$/);
  assert.equal(created.ServerSideEncryption, 'AES256');
  const UploadId = created.UploadId!;

  const empty = await s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'big/file.bin', UploadId }));
  assert.deepEqual([empty.Parts, empty.PartNumberMarker, empty.NextPartNumberMarker, empty.MaxParts, empty.IsTruncated, empty.StorageClass], [undefined, '0', '0', 1000, false, 'STANDARD']);

  const up2 = await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'big/file.bin', UploadId, PartNumber: 2, Body: part2 }));
  const up1 = await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'big/file.bin', UploadId, PartNumber: 1, Body: part1 }));
  assert.equal(up1.ETag, `"${md5(part1)}"`);
  assert.equal(up2.ETag, `"${md5(part2)}"`);

  const listed = await s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'big/file.bin', UploadId }));
  assert.deepEqual(listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size]), [[1, up1.ETag, part1.length], [2, up2.ETag, part2.length]]);
  assert.equal(listed.NextPartNumberMarker, '2');
  const paged = await s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'big/file.bin', UploadId, MaxParts: 1 }));
  assert.deepEqual([paged.Parts?.length, paged.IsTruncated, paged.NextPartNumberMarker], [1, true, '1']);

  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu' }));
  assert.deepEqual(uploads.Uploads?.map((u) => [u.Key, u.UploadId]), [['big/file.bin', UploadId]]);

  const done = await s3.send(new CompleteMultipartUploadCommand({
    Bucket: 'mpu',
    Key: 'big/file.bin',
    UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: up1.ETag }, { PartNumber: 2, ETag: up2.ETag }] },
  }));
  const expectedEtag = `"${createHash('md5').update(Buffer.from(md5(part1) + md5(part2), 'hex')).digest('hex')}-2"`;
  assert.equal(done.ETag, expectedEtag);
  assert.equal(done.Bucket, 'mpu');
  assert.equal(done.Key, 'big/file.bin');
  assert.equal(done.Location, `${emu.endpoint}/mpu/big/file.bin`);

  const head = await s3.send(new HeadObjectCommand({ Bucket: 'mpu', Key: 'big/file.bin' }));
  assert.deepEqual([head.ContentLength, head.ETag, head.ContentType, head.Metadata], [part1.length + part2.length, expectedEtag, 'application/x-lab', { from: 'test' }]);
  const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'big/file.bin' }));
  const body = Buffer.from(await got.Body!.transformToByteArray());
  assert.ok(body.equals(Buffer.concat([part1, part2])));

  // the upload is gone once completed
  await rejects(s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'big/file.bin', UploadId })), 'NoSuchUpload', 404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
  const after = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu' }));
  assert.equal(after.Uploads, undefined);
  await s3.send(new DeleteObjectCommand({ Bucket: 'mpu', Key: 'big/file.bin' }));
});

test("S3's errors: unknown upload, part number out of range, no parts, wrong order, wrong part, parts too small", async () => {
  const noSuch = 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.';
  const e = await rejects(s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'k', UploadId: 'fakeid', PartNumber: 1, Body: 'x' })), 'NoSuchUpload', 404, noSuch);
  assert.equal(e.UploadId, 'fakeid');
  await rejects(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mpu', Key: 'k', UploadId: 'fakeid', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: 'x' }] } })), 'NoSuchUpload', 404, noSuch);
  await rejects(s3.send(new AbortMultipartUploadCommand({ Bucket: 'mpu', Key: 'k', UploadId: 'fakeid' })), 'NoSuchUpload', 404, noSuch);

  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: 'k' }));
  // an upload id belongs to its key
  await rejects(s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'other', UploadId })), 'NoSuchUpload', 404, noSuch);
  const range = await rejects(s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'k', UploadId, PartNumber: 10001, Body: 'x' })), 'InvalidArgument', 400,
    'Part number must be an integer between 1 and 10000, inclusive');
  assert.deepEqual([range.ArgumentName, range.ArgumentValue], ['partNumber', '10001']);

  const small = Buffer.from('data');
  const p1 = await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'k', UploadId, PartNumber: 1, Body: small }));
  const p2 = await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'k', UploadId, PartNumber: 2, Body: small }));
  const complete = (Parts: { PartNumber: number; ETag?: string }[]) =>
    s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mpu', Key: 'k', UploadId, MultipartUpload: { Parts } }));

  await rejects(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mpu', Key: 'k', UploadId, MultipartUpload: {} })), 'InvalidRequest', 400, 'You must specify at least one part');
  await rejects(complete([{ PartNumber: 2, ETag: p2.ETag }, { PartNumber: 1, ETag: p1.ETag }]), 'InvalidPartOrder', 400,
    'The list of parts was not in ascending order. Parts must be ordered by part number.');
  const wrongPart = "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.";
  const missing = await rejects(complete([{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 3, ETag: p1.ETag }]), 'InvalidPart', 400, wrongPart);
  assert.deepEqual([missing.PartNumber, missing.ETag], ['3', md5(small)]);
  await rejects(complete([{ PartNumber: 1, ETag: '"d41d8cd98f00b204e9800998ecf8427e"' }]), 'InvalidPart', 400, wrongPart);
  const tooSmall = await rejects(complete([{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }]), 'EntityTooSmall', 400,
    'Your proposed upload is smaller than the minimum allowed size');
  assert.deepEqual([tooSmall.ProposedSize, tooSmall.MinSizeAllowed, tooSmall.PartNumber], ['4', '5242880', '1']);

  // a single small part is a whole upload (only parts before the last have a minimum)
  const one = await complete([{ PartNumber: 2, ETag: p2.ETag }]);
  assert.match(one.ETag ?? '', /^"[0-9a-f]{32}-1"$/);
  await s3.send(new DeleteObjectCommand({ Bucket: 'mpu', Key: 'k' }));
});

test('abort drops the upload and its parts; a bucket with only uploads in progress can be deleted', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'mpu-abort' }));
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu-abort', Key: 'a' }));
  await s3.send(new UploadPartCommand({ Bucket: 'mpu-abort', Key: 'a', UploadId, PartNumber: 1, Body: 'abc' }));
  const aborted = await s3.send(new AbortMultipartUploadCommand({ Bucket: 'mpu-abort', Key: 'a', UploadId }));
  assert.equal(aborted.$metadata.httpStatusCode, 204);
  assert.equal(existsSync(join(emu.stateDir, 'blobs', 's3-uploads', UploadId!)), false);
  await rejects(s3.send(new ListPartsCommand({ Bucket: 'mpu-abort', Key: 'a', UploadId })), 'NoSuchUpload', 404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');

  const second = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu-abort', Key: 'b' }));
  await s3.send(new UploadPartCommand({ Bucket: 'mpu-abort', Key: 'b', UploadId: second.UploadId, PartNumber: 1, Body: 'abc' }));
  await s3.send(new DeleteBucketCommand({ Bucket: 'mpu-abort' }));
  assert.equal(existsSync(join(emu.stateDir, 'blobs', 's3-uploads', second.UploadId!)), false);
});

test('an upload in progress survives a restart of the cloud', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-mpu-'));
  try {
    let cloud = await startTestEmulator({ stateDir: dir });
    let client = new S3Client({ ...clientConfig(cloud.endpoint), forcePathStyle: true });
    await client.send(new CreateBucketCommand({ Bucket: 'keep' }));
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'keep', Key: 'k' }));
    const p1 = await client.send(new UploadPartCommand({ Bucket: 'keep', Key: 'k', UploadId, PartNumber: 1, Body: 'before the restart' }));
    client.destroy();
    await cloud.close();

    cloud = await startTestEmulator({ stateDir: dir });
    client = new S3Client({ ...clientConfig(cloud.endpoint), forcePathStyle: true });
    try {
      await client.send(new CompleteMultipartUploadCommand({ Bucket: 'keep', Key: 'k', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }] } }));
      const got = await client.send(new GetObjectCommand({ Bucket: 'keep', Key: 'k' }));
      assert.equal(await got.Body!.transformToString(), 'before the restart');
    } finally {
      client.destroy();
      await cloud.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const aws = (args: string[]) => awsCli(emu.endpoint, args, { timeoutMs: 120_000, maxBuffer: 64 * MiB });

test('aws s3 cp of a 9 MB file: up in parts, down in ranges, the same bytes', { skip: skipWithoutAws }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-mpu-cli-'));
  try {
    const file = join(dir, 'big.bin');
    const data = randomBytes(9 * MiB + 123);
    writeFileSync(file, data);
    const up = await aws(['s3', 'cp', file, 's3://mpu/cli/big.bin']);
    assert.equal(up.code, 0, up.stderr);

    const head = await aws(['s3api', 'head-object', '--bucket', 'mpu', '--key', 'cli/big.bin']);
    assert.equal(head.code, 0, head.stderr);
    const meta = JSON.parse(head.stdout) as { ContentLength: number; ETag: string };
    assert.equal(meta.ContentLength, data.length);
    // the CLI's 8 MB parts: two of them, so the ETag says it was a multipart upload
    assert.match(meta.ETag, /^"[0-9a-f]{32}-2"$/);

    const back = join(dir, 'back.bin');
    const down = await aws(['s3', 'cp', 's3://mpu/cli/big.bin', back]);
    assert.equal(down.code, 0, down.stderr);
    assert.ok(readFileSync(back).equals(data));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
