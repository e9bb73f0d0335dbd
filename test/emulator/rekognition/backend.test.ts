import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceError } from '../../../src/emulator/core/service-error.js';
import { RekognitionBackend, type ImageObjectReader } from '../../../src/emulator/services/rekognition/backend.js';
import { bundledSamplesDir, SampleCatalog } from '../../../src/emulator/services/rekognition/catalog.js';
import { readImage } from '../../../src/emulator/services/rekognition/handlers.js';
import { PNG } from './fixtures.js';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a picture')]);

const LABELS = {
  Labels: [
    { Name: 'Person', Confidence: 99.5, Instances: [{ Confidence: 99.5, BoundingBox: { Width: 0.5, Height: 0.9, Left: 0.2, Top: 0.05 } }, { Confidence: 40 }], Parents: [] },
    { Name: 'Smile', Confidence: 60.1, Instances: [], Parents: [{ Name: 'Face' }] },
    { Name: 'Hat', Confidence: 50, Instances: [], Parents: [] },
    { Name: 'Face', Confidence: 97, Instances: [], Parents: [{ Name: 'Person' }] },
  ],
  CelebrityFaces: [{ Name: 'Ada Example', Id: 'abc', Urls: [], MatchConfidence: 98, Face: { Confidence: 99 } }],
  UnrecognizedFaces: [{ Confidence: 88 }],
};

function fakeS3(objects: Record<string, Buffer>): ImageObjectReader {
  return {
    getObject(bucket, key) {
      if (bucket !== 'bkt') throw new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404);
      const body = objects[key];
      if (!body) throw new ServiceError('NoSuchKey', 'The specified key does not exist.', 404);
      return { body };
    },
  };
}

const code = (c: string) => (e: ServiceError) => e.code === c && e.status === 400 && (e.fields as { Code?: string }).Code === c;

test('labels from a sample folder, matched by SHA-256 whatever the key; MinConfidence (55 by default) and MaxLabels', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-rek-'));
  try {
    writeFileSync(join(dir, 'person.png'), PNG);
    writeFileSync(join(dir, 'person.labels.json'), JSON.stringify(LABELS));
    const rek = new RekognitionBackend(fakeS3({ 'uploads/any-name.png': PNG }), new SampleCatalog([join(dir, 'missing'), dir]));

    const byS3 = await rek.detectLabels({ image: { s3: { bucket: 'bkt', name: 'uploads/any-name.png' } } });
    assert.deepEqual(byS3.Labels.map((l) => l.Name), ['Person', 'Face', 'Smile']);
    assert.equal(byS3.LabelModelVersion, '3.0');
    assert.equal((byS3.Labels[0]!.Instances as unknown[]).length, 1, 'instances under MinConfidence dropped');

    const top = await rek.detectLabels({ image: { bytes: PNG }, maxLabels: 2, minConfidence: 0 });
    assert.deepEqual(top.Labels.map((l) => l.Name), ['Person', 'Face']);
    assert.deepEqual((await rek.detectLabels({ image: { bytes: PNG }, minConfidence: 0 })).Labels.length, 4);

    const celebs = await rek.recognizeCelebrities({ bytes: PNG });
    assert.deepEqual(celebs, { CelebrityFaces: LABELS.CelebrityFaces, UnrecognizedFaces: LABELS.UnrecognizedFaces });
    assert.ok(!('OrientationCorrection' in celebs));

    // an edited label file counts at once
    writeFileSync(join(dir, 'person.labels.json'), JSON.stringify({ Labels: [{ Name: 'Edited', Confidence: 90 }] }));
    utimesSync(join(dir, 'person.labels.json'), new Date(), new Date(Date.now() + 5000));
    assert.deepEqual((await rek.detectLabels({ image: { bytes: PNG } })).Labels.map((l) => l.Name), ['Edited']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a label file stored beside the image in its bucket wins; unknown images get empty lists', async () => {
  const rek = new RekognitionBackend(
    fakeS3({
      'me.jpg': JPEG,
      'me.labels.json': Buffer.from(JSON.stringify(LABELS)),
      'other.jpg': Buffer.concat([JPEG, Buffer.from('x')]),
      'broken.jpg': JPEG,
      'broken.jpg.labels.json': Buffer.from('{"Labels": [oops'),
    }),
    new SampleCatalog([]),
  );
  assert.equal((await rek.detectLabels({ image: { s3: { bucket: 'bkt', name: 'me.jpg' } } })).Labels.length, 3);
  assert.deepEqual(await rek.detectLabels({ image: { s3: { bucket: 'bkt', name: 'other.jpg' } } }), { Labels: [], LabelModelVersion: '3.0' });
  assert.deepEqual(await rek.recognizeCelebrities({ s3: { bucket: 'bkt', name: 'other.jpg' } }), { CelebrityFaces: [], UnrecognizedFaces: [] });
  await assert.rejects(
    rek.detectLabels({ image: { s3: { bucket: 'bkt', name: 'broken.jpg' } } }),
    (e: ServiceError) => e.code === 'InvalidParameterException' && /s3:\/\/bkt\/broken.jpg.labels.json is not valid JSON/.test(e.message),
  );
});

test('errors: missing object or bucket, not an image, too large, malformed Image', async () => {
  const rek = new RekognitionBackend(fakeS3({ 'text.txt': Buffer.from('hello'), 'huge.png': Buffer.concat([PNG, Buffer.alloc(15 * 1024 * 1024)]) }), new SampleCatalog([]));
  for (const s3 of [{ bucket: 'bkt', name: 'nope.jpg' }, { bucket: 'other', name: 'me.jpg' }]) {
    await assert.rejects(rek.detectLabels({ image: { s3 } }), (e: ServiceError) => {
      assert.equal(e.code, 'InvalidS3ObjectException');
      assert.equal(e.message, 'Unable to get object metadata from S3. Check object key, region and/or access permissions.');
      return true;
    });
  }
  await assert.rejects(rek.detectLabels({ image: { s3: { bucket: 'bkt', name: 'text.txt' } } }), code('InvalidImageFormatException'));
  await assert.rejects(rek.recognizeCelebrities({ bytes: Buffer.from('fakejpeg') }), code('InvalidImageFormatException'));
  await assert.rejects(rek.detectLabels({ image: { s3: { bucket: 'bkt', name: 'huge.png' } } }), code('ImageTooLargeException'));
  await assert.rejects(rek.detectLabels({ image: { bytes: Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]) } }), code('ImageTooLargeException'));

  for (const bad of [undefined, {}, 'x', { Bytes: 'aGk=', S3Object: { Bucket: 'b', Name: 'n' } }, { Bytes: 12 }, { Bytes: '***' }, { S3Object: { Bucket: 'b' } }, { S3Object: { Bucket: '', Name: 'n' } }]) {
    assert.throws(() => readImage(bad), code('InvalidParameterException'), JSON.stringify(bad));
  }
  assert.deepEqual(readImage({ S3Object: { Bucket: 'b', Name: 'n', Version: '1' } }), { s3: { bucket: 'b', name: 'n' } });
});

test('the bundled samples folder is found from the package root, not the cwd', () => {
  const dir = bundledSamplesDir();
  assert.ok(dir?.endsWith(join('sam-app', 'samples')), dir);
  const elsewhere = process.cwd();
  process.chdir(tmpdir());
  try {
    assert.equal(bundledSamplesDir(), dir);
  } finally {
    process.chdir(elsewhere);
  }
});
