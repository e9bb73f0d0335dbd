/**
 * Resume after the learner made hooks-alarm's change themselves and their release already went
 * through (Succeeded: the alarm was not forced in time), against a local cloud. The lab's
 * reference change then leaves sam-app/ as it is, and a deploy of it starts no CodeDeploy
 * deployment: the lab must say what happened, make a new version and release it, never call the
 * learner's state a lab defect.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { RecordingIoHost } from '../../src/io/recording.js';
import { LiveLabContext } from '../../src/lab/live-context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { runLab } from '../../src/lab/runner.js';
import type { Workspace } from '../../src/lab/workspace.js';
import { REFERENCE_ORDER, LAB_STEPS } from '../../src/steps/index.js';
import { deploymentGroup, deployments } from '../../src/steps/shared/codedeploy.js';
import { LIVE_AT_START } from '../../src/steps/hooks-alarms.js';
import { labCloudWorkspace, removeWorkspace } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { teachAlone } from '../helpers/live-lab.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
/** --ci's own speed: a minute of a shift lasts 0.6 s, the learner's release of ten shifts about 6 s */
const SPEED = 100;

let dir: string;
let ws: Workspace;
let endpoint: string;
/** the learner's release of hooks-alarm, which went through */
let learnerRelease: DeploymentInfo;

function copyFrom(step: string, file: string): void {
  mkdirSync(join(ws.samApp, file, '..'), { recursive: true });
  copyFileSync(join(TEMPLATES, step, file), join(ws.samApp, file));
}

function context(io: RecordingIoHost, progress: ProgressStore, ci: boolean): LiveLabContext {
  return new LiveLabContext({ io, ws, target: { kind: 'local', endpoint }, progress, reference: new ReferenceBook(REFERENCE_ORDER), ci, speed: SPEED, signal: new AbortController().signal });
}

async function released(ctx: LiveLabContext): Promise<DeploymentInfo> {
  await ctx.deploy();
  const id = ctx.lastDeployments?.[0]?.deploymentId;
  assert.ok(id, 'the deploy started a CodeDeploy deployment');
  const [d] = await eventually(`${id} ended`, () => deployments(ctx, deploymentGroup(ctx), undefined, 10).then((all) => all.filter((x) => x.deploymentId === id)), (all) => ['Succeeded', 'Failed', 'Stopped'].includes(all[0]?.status ?? ''));
  return d!;
}

before(async () => {
  ({ dir, ws, endpoint } = await labCloudWorkspace('resume-release', SPEED));
  const progress = ProgressStore.load(ws, 'local');
  const ctx = context(new RecordingIoHost(), progress, true);
  try {
    // the cloud as blue-green and hooks-failing leave it: the stack with its deployment group,
    // then version 3 released and refused by its hook
    copyFrom('hooks-failing', 'template.yaml');
    copyFrom('hooks-failing', 'hooks/pre-traffic.mjs');
    await ctx.deploy();
    copyFrom('hooks-failing', 'src/app.mjs');
    // the learner's app answers after 300 ms, not the lab's 3 s: the live view's sample traffic
    // paces the cloud's clock by its answers (cloud-time.ts, 8 in flight), and at 3 s an answer the
    // first test's view followed a ten-minute shift for about 37 s, which lasts 10 s at speed 60.
    // Nothing here is about the wait (hooks-alarm's checks read the template and the cloud)
    const app = join(ws.samApp, 'src', 'app.mjs');
    const lab = readFileSync(app, 'utf8');
    assert.match(lab, /^const WAIT_MS = 3000;$/m);
    writeFileSync(app, lab.replace(/^const WAIT_MS = 3000;$/m, 'const WAIT_MS = 300;'));
    const refused = await released(ctx);
    assert.equal(refused.status, 'Failed');
    for (const id of ['deploy', 'blue-green', 'hooks-failing']) progress.update(id, (s) => void (s.status = 'done'));
    progress.update('hooks-failing', (s) => void (s.figures.deploymentId = refused.deploymentId!));
    // the learner makes hooks-alarm's change, deploys it and lets it go through; then quits
    progress.update('hooks-alarm', (s) => {
      s.status = 'started';
      // what the step's prepare kept when the learner began it: "live" on version 1
      s.figures[LIVE_AT_START] = '1';
    });
    copyFrom('hooks-alarm', 'template.yaml');
    copyFrom('hooks-alarm', 'hooks/pre-traffic.mjs');
    learnerRelease = await released(ctx);
    assert.equal(learnerRelease.status, 'Succeeded');
  } finally {
    ctx.destroy();
  }
});

after(async () => {
  if (dir) await removeWorkspace(dir);
});

