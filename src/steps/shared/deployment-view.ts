/**
 * The live deployment view: while CodeDeploy shifts the alias, the status and lifecycle event, a
 * bar per version with its weight, the time to the next shift, and a sample of live requests
 * through the API counted by the version that answered. The same on both targets: on aws the
 * view runs while `sam deploy` waits for the deployment (CloudFormation's CodeDeployLambdaAliasUpdate),
 * and waits for sam once the deployment ended. Ctrl-C stops the view, not the deployment, and says
 * how to look again.
 */
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { CloudStoppedError, connectionLost, InterruptedError, LearnerQuit } from '../../errors.js';
import { bar } from '../../io/format.js';
import type { LabContext } from '../../lab/context.js';
import { sleep } from '../../lab/solver.js';
import { APP_ALIAS, appFunction, askApp } from './app.js';
import { deploymentGroup, deployments, lambdaTarget, shiftIntervalMinutes, TERMINAL } from './codedeploy.js';
import { cliCommand, hintCommand } from '../../invocation.js';
import { paceClock } from './cloud-time.js';
import { stageElsewhere } from './stage-calls.js';
import { codeDeployCommands, lambdaCommands } from '../../targets/clients.js';

const { GetDeploymentCommand } = codeDeployCommands;
const { GetAliasCommand, GetFunctionConfigurationCommand } = lambdaCommands;

export interface FollowedDeployment {
  deploymentId: string;
  status: string;
  config?: string;
  errorCode?: string;
  errorMessage?: string;
  /** the target version's weights seen, in order, as percentages */
  weightsSeen: number[];
  /** answers of the sampled requests per Lambda version ("2": 14) */
  answersByVersion: Record<string, number>;
  /** sampled answers that were not 200, by status */
  failedAnswers: Record<string, number>;
  durationMs: number;
  rollbackDeploymentId?: string;
  /** the view stopped while the deployment still waited for this lifecycle hook to report */
  leftWaitingIn?: string;
}

export interface FollowOptions {
  /** only a deployment created at or after this time (the deploy that started it) */
  since?: Date;
  /** give up waiting for a deployment to appear after this long (ms) */
  appearWithinMs?: number;
  /** send sample requests through the API while shifting */
  sample?: boolean;
  /** stop following at this point in time regardless (ms from now); default: until it ends */
  maxMs?: number;
  /** stop watching after a lifecycle hook has held the deployment this long (ms); default hookPatienceMs(speed) */
  hookPatienceMs?: number;
  /** called on every poll, e.g. to force an alarm mid-shift; return true to stop sampling */
  onPoll?(d: DeploymentInfo, targetWeight: number): Promise<void> | void;
}

const POLL_MS = 400;

/**
 * How long the view watches a deployment wait for a lifecycle hook's report before it stops and
 * lets the checks say why (a hook that never calls PutLifecycleEventHookExecutionStatus holds it
 * for an hour): two minutes of cloud time, at least 20 s of real time (a hook's cold start).
 */
export function hookPatienceMs(speed: number): number {
  return Math.max(20_000, 120_000 / speed);
}

export async function findDeployment(ctx: LabContext, since: Date | undefined, appearWithinMs: number): Promise<DeploymentInfo | undefined> {
  // the deployer names the deployment it started; else the group's newest one since the deploy
  const fn = appFunction(ctx).name;
  const started = ctx.lastDeployments?.find((d) => d.functionName === fn);
  if (started) {
    const r = await ctx.clients.codeDeploy.send(new GetDeploymentCommand({ deploymentId: started.deploymentId }), { abortSignal: ctx.signal });
    if (r.deploymentInfo) return r.deploymentInfo;
  }
  if (ctx.lastDeployments && !started) return undefined;
  const ref = deploymentGroup(ctx);
  const deadline = performance.now() + appearWithinMs;
  for (;;) {
    const [latest] = await deployments(ctx, ref, ctx.signal, 1);
    if (latest && (!since || (latest.createTime?.getTime() ?? 0) >= since.getTime() - 2000)) return latest;
    if (performance.now() >= deadline) return undefined;
    await sleep(POLL_MS, ctx.signal);
  }
}

