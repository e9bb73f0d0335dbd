/**
 * What `start` and `step` share: the flags read and checked, the I/O host, the workspace and its
 * progress, the target (the local cloud started or reused for the workspace, or AWS with the
 * learner's credentials), and the LabContext built from them.
 */
import { ExitCode, LabError, UsageError } from '../errors.js';
import { createIoHost } from '../io/index.js';
import type { IoHost } from '../io/host.js';
import type { InterruptPolicy } from '../interrupt.js';
import type { EnsuredEmulator } from '../emulator/daemon.js';
import { cliCommand, hintCommand } from '../invocation.js';
import { awsCliConfig, LOCAL_AWS_ENV } from '../targets/aws-cli-config.js';
import { awsCommand } from '../targets/aws-command.js';
import type { TargetSpec } from '../targets/clients.js';
import { LiveLabContext } from './live-context.js';
import { labCommand } from './outside.js';
import { ProgressStore } from './progress.js';
import { ReferenceBook, type ReferenceEntry } from './reference.js';
import { scaffoldWorkspace, workspacePaths, workspaceTwin, type Workspace } from './workspace.js';

/** a running cloud's process record: its speed, port, throttle status, account concurrency */
type CloudRecord = EnsuredEmulator['record'];

export interface LabFlags {
  target: 'local' | 'aws';
  ci: boolean;
  assisted: boolean;
  json: boolean;
  report?: string;
  /** undefined: the running cloud's, or the mode's default */
  speed?: number;
  workspace: string;
  from?: string;
  profile?: string;
  region?: string;
}

/** Interactive: a 10-minute linear shift in about a minute. --ci: seconds. */
export const DEFAULT_SPEED = { interactive: 10, ci: 100 } as const;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function readLabFlags(opts: Record<string, unknown>): LabFlags {
  const target = (opts.target as string | undefined) ?? 'local';
  if (target !== 'local' && target !== 'aws') throw new UsageError(`unknown --target "${target}"`, 'use local or aws');
  let speed: number | undefined;
  if (opts.speed !== undefined) {
    speed = Number(opts.speed);
    if (!Number.isFinite(speed) || speed <= 0 || speed > 10000) throw new UsageError(`invalid --speed "${String(opts.speed)}"`, 'a number above 0, at most 10000');
    if (target === 'aws' && speed !== 1) throw new UsageError('--speed is for the local cloud', "AWS's clock runs at its own pace");
  }
  const region = opts.region as string | undefined;
  if (region !== undefined && !REGION.test(region)) throw new UsageError(`invalid --region "${region}"`, 'for example --region us-east-1');
  if (target === 'local' && (opts.profile !== undefined || region !== undefined)) throw new UsageError('--profile and --region are for --target aws', 'the local cloud needs neither');
  const workspace = (opts.workspace as string | undefined) ?? 'lab-workspace';
  if (!workspace) throw new UsageError('--workspace needs a folder');
  return {
    target,
    ci: opts.ci === true,
    assisted: opts.assisted === true,
    json: opts.json === true,
    report: opts.report as string | undefined,
    speed,
    workspace,
    from: opts.from as string | undefined,
    profile: opts.profile as string | undefined,
    region,
  };
}

export interface Session {
  io: IoHost;
  ws: Workspace;
  ctx: LiveLabContext;
  progress: ProgressStore;
  reference: ReferenceBook;
  flags: LabFlags;
  /** local: the workspace's cloud, which keeps running after the lab ends */
  cloudEndpoint?: string;
  /**
   * --ci that restarted a running cloud at its --speed: restarts it as it ran before, once the run
   * ended (a learner's cloud at 10x was left at the instructor's speed). Undefined otherwise.
   */
  restoreCloud?: () => Promise<void>;
  close(): void;
}

/**
 * `io`: a host of the caller's (the bench's scripted learner) instead of the terminal's.
 * `whole`: the lab's step ids when the run is `start` with no --from (the whole lab from its first
 * step not done): the solver path refuses a workspace where every one is done (nothingToCheck).
 */
