import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { clientConfig, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

/** The real @aws-sdk/client-s3 against the emulator on port 0 (wire doc 10.1: forcePathStyle). */

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

async function rejects(p: Promise<unknown>, name: string, status: number): Promise<Error & { $metadata: { httpStatusCode?: number; requestId?: string } }> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { $metadata: { httpStatusCode?: number; requestId?: string } };
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata.httpStatusCode, status);
    return e;
  }
  assert.fail(`expected ${name}`);
}

test('buckets: create, head, list, re-create in us-east-1, delete', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'sdk-bkt' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'sdk-bkt' })); // us-east-1: 200 again
  const head = await s3.send(new HeadBucketCommand({ Bucket: 'sdk-bkt' }));
  assert.equal(head.BucketRegion, 'us-east-1');
  const list = await s3.send(new ListBucketsCommand({}));
  assert.ok(list.Buckets?.some((b) => b.Name === 'sdk-bkt' && b.CreationDate instanceof Date));
  assert.ok(list.Owner?.ID);
  await s3.send(new DeleteBucketCommand({ Bucket: 'sdk-bkt' }));
  await rejects(s3.send(new HeadBucketCommand({ Bucket: 'sdk-bkt' })), 'NotFound', 404);
});

test('bucket errors: NoSuchBucket, InvalidBucketName, BucketNotEmpty', async () => {
  const e = await rejects(s3.send(new GetObjectCommand({ Bucket: 'no-such-bkt', Key: 'a' })), 'NoSuchBucket', 404);
  assert.ok(e.$metadata.requestId);
  await rejects(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bkt' })), 'NoSuchBucket', 404);
  await rejects(s3.send(new DeleteBucketCommand({ Bucket: 'no-such-bkt' })), 'NoSuchBucket', 404);
  await rejects(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })), 'InvalidBucketName', 400);
  await s3.send(new CreateBucketCommand({ Bucket: 'full-bkt' }));
  await s3.send(new PutObjectCommand({ Bucket: 'full-bkt', Key: 'x', Body: 'x' }));
  await rejects(s3.send(new DeleteBucketCommand({ Bucket: 'full-bkt' })), 'BucketNotEmpty', 409);
});