/**
 * The version the alias stays at when a deploy with DeploymentPreference deployed started no
 * deployment because the code did not change: its CodeSha256 is $LATEST's. SAM's AutoPublishAlias
 * publishes a new version only when the function's code (CodeUri) changes ("automatically publish
 * a new Lambda Version every time you push new code", AutoPublishAlias in the SAM Developer Guide,
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-autopublishalias;
 * "Lambda doesn't publish a version if the function's configuration and code haven't changed
 * since the last version", https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html),
 * and CodeDeploy shifts the alias only to a new version. Without a deployment group (no
 * DeploymentPreference deployed) the alias moves at once, to a version with $LATEST's code too:
 * undefined then, as when the codes differ.
 */
async function unchangedCodeVersion(ctx: LabContext): Promise<string | undefined> {
  deploymentGroup(ctx);
  const fn = appFunction(ctx).name;
  const lambda = ctx.clients.lambda;
  const alias = await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: APP_ALIAS }), { abortSignal: ctx.signal });
  const at = alias.FunctionVersion;
  if (!at || at === '$LATEST') return undefined;
  const [kept, latest] = await Promise.all([
    lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn, Qualifier: at }), { abortSignal: ctx.signal }),
    lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }), { abortSignal: ctx.signal }),
  ]);
  return kept.CodeSha256 && kept.CodeSha256 === latest.CodeSha256 ? at : undefined;
}

/**
 * The group's newest deployment when it ended Succeeded releasing Lambda version `version` (the
 * one the alias stays at): a deploy of the same code after it starts none, and there is nothing to
 * change. Undefined otherwise (none, still running, refused, or another version's).
 */
async function releaseOf(ctx: LabContext, version: string): Promise<string | undefined> {
  const [newest] = await deployments(ctx, deploymentGroup(ctx), ctx.signal, 1);
  if (!newest?.deploymentId || newest.status !== 'Succeeded') return undefined;
  const target = await lambdaTarget(ctx, newest.deploymentId, ctx.signal);
  return target?.lambdaFunctionInfo?.targetVersion === version ? newest.deploymentId : undefined;
}

