/**
 * End to end, as an instructor runs it: `start --ci --target local` in a temporary workspace
 * passes every step, each step's checks failing before its change and passing after, and the
 * report holds the figures. (SIGINT mid-lab is start-ci-interrupt.test.ts: a file of its own, so
 * the runner can run the two whole labs side by side.)
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { removeWorkspace, runCli } from '../helpers/cli.js';
import type { LabReport } from '../../src/lab/report.js';
import { LAB_STEPS } from '../../src/steps/index.js';
import { labWorkspace, readJson } from './helpers.js';

const made: string[] = [];
after(async () => {
  for (const d of made) await removeWorkspace(d);
});

test('start --ci --target local passes every step; the report holds the checks before and after and the figures', async () => {
  const ws = await labWorkspace('sol-lab-ci-');
  made.push(ws);
  const reportFile = join(ws, 'report.json');
  // --speed 20, not --ci's 100: a minute of a shift lasts 3 s, so a loaded CI machine still sees
  // every 10 % step and version 4's first errors (after its cold start) within the shift
  const r = await runCli(['start', '--ci', '--target', 'local', '--speed', '20', '--workspace', ws, '--report', reportFile, '--json'], { timeoutMs: 600_000 });
  assert.equal(r.code, 0, r.stderr.slice(-3000));
  const report = readJson<LabReport>(reportFile);
  assert.deepEqual(JSON.parse(r.stdout), report, '--json prints the same report');
  assert.equal(report.outcome, 'passed');
  assert.equal(report.mode, 'ci');
  assert.equal(report.target, 'local');
  assert.deepEqual(report.steps.map((s) => s.id), LAB_STEPS.map((s) => s.id));
  for (const s of report.steps) {
    assert.equal(s.outcome, 'passed', `${s.id}: ${s.instructorMessage}`);
    assert.equal(s.assisted, true, s.id);
    assert.ok(s.after.every((c) => c.status === 'passed'), s.id);
    if (s.id !== 'wrap-up') assert.equal(s.preCheckFailedAsExpected, true, `${s.id}: its checks must fail before the change`);
    for (const c of [...(s.before ?? []), ...s.after]) assert.ok(c.aws, `${s.id}: ${c.name} names its aws command`);
  }
  const fig = Object.fromEntries(report.steps.map((s) => [s.id, s.figures]));
  assert.ok((fig.deploy!.labels as string[]).includes('Person'));
  assert.match(String(fig.deploy!.apiUrl), /^http:\/\/127\.0\.0\.1:\d+\/execute-api\/[a-z0-9]+\/Prod\/getinfo$/);
  // blue/green: 10 % steps seen on the way, then the flip; the answers came from both versions.
  // The lab sees a step by reading the alias between two shifts (3 s apart at --speed 20): a
  // machine that stalls the lab longer than that skips one in the view, so the test asks for
  // steps of 10 in order, not for all nine of them (which failed by timing alone)
  const weights = fig['blue-green']!.weightsSeen as number[];
  assert.equal(weights.at(-1), 100, JSON.stringify(weights));
  assert.ok(weights.length >= 2 && weights.every((w, i) => w % 10 === 0 && (i === 0 || w > weights[i - 1]!)), JSON.stringify(weights));
  assert.equal(fig['blue-green']!.status, 'Succeeded');
  assert.match(String(fig['blue-green']!.deploymentId), /^d-[0-9A-Z]{9}$/);
  // hooks and alarms: refused before any traffic moved; stopped by the forced alarm mid-shift; stopped by real errors
  assert.equal(fig['hooks-failing']!.errorCode, 'HOOK_EXECUTION_FAILURE');
  assert.deepEqual(fig['hooks-failing']!.weightsSeen, [0]);
  assert.equal(fig['hooks-alarm']!.errorCode, 'ALARM_ACTIVE');
  assert.match(String(fig['hooks-alarm']!.rollbackDeploymentId), /^d-/);
  assert.ok((fig['hooks-alarm']!.weightsSeen as number[]).some((w) => w > 0 && w < 100), 'the alarm was forced mid-shift');
  assert.equal(fig['hooks-errors']!.errorCode, 'ALARM_ACTIVE');
  assert.equal((fig['hooks-errors']!.weightsSeen as number[]).at(-1), 0, 'rolled back to the old version');
  const baseline = fig['concurrency-baseline']!.statusCounts as Record<string, number>;
  assert.deepEqual(Object.keys(baseline), ['200']);
  assert.equal(fig['concurrency-reserve']!.reserved, 25);
  const throttled = fig['concurrency-throttled']!.statusCounts as Record<string, number>;
  assert.ok((throttled['200'] ?? 0) > 0 && (throttled['500'] ?? 0) > 0, JSON.stringify(throttled));
  assert.equal((throttled['200'] ?? 0) + (throttled['500'] ?? 0), fig['concurrency-throttled']!.requests);
  assert.ok((fig['concurrency-throttled']!.peakConcurrency as number) <= 25);
  assert.ok((fig['concurrency-throttled']!.localPeak as number) <= 25);
  assert.ok(report.instructorNotes.some((n) => /--ci runs -n \d+ -c \d+ instead of the workshop's -n 1000 -c 50/.test(n)));

  // everything done: a second run re-checks the last step and has nothing to do
  const again = await runCli(['start', '--ci', '--workspace', ws], { timeoutMs: 120_000 });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /every step is done/);
  // said once: no "nothing to do; … all N steps of the lab are done" under it
  assert.doesNotMatch(again.stdout, /nothing to do|steps of the lab are done/);
  const list = await runCli(['list', '--workspace', ws, '--json']);
  assert.ok((JSON.parse(list.stdout) as { steps: { status: string }[] }).steps.every((s) => s.status === 'assisted'));
});
