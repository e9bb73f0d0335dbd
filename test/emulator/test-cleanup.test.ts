/**
 * The tests' last clean-up (helpers/cli.ts killProcessesUnder): a background cloud a test lost
 * track of is found by the temp dir it was given and ended; other processes are left alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killProcessesUnder, processGone, runCli } from '../helpers/cli.js';

const linux = process.platform === 'linux';

test('a cloud started under a temp dir and left running is found by that dir and ended; another dir\'s process is not', { skip: !linux && 'Linux only (/proc)' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-cleanup-'));
  const other = mkdtempSync(join(tmpdir(), 'sol-cleanup-other-'));
  // a process that names the other dir (and this dir's name as a prefix of it: no false match)
  const bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', JSON.stringify({ stateDir: join(other, 'state') }), `${dir}-not-it`], { stdio: 'ignore' });
  t.after(() => {
    if (!processGone(bystander.pid!)) bystander.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  });
  const started = await runCli(['emulator', 'start', '--state-dir', join(dir, 'state'), '--port', '0', '--json']);
  assert.equal(started.code, 0, started.stderr);
  const { pid } = JSON.parse(started.stdout) as { pid: number };
  assert.ok(!processGone(pid), 'the cloud runs');

  const killed = killProcessesUnder(dir);
  assert.deepEqual(killed, [pid]);
  const until = Date.now() + 10_000;
  while (!processGone(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  assert.ok(processGone(pid), 'the cloud is gone');
  assert.ok(!processGone(bystander.pid!), 'the process of the other dir runs on');
  bystander.kill('SIGKILL');
  await once(bystander, 'exit');
});