export async function followDeployment(ctx: LabContext, opts: FollowOptions = {}): Promise<FollowedDeployment | undefined> {
  const io = ctx.io;
  const found = await findDeployment(ctx, opts.since, opts.appearWithinMs ?? 15_000);
  if (!found?.deploymentId) {
    const kept = await unchangedCodeVersion(ctx).catch(() => undefined);
    const released = kept === undefined ? undefined : await releaseOf(ctx, kept).catch(() => undefined);
    if (released) {
      // the release of this very code has ended (followed, then left when the lab stopped, say): it is what the checks read
      io.say(
        `no CodeDeploy deployment started: src/app.mjs did not change since deployment ${released}, which released it (Lambda version ${kept}) and ended Succeeded; the alias "${APP_ALIAS}" serves it, and the checks read that release`,
      );
    } else if (kept !== undefined) {
      io.say(
        `no CodeDeploy deployment started: src/app.mjs did not change, so this deploy published no new Lambda version and the alias "${APP_ALIAS}" stays at Lambda version ${kept}, which has the same code; only a new version starts a deployment: change src/app.mjs and deploy again`,
      );
    } else io.say('no CodeDeploy deployment started (the alias already pointed at this version, or DeploymentPreference is not deployed)');
    await ctx.settleDeploy();
    return undefined;
  }
  const id = found.deploymentId;
  const fn = appFunction(ctx).name;
  const interval = shiftIntervalMinutes(found.deploymentConfigName);
  // the samples go through the API's stage: one that does not call "live" (the canary chapter's
  // promotion leaves lambdaAlias=N on it) answers from what it calls, and the view says so
  const elsewhere = opts.sample ? await stageElsewhere(ctx, ctx.signal) : undefined;
  if (elsewhere) io.say(elsewhere.said);
  io.say('look yourself in another terminal:');
  io.command(ctx.aws(`deploy get-deployment --deployment-id ${id}`));
  // the view's title names the deployment and the local speed; its first line, the configuration
  ctx.following?.(id);
  const live = io.live(`deployment ${id}${ctx.target === 'local' && ctx.speed !== 1 ? ` (${ctx.speed}x faster)` : ''}`, 3000, { quit: 'stop following' });
  // q stops following (the deployment goes on in the cloud), as Ctrl-C does, and quits the lab as q at a prompt
  const watching = AbortSignal.any([ctx.signal, live.quit]);
  const started = performance.now();
  const weights: number[] = [];
  const answers: Record<string, number> = {};
  const failed: Record<string, number> = {};
  // the failed answers that name the Lambda version that gave them (the app's own 500s), by version
  const failedFrom: Record<string, Record<string, number>> = {};
  let lastWeight = -1;
  let lastShiftAt = performance.now();
  let info: DeploymentInfo = found;
  let inFlight = 0;
  let sent = 0;
  let unanswered = 0;
  // the hook event waited on, and since when (real time)
  let hook: { event: string; since: number } | undefined;
  let leftWaitingIn: string | undefined;
  // the view's lines as last drawn, with the answers as they stand; ended: the view's last frame
  let frame: ((ended: boolean) => string[]) | undefined;
  const end = () => live.done(frame?.(true));
  // the local cloud's clock, faster than real time, waits for the sampled answers (cloud-time.ts)
  const pace = opts.sample ? await paceClock(ctx) : undefined;
  let sampling = true;
  const sample = () => {
    // up to 8 in flight: versions 2 and 3 answer after 3 s, and a new version must meet traffic
    // within a shift whose minutes last 60/speed seconds
    if (!opts.sample || !sampling || inFlight >= 8) return;
    inFlight++;
    sent++;
    askApp(ctx, AbortSignal.any([ctx.signal, AbortSignal.timeout(15_000)]))
      .then((a) => {
        if (a.status === 200) answers[a.functionVersion ?? '?'] = (answers[a.functionVersion ?? '?'] ?? 0) + 1;
        else {
          failed[a.status] = (failed[a.status] ?? 0) + 1;
          if (a.functionVersion) {
            const by = (failedFrom[a.functionVersion] ??= {});
            by[a.status] = (by[a.status] ?? 0) + 1;
          }
        }
        return true;
      })
      .catch(() => {
        unanswered++;
        return false;
      })
      .then((answered) => {
        inFlight--;
        if (!pace || !sampling) return;
        // paced: the clock goes on as answers come back (a failed request too, or it would stand
        // still), and the next request goes out at once after an answer (after a failure, at the
        // next poll: a cloud that went away refuses at once)
        pace.answered();
        if (answered) sample();
      });
  };
  try {
    for (;;) {
      if (live.quit.aborted) throw live.quit.reason;
      const d = await ctx.clients.codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }), { abortSignal: watching });
      info = d.deploymentInfo ?? info;
      const target = await lambdaTarget(ctx, id, watching).catch(() => undefined);
      const alias = await ctx.clients.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: APP_ALIAS }), { abortSignal: watching });
      const from = target?.lambdaFunctionInfo?.currentVersion ?? alias.FunctionVersion ?? '?';
      const to = target?.lambdaFunctionInfo?.targetVersion ?? '?';
      const extra = alias.RoutingConfig?.AdditionalVersionWeights ?? {};
      // the alias is the truth for traffic: FunctionVersion plus AdditionalVersionWeights (fractions)
      const toWeight = alias.FunctionVersion === to ? 1 : (extra[to] ?? 0);
      const pct = Math.round(toWeight * 100);
      if (pct !== lastWeight) {
        if (lastWeight >= 0) lastShiftAt = performance.now();
        lastWeight = pct;
        weights.push(pct);
      }
      sample();
      // paced, the lab keeps 8 in flight: the cloud's clock runs at the pace of their answers
      while (pace && sampling && inFlight < 8) sample();
      await opts.onPoll?.(info, toWeight);
      // the event in progress; once it ended, the one that failed (a stopped shift ends in AllowTraffic), else the last that succeeded
      const events = target?.lifecycleEvents ?? [];
      const current = events.find((e) => e.status === 'InProgress') ?? events.find((e) => e.status === 'Failed') ?? events.filter((e) => e.status === 'Succeeded').at(-1);
      const event = current?.lifecycleEventName && `${current.lifecycleEventName}${current.status === 'Failed' ? ' failed' : ''}`;
      const next = interval && info.status === 'InProgress' && pct > 0 && pct < 100 ? Math.max(0, (interval * 60_000) / ctx.speed - (performance.now() - lastShiftAt)) : undefined;
      // rows of Lambda versions (the app's own number may differ): `Lambda version 12  ███… 100 %`
      const width = Math.max(10, Math.min(40, io.width - 37));
      const status = info.status ?? '?';
      // the answers are read when the frame is drawn: the last frame, drawn once the view ended, says so
      frame = (ended) => [
        ...statusLines(status, event, info.deploymentConfigName, io.width),
        `Lambda version ${from.padEnd(3)} ${bar(1 - toWeight, width)} ${String(100 - pct).padStart(3)} %`,
        `Lambda version ${to.padEnd(3)} ${bar(toWeight, width)} ${String(pct).padStart(3)} %`,
        ...footLines(next !== undefined ? `next shift in ~${Math.ceil(next / 1000)} s` : '', sampledAnswers({ answers, failed, failedFrom, versions: [from, to], sent: opts.sample ? sent : undefined, unanswered, ended, stageCalls: elsewhere?.calls }), io.width),
      ];
      live.update(frame(false));
      if (TERMINAL.has(info.status ?? '')) break;
      const waiting = target?.lifecycleEvents?.find((e) => e.status === 'InProgress' && /^(Before|After)AllowTraffic$/.test(e.lifecycleEventName ?? ''))?.lifecycleEventName;
      if (waiting !== hook?.event) hook = waiting ? { event: waiting, since: performance.now() } : undefined;
      if (hook && performance.now() - hook.since > (opts.hookPatienceMs ?? hookPatienceMs(ctx.speed))) {
        leftWaitingIn = hook.event;
        break;
      }
      if (opts.maxMs !== undefined && performance.now() - started > opts.maxMs) break;
      await sleep(POLL_MS, watching);
    }
  } catch (err) {
    if (ctx.signal.aborted || live.quit.aborted) {
      end();
      io.say(`stopped watching; deployment ${id} goes on in the cloud. Look again:${hintCommand(cliCommand(['status', '--workspace', ctx.ws.root]))}\nor with the aws CLI:`);
      io.command(ctx.aws(`deploy get-deployment --deployment-id ${id}`));
      throw ctx.signal.aborted ? new InterruptedError() : new LearnerQuit();
    }
    if (ctx.target === 'local' && connectionLost(err)) {
      // the cloud's process went away (killed, crashed, `emulator stop`): the view ends on what it saw last
      end();
      const open = !TERMINAL.has(info.status ?? '');
      throw new CloudStoppedError(`the local cloud stopped while the lab followed CodeDeploy deployment ${id} (${info.status ?? '?'})`, undefined, open ? id : undefined);
    }
    end();
    throw err;
  } finally {
    sampling = false;
    await pace?.release();
  }
  end();
  // seen to its end: nothing to say on resume (a view left early keeps it: the deployment goes on)
  if (TERMINAL.has(info.status ?? '')) ctx.following?.(undefined);
  const result: FollowedDeployment = {
    deploymentId: id,
    status: info.status ?? '?',
    config: info.deploymentConfigName,
    errorCode: info.errorInformation?.code,
    errorMessage: info.errorInformation?.message,
    weightsSeen: weights,
    answersByVersion: answers,
    failedAnswers: failed,
    durationMs: Math.round(performance.now() - started),
    rollbackDeploymentId: info.rollbackInfo?.rollbackDeploymentId,
    leftWaitingIn,
  };
  if (leftWaitingIn) {
    io.say(`deployment ${id} is still waiting in ${leftWaitingIn} for its hook to report: the lab stops watching here (the deployment goes on in the cloud) and checks why.`);
    return result;
  }
  // the view's last frame shows the status; the code says why (CodeDeploy's message for it is kept in the result)
  if (result.errorCode) io.say(`deployment ${id}: ${result.status} (${result.errorCode})`);
  // aws: sam deploy ends after the deployment (CloudFormation waited for it), and a rollback with it
  await ctx.settleDeploy();
  return result;
}

