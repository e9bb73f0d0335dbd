/**
 * Chapter 4.1.3 · hooks and alarms: three releases, three ways CodeDeploy refuses them.
 *   1. a PreTraffic hook that reports Failed stops the deployment before any traffic moves;
 *   2. with a good hook and an Errors alarm, forcing the alarm (set-alarm-state) mid-shift rolls back;
 *   3. a version that throws is rolled back by its Errors alarm alone, from real metrics.
 * Each is checked by the deployment's status and error code, and by where the alias points.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { LabError } from '../errors.js';
import { FileBackup } from '../lab/backups.js';
import { readTextFile, writeTextFile } from '../lab/workspace.js';
import { deployChange, untilReadyToDeploy } from '../lab/solver.js';
import { samAppPatch, templatesRoot } from '../lab/reference.js';
import { hintCommand, notYet, passed, showing, workspaceFiles, type CheckOutcome, type LiveCheck, type StaticCheck } from '../lab/check.js';
import type { LabContext } from '../lab/context.js';
import type { Solve, Step, StepRelease } from '../lab/step.js';
import { APP_ALIAS, APP_FUNCTION as appFunctionId, appFunction, askApp, functionName, servedBy, whenDeployed } from './shared/app.js';
import { weightsInWords } from './shared/words.js';
import { alarmForcer, alarmHistoryCommand, alarmMetric, alarmTransitions, alreadyInAlarmHint, errorsAlarmName, groupAlarmsClear, groupAlarmsInAlarm, setAlarmCommand } from './shared/alarms.js';
import { deploymentGroup, deployments, getDeploymentCommand, groupNames, lambdaTarget, TERMINAL } from './shared/codedeploy.js';
import { followDeployment } from './shared/deployment-view.js';
import { cloudSpan } from './shared/cloud-time.js';
import { APP_CODE, appRelease, releaseAgain, withoutNewVersionMark } from './shared/release.js';
import { preTrafficHookCode, readsHookStatus, REFERENCE_HOOK, referenceHook } from './shared/hook-code.js';
import { editSolve, type MoreFiles } from './shared/solve.js';
import { whyTheApiFailed } from './shared/function-failure.js';
import { stageBeforeCanary } from './shared/stage-before-canary.js';
import { displayPath } from '../io/format.js';
import { afterQuitting } from '../lab/outside.js';
import { addedThrows, throwCount, throwsOf, throwStatements } from './shared/app-code.js';
import { alarmsWatchErrors, deploymentTypeIsStep, ERRORS_METRIC, errorsDimensions, grantReporting, HOOK_STATUS_ACTION, hookMayReport, hookReportPermissions, hooksPrefixed, metricCounts, parsedTemplate, templateParses, timeoutAbove3 } from './shared/template-checks.js';
import { lambdaCommands } from '../targets/clients.js';

const { GetAliasCommand } = lambdaCommands;

export const hooksChapter = { id: 'hooks-alarms', title: 'Hooks and alarms', section: '4.1.3' };

const DOCS = [
  { title: 'AppSpec hooks for Lambda deployments', url: 'https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-lambda' },
  { title: 'PutLifecycleEventHookExecutionStatus', url: 'https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html' },
  { title: 'CodeDeploy and CloudWatch alarms', url: 'https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html' },
  { title: 'set-alarm-state', url: 'https://docs.aws.amazon.com/cli/latest/reference/cloudwatch/set-alarm-state.html' },
];

/** what Lambda counts as Errors: only what the function throws, not the answers it returns */
const METRICS_DOC = 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html';

/** the newest deployment the learner started (not a rollback CodeDeploy made) */
async function lastRelease(ctx: LabContext, signal: AbortSignal): Promise<{ release?: DeploymentInfo; all: DeploymentInfo[] }> {
  const all = await deployments(ctx, deploymentGroup(ctx), signal, 10);
  return { release: all.find((d) => d.creator !== 'codeDeployRollback'), all };
}

const listCommand = (ctx: LabContext) => {
  const g = groupNames(ctx);
  return ctx.aws(`deploy list-deployments --application-name ${g.application} --deployment-group-name ${g.group}`);
};

type HintFor = (d: DeploymentInfo, ctx: LabContext, signal: AbortSignal) => string | undefined | Promise<string | undefined>;

const DEPLOY_YOUR_CHANGE = 'deploy your change: only a new version of the function starts a deployment (the deploy says "no CodeDeploy deployment started" when there is none)';

/**
 * The release of this step (newer than `earlierStep`'s) ended `status` with `code`; a helpful word
 * when it is still running or ended otherwise.
 */
function releaseEnded(
  name: string,
  status: 'Failed' | 'Stopped',
  code: string,
  hintFor: HintFor,
  earlierStep: string,
  find: FindRelease = (ctx, signal) => releaseOfThisStep(ctx, signal, earlierStep),
  /** read when the release ended as the step wants: a notYet when what ended it was not the lesson's */
  endedBy?: (ctx: LabContext, signal: AbortSignal) => Promise<CheckOutcome | undefined>,
): LiveCheck {
  return {
    name,
    aws: listCommand,
    timeoutMs: 20_000,
    run: (ctx, signal) =>
      whenDeployed(async (): Promise<CheckOutcome> => {
        // a release of this step, not the one an earlier step left behind
        const { release, earlier, fixedBy } = await find(ctx, signal);
        if (earlier) return notYet(`a new release, ${status} with ${code}`, `the last release is still ${earlier} of ${earlierStep}`, DEPLOY_YOUR_CHANGE);
        if (!release) return notYet(`a deployment that ended ${status} (${code})`, 'no deployment yet');
        const found = `${release.deploymentId} ${release.status}${release.errorInformation?.code ? ` (${release.errorInformation.code})` : ''}`;
        // list-deployments, the check's own command, gives only ids: this one shows what was found
        const show = getDeploymentCommand(ctx, release.deploymentId ?? '');
        if (release.status === status && release.errorInformation?.code === code) {
          const wrong = await endedBy?.(ctx, signal);
          if (wrong) return showing(wrong, show);
          ctx.figure('deploymentId', release.deploymentId ?? null);
          ctx.figure('errorCode', code);
          return showing(passed(fixedBy ? `${found}; then ${fixedBy.deploymentId} put "live" back on a good version` : found), show);
        }
        return showing(notYet(`${status} with ${code}`, found, await hintFor(release, ctx, signal)), show);
      }),
  };
}

interface FoundRelease {
  release?: DeploymentInfo;
  all: DeploymentInfo[];
  earlier?: string;
  /** the release after `release` that put "live" back on a good version (hooks-errors' way back) */
  fixedBy?: DeploymentInfo;
  /** the version it put "live" on, which answers 200 */
  fixedOn?: string;
}

type FindRelease = (ctx: LabContext, signal: AbortSignal) => Promise<FoundRelease>;

/** the newest release, unless it is the one `earlierStep` left behind (this step has not released yet) */
async function releaseOfThisStep(ctx: LabContext, signal: AbortSignal, earlierStep: string): Promise<FoundRelease> {
  const found = await lastRelease(ctx, signal);
  const earlier = ctx.allFigures()[earlierStep]?.deploymentId;
  if (earlier && found.release?.deploymentId === earlier) return { all: found.all, earlier: String(earlier) };
  return found;
}