export async function openSession(flags: LabFlags, interrupt: InterruptPolicy, reference: readonly ReferenceEntry[], given?: { io?: IoHost; whole?: readonly string[] }): Promise<Session> {
  const io = given?.io ?? (await createIoHost({ ci: flags.ci, json: flags.json, onCtrlC: interrupt.press, signal: interrupt.signal }));
  interrupt.say = (line) => {
    // on a terminal the ^C echo shares the line: start a fresh one
    if (io.face === 'interactive') io.say('');
    io.warn(line);
  };
  // no terminal and no --ci: the solver path, said once by the plain face (a host that asks
  // someone, a terminal or a scripted learner, is the interactive path)
  const ci = flags.ci || !io.asks;
  const ws = workspacePaths(flags.workspace);
  // the tools and the account first: a machine that cannot run the lab gets no workspace made or copied into
  let aws: Awaited<ReturnType<typeof import('../targets/aws-preflight.js').awsPreflight>> | undefined;
  if (flags.target === 'aws') {
    const { awsPreflight } = await import('../targets/aws-preflight.js');
    aws = await awsPreflight({ profile: flags.profile, region: flags.region, doctor: labCommand(['doctor'], flags) });
  }
  const { copied } = await scaffoldWorkspace(ws);
  // the learner's copy to edit; under --ci the lab edits it (the instructor edits nothing)
  if (copied) io.say(ci ? `copied the lab's app into ${ws.samApp} (the lab's changes go there)` : `copied the lab's app into ${ws.samApp}: this is your copy to edit`);
  // a mistyped --workspace begins a second lab at step 1, with a second cloud: said where it begins
  // under --ci a numbered neighbour (/tmp/ci-1 beside /tmp/ci-2) is a series of runs, not a typo
  const twin = copied ? workspaceTwin(ws.root, { series: ci }) : undefined;
  if (twin) {
    io.warn(`${ws.root} is a new workspace, at step 1; ${twin} is a workspace with a near-identical name (a typo?). To go on there${ci ? ' instead' : ', quit (q) and run'}:`);
    io.command(labCommand(['start', ...(flags.ci ? ['--ci'] : [])], { ...flags, workspace: twin }));
  }
  const progress = ProgressStore.load(ws, flags.target);
  if (progress.exists && progress.target !== flags.target) {
    throw new LabError(`${ws.root} holds a lab on the ${progress.target} target`, undefined, `pass --target ${progress.target}, or another --workspace for the ${flags.target} target`);
  }
  if (ci && given?.whole && progress.exists && progress.firstPending(given.whole) === undefined) throw nothingToCheck(ws, flags);
  const book = new ReferenceBook(reference);
  let spec: TargetSpec;
  let speed = 1;
  let restoreCloud: Session['restoreCloud'];
  if (flags.target === 'local') {
    const started = await localCloud(ws, flags, ci, io, interrupt.signal);
    spec = { kind: 'local', endpoint: started.endpoint, stateDir: ws.stateDir };
    speed = started.speed;
    const before = started.before;
    if (ci && before) restoreCloud = () => putCloudBack(ws, io, started.speed, before);
    if (!ci) await sayHowToRunAwsCommands(io);
  } else {
    spec = { kind: 'aws', profile: aws!.profile, region: aws!.region };
  }
  const ctx = new LiveLabContext({ io, ws, target: spec, progress, reference: book, ci, speed, signal: interrupt.signal });
  if (spec.kind === 'local') await sayHowFollowedEnded(ctx, progress, interrupt.signal);
  const cloudEndpoint = spec.kind === 'local' ? spec.endpoint : undefined;
  return { io, ws, ctx, progress, reference: book, flags: { ...flags, ci }, cloudEndpoint, restoreCloud, close: () => ctx.destroy() };
}

/**
 * `start --ci` (or with no terminal) in a workspace whose steps were all done before: the solver
 * path checks only the steps it runs, so it would check nothing, and it ended 0 ("no step ran in
 * this run"), which a script reading the exit code took for a machine that passed. Refused before
 * the cloud starts (a usage error, 2, as a --report it cannot write: the command cannot do what it
 * is for here), with the commands that do check. Not by checking the done steps again against the
 * cloud: a step's checks read the state it leaves (blue-green's deployment of version 2, the
 * canary's stage), which the steps after it changed.
 */