/** the widest status and event the first line can show (CodeDeploy's DeploymentStatus, a failed lifecycle event) */
const WIDEST_STATUS = 'InProgress · BeforeAllowTraffic failed';

/**
 * The view's first line: the deployment's status, its lifecycle event and its configuration, by
 * the names `aws deploy get-deployment` shows (status, deploymentConfigName). Where the three do
 * not fit the terminal (at 80 columns `InProgress · BeforeAllowTraffic ·
 * CodeDeployDefault.LambdaLinear10PercentEvery1Minute` is 85 wide) the configuration takes a line
 * of its own, for the whole view: decided on the widest status and event, not on the one shown,
 * so the view does not grow a line when the hook's event comes and shrink when AllowTraffic does.
 * The live region leaves a terminal's last column free (a character there wraps the cursor).
 */
export function statusLines(status: string, event: string | undefined, config: string | undefined, width: number): string[] {
  const head = `${status}${event ? ` · ${event}` : ''}`;
  if (!config) return [head];
  return `${WIDEST_STATUS} · ${config}`.length <= width - 1 ? [`${head} · ${config}`] : [head, config];
}

/**
 * After API Gateway's own 502 (a function that threw, crashed or timed out: "Handling Lambda errors
 * with an API Gateway API", wire-protocols §12.2), which names no version: said so, so a version at
 * 0 beside it is not read as one that got no traffic (the alarm's lesson: the new version throws).
 */
