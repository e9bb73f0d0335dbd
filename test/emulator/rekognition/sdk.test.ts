import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DetectLabelsCommand, RecognizeCelebritiesCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { bundledSamplesDir } from '../../../src/emulator/services/rekognition/catalog.js';
import { clientConfig, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { PNG } from './fixtures.js';

/** The real @aws-sdk/client-rekognition (awsJson1_1) against the emulator, images put with the real S3 client. */

let emu: TestEmulator;
let s3: S3Client;
let rek: RekognitionClient;
const samples = bundledSamplesDir()!;

before(async () => {
  emu = await startTestEmulator();
  s3 = new S3Client({ ...clientConfig(emu.endpoint), forcePathStyle: true });
  rek = new RekognitionClient(clientConfig(emu.endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: 'lab-images' }));
  // a bundled sample under a key of its own: matched by its bytes, not its name
  await s3.send(new PutObjectCommand({ Bucket: 'lab-images', Key: 'uploads/guy.jpg', Body: readFileSync(join(samples, 'someguy.jpg')) }));
  await s3.send(new PutObjectCommand({ Bucket: 'lab-images', Key: 'portrait.jpg', Body: readFileSync(join(samples, 'portrait.jpg')) }));
  // a learner's own image with its label file beside it in the bucket
  await s3.send(new PutObjectCommand({ Bucket: 'lab-images', Key: 'mine/dot.png', Body: PNG, ContentType: 'image/png' }));
  await s3.send(
    new PutObjectCommand({
      Bucket: 'lab-images',
      Key: 'mine/dot.labels.json',
      Body: JSON.stringify({ Labels: [{ Name: 'Dot', Confidence: 91.5, Instances: [], Parents: [] }], CelebrityFaces: [], UnrecognizedFaces: [] }),
    }),
  );
  // an image nobody wrote labels for
  await s3.send(new PutObjectCommand({ Bucket: 'lab-images', Key: 'unknown.png', Body: Buffer.concat([PNG, Buffer.from('different bytes')]) }));
});

after(async () => {
  s3?.destroy();
  rek?.destroy();
  await emu?.close();
});

async function rejects(p: Promise<unknown>, name: string): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & Record<string, any>;
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata.httpStatusCode, 400);
    return e;
  }
  assert.fail(`expected ${name}`);
}

test('DetectLabels on a bundled sample stored under another key', async () => {
  const out = await rek.send(new DetectLabelsCommand({ Image: { S3Object: { Bucket: 'lab-images', Name: 'uploads/guy.jpg' } } }));
  const names = out.Labels!.map((l) => l.Name);
  assert.ok(names.includes('Person') && names.includes('Face'), names.join(','));
  assert.equal(out.LabelModelVersion, '3.0');
  const sorted = out.Labels!.map((l) => l.Confidence!);
  assert.deepEqual(sorted, [...sorted].sort((a, b) => b - a));

  const two = await rek.send(new DetectLabelsCommand({ Image: { S3Object: { Bucket: 'lab-images', Name: 'uploads/guy.jpg' } }, MaxLabels: 2, MinConfidence: 90 }));
  assert.equal(two.Labels!.length, 2);
  assert.ok(two.Labels!.every((l) => l.Confidence! >= 90));
});

test('RecognizeCelebrities: the sample celebrity, and the shape without OrientationCorrection', async () => {
  const out = await rek.send(new RecognizeCelebritiesCommand({ Image: { S3Object: { Bucket: 'lab-images', Name: 'portrait.jpg' } } }));
  assert.equal(out.CelebrityFaces!.length, 1);
  assert.equal(out.CelebrityFaces![0]!.Name, 'Avery Placeholder');
  assert.ok(Array.isArray(out.UnrecognizedFaces));
  assert.equal(out.OrientationCorrection, undefined);
  const guy = await rek.send(new RecognizeCelebritiesCommand({ Image: { S3Object: { Bucket: 'lab-images', Name: 'uploads/guy.jpg' } } }));
  assert.deepEqual(guy.CelebrityFaces, []);
  assert.equal(guy.UnrecognizedFaces!.length, 1);
});

test('Image.Bytes is matched by its SHA-256 too', async () => {
  const out = await rek.send(new DetectLabelsCommand({ Image: { Bytes: readFileSync(join(samples, 'cat.jpg')) } }));
  assert.ok(out.Labels!.some((l) => l.Name === 'Cat'));
});

test("a learner's label file beside the image in the bucket", async () => {
  const out = await rek.send(new DetectLabelsCommand({ Image: { S3Object: { Bucket: 'lab-images', Name: 'mine/dot.png' } } }));
  assert.deepEqual(out.Labels!.map((l) => [l.Name, l.Confidence]), [['Dot', 91.5]]);
});

test('an image with no labels: empty lists, as AWS answers when it recognises nothing', async () => {
  const labels = await rek.send(new DetectLabelsCommand({ Image: { S3Object: { Bucket: 'lab-images', Name: 'unknown.png' } } }));
  assert.deepEqual(labels.Labels, []);
  assert.equal(labels.LabelModelVersion, '3.0');
  const celebs = await rek.send(new RecognizeCelebritiesCommand({ Image: { S3Object: { Bucket: 'lab-images', Name: 'unknown.png' } } }));
  assert.deepEqual(celebs.CelebrityFaces, []);
  assert.deepEqual(celebs.UnrecognizedFaces, []);
});

test('a missing object or bucket: InvalidS3ObjectException with AWS text', async () => {
  for (const S3Object of [{ Bucket: 'lab-images', Name: 'nope.jpg' }, { Bucket: 'no-such-bucket', Name: 'someguy.jpg' }]) {
    const e = await rejects(rek.send(new DetectLabelsCommand({ Image: { S3Object } })), 'InvalidS3ObjectException');
    assert.equal(e.message, 'Unable to get object metadata from S3. Check object key, region and/or access permissions.');
    assert.equal(e.Code, 'InvalidS3ObjectException');
  }
  await rejects(rek.send(new RecognizeCelebritiesCommand({ Image: { S3Object: { Bucket: 'lab-images', Name: 'nope.jpg' } } })), 'InvalidS3ObjectException');
});

test('bad input: InvalidParameterException; not an image: InvalidImageFormatException', async () => {
  const e = await rejects(rek.send(new DetectLabelsCommand({ Image: {} })), 'InvalidParameterException');
  assert.equal(e.message, 'Request has invalid parameters');
  await rejects(rek.send(new DetectLabelsCommand({ Image: { Bytes: PNG, S3Object: { Bucket: 'lab-images', Name: 'x' } } })), 'InvalidParameterException');
  await rejects(rek.send(new DetectLabelsCommand({ Image: { Bytes: PNG }, MinConfidence: 101 })), 'InvalidParameterException');
  await rejects(rek.send(new DetectLabelsCommand({ Image: { Bytes: Buffer.from('fakejpeg') } })), 'InvalidImageFormatException');
});
