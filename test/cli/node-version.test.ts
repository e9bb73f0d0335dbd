/**
 * On a Node older than package.json's engines the lab says so in one line and exits 3, before it
 * loads anything that Node cannot parse: on Node 18.20.8 every command but --help and --version
 * ended in a stack trace (`SyntaxError: Invalid regular expression flags`, string-width's /v
 * regex) with exit 1. A newer Node than engines names (25, 27) is not refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../../src/errors.js';
import { NODE_ENGINES, nodeTooOld } from '../../src/node-version.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/src/cli.js');
const tracer = join(root, 'test/fixtures/trace-loads.mjs');

test("the entry's Node versions are package.json's engines", () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
  assert.equal(NODE_ENGINES, pkg.engines.node);
});

test('a Node older than 20.12 is refused with the version found and the ones needed; 20.12 and newer are not', () => {
  assert.equal(nodeTooOld('18.20.8'), 'serverless-ops-lab needs Node.js 20.12+, 22, 24 or 26, not 18.20.8');
  for (const old of ['20.11.1', '20.0.0', '16.20.2', '8.17.0']) assert.ok(nodeTooOld(old)?.endsWith(`, not ${old}`), old);
  for (const ok of ['20.12.0', '20.20.0', '21.7.3', '22.0.0', '24.11.1', '25.2.0', '26.0.0']) assert.equal(nodeTooOld(ok), undefined, ok);
});

test('the built entry on a Node that says it is 18.20.8: one line, exit 3, and no module of the lab but the check loaded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-node-version-'));
  try {
    const fake = join(dir, 'node-18.mjs');
    writeFileSync(fake, "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '18.20.8' } });\n");
    const loads = join(dir, 'loads.txt');
    for (const args of [['--version'], ['list'], ['step', '2']]) {
      writeFileSync(loads, '');
      const r = await run(process.execPath, ['--import', fake, '--import', tracer, cli, ...args], { env: { ...process.env, TRACE_LOADS_FILE: loads }, cwd: dir }).then(
        () => assert.fail(`${args.join(' ')} ran`),
        (err: { code: number; stdout: string; stderr: string }) => err,
      );
      assert.equal(r.code, ExitCode.environment, args.join(' '));
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'error: serverless-ops-lab needs Node.js 20.12+, 22, 24 or 26, not 18.20.8\n');
      assert.ok(r.stderr.length <= 81, 'the line fits 80 columns');
      const ours = readFileSync(loads, 'utf8').split('\n').filter((u) => u.includes('/dist/src/'));
      assert.deepEqual(ours.map((u) => u.slice(u.indexOf('/dist/src/') + '/dist/src/'.length)).sort(), ['cli.js', 'node-version.js'], args.join(' '));
      assert.ok(!readFileSync(loads, 'utf8').includes('node_modules'), 'no dependency loaded');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
