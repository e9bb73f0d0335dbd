/**
 * End to end, as an instructor runs it: `start --ci --target local` in a temporary workspace,
 * interrupted by SIGINT once the second step has begun (exit 130, progress saved, the resume line),
 * then `start --ci` again, which goes on at that step and passes every step: each step's checks
 * failing before its change and passing after, the two reports holding the figures.
 *
 * One walk of the lab serves both: the interrupted run and its resume were two files, each walking
 * the whole lab (the suite's largest single cost after the emulator's process tests). An
 * uninterrupted `start --ci` from scratch is scripts/smoke.sh's, on Node 22 and 24 in .ci/run.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, removeWorkspace, runCli } from '../helpers/cli.js';
import type { LabProgress } from '../../src/lab/progress.js';
import type { LabReport } from '../../src/lab/report.js';
import { LAB_STEPS } from '../../src/steps/index.js';
import { labWorkspace, readJson } from './helpers.js';

const made: string[] = [];
after(async () => {
  for (const d of made) await removeWorkspace(d);
});

/** `start --ci ARGS`, sent SIGINT once stdout shows `== Step 2 of` (mid-lab: the first step done, the second begun) */
async function startInterrupted(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI, 'start', '--ci', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  let sent = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d;
    if (!sent && /== Step 2 of/.test(out)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.on('data', (d: Buffer) => (err += d));
  const code = await exited;
  clearTimeout(killer);
  return { code, out, err };
}

test('start --ci --target local, interrupted by SIGINT mid-lab, exits 130 with progress saved; start --ci again goes on there and passes every step; the reports hold the checks before and after and the figures', async () => {
  const ws = await labWorkspace('sol-lab-ci-');
  made.push(ws);
  const progressFile = join(ws, '.lab', 'progress.json');
  const firstReport = join(ws, 'report-1.json');
  const reportFile = join(ws, 'report.json');
  // --speed 100, --ci's own (and scripts/smoke.sh's). It was 20 (a minute of a shift 3 s) so that a
  // loaded CI machine still saw every 10 % step and version 4's first errors (after its cold start)
  // within the shift; since then the live view paces the cloud's clock by its sampled answers
  // (steps/shared/cloud-time.ts: at most 10 cloud s past the last answer), which holds a shift's
  // minute until answers come back however loaded the machine: at 100 blue-green's shift takes
  // about 27 s (paced by version 2's 3 s answers) rather than 39 s.
  // As `npm start -- --ci --workspace WS` in a clone runs it (npm's variables): the resume line must
  // be one that runs there, where no `serverless-ops-lab` is on PATH
  const env = { ...process.env, npm_lifecycle_event: 'start', npm_package_name: 'serverless-ops-lab' };
  const first = await startInterrupted(['--target', 'local', '--speed', '100', '--workspace', ws, '--report', firstReport], env);
  const { out, err } = first;
  assert.equal(first.code, 130, `${out.slice(-2000)}\n${err}`);
  assert.match(out, /stopping at the next safe point/);
  assert.match(err, /interrupted after [\d.]+ s/);
  // the resume line as q prints it: `$ ` and the command on a line of its own
  const resume = /progress saved; this goes on from here:\n\S+ \$ npm start -- --ci --workspace (\S+)\n/.exec(out);
  assert.equal(resume?.[1], ws, out.slice(-2000));
  assert.doesNotMatch(err, /    at /);
  assert.ok(existsSync(progressFile));
  const progress = readJson<LabProgress>(progressFile);
  assert.equal(progress.steps.deploy?.status, 'done');
  assert.notEqual(progress.steps['wrap-up']?.status, 'done');
  // the interrupted run's report: the deploy passed, with its checks and figures; then it stopped
  const interrupted = readJson<LabReport>(firstReport);
  assert.equal(interrupted.outcome, 'interrupted');
  assert.equal(interrupted.steps[0]?.id, 'deploy');

  // the rest of the lab: deploy stays done without a re-check, and blue-green goes on
  const r = await runCli(['start', '--ci', '--target', 'local', '--speed', '100', '--workspace', ws, '--report', reportFile, '--json'], { timeoutMs: 600_000 });
  assert.equal(r.code, 0, r.stderr.slice(-3000));
  assert.doesNotMatch(r.stderr, /resuming after deploy|cloud disagrees|doing deploy again/);
  assert.match(r.stderr, /== Step 2 of/);
  const report = readJson<LabReport>(reportFile);
  assert.deepEqual(JSON.parse(r.stdout), report, '--json prints the same report');
  assert.equal(report.outcome, 'passed');
  assert.equal(report.mode, 'ci');
  assert.equal(report.target, 'local');
  assert.deepEqual(report.steps.map((s) => s.id), LAB_STEPS.slice(1).map((s) => s.id));
  assert.equal(readJson<LabProgress>(progressFile).steps['wrap-up']?.status, 'done');
  const steps = [interrupted.steps[0]!, ...report.steps];
  for (const s of steps) {
    assert.equal(s.outcome, 'passed', `${s.id}: ${s.instructorMessage}`);
    assert.equal(s.assisted, true, s.id);
    assert.ok(s.after.every((c) => c.status === 'passed'), s.id);
    if (s.id !== 'wrap-up') assert.equal(s.preCheckFailedAsExpected, true, `${s.id}: its checks must fail before the change`);
    for (const c of [...(s.before ?? []), ...s.after]) assert.ok(c.aws, `${s.id}: ${c.name} names its aws command`);
  }
  const fig = Object.fromEntries(steps.map((s) => [s.id, s.figures]));
  assert.ok((fig.deploy!.labels as string[]).includes('Person'));
  assert.match(String(fig.deploy!.apiUrl), /^http:\/\/127\.0\.0\.1:\d+\/execute-api\/[a-z0-9]+\/Prod\/getinfo$/);
  // blue/green: 10 % steps seen on the way, then the flip; the answers came from both versions.
  // The lab sees a step by reading the alias between two shifts (2-3 s apart, paced): a
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

  // everything done: a third --ci run would check nothing, and is refused (start-ci-all-done.test.ts)
  const again = await runCli(['start', '--ci', '--workspace', ws], { timeoutMs: 120_000 });
  assert.equal(again.code, 2, again.stderr);
  assert.match(again.stderr, /nothing to check: every step of/);
  const list = await runCli(['list', '--workspace', ws, '--json']);
  assert.ok((JSON.parse(list.stdout) as { steps: { status: string }[] }).steps.every((s) => s.status === 'assisted'));
});