function nothingToCheck(ws: Workspace, flags: LabFlags): UsageError {
  const fresh = labCommand(['start', '--ci'], { ...flags, workspace: '<a new folder>' });
  const over = [labCommand(['reset'], { ...flags, workspace: ws.root }), labCommand(['start', '--ci'], { ...flags, workspace: ws.root })];
  return new UsageError(
    `nothing to check: every step of ${ws.root} was done before this run (progress.json), and --ci checks only the steps it runs`,
    `to check every step, use a new workspace:${hintCommand(fresh)}\nor start this one over (the whole lab: ${flags.target === 'aws' ? 'its stack is deleted' : 'its local cloud is wiped'}; your sam-app/ is kept):${hintCommand(over.join('\n'))}`,
  );
}

/**
 * The workspace's cloud, which a --ci run restarted at speed `now`, started again as it ran before
 * the run (`before`: its speed, port, throttle status and account concurrency), and said. Not when
 * someone else changed it meanwhile (it no longer runs at `now`), nor under a CodeDeploy
 * deployment in flight (a restart rolls it back): then said, with the commands that do it.
 */
async function putCloudBack(ws: Workspace, io: IoHost, now: number, before: CloudRecord): Promise<void> {
  const { ensureEmulator, emulatorStatus, stopEmulator } = await import('../emulator/daemon.js');
  const status = await emulatorStatus(ws.stateDir).catch(() => undefined);
  if (!status?.running || status.record.speed !== now || before.speed === now) return;
  const inFlight = await localDeploymentsInFlight(status.record.endpoint);
  if (inFlight.length) {
    const wsFlag = ['--workspace', ws.root];
    io.say(
      `the local cloud stays at speed ${now}x: CodeDeploy deployment ${inFlight.map((d) => d.deploymentId).join(', ')} is in progress, and a restart would roll it back. It ran at ${before.speed}x before this run; once it ends, this puts it back:`,
    );
    io.command([cliCommand(['emulator', 'stop', ...wsFlag]), cliCommand(['emulator', 'start', ...wsFlag, '--port', String(before.port), '--speed', String(before.speed)])].join('\n'));
    return;
  }
  await stopEmulator(ws.stateDir);
  const emu = await ensureEmulator({ stateDir: ws.stateDir, port: before.port, portChosen: before.portChosen === true, host: before.host, speed: before.speed, speedChosen: before.speedChosen, throttleStatus: before.throttleStatus, accountConcurrency: before.accountConcurrency });
  io.say(`the local cloud runs at speed ${emu.record.speed}x again, as before this run (restarted at ${emu.endpoint}, pid ${emu.pid})`);
}

/**
 * The deployment a live view followed when the lab stopped under it (the local cloud killed, a
 * terminal closed): how it ended, said once. A cloud killed mid-shift fails it and rolls it back
 * when it starts again (emulator/services/codedeploy/engine.ts resume), which otherwise only
 * `status` shows. One still in progress is kept for the next start; one the cloud no longer knows
 * (a reset) is forgotten; a cloud that cannot say is the steps' to meet.
 */
