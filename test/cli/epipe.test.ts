/** A reader that stops early (`serverless-ops-lab --help | head -1`): the output ends, no stack trace, exit 0. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { CLI } from '../helpers/cli.js';

test('--help into a pipe closed after its first bytes: exit 0, nothing on stderr', async () => {
  const child = spawn(process.execPath, [CLI, '--help']);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // like `head -c 1`: read a little, then close the pipe while the CLI may still be writing
  child.stdout.once('data', () => child.stdout.destroy());
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|^\s+at /m);
});