/**
 * In the lab, d releases only a version that throws (appCodeThrows holds it back otherwise), so the
 * way back's first release, code that answers 200, is "do it for me"'s (errorsSolve) or a shell's:
 * the lab's `deploy`, which runs only once the lab is quit (start holds the workspace).
 */
function wayBackByA(ctx: LabContext): string {
  return `In the lab, d deploys only a version that throws: press a, and the lab does both (it releases the previous step's code first); or, to deploy that first release yourself, ${afterQuitting({ workspace: ctx.ws.root, target: ctx.target }, [['deploy']])}.`;
}

/** the step's figure that keeps the version "live" served alone when the step began */
export const LIVE_AT_START = 'liveVersionAtStart';

/**
 * A hook step's `prepare`: keeps the version "live" serves alone as the step begins, once (a
 * resumed step keeps what it found first). A release of the step that goes through (a version
 * that returns 500s is no error to the alarm) moves "live", and a later release that is refused
 * rolls back to that one: the rollback target alone is no proof of a good version. Nothing is kept
 * when "live" cannot be read or is mid-shift; the check then asks the app instead.
 */
function recordLiveVersion(stepId: string): (ctx: LabContext) => Promise<void> {
  return async (ctx) => {
    // done again after the canary chapter: the stage calls "live" again first (stage-before-canary.ts)
    await stageBeforeCanary(ctx, stepId);
    if (ctx.allFigures()[stepId]?.[LIVE_AT_START] !== undefined) return;
    let version: string | undefined;
    try {
      const alias = await ctx.clients.lambda.send(new GetAliasCommand({ FunctionName: appFunction(ctx).name, Name: APP_ALIAS }), { abortSignal: ctx.signal });
      if (!Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).length) version = alias.FunctionVersion;
    } catch {
      // nothing deployed yet, or the cloud not reachable: the checks say so themselves
    }
    if (version) ctx.figure(LIVE_AT_START, version);
  };
}

/**
 * "live" answers `status` from `version`, the rollback's target: a release of this step went
 * through with a broken version, and the refused one went back to it. How to get back.
 */
export function brokenRollbackHint(wayBack: string, version: string, status: number, atStart: string | undefined): string {
  return [
    `"live" went back to Lambda version ${version}, and it answers HTTP ${status}: a release of this step went through with a broken version${atStart ? ` ("live" was on Lambda version ${atStart} when the step began)` : ''}, and the refused release rolled back to it.`,
    'To get "live" onto a good version: put src/app.mjs back to code that answers 200 (the previous step\'s) and deploy; wait until that release Succeeded, then deploy this step\'s change again.',
    wayBack,
    // the page last, after a colon, nothing glued to it: `(URL).` was 81 wide in a check's hint
    status === 500 ? `A handler that returns statusCode 500 is no error to Lambda: its Errors metric counts only errors the function throws (unhandled), so the alarm let that release through: ${METRICS_DOC}` : '',
  ].filter(Boolean).join(' ');
}

/**
 * The alias serves the last good version alone: the bad release never kept any traffic. "Good":
 * the version "live" served when the step began (recorded by `recordLiveVersion`), or else one
 * that answers 200 through the API.
 */
function aliasBackOnGood(earlierStep: string, stepId: string, find: FindRelease = (ctx, signal) => releaseOfThisStep(ctx, signal, earlierStep)): LiveCheck {
  return {
    name: `the alias "${APP_ALIAS}" is back on the last good version alone`,
    aws: (ctx) => ctx.aws(`lambda get-alias --function-name ${functionName(ctx)} --name ${APP_ALIAS}`),
    run: (ctx, signal) =>
      whenDeployed(async () => {
        const { release, earlier, fixedBy, fixedOn } = await find(ctx, signal);
        if (earlier) return notYet('a new release, refused', `the last release is still ${earlier} of ${earlierStep}`, DEPLOY_YOUR_CHANGE);
        if (!release?.deploymentId) return notYet('a release that was refused', 'no deployment yet');
        // the refused release went back to a broken version, and a later release put "live" on a good one (the finder asked it)
        if (fixedBy) return passed(`Lambda version ${fixedOn} alone, answering 200: ${fixedBy.deploymentId} put it there after ${release.deploymentId} was rolled back`);
        const target = await lambdaTarget(ctx, release.deploymentId, signal);
        const good = target?.lambdaFunctionInfo?.currentVersion;
        const bad = target?.lambdaFunctionInfo?.targetVersion;
        const alias = await ctx.clients.lambda.send(new GetAliasCommand({ FunctionName: appFunction(ctx).name, Name: APP_ALIAS }), { abortSignal: signal });
        const extra = alias.RoutingConfig?.AdditionalVersionWeights ?? {};
        const found = `Lambda version ${alias.FunctionVersion}${Object.keys(extra).length ? ` plus ${weightsInWords(extra)}` : ' alone'}`;
        // "back" once the release has ended: while it waits (a hook that has not reported) the alias has not moved yet
        if (!TERMINAL.has(release.status ?? '')) return notYet(`Lambda version ${good ?? '?'} alone, once ${release.deploymentId} has ended`, `${found}; ${release.deploymentId} ${release.status ?? '?'}`, 'the deployment is still running');
        // it went through: nothing was rolled back, and the version it moved "live" from (currentVersion)
        // is no good one to go back to; the last that passed is the one it released, when that answers 200
        if (release.status === 'Succeeded') return wentThrough(ctx, signal, release, found);
        if (good && alias.FunctionVersion === good && !Object.keys(extra).length) {
          const atStart = ctx.allFigures()[stepId]?.[LIVE_AT_START];
          // "good": it answers 200 (asked, not assumed): a release of this step that went through
          // may have moved "live" onto a version that does not throw, or one that returns 500s
          const answer = await askApp(ctx, signal);
          if (answer.status === 200) return passed(`${answer.functionVersion === good ? servedBy(answer) : `Lambda version ${good}`} alone, answering 200 (not Lambda version ${bad}, the refused one)`);
          return notYet(
            `a version that answers 200${atStart !== undefined && good !== atStart ? ` (Lambda version ${String(atStart)} served "live" when this step began)` : ''}`,
            `${found}, which answers HTTP ${answer.status}`,
            good === atStart
              ? `"live" is back on Lambda version ${good}, where it was when this step began, and it answers HTTP ${answer.status}. ${(await whyTheApiFailed(ctx, signal, answer.status, answer.ms)) ?? ''}`.trim()
              : brokenRollbackHint(wayBackByA(ctx), good, answer.status, atStart === undefined ? undefined : String(atStart)),
          );
        }
        return notYet(`Lambda version ${good ?? '?'} alone`, found, release.status === 'InProgress' ? 'the deployment is still running' : undefined);
      }),
  };
}