const UNNAMED_502 = " (the function's errors: no version named)";

/**
 * The view's count of sampled answers: the 200s by the Lambda version that served them (`from
 * Lambda v1: 14, v2: 0`, the rows' Lambda versions, not the app's), the two versions of the shift
 * always named (`v1: 14, v2: 0` while the new one has 0 %: none of its answers, not a
 * figure missing). A failed answer that names the version that gave it (the app's own 500, with
 * its X-Function-Version) is counted under that version (`v4: 96 failed [500]`, `v4: 3 + 96 failed
 * [500]` beside 200s), so a version that answered only failures does not read as one that got no
 * traffic; then the failures that name no version (API Gateway's own 502 for a function that
 * threw), and the requests that got no answer. Before the first
 * answer comes back (version 2 and later wait 3 s) it says so, with how many were sent; in the
 * view's last frame (`ended`: a hook refused the release within seconds, or the view was stopped)
 * that none came back before the end, not "yet" of a view that is over. Empty when the view sends
 * no requests (`sent` undefined).
 */
export function sampledAnswers(s: {
  answers: Record<string, number>;
  /** every answer that was not 200, by status (those of failedFrom included) */
  failed: Record<string, number>;
  /** the failed answers that named the Lambda version that gave them: version → status → count */
  failedFrom?: Record<string, Record<string, number>>;
  versions: readonly string[];
  sent: number | undefined;
  unanswered: number;
  ended?: boolean;
  /** what the stage calls when it is not the alias the shift moves (`v6`): the count names only what answered, and says what the stage calls */
  stageCalls?: string;
}): string {
  if (s.sent === undefined) return '';
  const from = s.failedFrom ?? {};
  // the failures no version claims: the total by status less those counted under a version
  const failed = Object.entries(s.failed)
    .map(([code, n]): [string, number] => [code, n - Object.values(from).reduce((sum, by) => sum + (by[code] ?? 0), 0)])
    .filter(([, n]) => n > 0);
  const lost = s.unanswered ? ` · no answer ${s.unanswered}` : '';
  const via = s.stageCalls ? ` (the stage calls ${s.stageCalls})` : '';
  if (!Object.keys(s.answers).length && !Object.keys(from).length && !failed.length && !s.unanswered) {
    // ended: said as the view's end, not as requests that failed (`no answer back before the view
    // ended` read to a reviewer as 8 failing requests after an all-at-once release)
    return s.ended ? `the view ended before any of its ${s.sent} sample request${s.sent === 1 ? '' : 's'} answered${via}` : `no answer back yet (${s.sent} sent)${via}`;
  }
  // the shift's two versions at 0 are a figure only while the samples can reach them (the stage calls the alias)
  const shift = s.stageCalls ? [] : s.versions.filter((v) => v !== '?');
  const versions = [...new Set([...shift, ...Object.keys(s.answers), ...Object.keys(from)])];
  const count = (v: string) => {
    const fails = Object.entries(from[v] ?? {}).map(([code, n]) => `${n} failed [${code}]`);
    const ok = s.answers[v] ?? 0;
    return [...(ok || !fails.length ? [String(ok)] : []), ...fails].join(' + ');
  };
  const ok = versions.length ? `from Lambda ${versions.map((v) => `v${v}: ${count(v)}`).join(', ')}` : 'no 200';
  return `answers ${ok}${via}${failed.length ? ` · failed ${failed.map(([code, n]) => `[${code}] ${n}${code === '502' ? UNNAMED_502 : ''}`).join(', ')}` : ''}${lost}`;
}

/**
 * The view's last line: the next shift and the answers, side by side where they fit the terminal
 * (`width`), else each on a line of its own, so the answers do not break mid-count at 80 columns.
 */
export function footLines(next: string, answers: string, width: number): string[] {
  const parts = [next, answers].filter(Boolean);
  const joined = parts.join(' · ');
  return joined.length <= width - 1 || parts.length < 2 ? (joined ? [joined] : []) : parts;
}