async function sayHowFollowedEnded(ctx: LiveLabContext, progress: ProgressStore, signal: AbortSignal): Promise<void> {
  const f = progress.following;
  if (!f) return;
  const { GetDeploymentCommand } = (await import('../targets/clients.js')).codeDeploySdk();
  const { ENDED_DEPLOYMENT_STATUSES } = await import('../targets/codedeploy-lists.js');
  let info;
  try {
    info = (await ctx.clients.codeDeploy.send(new GetDeploymentCommand({ deploymentId: f.deploymentId }), { abortSignal: signal })).deploymentInfo;
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    if ((err as { name?: string }).name === 'DeploymentDoesNotExistException') progress.setFollowing(undefined);
    return;
  }
  const status = info?.status ?? '';
  const which = `CodeDeploy deployment ${f.deploymentId}, which the lab followed in ${f.stepId} when it stopped,`;
  if (!ENDED_DEPLOYMENT_STATUSES.has(status)) {
    // still shifting (the learner quit the view, or the lab, while it ran): said, so the step's
    // question that follows is not read as "start over"; kept for the next start until it ends
    ctx.io.say(`${which} is still ${status || 'in progress'}: it goes on in the cloud. While it runs, deploying the same change follows it again (the deploy joins it); once it has ended, the checks read it, with no change to make.`);
    return;
  }
  const why = info?.errorInformation?.message ? `: ${info.errorInformation.message}` : '';
  const rolledBack = info?.rollbackInfo?.rollbackDeploymentId ? ` (rollback deployment ${info.rollbackInfo.rollbackDeploymentId})` : '';
  const line = `${which} ended ${status}${rolledBack}${why}`;
  if (status === 'Succeeded') ctx.io.say(line);
  else ctx.io.warn(line);
  progress.setFollowing(undefined);
}

/**
 * The aws CLI refuses every printed command without a region and credentials, even against the
 * local cloud (which takes any): said once, before the first command, when this machine's CLI has
 * neither configured.
 */
async function sayHowToRunAwsCommands(io: IoHost): Promise<void> {
  const cli = await awsCliConfig();
  if (cli.credentials && cli.region) return;
  const missing = [!cli.credentials && 'credentials', !cli.region && 'region'].filter(Boolean).join(' or ');
  io.say(`Your aws CLI has no ${missing}; the local cloud accepts any. In the terminal where you run the lab's aws commands:`);
  io.command(LOCAL_AWS_ENV);
}

/**
 * The workspace's background cloud, started or reused. A running one at another speed than the
 * run wants (--speed, or the mode's: 10, 100 under --ci) is restarted at it, unless its own speed
 * was someone's choice (`--speed` to `emulator start` or to the lab) and this run gave no --speed:
 * then it keeps it. A speed nobody chose (a cloud `deploy` started at 1x) is not kept: at 1x a
 * --ci run waited out every shift in real time, tens of minutes. A restart rolls back a CodeDeploy
 * deployment in flight (as after any restart), so with one in flight the cloud is not restarted
 * silently: on a terminal the learner chooses (keeping the current speed is the default); with
 * nobody to ask (--ci, no terminal) an asked --speed stops the command (exit 3) and says to wait
 * for the deployment or to run without --speed, and the mode's speed gives way: the run goes on at
 * the current speed, saying what a shift costs there and the command that runs at the mode's.
 */