/**
 * aliasBackOnGood when the newest release Succeeded: no rollback happened, so there is nothing to be
 * "back" on yet, and the check says what it needs (it named the version that release put on
 * "live" as the one a refused release would stay on: "refused" and "staying on" the version just
 * released read as one contradiction).
 */
async function wentThrough(ctx: LabContext, signal: AbortSignal, release: DeploymentInfo, found: string): Promise<CheckOutcome> {
  const answer = await askApp(ctx, signal).catch((err) => {
    if (signal.aborted) throw err;
    return undefined;
  });
  const nothingBack = `${release.deploymentId} Succeeded and put it on "live": nothing was rolled back`;
  // "live" is on the version that release put there, not back on one: nothing to call good yet
  return notYet('a release refused by its alarm, and "live" back on a version that answers 200', `${found}, answering ${answer ? (answer.status === 200 ? '200' : `HTTP ${answer.status}`) : '?'}; ${nothingBack}`);
}

/**
 * A release waiting for its PreTraffic hook: the hook never reported (or has not yet). On AWS the
 * usual cause is a hook whose role may not call codedeploy:PutLifecycleEventHookExecutionStatus
 * (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html):
 * its call is denied, it never reports, and "the deployment is considered to have failed if
 * CodeDeploy is not notified by the Lambda validation function within one hour" (AppSpec 'hooks'
 * section for an AWS Lambda deployment,
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-lambda).
 * The hint says so, and says which way the workspace's template.yaml goes when hookMayReport can
 * read it (the template as it is now; the local cloud enforces no IAM, so there it is not the cause).
 */
async function waitingForHook(ctx: LabContext, release: DeploymentInfo, signal: AbortSignal): Promise<string | undefined> {
  if (release.status !== 'InProgress' || !release.deploymentId) return undefined;
  const target = await lambdaTarget(ctx, release.deploymentId, signal);
  const before = target?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'BeforeAllowTraffic');
  if (before?.status !== 'InProgress') return undefined;
  const waited = `deployment ${release.deploymentId} has waited in BeforeAllowTraffic since ${before.startTime?.toISOString() ?? '?'}`;
  const calls = 'does your hook call PutLifecycleEventHookExecutionStatus with the DeploymentId and LifecycleEventHookExecutionId it was given? A hook that never reports holds the deployment until CodeDeploy gives up (an hour on AWS).';
  let read: ReturnType<typeof hookReportPermissions>;
  try {
    read = hookReportPermissions(workspaceFiles(ctx.ws.samApp));
  } catch {
    read = undefined;
  }
  const missing = read?.find((h) => h.allowed === false);
  const add = (id: string) => `give ${grantReporting(id)}`;
  if (missing && ctx.target === 'aws')
    return `${waited}: your hook may not report. In sam-app/template.yaml there are ${missing.found}, so its call to PutLifecycleEventHookExecutionStatus is denied and the deployment waits for the hook's one-hour timeout before it fails. Stop it, ${add(missing.logicalId)} and deploy again; the hook must also pass back the DeploymentId and LifecycleEventHookExecutionId it was given. To stop it:${hintCommand(ctx.aws(`deploy stop-deployment --deployment-id ${release.deploymentId} --auto-rollback-enabled`))}`;
  if (missing)
    return `${waited}: ${calls} (On AWS the hook must also be allowed to make that call, and sam-app/template.yaml has ${missing.found}: the local cloud enforces no IAM, so that is not why it waits here, but on AWS the call would be denied and the deployment would wait an hour; ${add(missing.logicalId)}.)`;
  if (read?.length && read.every((h) => h.allowed === true))
    return `${waited}: ${calls} Its Policies in sam-app/template.yaml allow ${HOOK_STATUS_ACTION}, so, deployed as they are, the call is not denied: the hook does not make it, or fails before it does.`;
  return `${waited}: ${calls} On AWS the most common cause is a hook that is not allowed to make that call: its role must allow ${HOOK_STATUS_ACTION}, or the call is denied and the deployment waits for the hook's one-hour timeout.`;
}

const stuckInBeforeAllowTraffic: Step['hints'][number] = {
  fromState: async (ctx, signal) => {
    const { release } = await lastRelease(ctx, signal);
    if (!release?.deploymentId) return undefined;
    if (release.errorInformation?.code === 'IAM_ROLE_PERMISSIONS') return `CodeDeploy was not allowed to invoke the hook: its role only allows functions named CodeDeployHook_*. Rename the hook function.`;
    return waitingForHook(ctx, release, signal);
  },
};

export const failingHookStep: Step = {
  id: 'hooks-failing',
  chapter: hooksChapter,
  title: 'a PreTraffic hook that says no',
  explain: [
    'A PreTraffic hook is a function CodeDeploy invokes before any traffic moves; it reports Succeeded or Failed, and on Failed the deployment stops.',
    "Add one that reports Failed, named CodeDeployHook_… (SAM's CodeDeploy role invokes no other), under DeploymentPreference: Hooks: PreTraffic, and release app version 3 of src/app.mjs.",
  ],
  goal: 'the release Failed (HOOK_EXECUTION_FAILURE); "live" still on the last good version',
  action: { kind: 'edit', file: 'template.yaml' },
  notes: ['Teams run smoke tests in a hook: the cheapest safety net.'],
  staticChecks: [templateParses, deploymentTypeIsStep, timeoutAbove3, hooksPrefixed, hookMayReport],
  liveChecks: [
    releaseEnded('the hook refused the release', 'Failed', 'HOOK_EXECUTION_FAILURE', (d, ctx, signal) =>
      d.status === 'Succeeded' ? `it succeeded: does your hook report Failed (status: Failed in PutLifecycleEventHookExecutionStatus)? Is it under DeploymentPreference: Hooks: PreTraffic? ${releaseAgain(ctx, 'hooks-failing')}` : waitingForHook(ctx, d, signal),
      'blue-green',
    ),
    aliasBackOnGood('blue-green', 'hooks-failing'),
  ],
  endChecks: [],
  settleMs: 60_000,
  hints: [
    stuckInBeforeAllowTraffic,
    'Three changes: the hook function (a new resource), Hooks: PreTraffic: !Ref PreTrafficHook under DeploymentPreference, and a new version of src/app.mjs (only a new version starts a deployment).',
    "The hook's code goes in sam-app/hooks/pre-traffic.mjs, a folder of its own: give the hook function CodeUri: hooks/ and Handler: pre-traffic.handler.",
    'The hook gets {DeploymentId, LifecycleEventHookExecutionId} and must pass both back with its status; its Policies must allow codedeploy:PutLifecycleEventHookExecutionStatus.',
  ],
  docs: DOCS,
  solve: editSolve('hooks-failing'),
  release: appRelease,
  prepare: recordLiveVersion('hooks-failing'),
  async follow(ctx) {
    const d = await followDeployment(ctx, { since: ctx.lastDeployAt, sample: true, appearWithinMs: 20_000 });
    if (d) {
      ctx.figure('deploymentId', d.deploymentId);
      ctx.figure('status', d.status);
      ctx.figure('weightsSeen', d.weightsSeen);
    }
  },
};

