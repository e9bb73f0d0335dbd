import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/src/cli.js');
const tracer = join(root, 'test/fixtures/trace-loads.mjs');

async function loadsOf(args: string[]): Promise<{ stdout: string; loaded: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sol-startup-'));
  const file = join(dir, 'loads.txt');
  try {
    const { stdout } = await run(process.execPath, ['--import', tracer, cli, ...args], {
      env: { ...process.env, TRACE_LOADS_FILE: file },
    });
    return { stdout, loaded: readFileSync(file, 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const args of [['--help'], ['--version'], ['loadtest', '--help']]) {
  test(`${args.join(' ')} loads no AWS SDK and no emulator code`, async () => {
    const { stdout, loaded } = await loadsOf(args);
    assert.ok(stdout.length > 0);
    const heavy = loaded.filter((u) => /@aws-sdk|@smithy|\/dist\/src\/(emulator|target|template|loadtest)\//.test(u));
    assert.deepEqual(heavy, []);
    assert.ok(loaded.some((u) => u.includes('commander')), 'the tracer saw the modules that were loaded');
  });
}

test('--version prints the package version', async () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const { stdout } = await run(process.execPath, [cli, '--version']);
  assert.equal(stdout.trim(), pkg.version);
});

test('an unknown command or flag prints usage and exits 2, with no stack trace', async () => {
  for (const args of [['frobnicate'], ['--frobnicate'], ['loadtest']]) {
    const err = await run(process.execPath, [cli, ...args]).then(
      () => assert.fail(`${args.join(' ')} should fail`),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(err.code, 2, args.join(' '));
    assert.match(err.stderr, /error|usage/i);
    assert.doesNotMatch(err.stderr, /\n\s+at /, 'no stack trace');
  }
});