export async function localCloud(ws: Workspace, flags: LabFlags, ci: boolean, io: IoHost, signal?: AbortSignal): Promise<{ endpoint: string; speed: number; before?: CloudRecord }> {
  const { ensureEmulator, emulatorStatus, startingAgain, stopEmulator } = await import('../emulator/daemon.js');
  const want = flags.speed ?? (ci ? DEFAULT_SPEED.ci : DEFAULT_SPEED.interactive);
  const status = await emulatorStatus(ws.stateDir).catch(() => undefined);
  // the cloud as it ran before a restart at another speed
  let before: CloudRecord | undefined;
  if (status?.running && status.record.speed !== want) {
    const running = { endpoint: status.record.endpoint, speed: status.record.speed };
    const asked = flags.speed !== undefined;
    if (!asked && status.record.speedChosen) {
      io.say(`the local cloud runs at speed ${running.speed}x (--speed N restarts it at another)`);
      await sayOtherPort(io, { port: status.record.port, endpoint: running.endpoint, stateDir: ws.stateDir }, ci);
      return running;
    }
    const inFlight = await localDeploymentsInFlight(running.endpoint, signal);
    if (inFlight.length) {
      const ids = inFlight.map((d) => d.deploymentId).join(', ');
      const what = `CodeDeploy deployment ${ids} is in progress on the local cloud (${running.speed}x); restarting it at ${want}x would stop ${inFlight.length > 1 ? 'them' : 'it'} and roll ${inFlight.length > 1 ? 'them' : 'it'} back`;
      const waitFor = `\`${awsCommand(['deploy', 'get-deployment', '--deployment-id', inFlight[0].deploymentId], { kind: 'local', endpoint: running.endpoint })}\``;
      if (ci && !asked) {
        // the mode's speed gives way to the deployment: the run goes on, at its real cost
        io.warn(
          `${what}: this run goes on at ${running.speed}x, which no --speed chose, where a 10-minute linear shift takes ${shiftSpan(running.speed)} (${shiftSpan(want)} at ${want}x). To run at ${want}x: stop this run (Ctrl-C), wait for the deployment to end (${waitFor}), then:`,
        );
        io.command(labCommand(['start', '--ci'], flags));
        await sayOtherPort(io, { port: status.record.port, endpoint: running.endpoint, stateDir: ws.stateDir }, ci);
        return running;
      }
      if (ci) {
        throw new LabError(what, ExitCode.environment, `wait for it to end (${waitFor}), or run without --speed to go on at ${running.speed}x`);
      }
      const choice = await io.choose(
        what,
        [
          { value: 'keep', label: `keep ${running.speed}x`, description: 'the deployment goes on; the lab runs at the current speed' },
          { value: 'restart', label: `restart at ${want}x`, description: `${ids} stopped and rolled back` },
        ],
        'keep',
        signal,
      );
      if (choice === 'keep') {
        io.say(`the local cloud keeps speed ${running.speed}x`);
        await sayOtherPort(io, { port: status.record.port, endpoint: running.endpoint, stateDir: ws.stateDir }, ci);
        return running;
      }
    }
    const why = asked ? '' : `, ${ci ? "--ci's" : "the lab's"} speed`;
    const ran = asked ? `it ran at ${running.speed}x` : `it ran at ${running.speed}x, which no --speed chose`;
    io.say(`restarting the local cloud at speed ${want}x${why} (${ran})${ci ? `; it runs at ${running.speed}x again once this run ends` : ''}`);
    await stopEmulator(ws.stateDir);
    before = status.record;
  }
  const emu = await ensureEmulator({ stateDir: ws.stateDir, speed: want, speedChosen: flags.speed !== undefined, onStoppedUnexpectedly: (stale, log) => io.warn(startingAgain(ws.stateDir, stale, log)) });
  io.say(`local cloud ${emu.reused ? 'running' : 'started'} at ${emu.endpoint}, timers ${emu.record.speed}x faster`);
  await sayOtherPort(io, emu, ci);
  return { endpoint: emu.endpoint, speed: emu.record.speed, ...(before ? { before } : {}) };
}

/** a Linear10PercentEvery1Minute shift (nine minutes of cloud time) in real time at `speed` */
function shiftSpan(speed: number): string {
  const seconds = Math.round((9 * 60) / speed);
  return seconds < 120 ? `about ${seconds} s` : `about ${Math.round(seconds / 60)} minutes`;
}

/** the README's and the workshop's `--endpoint-url http://127.0.0.1:4566` would reach another server, or none */
async function sayOtherPort(io: IoHost, cloud: { port: number; endpoint: string; stateDir?: string; record?: { stateDir: string } }, ci: boolean): Promise<void> {
  const { DEFAULT_PORT } = await import('../emulator/config.js');
  if (cloud.port === DEFAULT_PORT) return;
  const { otherPortNote, portHolder } = await import('../port-holder.js');
  io.warn(otherPortNote(cloud, DEFAULT_PORT, await portHolder(DEFAULT_PORT), { series: ci }));
}

/** the running cloud's deployments that have not ended; none when it cannot say (a cloud that does not answer is restarted) */
async function localDeploymentsInFlight(endpoint: string, signal?: AbortSignal): Promise<{ deploymentId: string }[]> {
  const { TargetClients } = await import('../targets/clients.js');
  const { deploymentsInFlight } = await import('../targets/status-codedeploy.js');
  const clients = new TargetClients({ kind: 'local', endpoint });
  try {
    return await deploymentsInFlight(clients.codeDeploy, signal);
  } catch {
    if (signal?.aborted) throw signal.reason;
    return [];
  } finally {
    clients.destroy();
  }
}