/**
 * hooks-alarm's release went through: what the alarm's history says of the release's time, not a
 * guess. set-alarm-state holds only until the alarm's next evaluation ("Metric alarms returns to
 * their actual state quickly, often within seconds ... typically only visible in the alarm's
 * History tab ... or through DescribeAlarmHistory",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html), so an
 * ALARM forced mid-shift may be over before CodeDeploy looks (the local cloud reads the history
 * and does not miss it; AWS publishes no poll interval).
 */
export async function forcedAlarmMissed(d: DeploymentInfo, ctx: LabContext, signal: AbortSignal): Promise<string> {
  const again = ctx.ci ? releaseAgain(ctx, 'hooks-alarm') : `${releaseAgain(ctx, 'hooks-alarm')} Then force the alarm while it shifts.`;
  return `it went through${await whyNotStopped(d, ctx, signal)} ${again}`;
}

/** why the alarm did not stop release `d`, from its history: `: the alarm did not stop it.` and the like */
async function whyNotStopped(d: DeploymentInfo, ctx: LabContext, signal: AbortSignal): Promise<string> {
  const name = errorsAlarmName(ctx);
  if (!name || !d.createTime) return ': the alarm did not stop it.';
  const end = d.completeTime?.getTime() ?? Infinity;
  const during = (await alarmTransitions(ctx, name, d.createTime, signal).catch(() => undefined))?.filter((t) => t.at.getTime() <= end);
  if (during === undefined) return ': the alarm did not stop it (its history could not be read).';
  if (!during.length) return ": the alarm's history shows no change to ALARM between the release's start and its end, so nothing forced it while traffic shifted (weights between 0 and 100 %).";
  const at = during.map((t) => t.at.toISOString().slice(11, 23)).join(', ');
  return `, though the alarm went into ALARM at ${at} (UTC, cloud time) while the release ran: set-alarm-state holds only until the alarm's next evaluation, which put it back before CodeDeploy looked at it.`;
}

/**
 * hooks-alarm's release, as d meets it: a release the lab's own deploy made earlier in the run
 * that went through is explained from the alarm's history (the deploy after it starts none).
 */
const alarmRelease: StepRelease = {
  ...appRelease,
  async wentThrough(ctx, id, signal) {
    const d = (await deployments(ctx, deploymentGroup(ctx), signal, 10)).find((x) => x.deploymentId === id);
    if (!d) return undefined;
    return `It went through${await whyNotStopped(d, ctx, signal)} To see the rollback, release a new version and, while its traffic shifts, force the alarm with the set-alarm-state command the lab prints.`;
  },
};

/**
 * hooks-alarm's release Failed: the hook still reports Failed. When the learner's hook (their own
 * from hooks-failing) does not read HOOK_STATUS, the template's HOOK_STATUS: Succeeded changes
 * nothing: that is the cause to name, not the template.
 */
function hookStillFails(ctx: LabContext): string {
  const plan = hookPlan(ctx);
  if (plan?.current) {
    return `your sam-app/${plan.file} reports Failed whatever HOOK_STATUS says: let it report process.env.HOOK_STATUS (as the reference hook, templates/hooks-alarm/${REFERENCE_HOOK}, does) or Succeeded, with HOOK_STATUS: Succeeded in template.yaml. ${releaseAgain(ctx, 'hooks-alarm')}`;
  }
  return 'the hook still reports Failed: let it report Succeeded (HOOK_STATUS: Succeeded in the reference).';
}

/**
 * What hooks-alarm's reference change needs beyond its template: a hook that reports what
 * HOOK_STATUS says. The learner's own hook (hooks-failing lets them write it) may hard-code
 * `status: 'Failed'`; then the reference hook is put in its place (under the export their
 * Handler names), theirs kept in backups/. Undefined when their hook reads HOOK_STATUS.
 */
function hookPlan(ctx: LabContext): { file: string; current: string; next: string } | undefined {
  const hook = preTrafficHookCode(ctx.ws.samApp);
  if (!hook || (hook.text !== undefined && readsHookStatus(hook.text))) return undefined;
  return { file: hook.file, current: hook.text ?? '', next: referenceHook(ctx.reference.after('hooks-alarm', REFERENCE_HOOK), hook.exportName) };
}

const hookReadingStatus: MoreFiles = {
  diff: (ctx) => {
    const plan = hookPlan(ctx);
    return plan ? samAppPatch(plan.file, plan.current, plan.next) : '';
  },
  apply: (ctx, backup) => {
    const plan = hookPlan(ctx);
    if (!plan) return;
    const path = join(ctx.ws.samApp, plan.file);
    const kept = plan.current ? backup.keep(plan.file) : undefined;
    writeTextFile(path, plan.next);
    ctx.io.say(
      plan.current
        ? `replaced sam-app/${plan.file} with the reference hook: yours reports Failed whatever HOOK_STATUS says, so HOOK_STATUS: Succeeded alone would not let the release through (your version is kept as ${displayPath(kept!)})`
        : `wrote the reference hook to sam-app/${plan.file}, which the template's hook function runs`,
    );
  },
};

/**
 * How long the learner has to force the alarm: the time traffic shifts under the template's
 * DeploymentPreference Type, in real time (the local cloud runs CodeDeploy's clock --speed times
 * faster). Linear types add their share every interval from the first at once, so Linear10Percent
 * Every1Minute shifts for 9 minutes; canaries hold their share for one interval ("Linear: Traffic
 * is shifted in equal increments with an equal number of minutes between each increment",
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html#deployment-configuration-lambda).
 * Undefined for AllAtOnce or a template the lab cannot read.
 */
export function shiftWindow(ctx: Pick<LabContext, 'ws' | 'speed' | 'target'>): string | undefined {
  const p = parsedTemplate(workspaceFiles(ctx.ws.samApp));
  if ('error' in p) return undefined;
  const type = p.template.functions.find((f) => f.logicalId === appFunctionId)?.deploymentPreference?.type ?? '';
  const linear = /^Linear(\d+)PercentEvery(\d+)Minutes?$/.exec(type);
  const canary = /^Canary(\d+)Percent(\d+)Minutes$/.exec(type);
  const minutes = linear ? (Math.ceil(100 / Number(linear[1])) - 1) * Number(linear[2]) : canary ? Number(canary[2]) : 0;
  return minutes ? cloudSpan(ctx, minutes) : undefined;
}

