/**
 * `reset [STEP] [--yes]`. With a step: its files (and those of the steps after it) go back to the
 * step's starting point and their progress is forgotten. Without: the whole lab: local stops the
 * workspace's cloud and wipes its state; aws empties the stack's buckets and deletes the stack.
 * Both ask first on a terminal (`--yes` skips it; with no terminal to ask on, --yes is required).
 * Nothing of the learner's is lost: `reset STEP` copies their own versions of the files it puts
 * back to `<workspace>/backups/` (backups.ts); the whole reset keeps their sam-app/ beside a fresh
 * copy. A workspace with no lab in it (a mistyped --workspace) is an error that creates nothing.
 */
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError, UsageError } from '../errors.js';
import { createIoHost, type IoHost } from '../io/index.js';
import type { InterruptPolicy } from '../interrupt.js';
import { progressPath, ProgressStore } from '../lab/progress.js';
import { ReferenceBook } from '../lab/reference.js';
import { backupOf, goodBackup, recordedTarget, sameAsBundled, scaffoldWorkspace, workspacePaths, type Workspace } from '../lab/workspace.js';
import { lockWorkspace } from '../lab/workspace-lock.js';
import { CANARY_CHAPTER, LAB_OUTLINE, REFERENCE_ORDER, type StepOutline } from '../steps/outline.js';
import { readDeployRecord, type DeployRecord } from '../targets/deploy-record.js';
import { awsCommand } from '../targets/aws-command.js';
import type { TargetSpec } from '../targets/clients.js';
import type { StageUndo, StepStart } from '../steps/canary/lesson.js';
import { hintCommand } from '../invocation.js';
import { labCommand } from '../lab/outside.js';
import { namedStep } from './step-arg.js';
import { displayPath } from '../io/format.js';

/** `io`: the I/O host to talk through (tests pass a recording one); by default the terminal's or the plain face */
export async function resetCommand(stepId: string | undefined, opts: Record<string, unknown>, interrupt: InterruptPolicy, io?: IoHost): Promise<void> {
  const ws = workspacePaths((opts.workspace as string | undefined) ?? 'lab-workspace');
  const yes = opts.yes === true;
  const step = stepId === undefined ? undefined : namedStep(stepId);
  // as `status` does for a workspace with nothing deployed: say so and fail, so a mistyped
  // --workspace is noticed, and make nothing there (no half app, no state dir)
  if (!existsSync(ws.samApp) && !existsSync(ws.labDir)) {
    throw new LabError(`nothing to reset: ${ws.root} holds no lab (no sam-app/, no .lab/)`, undefined, "name the lab's folder with --workspace DIR (the default is lab-workspace); nothing was changed");
  }
  // one command at a time changes a workspace (workspace-lock.ts): taken before asking, so a busy workspace is said first
  const lock = await lockWorkspace(ws, stepId === undefined ? ['reset'] : ['reset', stepId]);
  try {
    await resetLocked(ws, step, opts, yes, interrupt, io ?? (await createIoHost({ onCtrlC: interrupt.press, signal: interrupt.signal })));
  } finally {
    await lock.release();
  }
}

