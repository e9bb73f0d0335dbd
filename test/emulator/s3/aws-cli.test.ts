import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli, skipWithoutAws, stopAwsCli } from '../../helpers/aws-cli.js';
import { startTestEmulator } from '../../helpers/emulator.js';

// the aws CLI driver this file's calls started (see test/helpers/aws-cli.ts), ended by its PID
after(stopAwsCli);

/** The aws CLI (v1, botocore: rest-xml, path style, Expect: 100-continue) against the emulator. */

test('aws s3 cp up and down, s3api list-objects-v2 with its encoding-type=url, and an error', { skip: skipWithoutAws }, async () => {
  const emu = await startTestEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'sol-cli-'));
  try {
    const file = join(dir, 'hello.txt');
    writeFileSync(file, 'hello from the cli\n');
    const mb = await awsCli(emu.endpoint, ['s3api', 'create-bucket', '--bucket', 'cli-bkt']);
    assert.equal(mb.code, 0, mb.stderr);

    const up = await awsCli(emu.endpoint, ['s3', 'cp', file, 's3://cli-bkt/dir/a b+c.txt']);
    assert.equal(up.code, 0, up.stderr);

    const list = await awsCli(emu.endpoint, ['s3api', 'list-objects-v2', '--bucket', 'cli-bkt']);
    assert.equal(list.code, 0, list.stderr);
    const parsed = JSON.parse(list.stdout) as { Contents: { Key: string; Size: number; ETag: string }[] };
    assert.deepEqual(parsed.Contents.map((o) => [o.Key, o.Size]), [['dir/a b+c.txt', 19]]);

    const down = await awsCli(emu.endpoint, ['s3', 'cp', 's3://cli-bkt/dir/a b+c.txt', '-']);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(down.stdout, 'hello from the cli\n');

    const missing = await awsCli(emu.endpoint, ['s3api', 'get-object', '--bucket', 'cli-bkt', '--key', 'nope', join(dir, 'out')]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NoSuchKey/);
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