export const alarmRollbackStep: Step = {
  id: 'hooks-alarm',
  chapter: hooksChapter,
  title: 'an alarm mid-shift rolls back',
  explain: [
    'Now the hook reports Succeeded, and an alarm on the Errors behind "live" guards the shift: in ALARM, it has CodeDeploy stop and roll the alias back.',
    'Deploy, and while traffic moves, force the alarm with `aws cloudwatch set-alarm-state`: the deploy makes the alarm, and the lab then prints the command, with how long the shift gives you.',
  ],
  goal: 'the release Stopped (ALARM_ACTIVE) and rolled back',
  action: { kind: 'edit', file: 'template.yaml' },
  notes: ["On AWS, set-alarm-state holds only until the alarm's next evaluation (about a minute): it tests the wiring, not the alarm."],
  staticChecks: [templateParses, deploymentTypeIsStep, timeoutAbove3, hooksPrefixed, hookMayReport, alarmsWatchErrors],
  deployChecks: [groupAlarmsClear],
  liveChecks: [
    releaseEnded(
      'the alarm stopped the release',
      'Stopped',
      'ALARM_ACTIVE',
      (d, ctx, signal) => (d.status === 'Succeeded' ? forcedAlarmMissed(d, ctx, signal) : d.status === 'Failed' ? hookStillFails(ctx) : undefined),
      'hooks-failing',
      undefined,
      // an alarm on Invocations stops a release on its ordinary traffic, set-alarm-state or not
      (ctx, signal) => alarmOnErrors(ctx, signal, 'hooks-alarm'),
    ),
    {
      name: 'CodeDeploy rolled back with a deployment of its own',
      aws: listCommand,
      run: (ctx, signal) =>
        whenDeployed(async () => {
          const { release, all, earlier } = await releaseOfThisStep(ctx, signal, 'hooks-failing');
          if (earlier) return notYet('a rollback deployment that Succeeded', `the last release is still ${earlier} of hooks-failing`, DEPLOY_YOUR_CHANGE);
          const rollbackId = release?.rollbackInfo?.rollbackDeploymentId;
          const rollback = all.find((d) => d.deploymentId === rollbackId);
          if (rollback?.status === 'Succeeded') {
            ctx.figure('rollbackDeploymentId', rollbackId ?? null);
            return showing(passed(`${rollbackId} (${rollback.creator}) Succeeded`), getDeploymentCommand(ctx, rollbackId!));
          }
          const outcome = notYet('a rollback deployment that Succeeded', rollbackId ? `${rollbackId} ${rollback?.status ?? '?'}` : 'none');
          return rollbackId ? showing(outcome, getDeploymentCommand(ctx, rollbackId)) : outcome;
        }),
    },
    aliasBackOnGood('hooks-failing', 'hooks-alarm'),
  ],
  endChecks: [],
  settleMs: 60_000,
  hints: [
    {
      fromState: async (ctx, signal) => {
        const { release } = await lastRelease(ctx, signal);
        if (release?.status === 'InProgress') return `deployment ${release.deploymentId} is shifting now: run ${setAlarmCommand(ctx)}`;
        return undefined;
      },
    },
    'Two edits in template.yaml: HOOK_STATUS: Succeeded, and Alarms: [!Ref AliasErrorMetricGreaterThanZeroAlarm] under DeploymentPreference, with the alarm resource itself.',
    'The shift takes about a minute here; run set-alarm-state while the view shows both versions with traffic.',
  ],
  docs: DOCS,
  solve: editSolve('hooks-alarm', hookReadingStatus),
  release: alarmRelease,
  prepare: recordLiveVersion('hooks-alarm'),
  afterPass: keepOwnThrows,
  async follow(ctx) {
    const alarm = errorsAlarmName(ctx);
    // the learner forces it; "do it for me" (and --ci) has the lab force it below, and say so there
    if (alarm && !ctx.ci && !ctx.assisting) {
      const window = shiftWindow(ctx);
      ctx.io.say(`The alarm exists now. While traffic is moving, force it from another terminal${window ? `: traffic shifts for ${window} once the hook has reported, and after that the alarm stops nothing` : ''}:`);
      ctx.io.command(setAlarmCommand(ctx, alarm));
    }
    const d = await followDeployment(ctx, {
      since: ctx.lastDeployAt,
      sample: true,
      appearWithinMs: 20_000,
      // --ci (and "do it for me") force the alarm once traffic has started to move
      onPoll: alarm && ctx.assisting ? alarmForcer(ctx, alarm) : undefined,
    });
    if (d) {
      ctx.figure('status', d.status);
      ctx.figure('weightsSeen', d.weightsSeen);
      ctx.figure('errorCode', d.errorCode ?? null);
    }
  },
};

/**
 * A release of hooks-errors that Succeeded. When "live" now answers an error that the function
 * returned (API Gateway answers 502 for one it threw), Lambda counted no Errors, and the release
 * that throws must not be made on top of it: its rollback would go back to this broken version.
 */
export async function badReleaseWentThrough(d: DeploymentInfo, ctx: LabContext, signal: AbortSignal): Promise<string | undefined> {
  if (d.status !== 'Succeeded') return undefined;
  const answer = await askApp(ctx, signal).catch(() => undefined);
  if (answer && answer.status >= 400 && answer.status !== 502) {
    return returnedErrorHint(wayBackByA(ctx), answer.status, answer.functionVersion ? servedBy(answer) : undefined);
  }
  if (answer?.status === 200 && (await releasesOfThisStep(ctx, signal)).length > 1) {
    // an earlier release of this step: this one may be the fix the lab asked for (back to code that answers 200)
    return `it went through, and "live" answers 200${answer.functionVersion ? ` from ${servedBy(answer)}` : ''}: if this release put "live" back on a good version, as the lab asked, it did; now make the handler throw (throw new Error(…), as app version 4 does) and deploy. If this release was the one meant to throw: did the new version get traffic while it shifted, and does it throw? ${releaseAgain(ctx, 'hooks-errors')}`;
  }
  const released = answer?.status === 200 ? (await lambdaTarget(ctx, d.deploymentId ?? '', signal).catch(() => undefined))?.lambdaFunctionInfo?.targetVersion : undefined;
  if (answer?.status === 200 && released !== undefined && answer.functionVersion === released) {
    // the version it released answers 200 on "live" now: it does not throw (at least not on this request)
    return `it went through, and "live" now serves ${servedBy(answer)}, the version it released, which answers 200: it does not throw, so Lambda counted no Errors and the alarm had nothing to go off on. ${THROW_HINT} ${releaseAgain(ctx, 'hooks-errors')}`;
  }
  // no word on --speed: the lab's view paces the local cloud's clock by its answers (cloud-time.ts),
  // so a busy machine slows the shift rather than ending it before the errors reach CloudWatch
  return `it went through: did the new version get traffic while it shifted, and does it throw? ${releaseAgain(ctx, 'hooks-errors')}`;
}

/**
 * badReleaseWentThrough's words when "live" answers an error the handler returned (`from`: the
 * version that served it). Lambda's page on its metrics is named last, after a colon, with nothing
 * glued to it: in a check's hint (four columns in) `(URL),` was 81 wide, and at 80 columns the
 * terminal put its comma on a line alone.
 */
export function returnedErrorHint(wayBack: string, status: number, from: string | undefined): string {
  return [
    `it went through, and "live" now answers HTTP ${status}${from ? ` from ${from}` : ''}: the handler returns that answer rather than throwing.`,
    'First get "live" back onto a good version: put src/app.mjs back to code that answers 200 and deploy (that release should succeed). Then make the handler throw (throw new Error(…), as app version 4 does) and deploy: released on top of a broken version, it would roll back to the broken one.',
    wayBack,
    `Lambda's Errors metric counts only errors the function throws (unhandled), not ${status >= 500 ? '5xx' : 'error'} answers it returns, so the alarm saw no error: ${METRICS_DOC}`,
  ].join(' ');
}

