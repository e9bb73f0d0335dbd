/**
 * blue-green after a release that went out with another Type, against a local cloud: the learner
 * deployed Type: AllAtOnce with app version 2, the release Succeeded at once, then they fixed the
 * Type. Their code went out already, so a deploy starts no deployment: the lab says why, and
 * offers (d) or makes (a, --ci) a new version, as it does for the hooks steps; it was a dead end.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { RecordingIoHost } from '../../src/io/recording.js';
import { LiveLabContext } from '../../src/lab/live-context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { deployChange } from '../../src/lab/solver.js';
import type { Workspace } from '../../src/lab/workspace.js';
import { REFERENCE_ORDER } from '../../src/steps/index.js';
import { blueGreenStep } from '../../src/steps/blue-green.js';
import { deploymentGroup, deployments } from '../../src/steps/shared/codedeploy.js';
import { labCloudWorkspace, removeWorkspace } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { teachAlone } from '../helpers/live-lab.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
/** --ci's own speed: the ten shifts of a linear release last about 6 s */
const SPEED = 100;
const LINEAR = 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute';

let dir: string;
let ws: Workspace;
let endpoint: string;
/** the learner's release with Type: AllAtOnce, which went through */
let allAtOnce: DeploymentInfo;

function context(io: RecordingIoHost, progress: ProgressStore, ci: boolean): LiveLabContext {
  return new LiveLabContext({ io, ws, target: { kind: 'local', endpoint }, progress, reference: new ReferenceBook(REFERENCE_ORDER), ci, speed: SPEED, signal: new AbortController().signal });
}

const ended = (d: DeploymentInfo | undefined) => ['Succeeded', 'Failed', 'Stopped'].includes(d?.status ?? '');

async function newest(ctx: LiveLabContext): Promise<DeploymentInfo | undefined> {
  return (await deployments(ctx, deploymentGroup(ctx), undefined, 1))[0];
}

const template = () => join(ws.samApp, 'template.yaml');

before(async () => {
  ({ dir, ws, endpoint } = await labCloudWorkspace('blue-green-release', SPEED));
  const progress = ProgressStore.load(ws, 'local');
  const ctx = context(new RecordingIoHost(), progress, true);
  try {
    // the deploy step: app version 1, no DeploymentPreference
    await ctx.deploy();
    progress.update('deploy', (s) => void (s.status = 'done'));
    progress.update('blue-green', (s) => void (s.status = 'started'));
    // the learner's blue-green: app version 2, with Type: AllAtOnce
    copyFileSync(join(TEMPLATES, 'blue-green', 'src', 'app.mjs'), join(ws.samApp, 'src', 'app.mjs'));
    const reference = readFileSync(join(TEMPLATES, 'blue-green', 'template.yaml'), 'utf8');
    assert.match(reference, /Type: Linear10PercentEvery1Minute\n/);
    writeFileSync(template(), reference.replace('Type: Linear10PercentEvery1Minute', 'Type: AllAtOnce'));
    await ctx.deploy();
    allAtOnce = (await eventually('the AllAtOnce release ended', () => newest(ctx), ended))!;
    assert.equal(allAtOnce.status, 'Succeeded');
    assert.equal(allAtOnce.deploymentConfigName, 'CodeDeployDefault.LambdaAllAtOnce');
    // and they fix the Type
    writeFileSync(template(), reference);
  } finally {
    ctx.destroy();
  }
});

after(async () => {
  if (dir) await removeWorkspace(dir);
});

test('d after the Type is fixed: the lab says the code went out with AllAtOnce and offers a new version; on no, the check says what to do', async () => {
  const io = new RecordingIoHost({ answers: ['self', 'd', false, 'q'] });
  const progress = ProgressStore.load(ws, 'local');
  const ctx = context(io, progress, false);
  const report = await teachAlone(blueGreenStep, ctx, progress);
  assert.equal(report.quit, true);
  assert.equal(io.unanswered, 0);
  assert.ok(io.text.includes(`the deploy started no new release: the newest, ${allAtOnce.deploymentId}, ended Succeeded, and sam-app/ holds the version it released`), io.text);
  assert.equal(io.of('confirm').length, 1, io.text);
  assert.match(io.of('confirm')[0]!.text, /^make a new version \(the lab adds a comment line to your function's code\) and deploy again\?$/);
  assert.ok(io.text.includes("nothing released: change the function's code and deploy (d) when you want to release again"), io.text);
  assert.equal((await newest(ctx))?.deploymentId, allAtOnce.deploymentId, 'no means nothing is released');
  // the step's check names the release that went out with AllAtOnce, and how to release again
  const shift = io.checks.filter((c) => c.name === `a CodeDeploy deployment with ${LINEAR} Succeeded`).at(-1);
  assert.equal(shift?.status, 'not-yet');
  assert.ok(shift?.hint?.startsWith(`${allAtOnce.deploymentId} released app version 2 with CodeDeployDefault.LambdaAllAtOnce, not 10 % a minute: set Type: Linear10PercentEvery1Minute`), JSON.stringify(shift));
  assert.match(shift!.hint!, /press d and the lab offers to make that change\.$/);
});

test('yes releases a new version with the step\'s Type; the lab\'s own deploy (a, --ci) makes one without asking', async () => {
  const progress = ProgressStore.load(ws, 'local');
  const asked: string[] = [];
  const io = new RecordingIoHost();
  const ctx = context(io, progress, false);
  try {
    assert.equal(await deployChange(blueGreenStep, ctx, async (q) => (asked.push(q), true)), true);
    assert.equal(asked.length, 1);
    assert.match(io.text, /the lab added a line to sam-app\/src\/app\.mjs \(a comment: the code does what it did\), so that the function has a new version; deploying again/);
    const released = await eventually('the new release ended', () => newest(ctx), (d) => d?.deploymentId !== allAtOnce.deploymentId && ended(d));
    assert.equal(released?.status, 'Succeeded');
    assert.equal(released?.deploymentConfigName, LINEAR);
  } finally {
    ctx.destroy();
  }
  // --ci (no question to ask): the same, said, and no question
  const ci = new RecordingIoHost();
  const ciCtx = context(ci, progress, true);
  try {
    const last = await newest(ciCtx);
    assert.equal(await deployChange(blueGreenStep, ciCtx), true);
    assert.equal(ci.of('confirm').length, 0);
    assert.ok(ci.text.includes(`the deploy started no new release: the newest, ${last!.deploymentId}, ended Succeeded`), ci.text);
    const again = await eventually('the --ci release ended', () => newest(ciCtx), (d) => d?.deploymentId !== last!.deploymentId && ended(d));
    assert.equal(again?.deploymentConfigName, LINEAR);
    // one line of the lab's in the code, renewed rather than added twice
    assert.equal(readFileSync(join(ws.samApp, 'src', 'app.mjs'), 'utf8').match(/a new version made by the lab/g)?.length, 1);
  } finally {
    ciCtx.destroy();
  }
});
