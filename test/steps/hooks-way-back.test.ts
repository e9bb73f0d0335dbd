/**
 * "Do it for me" and the checks of the hooks chapter from the states a learner reaches on their
 * own, against a local cloud (AllAtOnce: a release ends at once, with no shift to wait for):
 *   - hooks-alarm after the learner wrote their own hook in hooks-failing, one that hard-codes
 *     `status: 'Failed'` and never reads HOOK_STATUS (files only, no cloud);
 *   - hooks-errors after a version that returns 500 went through and the one that throws rolled
 *     back onto it ("live" broken): the lab's own way back, and `a` from there.
 * The cloud's clock runs 10,000 times slower: a forced ALARM holds (no evaluation ends it), so a
 * release made while it is forced is stopped before it starts, as a state, never a race.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { RecordingIoHost } from '../../src/io/recording.js';
import { runLiveChecks, type CheckResult } from '../../src/lab/check.js';
import { LiveLabContext } from '../../src/lab/live-context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { deployChange } from '../../src/lab/solver.js';
import { scaffoldWorkspace, workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { alarmRollbackStep, errorsRollbackStep } from '../../src/steps/hooks-alarms.js';
import { REFERENCE_ORDER } from '../../src/steps/index.js';
import { errorsAlarmName } from '../../src/steps/shared/alarms.js';
import { askApp } from '../../src/steps/shared/app.js';
import { deploymentGroup, deployments } from '../../src/steps/shared/codedeploy.js';
import { removeWorkspace } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { fakeContext } from '../helpers/lab-context.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
const template = (step: string) => readFileSync(join(TEMPLATES, step, 'template.yaml'), 'utf8').replace('Type: Linear10PercentEvery1Minute', 'Type: AllAtOnce');
const SPEED = 0.0001;

/** the simplest hook hooks-failing asks for: it reports Failed, whatever the template says */
const OWN_HOOK = `import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
const codedeploy = new CodeDeployClient({});
export const handler = async (event) => {
  await codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand({ deploymentId: event.DeploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, status: 'Failed' }));
};
`;

async function cloud(prefix: string, edit: (samApp: string) => void, reference = new ReferenceBook(REFERENCE_ORDER)) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ws = workspacePaths(dir);
  await scaffoldWorkspace(ws);
  edit(ws.samApp);
  const { ensureEmulator } = await import('../../src/emulator/daemon.js');
  const emu = await ensureEmulator({ stateDir: ws.stateDir, speed: SPEED });
  const io = new RecordingIoHost();
  const progress = ProgressStore.load(ws, 'local');
  const ctx = new LiveLabContext({ io, ws, target: { kind: 'local', endpoint: emu.endpoint }, progress, reference, ci: true, speed: SPEED, signal: new AbortController().signal });
  await ctx.deploy();
  return { dir, ws, ctx, io, progress };
}

/** the release the last deploy started, once it has ended */
async function ended(ctx: LiveLabContext): Promise<DeploymentInfo> {
  const id = ctx.lastDeployments?.[0]?.deploymentId;
  assert.ok(id, 'the deploy started a CodeDeploy deployment');
  const [d] = await eventually(`${id} ended`, () => deployments(ctx, deploymentGroup(ctx), undefined, 10).then((all) => all.filter((x) => x.deploymentId === id)), (all) => ['Succeeded', 'Failed', 'Stopped'].includes(all[0]?.status ?? ''));
  return d!;
}

const byName = (results: CheckResult[], start: string) => results.find((r) => r.name.startsWith(start))!;