/** how app version 4 throws, and why throwing is what the alarm needs */
const THROW_HINT = `App version 4 throws on every request: \`throw new Error(…)\` at the top of the handler, before its try (s shows the change; a throw inside the try is caught and returned as an answer). The alarm reads Lambda's Errors metric, which counts only what the function throws (unhandled), not the answers it returns: ${METRICS_DOC}`;

/** a throw the handler's try catches: why it does nothing for the alarm, and where it goes */
const CAUGHT_HINT = `A throw inside a try is caught: the handler's catch turns it into an answer (HTTP 500), so the function does not fail, Lambda counts no Errors, and the alarm never goes off; the release would go through. Move the throw above the handler's \`try {\`, to the top of the handler (s shows app version 4's change). Lambda's Errors metric: ${METRICS_DOC}`;

/** hooks-alarm's figure: the throw statements of the learner's src/app.mjs when that step passed */
export const OWN_THROWS = 'appThrowsAtPass';

/**
 * hooks-alarm passed: keeps the throw statements of the learner's src/app.mjs as it was released
 * for it (hooks-alarm changes only the template and the hook), their own previous version of the
 * code that hooks-errors makes throw. Kept at the first pass, not when hooks-errors begins: a
 * learner who reads ahead and edits app.mjs before the next step starts has made its change already.
 * `reset hooks-alarm` forgets it with the step's other figures.
 */
async function keepOwnThrows(ctx: LabContext): Promise<void> {
  // once: a pass found again on a resume may find the file edited for hooks-errors already
  if (ctx.allFigures()['hooks-alarm']?.[OWN_THROWS] !== undefined) return;
  const path = join(ctx.ws.samApp, APP_CODE);
  if (existsSync(path)) ctx.figure(OWN_THROWS, throwStatements(readTextFile(path)));
}

/**
 * The throws `text` adds: throw statements beyond those of the previous step's code (none) and of
 * the learner's own previous version (hooks-alarm's OWN_THROWS, when kept). A throw of their own
 * that the code had before (one a try catches, say) is no change: `APP_VERSION = 4` beside it
 * releases a version that throws no more than the last one did. Reading the learner's own version
 * as well as the lab's: comparing with the lab's alone passed such a file.
 */
function throwsAdded(text: string, ctx: LabContext | undefined): { added: number; escaping: number; caughtLine?: number; own?: number } {
  let before: string | undefined;
  try {
    before = readFileSync(join(templatesRoot(), 'hooks-failing', APP_CODE), 'utf8');
  } catch {
    // the lab's own copy unreadable: the previous step's code throws nowhere
  }
  const kept = ctx?.allFigures()['hooks-alarm']?.[OWN_THROWS];
  const own = Array.isArray(kept) ? kept.map(String) : undefined;
  const earlier = [throwStatements(before ?? ''), ...(own ? [own] : [])];
  const throws = throwsOf(text);
  // only a throw the handler's try does not catch makes the function fail: a caught one becomes an answer
  const escaping = throws.filter((t) => !t.caught);
  const added = addedThrows(escaping.map((t) => t.statement), earlier);
  // a throw added inside a try: said by its line, where the learner put it
  const caught = added === 0 && addedThrows(throws.map((t) => t.statement), earlier) > 0 ? throws.find((t) => t.caught && !earlier.some((list) => list.includes(t.statement))) ?? throws.find((t) => t.caught) : undefined;
  return { added, escaping: escaping.length, caughtLine: caught?.line, own: own?.length };
}

/**
 * hooks-errors' change is a version that throws: a `throw` statement in src/app.mjs that neither
 * the previous step's code (none) nor the learner's own previous version has (throwsAdded). Said
 * before the deploy: `APP_VERSION = 4` alone, or a handler that returns a 500, releases a version
 * Lambda counts no Errors for; the release goes through, and the step's lesson (the alarm rolls
 * it back) cannot happen. Its first word was the live checks' "did the new version get traffic,
 * and does it throw?" after a release that answered 200.
 */
export const appCodeThrows: StaticCheck = {
  name: 'src/app.mjs throws (app version 4)',
  file: APP_CODE,
  run: (files, ctx) => {
    const text = files.read(APP_CODE);
    const expected = 'a `throw` in the handler (app version 4 throws on every request)';
    if (text === undefined) return notYet(expected, 'no src/app.mjs', THROW_HINT);
    const throws = throwCount(text);
    const { added, escaping, caughtLine, own } = throwsAdded(text, ctx);
    if (added > 0) return passed(`${escaping} throw${escaping === 1 ? '' : 's'}`);
    const version = /^\s*(?:export\s+)?(?:const|let|var)\s+APP_VERSION\s*=\s*(\d+)/m.exec(text)?.[1];
    if (caughtLine !== undefined) return notYet(expected, `${version !== undefined ? `APP_VERSION = ${version}, but ` : ''}the throw on line ${caughtLine} is inside a try, whose catch takes it`, CAUGHT_HINT);
    const none = !throws ? 'no throw in the code' : own ? `no throw beyond the ${own} your src/app.mjs had when hooks-alarm passed` : "no throw beyond those of the previous step's code";
    return notYet(expected, `${version !== undefined ? `APP_VERSION = ${version}, but ` : ''}${none}`, THROW_HINT);
  },
};

/** the releases of hooks-errors, newest first (the group's ten newest deployments, up to hooks-alarm's release); none when hooks-alarm's is not known */
async function releasesOfThisStep(ctx: LabContext, signal: AbortSignal, all?: DeploymentInfo[]): Promise<DeploymentInfo[]> {
  const earlierId = ctx.allFigures()['hooks-alarm']?.deploymentId;
  if (!earlierId) return [];
  const list = all ?? (await deployments(ctx, deploymentGroup(ctx), signal, 10));
  const at = list.findIndex((d) => d.deploymentId === earlierId);
  return (at < 0 ? list : list.slice(0, at)).filter((d) => d.creator !== 'codeDeployRollback');
}

/** "live" now: its version when it serves one alone (not mid-shift), and what the app answers */
async function liveNow(ctx: LabContext, signal: AbortSignal): Promise<{ version: string; status: number } | undefined> {
  try {
    const alias = await ctx.clients.lambda.send(new GetAliasCommand({ FunctionName: appFunction(ctx).name, Name: APP_ALIAS }), { abortSignal: signal });
    if (Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).length || !alias.FunctionVersion) return undefined;
    const answer = await askApp(ctx, signal);
    return { version: alias.FunctionVersion, status: answer.status };
  } catch (err) {
    if (signal.aborted) throw err;
    return undefined;
  }
}

/**
 * The release hooks-errors' checks read. The newest of this step, except after the way back the
 * lab itself gives (brokenRollbackHint, badReleaseWentThrough): a version that returns 500 went
 * through, the one that throws was stopped by the alarm and rolled back onto it, and the learner
 * then released code that answers 200. That last release Succeeded and is no failure of the
 * step: the state it teaches holds (a release that throws was refused by its alarm, and "live"
 * serves a good version), so the checks read the refused release, with the one that fixed "live".
 */
