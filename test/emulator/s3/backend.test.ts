import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceError } from '../../../src/emulator/core/service-error.js';
import { StateStore } from '../../../src/emulator/core/store.js';
import { S3Backend } from '../../../src/emulator/services/s3/backend.js';
import { parseRange } from '../../../src/emulator/services/s3/handlers.js';
import { compareKeys, listPage } from '../../../src/emulator/services/s3/listing.js';
import { checkBucketName } from '../../../src/emulator/services/s3/names.js';

const keys = (...k: string[]) => k.sort(compareKeys).map((key) => ({ key }));

test('listPage: prefix, delimiter roll-up, max-keys and resuming after the last consumed key', () => {
  const all = keys('a.txt', 'dir/1', 'dir/2', 'dir/sub/3', 'e/1', 'z.txt');
  const p1 = listPage(all, { prefix: '', delimiter: '/', maxKeys: 2 });
  assert.deepEqual(p1.contents.map((o) => o.key), ['a.txt']);
  assert.deepEqual(p1.commonPrefixes, ['dir/']);
  assert.equal(p1.isTruncated, true);
  assert.equal(p1.lastKey, 'dir/sub/3', 'the whole rolled-up prefix is consumed');
  const p2 = listPage(all, { prefix: '', delimiter: '/', maxKeys: 2, after: p1.lastKey });
  assert.deepEqual(p2.commonPrefixes, ['e/']);
  assert.deepEqual(p2.contents.map((o) => o.key), ['z.txt']);
  assert.equal(p2.isTruncated, false);
  const sub = listPage(all, { prefix: 'dir/', delimiter: '/', maxKeys: 1000 });
  assert.deepEqual(sub.contents.map((o) => o.key), ['dir/1', 'dir/2']);
  assert.deepEqual(sub.commonPrefixes, ['dir/sub/']);
  assert.deepEqual(listPage(all, { prefix: '', maxKeys: 1000, after: 'dir/2' }).contents.map((o) => o.key), ['dir/sub/3', 'e/1', 'z.txt']);
  assert.equal(listPage(all, { prefix: '', maxKeys: 0 }).isTruncated, false);
  // the last page ends exactly at max-keys: not truncated
  assert.equal(listPage(keys('a', 'b'), { prefix: '', maxKeys: 2 }).isTruncated, false);
});

test('compareKeys is UTF-8 byte order', () => {
  const sorted = ['\u{1F600}', '\uFF01', 'a', 'B'].sort(compareKeys);
  assert.deepEqual(sorted, ['B', 'a', '\uFF01', '\u{1F600}']);
  assert.deepEqual(sorted, [...sorted].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
});

test('bucket naming rules', () => {
  for (const ok of ['abc', 'my-bucket.1', 'a'.repeat(63), '1bucket']) assert.doesNotThrow(() => checkBucketName(ok), ok);
  for (const bad of ['ab', 'a'.repeat(64), 'My-Bucket', 'bkt_1', '-bkt', 'bkt-', 'a..b', '192.168.1.1', 'xn--bkt', 'bkt-s3alias', '../x']) {
    assert.throws(() => checkBucketName(bad), (e: ServiceError) => e.code === 'InvalidBucketName' && e.status === 400, bad);
  }
});

test('parseRange', () => {
  assert.deepEqual(parseRange('bytes=0-4', 12), { start: 0, end: 4 });
  assert.deepEqual(parseRange('bytes=6-', 12), { start: 6, end: 11 });
  assert.deepEqual(parseRange('bytes=-5', 12), { start: 7, end: 11 });
  assert.deepEqual(parseRange('bytes=3-100', 12), { start: 3, end: 11 });
  assert.equal(parseRange('lines=1-2', 12), undefined);
  assert.equal(parseRange('bytes=0-1,3-4', 12), undefined);
  assert.throws(() => parseRange('bytes=12-', 12), (e: ServiceError) => e.code === 'InvalidRange' && e.status === 416);
});

test('objects and buckets persist across a restart; overwrites leave no stale blobs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-s3b-'));
  try {
    const b1 = new S3Backend({ store: new StateStore(dir), now: () => Date.UTC(2024, 0, 2, 3, 4, 5, 999) });
    b1.createBucket('bkt', 'us-east-1');
    b1.putObject('bkt', 'k', Buffer.from('one'), { contentType: 'text/plain', metadata: { a: '1' } });
    const first = b1.headObject('bkt', 'k').blob;
    b1.putObject('bkt', 'k', Buffer.from('two'));
    b1.putObject('bkt', '__proto__', Buffer.from('proto'));
    assert.throws(() => b1.headObject('bkt', 'nope'), (e: ServiceError) => e.code === 'NoSuchKey');

    const b2 = new S3Backend({ store: new StateStore(dir) });
    const obj = b2.getObject('bkt', 'k');
    assert.equal(obj.body.toString(), 'two');
    assert.equal(obj.contentType, 'binary/octet-stream');
    assert.equal(obj.lastModified.toISOString(), '2024-01-02T03:04:05.000Z');
    assert.equal(b2.getObject('bkt', '__proto__').body.toString(), 'proto');
    assert.throws(() => new StateStore(dir).readBlob(first), /ENOENT/);
    assert.equal(b2.findObject('bkt', 'missing'), undefined);
    assert.equal(b2.findObject('nobucket', 'k'), undefined);
    assert.throws(() => b2.deleteBucket('bkt'), (e: ServiceError) => e.code === 'BucketNotEmpty' && e.status === 409);
    b2.deleteObject('bkt', 'k');
    b2.deleteObject('bkt', '__proto__');
    b2.deleteBucket('bkt');
    assert.deepEqual(new S3Backend({ store: new StateStore(dir) }).listBuckets(), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CreateBucket again: 200 in us-east-1, BucketAlreadyOwnedByYou elsewhere', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-s3b-'));
  try {
    const b = new S3Backend({ store: new StateStore(dir) });
    b.createBucket('bkt', 'us-east-1');
    assert.deepEqual(b.createBucket('bkt', 'us-east-1'), { location: '/bkt' });
    b.createBucket('eu-bkt', 'eu-west-1');
    assert.throws(() => b.createBucket('eu-bkt', 'eu-west-1'), (e: ServiceError) => e.code === 'BucketAlreadyOwnedByYou' && e.status === 409);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
