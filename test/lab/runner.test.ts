/**
 * The runner's resume and the solver path's "already done", with fake steps whose checks read a
 * fake cloud: a done step stays done once a later step has begun (its change legitimately alters
 * what the earlier checks see); a disagreeing re-check is a warning unless the lab's app is gone
 * from the cloud; under --ci a step whose work is in the cloud before the run is recorded as done,
 * while a step whose checks pass right after the lab's own change of the step before is still a
 * lab defect.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../src/errors.js';
import { notYet, passed } from '../../src/lab/check.js';
import type { RunnerContext } from '../../src/lab/context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { runLab } from '../../src/lab/runner.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { fakeContext } from '../helpers/lab-context.js';
import { fakeStep, type FakeCloud } from '../helpers/fake-step.js';
import { readyLine } from '../../src/commands/start.js';

type Cloud = FakeCloud;

function setup(ids: readonly string[], status: Record<string, 'started' | 'done'>, cloud: Cloud, repairCloud?: RunnerContext['repairCloud']) {
  const root = mkdtempSync(join(tmpdir(), 'fix-resume-runner-'));
  const ws = workspacePaths(root);
  const progress = ProgressStore.load(ws, 'local');
  for (const [id, st] of Object.entries(status)) progress.update(id, (s) => void (s.status = st));
  const applied: string[] = [];
  const steps = ids.map((id) => fakeStep(id, cloud, applied));
  const ctx = Object.assign(fakeContext({ ws, ci: true, ...(repairCloud ? { repairCloud } : {}) }), { stepId: '', assisting: true }) as unknown as RunnerContext & { io: import('../../src/io/recording.js').RecordingIoHost };
  const run = () => runLab({ steps, ctx, progress, reference: new ReferenceBook([]), assisted: false, version: 'test', workspace: root });
  const lines = () => ctx.io.events.map((e) => e.text).join('\n');
  const events = () => ctx.io.events;
  return { progress, applied, steps, run, lines, events, ctx, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

test('resume: a done step stays done, without a re-check, once the step after it has begun (its change alters what the earlier checks see)', async (t) => {
  // Ctrl-C in canary-create: the 10 % canary makes canary-stage-variable's "all through live" fail
  const cloud: Cloud = { app: true, variable: false, canary: true };
  const s = setup(['app', 'variable', 'canary', 'rollback'], { app: 'done', variable: 'done', canary: 'started' }, cloud);
  t.after(s.cleanup);
  const report = await s.run();
  assert.equal(report.outcome, 'passed');
  assert.equal(s.progress.step('variable').status, 'done');
  assert.doesNotMatch(s.lines(), /disagree|otherwise|doing variable again/);
  assert.deepEqual(s.applied, ['rollback'], 'canary finished while the lab was stopped; nothing earlier is redone');
  assert.match(s.lines(), /canary done \(finished while the lab was stopped\)/);
});

test('resume: a re-check that disagrees while the app still answers is a warning; the step stays done and is not redone', async (t) => {
  // hooks-failing done, the learner deployed hooks-alarm's files with `deploy`: the latest release Succeeded
  const cloud: Cloud = { app: true, failing: false };
  const s = setup(['app', 'failing', 'alarm'], { app: 'done', failing: 'done' }, cloud);
  t.after(s.cleanup);
  const report = await s.run();
  assert.equal(report.outcome, 'passed');
  assert.equal(s.progress.step('failing').status, 'done');
  assert.match(s.lines(), /warning: progress says failing is done, but the cloud now shows otherwise/);
  assert.match(s.lines(), /failing stays done/);
  // what differs, but not the step's hints: they tell how to pass a step the learner is doing
  const shown = s.events().filter((e) => e.kind === 'check').map((e) => e.data as { name: string; hint?: string });
  assert.deepEqual(shown.filter((c) => c.name === 'failing holds').map((c) => c.hint), [undefined]);
  assert.deepEqual(s.applied, ['alarm'], 'the done step is not solved (nor its files rewritten) again');
  assert.deepEqual(report.steps.map((r) => r.id), ['alarm']);
});

test('resume after `reset STEP`: what the reset steps left in the cloud is said as theirs, not as a change of the learner\'s; a step done again after the reset is re-checked as before', async (t) => {
  // reset hooks-alarm after hooks-errors: hooks-errors' release, stopped by its alarm, is the newest
  // deployment, and hooks-failing's "the hook refused the release" sees it
  const cloud: Cloud = { app: true, failing: false, alarm: true, errors: true };
  const s = setup(['app', 'failing', 'alarm', 'errors'], { app: 'done', failing: 'done', alarm: 'done', errors: 'started' }, cloud);
  t.after(s.cleanup);
  s.progress.clear(['alarm', 'errors']);
  assert.deepEqual(s.progress.undone?.steps, ['alarm', 'errors']);
  const report = await s.run();
  assert.equal(report.outcome, 'passed');
  assert.equal(s.progress.step('failing').status, 'done');
  assert.doesNotMatch(s.lines(), /cloud now shows otherwise|warning/);
  assert.match(s.lines(), /failing's checks now see what alarm and errors left in the cloud before the reset made them pending again \(no\)/);
  assert.match(s.lines(), /a reset puts back files and progress, not the cloud; failing stays done/);
  assert.deepEqual(report.steps.map((r) => r.id), ['alarm', 'errors']);
  // more than two undone: the first named, the rest counted (a reset of hooks-alarm undoes eleven)
  const many = setup(['app', 'failing', 'a', 'b', 'c'], { app: 'done', failing: 'done', a: 'done', b: 'done', c: 'done' }, { app: true, failing: false, a: true, b: true, c: true });
  t.after(many.cleanup);
  many.progress.clear(['a', 'b', 'c']);
  await many.run();
  assert.match(many.lines(), /failing's checks now see what a and the 2 steps after it left in the cloud before the reset made them pending again/);
  // failing done again after that reset: its re-check is its own again, and disagrees as before
  s.progress.clear(['alarm', 'errors']);
  s.progress.update('failing', (p) => void (p.doneAt = new Date(Date.now() + 60_000).toISOString()));
  await s.run();
  assert.match(s.lines(), /warning: progress says failing is done, but the cloud now shows otherwise/);
});

test('resume: what the next step puts back as it begins is left out of the re-check: no false alarm before the lab restores it', async (t) => {
  // reset canary-rollback, then start: the create step's canary is gone, and the rollback's prepare puts it back
  const cloud: Cloud = { app: true, canary: false };
  const s = setup(['app', 'canary', 'rollback'], { app: 'done', canary: 'done' }, cloud);
  t.after(s.cleanup);
  const rollback = s.steps[2]!;
  s.steps[2] = { ...rollback, restoresFromPrevious: ['canary holds'], prepare: async () => void (cloud.canary = true) };
  const report = await s.run();
  assert.equal(report.outcome, 'passed');
  assert.match(s.lines(), /resuming after canary: checking that the cloud still agrees/);
  assert.doesNotMatch(s.lines(), /otherwise|canary stays done/);
  assert.deepEqual(s.applied, ['rollback']);
});

test('resume: when the cloud lost the lab app, the first step (the deploy) is done again, then the lab goes on', async (t) => {
  const s = setup(['app', 'failing', 'alarm'], { app: 'done', failing: 'done' }, {});
  t.after(s.cleanup);
  const report = await s.run();
  assert.equal(report.outcome, 'passed');
  assert.match(s.lines(), /the cloud no longer holds the lab's app/);
  assert.deepEqual(s.applied, ['app', 'alarm'], 'the deploy again, then the next step; the done step in between is not redone');
  assert.equal(s.progress.step('failing').status, 'done');
  assert.equal(s.progress.step('app').status, 'done');
});

test('resume: an app that is there but answers 5xx (a reservation of 0) is not "gone": no deploy again, what is wrong is said with its fix, and the learner stays at their step', async (t) => {
  // reset concurrency-throttled, put-function-concurrency … 0, start: it said "the cloud no longer
  // holds the lab's app" and did the deploy step again, whose check could never pass
  const cloud: Cloud = { app: true, reserve: false, throttled: false };
  const s = setup(['app', 'reserve', 'throttled'], { app: 'done', reserve: 'done' }, cloud);
  t.after(s.cleanup);
  const zero = 'the function\'s reserved concurrency is 0, so Lambda throttles every call to it';
  s.steps[0] = {
    ...s.steps[0]!,
    liveChecks: [
      { name: 'app exists', aws: (c) => c.aws('get app'), run: async () => passed('Lambda version 1') },
      { name: 'app answers', aws: (c) => c.aws('post app'), run: async () => ({ ...notYet('HTTP 200', 'HTTP 500', zero), serverError: 500 }) },
    ],
  };
  const report = await s.run();
  assert.equal(report.outcome, 'passed');
  assert.doesNotMatch(s.lines(), /no longer holds the lab's app|doing app again/);
  assert.match(s.lines(), /warning: progress says reserve is done, and the lab's app is in the cloud, but it fails/);
  assert.match(s.lines(), /reserve stays done and the lab goes on with throttled/);
  const shown = s.events().filter((e) => e.kind === 'check').map((e) => e.data as { name: string; hint?: string });
  assert.deepEqual(shown.find((c) => c.name === 'app answers')?.hint, zero, 'the cause and its command, shown');
  assert.deepEqual(s.applied, ['throttled'], 'the deploy step is not done again');
  assert.equal(s.progress.step('app').status, 'done');
});

test('start: what the cloud lost of the last deploy and the lab put back is said before any step; the begun step goes on', async (t) => {
  // lambda.json moved away in blue-green, before its deploy: the function is back as the deploy step left it
  const s = setup(['app', 'green', 'next'], { app: 'done', green: 'started' }, { app: true }, async () => ({ repaired: 'the cloud no longer holds what the last deploy left: fn: no such function. Re-created …' }));
  t.after(s.cleanup);
  const report = await s.run();
  assert.equal(report.outcome, 'passed');
  assert.match(s.lines(), /warning: the cloud no longer holds what the last deploy left: fn: no such function/);
  assert.match(s.lines(), /nothing of your sam-app\/ changed: green goes on from the state your last deploy left/);
  assert.deepEqual(s.applied, ['green', 'next'], 'nothing earlier is redone');
});

test('start: what the cloud lost cannot be put back while a step has begun: the run stops at once with the reset that gets out', async (t) => {
  // going on would deploy the learner's edited files as a new function's version 1, with nothing to shift from
  const s = setup(['app', 'green', 'next'], { app: 'done', green: 'started' }, {}, async () => ({ cannot: 'the cloud no longer holds what the last deploy left (fn: no such function), and no copy was kept' }));
  t.after(s.cleanup);
  await assert.rejects(s.run(), (err: LabError) => {
    assert.match(err.message, /^the cloud no longer holds what the last deploy left \(fn: no such function\)/);
    assert.match(err.hint ?? '', /`[^`]*cli\.js reset green --workspace \S+fix-resume-runner-\S+` puts green's files back as the step starts .* then `[^`]*(cli\.js start|npm start --) --workspace \S+` deploys them again/);
    return true;
  });
  assert.deepEqual(s.applied, [], 'nothing deployed');
  assert.equal(s.progress.step('green').status, 'started');
  assert.equal(s.progress.step('app').status, 'done');
});

test('start: what the cloud lost cannot be put back, no step begun: said, and the resume deploys sam-app/ again', async (t) => {
  const s = setup(['app', 'next'], { app: 'done' }, {}, async () => ({ cannot: 'the cloud no longer holds what the last deploy left (fn: no such function), and no copy was kept' }));
  t.after(s.cleanup);
  const report = await s.run();
  assert.equal(report.outcome, 'passed');
  assert.match(s.lines(), /no copy was kept: the deploy step creates it again from your sam-app\/ as it is/);
  assert.deepEqual(s.applied, ['app', 'next']);
});

test('resume after the first step only: a wiped cloud means that step again (as before)', async (t) => {
  const s = setup(['app', 'next'], { app: 'done' }, {});
  t.after(s.cleanup);
  await s.run();
  assert.match(s.lines(), /doing app again/);
  assert.deepEqual(s.applied, ['app', 'next']);
});

test('--ci: a step whose work is in the cloud before the run (`deploy`, then `start --ci`) is recorded as done, and the run goes on', async (t) => {
  // no progress at all (or a deleted progress.json), the app deployed by the learner
  const s = setup(['app', 'next'], {}, { app: true });
  t.after(s.cleanup);
  const report = await s.run();
  assert.equal(report.outcome, 'passed', JSON.stringify(report.steps.map((r) => r.instructorMessage)));
  assert.match(s.lines(), /✓ app done \(already done in the cloud: recorded as done\)/);
  assert.doesNotMatch(s.lines(), /lab defect/);
  assert.deepEqual(s.applied, ['next']);
  assert.equal(s.progress.step('app').status, 'done');
  assert.equal(s.progress.step('app').assisted, false, 'the learner did it');
});

test('--ci: a step whose checks pass right after the lab solved the step before is still a lab defect', async (t) => {
  // "next" holds before its change, in the state the lab's own change of "app" made: its checks prove nothing
  const s = setup(['app', 'next'], {}, { next: true });
  t.after(s.cleanup);
  const report = await s.run();
  assert.equal(report.outcome, 'failed');
  assert.match(report.steps.at(-1)!.instructorMessage!, /lab defect: every check of next passes before its change/);
});

test('--ci: a step\'s afterPass runs once it has passed (found done, or solved), never when it failed', async (t) => {
  const after: string[] = [];
  const s = setup(['app', 'next', 'last'], {}, { app: true, last: true });
  t.after(s.cleanup);
  const withAfter = s.steps.map((step) => Object.assign(step, { afterPass: async () => void after.push(step.id) }));
  const report = await s.run();
  // app: done in the cloud already; next: solved by the lab; last: passes after the lab's change of next, a lab defect
  assert.equal(report.outcome, 'failed');
  assert.equal(withAfter.length, 3);
  assert.deepEqual(after, ['app', 'next']);
});

test('--ci in a workspace with progress says it goes on from step N and does not run 1..N-1; the closing line says what it checked, not "ready"', async (t) => {
  // an instructor's `start --ci` in a learner's workspace stopped at step 3: it ran 3-4 and said
  // "ready for the class: all 4 steps of the lab pass on this machine", with no word of 1-2
  const cloud: Cloud = { app: true, variable: true, canary: false, rollback: false };
  const s = setup(['app', 'variable', 'canary', 'rollback'], { app: 'done', variable: 'done' }, cloud);
  t.after(s.cleanup);
  const report = await s.run();
  assert.equal(report.outcome, 'passed');
  assert.deepEqual(s.applied, ['canary', 'rollback']);
  assert.match(s.lines(), /this workspace has progress: --ci goes on from step 3 \(canary\); steps 1–2 were done before and are not run in this run\. To check the whole lab, use a fresh workspace: .* start (-- )?--ci --workspace '?<a new folder>'?/);
  const ids = ['app', 'variable', 'canary', 'rollback'];
  const ran = report.steps.filter((r) => r.outcome === 'passed').map((r) => r.id);
  const closing = readyLine(ran, ids, 'local', '/ws');
  assert.doesNotMatch(closing ?? '', /ready for the class/);
  assert.match(closing ?? '', /^not a check of the whole lab: steps 3–4 pass on this machine in this run; steps 1–2 were done before it \(progress\.json\) and not run in it\. To check every step: .* start (-- )?--ci --workspace/);
});

test('--ci from a fresh workspace says nothing of progress', async (t) => {
  const cloud: Cloud = { app: false, variable: false };
  const s = setup(['app', 'variable'], {}, cloud);
  t.after(s.cleanup);
  const report = await s.run();
  assert.equal(report.outcome, 'passed');
  assert.doesNotMatch(s.lines(), /has progress/);
  assert.equal(readyLine(report.steps.map((r) => r.id), ['app', 'variable'], 'local', '/ws'), 'ready for the class: all 2 steps of the lab pass on this machine');
});

test('--ci after `reset STEP`: an edit step whose files are back at its start is made again, though the cloud still passes its checks; with the change in its files it is recorded as done', async (t) => {
  // reset hooks-alarm, then start --ci: the cloud kept the alarm's release (stopped, rolled back),
  // but template.yaml was back to the failing hook with no alarm, and hooks-errors deployed that
  const root = mkdtempSync(join(tmpdir(), 'fix-reset-files-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const START = 'Hook: Failed\n';
  const AFTER = 'Hook: Succeeded\nAlarms: [Errors]\n';
  for (const [dir, text] of [['bundled', START], [join('templates', 'alarm'), AFTER]] as const) {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, 'template.yaml'), text);
  }
  const book = new ReferenceBook([{ stepId: 'alarm', files: ['template.yaml'] }], { templates: join(root, 'templates'), bundled: join(root, 'bundled') });
  const runWith = async (files: string) => {
    const s = setup(['app', 'alarm', 'errors'], { app: 'done' }, { app: true, alarm: true });
    t.after(s.cleanup);
    const ctx = Object.assign(s.ctx, { reference: book });
    const alarm = s.steps[1]!;
    Object.assign(alarm, {
      action: { kind: 'edit', file: 'template.yaml' },
      solve: { show: async () => ({}), apply: async () => void (s.applied.push('alarm'), writeFileSync(join(ctx.ws.samApp, 'template.yaml'), AFTER)) },
    });
    mkdirSync(ctx.ws.samApp, { recursive: true });
    writeFileSync(join(ctx.ws.samApp, 'template.yaml'), files);
    const report = await s.run();
    return { s, report, ctx };
  };

  const reset = await runWith(START);
  assert.equal(reset.report.outcome, 'passed', JSON.stringify(reset.report.steps.map((r) => r.instructorMessage)));
  assert.deepEqual(reset.s.applied, ['alarm', 'errors'], 'the change is made again, then the step after it');
  assert.match(reset.s.lines(), /every check of the cloud passes, but sam-app\/template\.yaml is back at this step's start \(as reset left it\): the lab makes the change again/);
  assert.doesNotMatch(reset.s.lines(), /already done in the cloud|lab defect/);
  assert.equal((reset.ctx as unknown as { deploys: number }).deploys, 1);
  assert.equal(readFileSync(join(reset.ctx.ws.samApp, 'template.yaml'), 'utf8'), AFTER);
  assert.equal(reset.s.progress.step('alarm').assisted, true);

  // the learner's files hold the change (deployed outside the lab): done from the cloud, as before
  const done = await runWith(AFTER);
  assert.deepEqual(done.s.applied, ['errors']);
  assert.match(done.s.lines(), /✓ alarm done \(already done in the cloud: recorded as done\)/);
  assert.equal((done.ctx as unknown as { deploys: number }).deploys, 0);
});

test('a catch-up on a terminal that did not pass: what the lab found is said to the learner as such, not "for the instructor"; --ci keeps that line', async (t) => {
  for (const ci of [false, true]) {
    const s = setup(['app', 'next'], {}, {});
    t.after(s.cleanup);
    // app's reference change does not hold: its checks after the change fail
    s.steps[0]!.solve = { ...s.steps[0]!.solve!, apply: async () => {} };
    Object.assign(s.ctx, { ci });
    const report = await runLab({ steps: s.steps, ctx: s.ctx, progress: s.progress, reference: new ReferenceBook([]), assisted: false, version: 'test', workspace: s.ctx.ws.root, from: 'next' });
    assert.equal(report.outcome, 'failed');
    const line = s.lines().split('\n').find((l) => l.includes('after the reference change, app holds')) ?? '';
    assert.match(line, ci ? /^for the instructor: / : /^what the lab found: /, s.lines());
  }
});