async function errorsRelease(ctx: LabContext, signal: AbortSignal): Promise<FoundRelease> {
  const found = await releaseOfThisStep(ctx, signal, 'hooks-alarm');
  const newest = found.release;
  if (found.earlier || newest?.status !== 'Succeeded') return found;
  const refused = (await releasesOfThisStep(ctx, signal, found.all)).find((d) => d.status === 'Stopped' && d.errorInformation?.code === 'ALARM_ACTIVE');
  if (!refused) return found;
  const live = await liveNow(ctx, signal);
  if (live?.status !== 200) return found;
  return { ...found, release: refused, fixedBy: newest, fixedOn: live.version };
}

/**
 * hooks-errors' "do it for me", from any state. When "live" answers an error (a version that
 * returns 500 went through, and a refused release rolled back onto it), a release that throws
 * would roll back onto that broken version again: the lab first puts src/app.mjs back as the
 * previous step left it (code that answers 200), releases it and waits for it, and says so; then
 * it makes the step's change, which the lab deploys as usual.
 */
const errorsReference = editSolve('hooks-errors');
const errorsSolve: Solve = {
  show: errorsReference.show,
  apply: async (ctx) => {
    const live = await liveNow(ctx, ctx.signal);
    if (live && live.status !== 200) await putLiveBack(ctx, live);
    await errorsReference.apply(ctx);
  },
};

async function putLiveBack(ctx: LabContext, broken: { version: string; status: number }): Promise<void> {
  const good = ctx.reference.before('hooks-errors', APP_CODE);
  if (good === undefined) throw new LabError('the lab has no previous version of src/app.mjs to put back', undefined, 'reinstall the lab: its templates/ folder is incomplete');
  ctx.io.say(
    `first, "live" back on a good version: it serves Lambda version ${broken.version}, which answers HTTP ${broken.status}, and a release that throws would roll back onto it. The lab puts src/app.mjs back as the previous step left it (it answers 200) and releases that:`,
  );
  const path = join(ctx.ws.samApp, APP_CODE);
  if (existsSync(path) && readTextFile(path) !== good) {
    const kept = new FileBackup(ctx.ws, 'before-hooks-errors-way-back').keep(APP_CODE);
    ctx.io.say(`your sam-app/${APP_CODE} is kept as ${displayPath(kept)}`);
  }
  writeTextFile(path, good);
  await untilReadyToDeploy(errorsRollbackStep, ctx);
  await deployChange(errorsRollbackStep, ctx);
  const d = await followDeployment(ctx, { since: ctx.lastDeployAt, sample: true, appearWithinMs: 20_000 });
  const now = await liveNow(ctx, ctx.signal);
  if (now?.status !== 200) {
    throw new LabError(
      `the lab could not put "live" back on a good version: ${d ? `release ${d.deploymentId} ended ${d.status}${d.errorCode ? ` (${d.errorCode})` : ''}` : 'no release started'}, and "live" ${now ? `serves Lambda version ${now.version}, which answers HTTP ${now.status}` : 'could not be read'}`,
      undefined,
      'the checks and h say more; press a again once the alarm is OK',
    );
  }
  ctx.io.say(`"live" is back on Lambda version ${now.version}, which answers 200${d ? ` (release ${d.deploymentId} ${d.status})` : ''}; now this step's change:`);
}

/** the code's text, without comment-only lines and trailing blanks: a comment added (by the lab or the learner) changes no version */
const codeOnly = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !/^\s*\/\//.test(l))
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .join('\n');

/**
 * hooks-errors passed: CodeDeploy rolled "live" back, not sam-app/. src/app.mjs still holds version
 * 4, and the next deploy would publish it again; with no traffic during that shift no Errors are
 * counted, the alarm stays OK and the release goes through. A rollback redeploys "a previously
 * deployed revision of an application as a new deployment" (the alias, here), never the source:
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html.
 * As a developer reverts the commit, the lab puts the file back as the previous step left it (the
 * code that answers 200), the learner's version 4 kept in backups/, and says so; so too a version
 * of the learner's own that throws (a `throw` the previous step's code lacks), the one the alarm
 * refused. A file that is neither (changed some other way, with no throw added) is theirs: kept,
 * and only said. Files only: nothing is deployed.
 */
export async function revertSource(ctx: LabContext): Promise<void> {
  const previous = ctx.reference.before('hooks-errors', APP_CODE);
  const path = join(ctx.ws.samApp, APP_CODE);
  if (previous === undefined || !existsSync(path)) return;
  const current = readTextFile(path);
  if (codeOnly(current) === codeOnly(previous)) return;
  const live = await liveVersionAlone(ctx);
  const rolledBack = `CodeDeploy rolled the alias "${APP_ALIAS}" back${live ? ` (it serves Lambda version ${live})` : ''}, not your source`;
  const reference = codeOnly(current) === codeOnly(ctx.reference.after('hooks-errors', APP_CODE));
  // a version of the learner's own that throws (a throw neither the previous step's code nor their own previous version has) is the one the alarm refused, as app version 4 is
  if (!reference && throwsAdded(current, ctx).added === 0) {
    ctx.io.say(
      `${rolledBack}: sam-app/${APP_CODE} is neither app version 4 nor the previous step's, and adds no throw, so the lab leaves it as it is. If it still fails, put it back to code that answers 200 before you deploy again: a release with no traffic during its shift meets no errors, and the alarm lets it through.`,
    );
    return;
  }
  const what = reference ? 'app version 4' : 'your version that throws';
  // the lab's own text (a, --ci, a catch-up), with at most the line it adds for a new version: not the learner's
  const labs = withoutNewVersionMark(current) === ctx.reference.after('hooks-errors', APP_CODE);
  const kept = new FileBackup(ctx.ws, 'after-hooks-errors').keep(APP_CODE);
  writeTextFile(path, previous);
  ctx.io.say(
    `${rolledBack}: sam-app/${APP_CODE} still held ${what}${reference ? ', which throws' : ''}, and the next deploy would release it again (with no traffic during the shift, no errors, and the alarm would let it through). As a developer reverts the commit, the lab put sam-app/${APP_CODE} back as the previous step left it (code that answers 200); ${labs ? 'app version 4, which the lab wrote (not you),' : reference ? 'your app version 4' : 'your version'} is kept as ${displayPath(kept)}. Nothing was deployed.`,
  );
}

/** the version "live" serves alone now, for what the lab says; undefined when mid-shift or not readable */
async function liveVersionAlone(ctx: LabContext): Promise<string | undefined> {
  try {
    const alias = await ctx.clients.lambda.send(new GetAliasCommand({ FunctionName: appFunction(ctx).name, Name: APP_ALIAS }), { abortSignal: ctx.signal });
    return Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).length ? undefined : alias.FunctionVersion;
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return undefined;
  }
}

