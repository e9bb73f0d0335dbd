/**
 * A real SIGINT to `deploy` while its background emulator starts (the QA run's ~0.5 s Ctrl-C):
 * exit 130 with a message, no stale start lock, nothing recorded; the next deploy finishes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, removeWorkspace, runCli } from '../helpers/cli.js';

let ws: string;
before(() => {
  ws = mkdtempSync(join(tmpdir(), 'sol-sigint-'));
});
after(async () => {
  await removeWorkspace(ws);
});

test('SIGINT during the emulator start: exit 130, "interrupted", no emulator-start.lock, no record; deploy again works', async () => {
  const child = spawn(process.execPath, [CLI, 'deploy', '--workspace', ws], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.stderr.on('data', (d: Buffer) => {
    const first = stderr === '';
    stderr += d;
    // the first progress line comes just before the emulator is started
    if (first) child.kill('SIGINT');
  });
  const r = await exited;
  clearTimeout(killer);

  assert.deepEqual(r, { code: 130, signal: null }, stderr);
  assert.match(stderr, /stopping at the next safe point/);
  assert.match(stderr, /^(error: )?deploy interrupted .*: run deploy again/m);
  assert.doesNotMatch(stderr, /    at /);
  assert.equal(stdout, '');
  assert.ok(!existsSync(join(ws, '.lab', 'state', 'emulator-start.lock')), 'stale start lock');
  assert.ok(!existsSync(join(ws, '.lab', 'deploy.json')));

  const again = await runCli(['deploy', '--workspace', ws]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^ApiUrl: /m);
});