async function resetLocked(ws: Workspace, step: StepOutline | undefined, opts: Record<string, unknown>, yes: boolean, interrupt: InterruptPolicy, io: IoHost): Promise<void> {
  if (step) {
    const from = LAB_OUTLINE.indexOf(step);
    const affected = LAB_OUTLINE.slice(from).map((s) => s.id);
    // read first: a broken progress file stops the reset before any file changes
    const progress = existsSync(progressPath(ws)) ? ProgressStore.load(ws, 'local') : undefined;
    const files = existsSync(ws.samApp) ? [...new Set(REFERENCE_ORDER.filter((e) => affected.includes(e.stepId)).flatMap((e) => e.files))] : [];
    // back to the canary chapter's start or before it: the API's stage goes back to what the last
    // deploy made, the chapter's starting point, which a deploy does not do (putStageBack)
    // to a later step of the chapter: the stage goes where that step starts (stepStartForReset),
    // from the figures progress holds now, before the reset forgets them; the canary's code is
    // loaded only then (outline.ts: reset loads no step's code before it must)
    const chapterStart = LAB_OUTLINE.findIndex((s) => s.chapter.id === CANARY_CHAPTER.id);
    const start = from > chapterStart ? (await import('../steps/canary.js')).stepStartForReset(step.id, progress?.allFigures() ?? {}) : undefined;
    const record = from <= chapterStart || start ? deployRecordForReset(ws) : undefined;
    const stage = record?.apis[0]?.stage;
    const stageToo = !stage
      ? ''
      : start
        ? `; put the ${stage} stage of the REST API where ${step.id} starts (${start.where}) if a later step changed it`
        : `; put the ${stage} stage of the REST API back to the last deploy's if the canary chapter changed it`;
    // the last step has none after it
    const andAfter = affected.length > 1 ? ' and the steps after it' : '';
    const what = `mark ${step.id}${andAfter} pending again${files.length ? ` and put ${files.map((f) => `sam-app/${f}`).join(', ')} back to the step's starting point` : ''}${stageToo}`;
    if (!(await confirmed(io, what, files.length ? ` Your own versions of those files are copied to ${displayPath(ws.backups)}/ first.` : '', yes, interrupt))) return;
    const restored = files.length ? new ReferenceBook(REFERENCE_ORDER).restore(affected, ws) : { files: [] };
    progress?.clear(affected);
    io.say(`${step.id}${andAfter} ${affected.length > 1 ? 'are' : 'is'} pending again${restored.files.length ? `; restored ${restored.files.map((f) => `sam-app/${f}`).join(', ')} to the step's starting point` : ''}`);
    // from where the learner runs the lab (the workspace's folder, or its parent): the absolute path
    // of a workspace under a home folder was wider than 80 columns, and the terminal broke it mid-word
    if (restored.keptIn) io.say(`your versions of them are kept in ${displayPath(restored.keptIn)}`);
    if (!existsSync(ws.samApp)) io.say(`there is no sam-app/ in ${ws.root}: deploy (or start) copies the lab's app`);
    const stageBack = record?.apis[0] ? await putStageBack(ws, record, io, interrupt.signal, start) : false;
    // reset changes files and progress, never the cloud: a step made by a command says what it leaves there
    const keeps = stageBack ? 'the rest of the cloud keeps what it has' : 'the cloud keeps what it has';
    // the step's own words: its code is loaded only now, once the id is known to be a step's (outline.ts)
    const { onReset, readOnly } = (await import('../steps/index.js')).LAB_STEPS.find((s) => s.id === step.id)!;
    // a step that only reads (the wrap-up) left nothing in the cloud to bring in line, and there is no step after it to deploy for
    if (readOnly) io.say(`${step.id} only reads the cloud, so nothing there changes: start runs it again`);
    else io.say(onReset ? `${keeps}: ${onReset}` : `${keeps}: deploy (or start, which goes on from this step) to bring it in line`);
    return;
  }

  const record = deployRecordForReset(ws);
  // no deploy record (the last deploy failed, or it was deleted): the lab's progress still says where it ran
  const target = (opts.target as string | undefined) ?? record?.target ?? recordedTarget(ws.labDir) ?? 'local';
  const what =
    target === 'aws'
      ? `empty the S3 buckets of the CloudFormation stack ${record?.stackName ?? 'ServerlessOps-stack'} (the images in them are deleted), delete the stack and forget the lab's progress in ${ws.root}`
      : `stop the local cloud of ${ws.root}, wipe its state and forget the lab's progress`;
  if (!(await confirmed(io, what, ' Your sam-app/ is kept beside a fresh copy.', yes, interrupt))) return;
  if (target === 'aws') {
    const { cloudFormationSdk, TargetClients } = await import('../targets/clients.js');
    const { emptyBucket, stackBuckets } = await import('../targets/stack-buckets.js');
    const { waitUntilStackDeleteComplete, DeleteStackCommand } = cloudFormationSdk();
    const clients = new TargetClients({ kind: 'aws', profile: (opts.profile as string | undefined) ?? record?.profile, region: (opts.region as string | undefined) ?? record?.region });
    const cfn = clients.cloudFormation;
    const stack = record?.stackName ?? 'ServerlessOps-stack';
    const p = io.progress(`deleting stack ${stack}`);
    try {
      // CloudFormation cannot delete a bucket that holds objects (see stack-buckets.ts)
      for (const bucket of await stackBuckets(cfn, stack, interrupt.signal)) {
        p.update(`emptying bucket ${bucket}`);
        await emptyBucket(clients.s3, bucket, interrupt.signal);
      }
      p.update(`deleting stack ${stack}`);
      await cfn.send(new DeleteStackCommand({ StackName: stack }));
      await waitUntilStackDeleteComplete({ client: cfn, maxWaitTime: 900, abortSignal: interrupt.signal }, { StackName: stack });
      p.succeed(`stack ${stack} deleted`);
    } catch (err) {
      p.fail();
      throw new LabError(`could not delete stack ${stack}: ${(err as Error).message}`, undefined, 'see the stack in the CloudFormation console');
    } finally {
      clients.destroy();
    }
  } else {
    const { stopEmulator } = await import('../emulator/daemon.js');
    const stop = await stopEmulator(ws.stateDir).catch(() => undefined);
    const hadState = existsSync(ws.stateDir);
    await rm(ws.stateDir, { recursive: true, force: true });
    // what was done, not what a reset does: a second reset finds no cloud and no state
    const stopped = stop?.stopped ? `stopped the local cloud (pid ${stop.pid})` : undefined;
    const wiped = hadState ? `wiped ${ws.stateDir}` : undefined;
    io.say(stopped && wiped ? `${stopped} and ${wiped}` : (stopped ?? (wiped ? `${wiped} (no local cloud was running)` : `no local cloud to stop or wipe in ${ws.stateDir}`)));
  }
  for (const f of [ws.deployRecord, ws.names, progressPath(ws)]) {
    await rm(f, { force: true });
    await rm(backupOf(f), { force: true });
  }
  await rm(ws.deployed, { recursive: true, force: true });
  if (existsSync(ws.samApp) && sameAsBundled(ws.samApp)) {
    // the lab's app as it was copied (a second reset, or nothing edited): no copy of it to keep
    io.say(`sam-app/ is the lab's app as it was copied, unchanged: nothing of yours to keep`);
  } else if (existsSync(ws.samApp)) {
    const kept = join(ws.root, `sam-app.before-reset-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    await rename(ws.samApp, kept);
    await scaffoldWorkspace(ws);
    io.say(`your sam-app/ is kept as ${displayPath(kept)}; sam-app/ is a fresh copy of the lab's app`);
  }
  io.say(`reset done: \`${labCommand(['start'], { workspace: ws.root, target: target === 'aws' ? 'aws' : 'local', profile: opts.profile as string | undefined, region: opts.region as string | undefined })}\` begins again`);
}

/**
 * After the canary chapter the stage serves what its steps made by hand (a canary, the promoted
 * version through ${stageVariables.lambdaAlias}), and a deploy of an API that did not change makes
 * no new deployment of it (stageUndo says why): the stage goes back on the last deploy's deployment,
 * with the chapter's own calls (stageUndo), on both targets. What it did is said; what it could not
 * do is said with the commands that do it. The learner's files are not touched here. True when
 * it put the stage back. `start`: a reset to a later step of the chapter, where the stage goes
 * where that step starts instead (stageUndoTo: its canary or none, ${stageVariables.lambdaAlias}=live).
 */
async function putStageBack(ws: Workspace, record: DeployRecord, io: IoHost, signal: AbortSignal, start?: StepStart): Promise<boolean> {
  const api = record.apis[0]!;
  const spec = (endpoint: string | undefined): TargetSpec =>
    record.target === 'local' ? { kind: 'local', endpoint: endpoint ?? record.endpoint ?? 'http://127.0.0.1:4566', stateDir: ws.stateDir } : { kind: 'aws', profile: record.profile, region: record.region };
  const getStage = (endpoint?: string) => awsCommand(`apigateway get-stage --rest-api-id ${api.restApiId} --stage-name ${api.stage}`, spec(endpoint));
  if (!start && !api.deploymentId) {
    io.say(`the ${api.stage} stage keeps what the canary chapter left on it, if anything: the deploy record names no deployment of the API to put it back on (deploy again, then reset again; \`${getStage()}\` shows the stage)`);
    return false;
  }
  let endpoint: string | undefined;
  if (record.target === 'local') {
    const { ensureEmulator, startingAgain } = await import('../emulator/daemon.js');
    if (!existsSync(ws.stateDir)) return false; // no local cloud state: no stage to put back
    const emu = await ensureEmulator({ stateDir: ws.stateDir, onStoppedUnexpectedly: (stale, log) => io.warn(startingAgain(ws.stateDir, stale, log)) });
    endpoint = emu.endpoint;
    if (!emu.reused) io.say(`local cloud started at ${emu.endpoint}, to look at the ${api.stage} stage`);
  }
  const { TargetClients } = await import('../targets/clients.js');
  const { findTarget, stageUndo, stageUndoTo } = await import('../steps/canary/lesson.js');
  const clients = new TargetClients(spec(endpoint));
  let left: StageUndo[] = [];
  try {
    const c = { apiGateway: clients.apiGateway, lambda: clients.lambda };
    const t = await findTarget(c.apiGateway, record, signal, ws.root);
    left = start ? await stageUndoTo(c, t, start, signal) : await stageUndo(c, t, api.deploymentId!, signal);
    let changedAny = false;
    while (left.length) {
      const changed = await left[0]!.run(signal);
      const done = left.shift()!;
      if (changed === false) continue;
      changedAny = true;
      io.say(typeof changed === 'string' ? changed : done.said);
    }
    if (!changedAny) return false;
    if (start) return true;
    io.say(`the ${api.stage} stage serves deployment ${api.deploymentId} again, as the last deploy made it (the canary's Lambda version stays published; nothing calls it)`);
    return true;
  } catch (err) {
    if (signal.aborted) throw err;
    // the commands on lines of their own, to paste whole (hintCommand): in the sentence, at 80
    // columns they broke over lines as prose, and pasted ran as pieces
    const rest = left.length ? `. To put it back yourself, ${left.length > 1 ? 'in this order' : 'run'}:${left.map((u) => hintCommand(awsCommand(u.command, spec(endpoint)))).join('')}\nThis shows the stage:` : '. This shows the stage:';
    const where = start ? `where ${start.stepId} starts` : `back on deployment ${api.deploymentId}, the last deploy's`;
    io.warn(`could not put the ${api.stage} stage ${where}: ${(err as Error).message}${rest}${hintCommand(getStage(endpoint))}`);
    return false;
  } finally {
    clients.destroy();
  }
}

/** asks on a terminal; --yes skips the question; with nobody to ask, --yes is required (exit 2) */
async function confirmed(io: IoHost, what: string, more: string, yes: boolean, interrupt: InterruptPolicy): Promise<boolean> {
  if (yes) return true;
  if (!io.asks) throw new UsageError(`reset would ${what}`, 'add --yes to confirm (there is no terminal to ask on)');
  if (await io.confirm(`This will ${what}.${more} Go on?`, false, interrupt.signal)) return true;
  io.say('nothing changed');
  return false;
}

/**
 * The deploy record, or its last good copy when it is damaged: the whole reset is what the
 * damaged-file messages offer (workspace.ts damagedLabFileHint), so a broken record must not stop it.
 */
function deployRecordForReset(ws: Workspace): ReturnType<typeof readDeployRecord> {
  try {
    return readDeployRecord(ws);
  } catch (err) {
    if (!(err instanceof LabError)) throw err;
    const bak = goodBackup(ws.deployRecord);
    try {
      return bak ? readDeployRecord({ ...ws, deployRecord: bak }) : undefined;
    } catch {
      return undefined;
    }
  }
}