/**
 * The deployed Errors alarm watches the function's Errors (AWS/Lambda, FunctionName the app's
 * function): undefined when it does, when it is metric math (not read), or when none is deployed
 * (the other checks say so); else what it watches, as a notYet. The template check
 * (alarmsWatchErrors) says it before a deploy; this reads the alarm the cloud holds, which an older
 * deploy, or one outside the lab, made: an alarm on Invocations goes off on ordinary traffic, and
 * its "Threshold Crossed" is a count of calls.
 */
async function alarmOnErrors(ctx: LabContext, signal: AbortSignal, stepId: 'hooks-alarm' | 'hooks-errors'): Promise<CheckOutcome | undefined> {
  const name = errorsAlarmName(ctx);
  const m = name ? await alarmMetric(ctx, name, signal) : undefined;
  if (!name || !m || m.math) return undefined;
  const fn = appFunction(ctx).name;
  if (m.namespace === ERRORS_METRIC.namespace && m.metricName === ERRORS_METRIC.metricName && m.dimensions.FunctionName === fn) return undefined;
  const dims = Object.entries(m.dimensions).map(([k, v]) => `${k}=${v}`).join(', ');
  const label = m.namespace === ERRORS_METRIC.namespace && m.metricName === ERRORS_METRIC.metricName ? `the Errors of ${m.dimensions.FunctionName ? `another function, ${m.dimensions.FunctionName}` : 'every function'}` : `${m.namespace ?? '?'} ${m.metricName ?? '?'}`;
  const counts = m.namespace === ERRORS_METRIC.namespace ? metricCounts(m.metricName ?? '') : undefined;
  const what =
    stepId === 'hooks-alarm'
      ? 'it can stop a release on its own, set-alarm-state or not, and says nothing of a bad version'
      : 'its "Threshold Crossed" counted that, not the errors of the version that throws';
  return notYet(
    `${name} on ${ERRORS_METRIC.namespace} ${ERRORS_METRIC.metricName} of ${fn}`,
    `${name} on ${m.namespace ?? '?'} ${m.metricName ?? '?'}${dims ? ` (${dims})` : ''}`,
    `the alarm watches ${label}, not ${appFunctionId}'s Errors: ${what}.${counts ? ` ${counts}.` : ''} In template.yaml, put it on MetricName: ${ERRORS_METRIC.metricName}, Namespace: ${ERRORS_METRIC.namespace}, with ${errorsDimensions(appFunctionId, APP_ALIAS)} (the template check says what it reads), and release again. ${releaseAgain(ctx, stepId)}`,
  );
}

export const errorsRollbackStep: Step = {
  id: 'hooks-errors',
  chapter: hooksChapter,
  title: 'a version that throws rolls itself back',
  explain: [
    'Last, a bad release: app version 4 throws on every request. Nobody forces the alarm: its share of the traffic fails, Lambda counts Errors, the alarm goes off, CodeDeploy rolls back.',
    'Replace src/app.mjs with app version 4 and deploy.',
  ],
  goal: 'the release Stopped (ALARM_ACTIVE), the alarm raised by real Errors',
  action: { kind: 'edit', file: 'src/app.mjs' },
  notes: ['The point of the chapter: a bad release undoes itself, and few users meet it.'],
  staticChecks: [templateParses, timeoutAbove3, alarmsWatchErrors, appCodeThrows],
  deployChecks: [groupAlarmsClear],
  liveChecks: [
    releaseEnded('the Errors alarm stopped the bad release', 'Stopped', 'ALARM_ACTIVE', badReleaseWentThrough, 'hooks-alarm', errorsRelease),
    {
      name: 'real Errors raised the alarm during the release, not set-alarm-state',
      aws: (ctx) => alarmHistoryCommand(ctx, errorsAlarmName(ctx) ?? 'ALARM_NAME'),
      run: (ctx, signal) =>
        whenDeployed(async () => {
          const name = errorsAlarmName(ctx);
          if (!name) return notYet('the Errors alarm deployed', 'no alarm in the deployment');
          // the reason's figures are of the alarm's metric: "Threshold Crossed" on Invocations is a count of calls, not of errors
          const watched = await alarmOnErrors(ctx, signal, 'hooks-errors');
          if (watched) return showing(watched, ctx.aws(`cloudwatch describe-alarms --alarm-names ${name}`));
          const { release } = await errorsRelease(ctx, signal);
          if (!release?.createTime) return notYet('a new release that the alarm stopped', 'no new release yet');
          const toAlarm = await alarmTransitions(ctx, name, release.createTime, signal);
          // the history from the release's start, a cloud time CodeDeploy gave: right at any --speed
          const shown = alarmHistoryCommand(ctx, name, release.createTime);
          const byMetric = toAlarm.find((t) => /^Threshold Crossed/.test(t.reason));
          // the reason's first clause: "Threshold Crossed: 1 out of the last 3 datapoints […] was greater than the threshold (0.0)"
          if (byMetric) return showing(passed(byMetric.reason.split(' (minimum')[0]!.slice(0, 140)), shown);
          // stopped, yet no change to ALARM during it: the alarm was in ALARM before it began
          const leftInAlarm = !toAlarm.length && release.status === 'Stopped';
          return showing(
            notYet(
              'a StateUpdate to ALARM with the reason "Threshold Crossed: …"',
              toAlarm.length ? toAlarm.map((t) => t.reason).join('; ') : 'no change to ALARM since the release began',
              leftInAlarm
                ? `the alarm was already in ALARM when ${release.deploymentId} began, so CodeDeploy stopped it before app version 4 met any traffic. Wait until the alarm is OK again, then change src/app.mjs (only a new version starts a deployment) and deploy.`
                : undefined,
            ),
            shown,
          );
        }),
    },
    aliasBackOnGood('hooks-alarm', 'hooks-errors', errorsRelease),
  ],
  endChecks: [],
  settleMs: 90_000,
  hints: [
    {
      fromState: async (ctx, signal) => {
        const inAlarm = await groupAlarmsInAlarm(ctx, signal);
        if (inAlarm.length) return alreadyInAlarmHint(inAlarm, ctx);
        // a release of this step that went through: "live" may serve a version that returns 500s
        const { release, earlier } = await errorsRelease(ctx, signal);
        return release && !earlier && release.status === 'Succeeded' ? badReleaseWentThrough(release, ctx, signal) : undefined;
      },
    },
    'Only src/app.mjs changes: app version 4 throws an Error in the handler.',
    'The alarm needs errors while the new version has traffic; the live view sends requests for you.',
  ],
  docs: DOCS,
  solve: errorsSolve,
  release: appRelease,
  prepare: recordLiveVersion('hooks-errors'),
  afterPass: revertSource,
  async follow(ctx) {
    const d = await followDeployment(ctx, { since: ctx.lastDeployAt, sample: true, appearWithinMs: 20_000 });
    if (d) {
      ctx.figure('status', d.status);
      ctx.figure('weightsSeen', d.weightsSeen);
      ctx.figure('errorCode', d.errorCode ?? null);
      ctx.figure('failedAnswers', d.failedAnswers);
    }
  },
};

export const hooksSteps: Step[] = [failingHookStep, alarmRollbackStep, errorsRollbackStep];
