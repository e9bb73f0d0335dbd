/**
 * `emulator status` names the throttle status the cloud was started with, beside its speed, when it
 * is not the default (500): a learner who restarted it with `--throttle-status 502` can check that
 * it took. The default is not shown.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusLine } from '../../src/commands/emulator.js';
import { removeWorkspace, runCli } from '../helpers/cli.js';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await removeWorkspace(dir);
});

const record = { endpoint: 'http://127.0.0.1:4566', pid: 42, mode: 'background' as const, speed: 10, startedAt: '2026-12-03T18:00:00.000Z' };

test('the status line shows a throttle status of 502 beside the speed, and says nothing of the default 500', () => {
  assert.equal(statusLine({ ...record, throttleStatus: 502 }), 'http://127.0.0.1:4566 pid 42 (background, speed 10, throttle status 502, since 2026-12-03T18:00:00.000Z)');
  assert.equal(statusLine({ ...record, throttleStatus: 500 }), 'http://127.0.0.1:4566 pid 42 (background, speed 10, since 2026-12-03T18:00:00.000Z)');
});

test('a cloud started with --throttle-status 502: emulator status says so', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'sol-emustatus-'));
  dirs.push(ws);
  const start = await runCli(['emulator', 'start', '--workspace', ws, '--port', '0', '--throttle-status', '502']);
  assert.equal(start.code, 0, start.stderr);
  const status = await runCli(['emulator', 'status', '--workspace', ws]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^http:\/\/127\.0\.0\.1:\d+ pid \d+ \(background, speed 1, throttle status 502, since \S+\)\n$/);
});