test('a learner resumed after their release of hooks-alarm went through presses d: the lab says why nothing is released, offers a new version, and releases it on yes', async () => {
  // d, yes (a new version), and once that release went through too, d again, no, and d once more, no
  const io = new RecordingIoHost({ answers: ['self', 'd', true, 'd', false, 'd', false, 'q'] });
  const progress = ProgressStore.load(ws, 'local');
  const ctx = context(io, progress, false);
  const report = await teachAlone(LAB_STEPS.find((s) => s.id === 'hooks-alarm')!, ctx, progress);
  assert.equal(report.quit, true);
  assert.equal(io.unanswered, 0);
  assert.ok(io.text.includes(`the deploy started no new release: the newest, ${learnerRelease.deploymentId}, ended Succeeded, and sam-app/ holds the version it released (that release went through before the lab deployed: made from your files before the lab stopped, most likely)`), io.text);
  assert.equal(io.of('confirm').length, 3);
  assert.match(io.of('confirm')[0]!.text, /make a new version .* and deploy again\?/);
  // released: a new deployment, which the view followed (the learner, not the lab, forces the alarm)
  const [newest] = await deployments(ctx, deploymentGroup(ctx), undefined, 1);
  assert.notEqual(newest?.deploymentId, learnerRelease.deploymentId);
  assert.ok(io.text.includes(`deployment ${newest!.deploymentId}`), io.text);
  assert.match(io.text, /The alarm exists now\. While traffic is moving, force it from another terminal: traffic shifts for about \d+ s here/, io.text);
  assert.doesNotMatch(io.text, /lab defect/);
  // nobody forced the alarm: this release went through too, and the check says how to release again
  const refused = io.checks.filter((c) => c.name === 'the alarm stopped the release').at(-1);
  assert.equal(refused?.status, 'not-yet');
  assert.ok(refused?.hint?.includes('deploying the same files starts none (only a new version of the function does)'), JSON.stringify(refused));
  const [last] = await deployments(ctx, deploymentGroup(ctx), undefined, 1);
  assert.equal(last?.status, 'Succeeded');
  // d again: the release the lab itself made in this run is not blamed on an earlier session; why it went through, and what to do
  const again = io.text.slice(io.text.lastIndexOf('the deploy started no new release'));
  assert.ok(again.startsWith(`the deploy started no new release: the newest, ${last!.deploymentId}, ended Succeeded, and sam-app/ holds the version it released (the lab deployed it earlier in this run). Only a new version of the function starts a deployment. It went through: the alarm's history shows no change to ALARM between the release's start and its end, so nothing forced it while traffic shifted`), again);
  assert.match(again, /To see the rollback, release a new version and, while its traffic shifts, force the alarm with the set-alarm-state command the lab prints\./);
  assert.doesNotMatch(again, /before the lab stopped/);
  // the d between them deployed and started nothing: the release is still the lab's own, said so both times
  const lab = io.text.split('the deploy started no new release').slice(1);
  assert.equal(lab.length, 3, io.text);
  for (const said of lab.slice(1)) assert.ok(said.startsWith(`: the newest, ${last!.deploymentId}, ended Succeeded, and sam-app/ holds the version it released (the lab deployed it earlier in this run)`), said);
  learnerRelease = last!;
});

test('--ci resumed after the learner\'s own release of hooks-alarm went through: the lab says so, releases a new version, and the step passes (no "lab defect")', async () => {
  const io = new RecordingIoHost();
  const progress = ProgressStore.load(ws, 'local');
  const ctx = context(io, progress, true);
  const app = () => readFileSync(join(ws.samApp, 'src', 'app.mjs'), 'utf8');
  const before = app();
  let report;
  try {
    report = await runLab({ steps: LAB_STEPS, ctx: Object.assign(ctx, { stepId: '', assisting: true }), progress, reference: new ReferenceBook(REFERENCE_ORDER), from: 'hooks-alarm', only: true, assisted: false, version: 'test', workspace: dir });
  } finally {
    ctx.destroy();
  }
  const step = report.steps.find((s) => s.id === 'hooks-alarm')!;
  assert.doesNotMatch(io.text, /lab defect/);
  assert.equal(step.outcome, 'passed', `${step.learnerMessage} / ${step.instructorMessage}\n${io.text}`);
  // what happened, and what the lab does about it
  assert.ok(io.text.includes(`the deploy started no new release: the newest, ${learnerRelease.deploymentId}, ended Succeeded`), io.text);
  assert.match(io.text, /Only a new version of the function starts a deployment\.\n?.*the lab added a line to sam-app\/src\/app\.mjs \(a comment/s);
  // the learner's code is kept: one comment line of the lab's, nothing else (renewed, not added twice)
  const unmarked = (text: string) => text.replace(/^\/\/ a new version made by the lab .*\n/m, '');
  assert.equal(unmarked(app()), unmarked(before));
  assert.equal(app().match(/a new version made by the lab/g)?.length, 1);
  assert.notEqual(app(), before);
  assert.equal(progress.step('hooks-alarm').status, 'done');
  assert.equal(progress.step('hooks-alarm').assisted, true);
});
