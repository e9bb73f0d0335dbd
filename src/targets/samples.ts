/**
 * The sample images of sam-app/samples/ and, beside each, the `.labels.json` that local
 * Rekognition answers from, put into the stack's images bucket. Both targets need them there: the
 * local deployer's bucket provisioner uploads them, the sam deployer does after `sam deploy`
 * (CloudFormation creates the bucket empty). Objects already there with the same bytes (same MD5
 * ETag, as S3 gives for a single-part upload) are left alone.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { isNotFound } from './deployers/local/not-found.js';
import { s3Commands } from './clients.js';

const { HeadObjectCommand, PutObjectCommand } = s3Commands;

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** The files under `samples/` that go into the bucket: images and their label files. */
export async function sampleFiles(samplesDir: string): Promise<string[]> {
  if (!existsSync(samplesDir)) return [];
  const names = (await readdir(samplesDir, { withFileTypes: true })).filter((e) => e.isFile() && CONTENT_TYPES[extname(e.name).toLowerCase()]).map((e) => e.name);
  return names.sort();
}

/** Uploads what differs; returns the keys uploaded. */
export async function uploadSamples(s3: S3Client, bucket: string, samplesDir: string): Promise<{ uploaded: string[]; total: number }> {
  const files = await sampleFiles(samplesDir);
  const uploaded: string[] = [];
  for (const name of files) {
    const body = await readFile(join(samplesDir, name));
    const md5 = createHash('md5').update(body).digest('hex');
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: name }));
      if (head.ETag?.replace(/"/g, '') === md5) continue;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: name, Body: body, ContentType: CONTENT_TYPES[extname(name).toLowerCase()] }));
    uploaded.push(name);
  }
  return { uploaded, total: files.length };
}