describe('hooks-alarm after the learner wrote their own hook, which reports Failed whatever HOOK_STATUS says', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sol-own-hook-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('"show me" and "do it for me" put the reference hook in place, the learner\'s kept in backups/; a hook that reads HOOK_STATUS is left alone', async () => {
    const ws = workspacePaths(dir);
    await scaffoldWorkspace(ws);
    // hooks-failing done the learner's way: the reference template, their own hook
    writeFileSync(join(ws.samApp, 'template.yaml'), template('hooks-failing'));
    mkdirSync(join(ws.samApp, 'hooks'), { recursive: true });
    writeFileSync(join(ws.samApp, 'hooks', 'pre-traffic.mjs'), OWN_HOOK);
    const ctx = fakeContext({ ws, reference: new ReferenceBook(REFERENCE_ORDER) });
    const shown = await alarmRollbackStep.solve.show(ctx);
    assert.match(shown.diff!, /\+\+\+ sam-app\/hooks\/pre-traffic\.mjs/);
    await alarmRollbackStep.solve.apply(ctx);
    const reference = readFileSync(join(TEMPLATES, 'hooks-alarm', 'hooks', 'pre-traffic.mjs'), 'utf8');
    assert.equal(readFileSync(join(ws.samApp, 'hooks', 'pre-traffic.mjs'), 'utf8'), reference);
    assert.match(readFileSync(join(ws.samApp, 'template.yaml'), 'utf8'), /HOOK_STATUS: Succeeded/);
    const folders = readdirSync(ws.backups);
    assert.equal(folders.length, 1, 'one backup folder for the step\'s change');
    assert.ok(folders[0]!.endsWith('-before-hooks-alarm'), folders[0]);
    assert.equal(readFileSync(join(ws.backups, folders[0]!, 'sam-app', 'hooks', 'pre-traffic.mjs'), 'utf8'), OWN_HOOK);
    assert.match(ctx.io.text, /replaced sam-app\/hooks\/pre-traffic\.mjs with the reference hook: yours reports Failed whatever HOOK_STATUS says/);

    // a hook of the learner's that reads HOOK_STATUS is theirs to keep
    const mine = `${reference}// mine\n`;
    writeFileSync(join(ws.samApp, 'hooks', 'pre-traffic.mjs'), mine);
    assert.doesNotMatch((await alarmRollbackStep.solve.show(ctx)).diff ?? '', /pre-traffic/);
    await alarmRollbackStep.solve.apply(ctx);
    assert.equal(readFileSync(join(ws.samApp, 'hooks', 'pre-traffic.mjs'), 'utf8'), mine);
  });

  test('a hook that names HOOK_STATUS only in a comment, and hard-codes Failed, is replaced all the same', async () => {
    const own = mkdtempSync(join(tmpdir(), 'sol-own-hook-comment-'));
    try {
      const ws = workspacePaths(own);
      await scaffoldWorkspace(ws);
      writeFileSync(join(ws.samApp, 'template.yaml'), template('hooks-failing'));
      mkdirSync(join(ws.samApp, 'hooks'), { recursive: true });
      const hook = OWN_HOOK.replace('export const handler', '// TODO: read HOOK_STATUS (https://docs.aws.amazon.com/codedeploy/)\nexport const handler');
      writeFileSync(join(ws.samApp, 'hooks', 'pre-traffic.mjs'), hook);
      const ctx = fakeContext({ ws, reference: new ReferenceBook(REFERENCE_ORDER) });
      assert.match((await alarmRollbackStep.solve.show(ctx)).diff!, /\+\+\+ sam-app\/hooks\/pre-traffic\.mjs/);
      await alarmRollbackStep.solve.apply(ctx);
      assert.equal(readFileSync(join(ws.samApp, 'hooks', 'pre-traffic.mjs'), 'utf8'), readFileSync(join(TEMPLATES, 'hooks-alarm', 'hooks', 'pre-traffic.mjs'), 'utf8'));
      assert.match(ctx.io.text, /replaced sam-app\/hooks\/pre-traffic\.mjs with the reference hook: yours reports Failed whatever HOOK_STATUS says/);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});

/** version 4 with the plausible mistake: it returns a 500 answer instead of throwing */
const THROWS = readFileSync(join(TEMPLATES, 'hooks-errors', 'src', 'app.mjs'), 'utf8');
const RETURNS_500 = THROWS.replace(/  throw new Error\(\n    `version \$\{APP_VERSION\} is broken: \$\{context\.functionVersion\}`,\n  \);\n/, "  return respond(500, { message: 'version 4 is broken' }, context);\n");
// the replace must have found version 4's throw (a reformatted template would leave it)
assert.ok(!RETURNS_500.includes('throw new Error('), 'RETURNS_500 still throws');
/**
 * The learner's own code that answers 200 (app version 3), waiting 300 ms rather than the lab's 3 s:
 * the step's checks ask the app and wait for its answers (about 3 s each, most of these tests'
 * time), and none of them is about the wait
 */
const ANSWERS_200 = readFileSync(join(TEMPLATES, 'hooks-failing', 'src', 'app.mjs'), 'utf8').replace(/^const WAIT_MS = 3000;$/m, 'const WAIT_MS = 300;');
assert.match(ANSWERS_200, /^const WAIT_MS = 300;$/m);

describe('hooks-errors after a version that returns 500 went through, and the one that throws rolled back onto it', () => {
  let dir: string;
  /** the lab's templates, but for hooks-failing's app (the code the lab's way back releases), which waits 300 ms, not 3 s */
  let templates: string;
  let ws: Workspace;
  let ctx: LiveLabContext;
  let io: RecordingIoHost;
  let alarm: string;
  const setAlarm = (state: 'ALARM' | 'OK') => ctx.clients.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: state, StateReason: 'test' }));
  const aliasVersion = async () => (await ctx.clients.lambda.send(new GetAliasCommand({ FunctionName: ctx.deployment().functions.find((f) => f.logicalId === 'GetInfoFunction')!.name, Name: 'live' }))).FunctionVersion;
  async function release(app: string) {
    writeFileSync(join(ws.samApp, 'src', 'app.mjs'), app);
    await ctx.deploy();
    return ended(ctx);
  }
  /** "live" broken: 500s went through, then the version that throws was refused and rolled back onto them */
  async function breakLive(tag: string) {
    await setAlarm('OK');
    assert.equal((await release(`${RETURNS_500}// ${tag}\n`)).status, 'Succeeded');
    const broken = await aliasVersion();
    await setAlarm('ALARM');
    const refused = await release(`${THROWS}// ${tag}\n`);
    assert.equal(refused.status, 'Stopped');
    await eventually('the rollback ended', aliasVersion, (v) => v === broken);
    await setAlarm('OK');
    return { broken, refused };
  }
  before(async () => {
    let progress: ProgressStore;
    // the way back releases the previous step's app and asks it several times (its sampled
    // traffic, "live" before and after): at the lab's 3 s an answer, most of the last test's time.
    // No check here is about the wait (the alias checks ask for a 200)
    templates = mkdtempSync(join(tmpdir(), 'sol-way-back-templates-'));
    cpSync(TEMPLATES, templates, { recursive: true });
    writeFileSync(join(templates, 'hooks-failing', 'src', 'app.mjs'), ANSWERS_200);
    ({ dir, ws, ctx, io, progress } = await cloud(
      'sol-way-back-',
      (samApp) => {
        writeFileSync(join(samApp, 'template.yaml'), template('hooks-alarm'));
        mkdirSync(join(samApp, 'hooks'), { recursive: true });
        copyFileSync(join(TEMPLATES, 'hooks-alarm', 'hooks', 'pre-traffic.mjs'), join(samApp, 'hooks', 'pre-traffic.mjs'));
      },
      new ReferenceBook(REFERENCE_ORDER, { templates }),
    ));
    alarm = errorsAlarmName(ctx)!;
    // hooks-alarm's release, as that step leaves it recorded
    const previous = await release(readFileSync(join(TEMPLATES, 'hooks-failing', 'src', 'app.mjs'), 'utf8'));
    assert.equal(previous.status, 'Succeeded');
    progress.update('hooks-alarm', (s) => void (s.figures.deploymentId = previous.deploymentId!));
    ctx.stepId = errorsRollbackStep.id;
    await errorsRollbackStep.prepare!(ctx);
  });
  after(async () => {
    ctx?.destroy();
    if (dir) await removeWorkspace(dir);
    if (templates) rmSync(templates, { recursive: true, force: true });
  });

  test('500s went through, then code that answers 200 (as the hint says): the alias check names the version that answers 200, not the broken one the release moved "live" from', async () => {
    await setAlarm('OK');
    assert.equal((await release(`${RETURNS_500}// went through\n`)).status, 'Succeeded');
    const broken = await aliasVersion();
    const fix = await release(`${ANSWERS_200}// answers 200\n`);
    assert.equal(fix.status, 'Succeeded');
    const fixed = await aliasVersion();
    assert.notEqual(fixed, broken);
    const good = byName(await runLiveChecks(errorsRollbackStep.liveChecks, ctx), 'the alias "live" is back on the last good version alone');
    assert.equal(good.status, 'not-yet', JSON.stringify(good));
    assert.equal(good.expected, 'a release refused by its alarm, and "live" back on a version that answers 200');
    assert.equal(good.found, `Lambda version ${fixed} alone, answering 200; ${fix.deploymentId} Succeeded and put it on "live": nothing was rolled back`);
  });

  test('the learner follows the lab\'s way back (code that answers 200, deployed): the checks accept it, not "expected the broken version" nor "did it throw?"', async () => {
    const { refused } = await breakLive('first');
    const fix = await release(`${ANSWERS_200}// put back\n`);
    assert.equal(fix.status, 'Succeeded');
    const fixed = await aliasVersion();
    const results = await runLiveChecks(errorsRollbackStep.liveChecks, ctx);
    const stopped = byName(results, 'the Errors alarm stopped the bad release');
    assert.equal(stopped.status, 'passed', JSON.stringify(stopped));
    assert.equal(stopped.found, `${refused.deploymentId} Stopped (ALARM_ACTIVE); then ${fix.deploymentId} put "live" back on a good version`);
    const good = byName(results, 'the alias "live" is back on the last good version alone');
    assert.equal(good.status, 'passed', JSON.stringify(good));
    assert.equal(good.found, `Lambda version ${fixed} alone, answering 200: ${fix.deploymentId} put it there after ${refused.deploymentId} was rolled back`);
  });

  test('a while "live" is broken: the lab first releases code that answers 200, says so, then makes the step\'s change, and the checks pass', async () => {
    const { broken } = await breakLive('second');
    const at = io.events.length;
    await errorsRollbackStep.solve.apply(ctx);
    const said = io.text;
    assert.match(said, new RegExp(`first, "live" back on a good version: it serves Lambda version ${broken}, which answers HTTP 500`));
    assert.match(said, /"live" is back on Lambda version \d+, which answers 200 \(release d-\w+ Succeeded\); now this step's change:/);
    assert.ok(io.events.length > at);
    const good = await aliasVersion();
    assert.notEqual(good, broken);
    assert.equal((await askApp(ctx, new AbortController().signal)).status, 200);
    // the learner's file before the lab's way back is kept
    assert.ok(readdirSync(ws.backups).some((f) => f.endsWith('-before-hooks-errors-way-back')));
    // the step's change, released as the lab does after apply; the alarm stops it (forced here)
    assert.equal(readFileSync(join(ws.samApp, 'src', 'app.mjs'), 'utf8'), THROWS);
    await setAlarm('ALARM');
    await deployChange(errorsRollbackStep, ctx);
    const refused = await ended(ctx);
    assert.equal(refused.status, 'Stopped');
    await eventually('the rollback ended', aliasVersion, (v) => v === good);
    const results = await runLiveChecks(errorsRollbackStep.liveChecks, ctx);
    assert.equal(byName(results, 'the Errors alarm stopped the bad release').status, 'passed');
    const back = byName(results, 'the alias "live" is back on the last good version alone');
    assert.equal(back.status, 'passed', JSON.stringify(back));
  });
});
