/**
 * `start --ci --speed N` (or `step … --ci --speed N`) in a learner's workspace restarts the
 * learner's running cloud at N. It left it there: the learner's next `start` reused a cloud at the
 * instructor's speed. The run now starts it again as it ran before (its speed, port, throttle
 * status), and says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeWorkspace, runCli } from '../helpers/cli.js';
import { readRecord } from '../../src/emulator/process-record.js';

test('--ci that restarted a learner\'s cloud at its --speed puts the cloud back at the speed it ran at, on its port', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-ci-speed-'));
  t.after(() => removeWorkspace(dir));
  const started = await runCli(['emulator', 'start', '--workspace', dir, '--speed', '10', '--throttle-status', '502', '--json']);
  assert.equal(started.code, 0, started.stderr);
  const learner = JSON.parse(started.stdout) as { port: number; pid: number };

  const ci = await runCli(['step', 'deploy', '--ci', '--speed', '100', '--workspace', dir]);
  const out = `${ci.stdout}${ci.stderr}`;
  assert.equal(ci.code, 0, out);
  assert.match(out, /restarting the local cloud at speed 100x \(it ran at 10x\); it runs at 10x again once this run ends/);
  assert.match(out, /the local cloud runs at speed 10x again, as before this run \(restarted at http:\/\/127\.0\.0\.1:\d+, pid \d+\)/);

  const rec = readRecord(join(dir, '.lab', 'state'));
  assert.ok(rec, 'the cloud runs');
  assert.deepEqual([rec.speed, rec.port, rec.throttleStatus], [10, learner.port, 502]);
});