test('objects: put, get, head, range, delete; NoSuchKey', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'obj-bkt' }));
  const put = await s3.send(
    new PutObjectCommand({ Bucket: 'obj-bkt', Key: 'dir/a b+c.txt', Body: 'hello', ContentType: 'text/plain', Metadata: { owner: 'lab' } }),
  );
  assert.equal(put.ETag, '"5d41402abc4b2a76b9719d911017c592"');
  const get = await s3.send(new GetObjectCommand({ Bucket: 'obj-bkt', Key: 'dir/a b+c.txt' }));
  assert.equal(await get.Body!.transformToString(), 'hello');
  assert.equal(get.ContentType, 'text/plain');
  assert.equal(get.ContentLength, 5);
  assert.equal(get.ETag, put.ETag);
  assert.ok(get.LastModified instanceof Date && Math.abs(get.LastModified.getTime() - Date.now()) < 60_000);
  assert.deepEqual(get.Metadata, { owner: 'lab' });
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'obj-bkt', Key: 'dir/a b+c.txt' }));
  assert.equal(head.ContentLength, 5);
  assert.equal(head.ETag, put.ETag);
  const range = await s3.send(new GetObjectCommand({ Bucket: 'obj-bkt', Key: 'dir/a b+c.txt', Range: 'bytes=1-3' }));
  assert.equal(await range.Body!.transformToString(), 'ell');
  assert.equal(range.ContentRange, 'bytes 1-3/5');
  assert.equal(range.$metadata.httpStatusCode, 206);

  // response-content-type overrides the stored type; one HTTP cannot carry as a header is refused
  const typed = await s3.send(new GetObjectCommand({ Bucket: 'obj-bkt', Key: 'dir/a b+c.txt', ResponseContentType: 'text/csv; charset=utf-8' }));
  assert.equal(typed.ContentType, 'text/csv; charset=utf-8');
  await typed.Body!.transformToString();
  const injected = await rejects(
    s3.send(new GetObjectCommand({ Bucket: 'obj-bkt', Key: 'dir/a b+c.txt', ResponseContentType: 'text/plain\r\nX-Injected: 1' })),
    'InvalidArgument',
    400,
  );
  assert.equal((injected as unknown as { ArgumentName: string }).ArgumentName, 'response-content-type');
  // a control character is shown escaped: the XML error stays well-formed, so the SDK can read it
  const nul = await rejects(s3.send(new GetObjectCommand({ Bucket: 'obj-bkt', Key: 'dir/a b+c.txt', ResponseContentType: 'a\u0000b' })), 'InvalidArgument', 400);
  assert.equal((nul as unknown as { ArgumentValue: string }).ArgumentValue, 'a\\u0000b');

  const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  await s3.send(new PutObjectCommand({ Bucket: 'obj-bkt', Key: 'bin', Body: binary }));
  const bin = await s3.send(new GetObjectCommand({ Bucket: 'obj-bkt', Key: 'bin' }));
  assert.deepEqual(Buffer.from(await bin.Body!.transformToByteArray()), binary);
  assert.equal(bin.ContentType, 'application/octet-stream'); // what the SDK sends for a Buffer

  await s3.send(new DeleteObjectCommand({ Bucket: 'obj-bkt', Key: 'dir/a b+c.txt' }));
  await s3.send(new DeleteObjectCommand({ Bucket: 'obj-bkt', Key: 'dir/a b+c.txt' })); // 204 again
  const e = await rejects(s3.send(new GetObjectCommand({ Bucket: 'obj-bkt', Key: 'dir/a b+c.txt' })), 'NoSuchKey', 404);
  assert.equal((e as unknown as { Key: string }).Key, 'dir/a b+c.txt');
  await rejects(s3.send(new HeadObjectCommand({ Bucket: 'obj-bkt', Key: 'nope' })), 'NotFound', 404);
});

test('PutObject with a stream body arrives aws-chunked and is stored decoded', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'stream-bkt' }));
  await s3.send(new PutObjectCommand({ Bucket: 'stream-bkt', Key: 's.txt', Body: Readable.from([Buffer.from('hello '), Buffer.from('stream')]), ContentLength: 12 }));
  const get = await s3.send(new GetObjectCommand({ Bucket: 'stream-bkt', Key: 's.txt' }));
  assert.equal(await get.Body!.transformToString(), 'hello stream');
  assert.equal(get.ContentLength, 12);
  // 2 MiB and more: the SDK sends `Expect: 100-continue` (wire doc 7.2)
  const big = Buffer.alloc(2 * 1024 * 1024 + 10, 7);
  await s3.send(new PutObjectCommand({ Bucket: 'stream-bkt', Key: 'big', Body: big }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'stream-bkt', Key: 'big' }));
  assert.equal(head.ContentLength, big.length);
});

test('ListObjectsV2: prefix, delimiter, max-keys, continuation, start-after, url encoding', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'list-bkt' }));
  const keys = ['a.txt', 'dir/1.txt', 'dir/2.txt', 'dir/sub/3.txt', 'e f/1', 'z+.txt'];
  for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'list-bkt', Key, Body: Key }));

  const all = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bkt' }));
  assert.deepEqual(all.Contents?.map((o) => o.Key), keys);
  assert.equal(all.KeyCount, 6);
  assert.equal(all.IsTruncated, false);
  assert.equal(all.Contents?.[0]?.Size, 5);

  const top = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bkt', Delimiter: '/' }));
  assert.deepEqual(top.Contents?.map((o) => o.Key), ['a.txt', 'z+.txt']);
  assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['dir/', 'e f/']);

  const dir = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bkt', Prefix: 'dir/', Delimiter: '/' }));
  assert.deepEqual(dir.Contents?.map((o) => o.Key), ['dir/1.txt', 'dir/2.txt']);
  assert.deepEqual(dir.CommonPrefixes?.map((p) => p.Prefix), ['dir/sub/']);

  const seen: string[] = [];
  let pages = 0;
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: 'list-bkt', MaxKeys: 2 })) {
    pages++;
    seen.push(...(page.Contents ?? []).map((o) => o.Key!));
  }
  assert.deepEqual(seen, keys);
  assert.equal(pages, 3);

  const after = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bkt', StartAfter: 'dir/2.txt' }));
  assert.deepEqual(after.Contents?.map((o) => o.Key), ['dir/sub/3.txt', 'e f/1', 'z+.txt']);

  const encoded = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bkt', EncodingType: 'url', Prefix: 'e f/' }));
  assert.equal(encoded.EncodingType, 'url');
  assert.deepEqual(encoded.Contents?.map((o) => o.Key), ['e%20f/1']); // the SDK leaves decoding to the caller

  await rejects(s3.send(new ListObjectsV2Command({ Bucket: 'list-bkt', ContinuationToken: 'garbage' })), 'InvalidArgument', 400);
});

test('objects survive an emulator restart on the same state dir', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sol-s3-restart-'));
  try {
    const first = await startTestEmulator({ stateDir });
    const c1 = new S3Client({ ...clientConfig(first.endpoint), forcePathStyle: true });
    try {
      await c1.send(new CreateBucketCommand({ Bucket: 'keep-bkt' }));
      await c1.send(new PutObjectCommand({ Bucket: 'keep-bkt', Key: 'k/x.txt', Body: 'kept', ContentType: 'text/x-kept' }));
    } finally {
      c1.destroy();
      await first.close();
    }
    const second = await startTestEmulator({ stateDir });
    const c2 = new S3Client({ ...clientConfig(second.endpoint), forcePathStyle: true });
    try {
      const get = await c2.send(new GetObjectCommand({ Bucket: 'keep-bkt', Key: 'k/x.txt' }));
      assert.equal(await get.Body!.transformToString(), 'kept');
      assert.equal(get.ContentType, 'text/x-kept');
      const list = await c2.send(new ListBucketsCommand({}));
      assert.deepEqual(list.Buckets?.map((b) => b.Name), ['keep-bkt']);
    } finally {
      c2.destroy();
      await second.close();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

// The SDK sends such a key as the raw path `/dot-bkt/k/../../x.txt`. The server must hand the codec
// that path as received (node's req.url), not a URL-normalized one, or the request lands on another
// resource (here: `PUT /x.txt`, a CreateBucket).
test('keys holding ../ round-trip through the SDK', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'dot-bkt' }));
  await s3.send(new PutObjectCommand({ Bucket: 'dot-bkt', Key: 'k/../../x.txt', Body: 'dots' }));
  const get = await s3.send(new GetObjectCommand({ Bucket: 'dot-bkt', Key: 'k/../../x.txt' }));
  assert.equal(await get.Body!.transformToString(), 'dots');
  const list = await s3.send(new ListObjectsV2Command({ Bucket: 'dot-bkt' }));
  assert.deepEqual(list.Contents?.map((o) => o.Key), ['k/../../x.txt']);
});

// In S3, Content-Encoding describes the object: a body labelled gzip is stored as it came, not
// unpacked (the server gunzips only the JSON protocols' compressed requests).
test('an object sent with Content-Encoding gzip is stored as sent', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'gzip-bkt' }));
  await s3.send(new PutObjectCommand({ Bucket: 'gzip-bkt', Key: 'not-really.gz', Body: 'plain text', ContentEncoding: 'gzip' }));
  const get = await s3.send(new GetObjectCommand({ Bucket: 'gzip-bkt', Key: 'not-really.gz' }));
  assert.equal(Buffer.from(await get.Body!.transformToByteArray()).toString(), 'plain text');
});
