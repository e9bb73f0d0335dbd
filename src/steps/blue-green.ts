/**
 * Chapter 4.1 · blue/green deployments. Two lines of SAM (DeploymentPreference: Type:
 * Linear10PercentEvery1Minute) and version 2 of the code: the next deploy publishes version 2 and
 * CodeDeploy moves the alias to it 10 % at a time, while the live view shows who answers.
 */
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { notYet, passed, showing, type LiveCheck, type StaticCheck } from '../lab/check.js';
import { bundledSamApp } from '../lab/workspace.js';
import type { LabContext } from '../lab/context.js';
import type { Step } from '../lab/step.js';
import { APP_ALIAS, appFunction, askApp, curlCommand, functionName, whenDeployed } from './shared/app.js';
import { weightsInWords } from './shared/words.js';
import { CANARY_DESCRIPTION_TAIL } from './canary/version.js';
import { deploymentGroup, deployments, getDeploymentCommand, groupNames } from './shared/codedeploy.js';
import { followDeployment } from './shared/deployment-view.js';
import { stageElsewhere } from './shared/stage-calls.js';
import { APP_CODE, appRelease, releaseAgain } from './shared/release.js';
import { hasTimer, timerWaits } from './shared/app-code.js';
import { editSolve } from './shared/solve.js';
import { whyTheApiFailed } from './shared/function-failure.js';
import { stageBeforeCanary } from './shared/stage-before-canary.js';
import { deploymentTypeIsStep, STEP_DEPLOYMENT_TYPE, templateParses, timeoutAbove3 } from './shared/template-checks.js';
import { lambdaCommands } from '../targets/clients.js';

const { GetAliasCommand, ListVersionsByFunctionCommand } = lambdaCommands;

export const blueGreenChapter = { id: 'blue-green', title: 'Blue/green deployments', section: '4.1' };

/** the configuration SAM makes of the step's Type: it adds the CodeDeployDefault.Lambda prefix */
const LINEAR = `CodeDeployDefault.Lambda${STEP_DEPLOYMENT_TYPE}`;

/**
 * The newest version a release published: the canary chapter's own version (canary/version.ts,
 * CANARY_DESCRIPTION_TAIL) is left out. It stays published after `reset` to a step before the
 * chapter, as on AWS, and it never was a release of the alias: counted, resuming after `reset
 * hooks-failing` warned that blue-green's "live" was not on the newest version.
 */
export async function newestReleased(ctx: LabContext, fn: string, signal?: AbortSignal): Promise<string | undefined> {
  const versions: string[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.clients.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn, Marker: marker }), { abortSignal: signal });
    for (const v of page.Versions ?? []) {
      if (/^\d+$/.test(v.Version ?? '') && !v.Description?.endsWith(CANARY_DESCRIPTION_TAIL)) versions.push(v.Version!);
    }
    marker = page.NextMarker;
  } while (marker);
  return versions.sort((a, b) => Number(b) - Number(a))[0];
}

export const shiftSucceeded: LiveCheck = {
  name: `a CodeDeploy deployment with ${LINEAR} Succeeded`,
  aws: (ctx) => {
    const g = groupNames(ctx);
    return ctx.aws(`deploy list-deployments --application-name ${g.application} --deployment-group-name ${g.group}`);
  },
  timeoutMs: 20_000,
  run: (ctx, signal) =>
    whenDeployed(async () => {
      const list = await deployments(ctx, deploymentGroup(ctx), signal, 50);
      if (!list.length) return notYet('a deployment in the group', 'none yet: deploy a new version');
      const shifted = (d: DeploymentInfo) => d.status === 'Succeeded' && d.deploymentConfigName === LINEAR && d.creator !== 'codeDeployRollback';
      // the shift this step recorded (its follow, or this check when it first passed), while it
      // still stands: a later step's release that went through (a learner's good version after a
      // refused one) is newer, but it is not this step's, and the wrap-up re-checks this step
      const recorded = ctx.allFigures()[blueGreenStep.id]?.deploymentId;
      const ok = list.find((d) => recorded !== undefined && d.deploymentId === recorded && shifted(d)) ?? list.find(shifted);
      if (ok) {
        if (ok.deploymentId !== recorded) ctx.figure('deploymentId', ok.deploymentId ?? null);
        return showing(passed(`${ok.deploymentId} Succeeded`), getDeploymentCommand(ctx, ok.deploymentId ?? ''));
      }
      const last = list[0]!;
      const hint = last.status === 'InProgress' ? 'it is still shifting: wait for it (the live view shows it)' : otherTypeWentOut(ctx, last);
      return showing(notYet(`Succeeded with ${LINEAR}`, `${last.deploymentId} ${last.status} with ${last.deploymentConfigName}${last.errorInformation ? ` (${last.errorInformation.code})` : ''}`, hint), getDeploymentCommand(ctx, last.deploymentId ?? ''));
    }),
};

/**
 * A release of this step that went out with another configuration (Type: AllAtOnce, say): its code
 * is out, so deploying the same code again starts no deployment; what to do, for the hint.
 */
function otherTypeWentOut(ctx: LabContext, d: DeploymentInfo): string | undefined {
  if (d.status !== 'Succeeded' || d.deploymentConfigName === LINEAR || d.creator === 'codeDeployRollback') return undefined;
  return `${d.deploymentId} released app version 2 with ${d.deploymentConfigName}, not 10 % a minute: set Type: ${STEP_DEPLOYMENT_TYPE} under DeploymentPreference in template.yaml, then release again. ${releaseAgain(ctx, blueGreenStep.id)}`;
}

export const aliasOnNewest: LiveCheck = {
  name: `the alias "${APP_ALIAS}" points at the newest version, with no traffic elsewhere`,
  aws: (ctx) => ctx.aws(`lambda get-alias --function-name ${functionName(ctx)} --name ${APP_ALIAS}`),
  run: (ctx, signal) =>
    whenDeployed(async () => {
      const fn = appFunction(ctx).name;
      const [alias, newest] = await Promise.all([ctx.clients.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: APP_ALIAS }), { abortSignal: signal }), newestReleased(ctx, fn, signal)]);
      const extra = alias.RoutingConfig?.AdditionalVersionWeights ?? {};
      const found = `Lambda version ${alias.FunctionVersion}${Object.keys(extra).length ? ` plus ${weightsInWords(extra)}` : ''}`;
      if (alias.FunctionVersion === newest && !Object.keys(extra).length) return passed(found);
      return notYet(`Lambda version ${newest} alone`, found);
    }),
};

/**
 * An answer of app version 2 takes its 3 s wait at least (setTimeout waits in real time at any
 * --speed: the local cloud scales its clock for CodeDeploy and CloudWatch, not the function's
 * timers). A little under 3 s, as Node's timers may fire a millisecond early.
 */
const WAIT_SEEN_MS = 2_900;

export const answersFromV2: LiveCheck = {
  name: 'the API answers from app version 2 (it waits 3 s)',
  aws: (ctx) => curlCommand(ctx),
  timeoutMs: 20_000,
  run: (ctx, signal) =>
    whenDeployed(async () => {
      const a = await askApp(ctx, signal);
      if (a.status !== 200) return notYet('HTTP 200 from app version 2', `HTTP ${a.status} after ${(a.ms / 1000).toFixed(1)} s`, await whyTheApiFailed(ctx, signal, a.status, a.ms));
      if (a.appVersion !== 2) {
        // a stage the canary chapter left on a version of its own answers from it, whatever the deploy did
        const away = (await stageElsewhere(ctx, signal))?.hint;
        return notYet('app version 2', `app version ${a.appVersion ?? '?'}, Lambda version ${a.functionVersion ?? '?'}`, away ?? 'did you replace src/app.mjs with app version 2 and deploy?');
      }
      // the wait is app version 2's change: an answer sooner than it came from code that does not wait
      if (a.ms < WAIT_SEEN_MS) return notYet(`app version 2, answering after its 3 s wait`, `app version 2, Lambda version ${a.functionVersion}, answering in ${a.ms} ms`, `the deployed code does not wait: ${WAIT_HINT}. Then deploy again (d).`);
      return passed(`app version 2, Lambda version ${a.functionVersion}, ${a.ms} ms`);
    }),
};

/** what app version 2 adds besides its number, and why the step needs it */
const WAIT_HINT =
  'app version 2 waits 3 s before it asks Rekognition: `await new Promise((resolve) => setTimeout(resolve, WAIT_MS));` in the handler, with `const WAIT_MS = 3000;` (s shows the change). The wait is what this release changes for its users: the live view shows the answers slow down as the shift moves traffic to it, and the next steps\' loads pile up on it';

/** `const APP_VERSION = 2;`: the app's own version number, which its answers carry (ServedBy.AppVersion) */
const APP_VERSION_LINE = /^\s*(?:export\s+)?(?:const|let|var)\s+APP_VERSION\s*=\s*(\d+)/m;

/**
 * The step's release needs new code: with SAM's AutoPublishAlias a deploy publishes a new Lambda
 * version only when the code changed, and CodeDeploy shifts the alias only to a new version (see
 * shared/release.ts, which cites both). A src/app.mjs left as the previous step had it deploys and
 * starts no deployment; said here, before the deploy, rather than by the live checks after it.
 */
export const appCodeIsV2: StaticCheck = {
  name: 'src/app.mjs is app version 2',
  file: APP_CODE,
  run: (files) => {
    const text = files.read(APP_CODE);
    const expected = 'const APP_VERSION = 2 (version 2 of the app, which waits 3 s)';
    const replace = 'replace src/app.mjs with app version 2 (s shows the change): only new code makes the deploy publish a new Lambda version, and only a new version starts the CodeDeploy deployment that shifts "live" to it';
    if (text === undefined) return notYet(expected, 'no src/app.mjs', replace);
    const declared = APP_VERSION_LINE.exec(text)?.[1];
    if (declared === '2' && hasTimer(text)) {
      // a timer shorter than the wait the live check looks for is said now, not after a deploy
      const waits = timerWaits(text);
      const longest = waits?.length ? Math.max(...waits) : undefined;
      if (longest !== undefined && longest < WAIT_SEEN_MS) return notYet(expected, `APP_VERSION = 2, but its timer waits ${longest} ms, not 3 s`, WAIT_HINT);
      return passed(`APP_VERSION = 2, with a timer${longest !== undefined ? ` of ${longest} ms` : ''}`);
    }
    // the number alone makes no app version 2: the live check would see an answer without the wait
    if (declared === '2') return notYet(expected, 'APP_VERSION = 2, but no wait: the code never calls setTimeout', WAIT_HINT);
    if (declared === undefined) return notYet(expected, 'no APP_VERSION in src/app.mjs', `the app names its version in const APP_VERSION = …, and its answers carry it: ${replace}`);
    let previous: string | undefined;
    try {
      previous = readFileSync(join(bundledSamApp(), APP_CODE), 'utf8');
    } catch {
      // the lab's own copy unreadable: the check says what it found without comparing
    }
    if (text === previous) return notYet(expected, `APP_VERSION = ${declared}: src/app.mjs is as the previous step left it`, `${replace}; as it is, a deploy would publish no new version, and nothing would shift`);
    return notYet(expected, `APP_VERSION = ${declared}`, replace);
  },
};

export const blueGreenStep: Step = {
  id: 'blue-green',
  // done again after the canary chapter: the stage calls "live" again first (stage-before-canary.ts)
  prepare: (ctx) => stageBeforeCanary(ctx, 'blue-green'),
  chapter: blueGreenChapter,
  title: 'shift traffic to app version 2, 10 % a minute',
  explain: [
    'A release that reaches every user at once fails for every user at once. A DeploymentPreference has CodeDeploy shift the alias "live" to the new version gradually, 10 % more every minute.',
    'Uncomment it in template.yaml, replace src/app.mjs with app version 2 (it waits 3 s; "show me the change" has it), and deploy.',
  ],
  goal: 'a Linear10PercentEvery1Minute deployment Succeeded; app version 2 answers',
  action: { kind: 'edit', file: 'template.yaml' },
  notes: [
    'While it shifts, both versions serve real users: a bad release reaches only a share of them, and an alarm can send it back (next step).',
  ],
  staticChecks: [templateParses, deploymentTypeIsStep, timeoutAbove3, appCodeIsV2],
  liveChecks: [shiftSucceeded, aliasOnNewest, answersFromV2],
  endChecks: [shiftSucceeded],
  settleMs: 60_000,
  hints: [
    {
      fromState: async (ctx, signal) => {
        try {
          const [last] = await deployments(ctx, deploymentGroup(ctx), signal, 1);
          if (!last) return 'the deployment group exists but no deployment ran: a deployment starts only when the code changes (a new version). Did you change src/app.mjs?';
          if (last.status === 'InProgress') return `deployment ${last.deploymentId} is still shifting; the live view shows it.`;
          return otherTypeWentOut(ctx, last);
        } catch {
          return 'no CodeDeploy deployment group yet: DeploymentPreference is not deployed. Uncomment it, save, and deploy (d).';
        }
      },
    },
    'Two lines: `DeploymentPreference:` under `AutoPublishAlias: live`, and `Type: Linear10PercentEvery1Minute` indented under it.',
    'Only a new version makes CodeDeploy shift: the code must change too. Version 2 of src/app.mjs is in the diff (s).',
    'Keep Timeout above 3: app version 2 waits 3 s.',
  ],
  docs: [
    { title: 'SAM: deploying serverless applications gradually', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html' },
    { title: 'CodeDeploy deployment configurations (Lambda)', url: 'https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html' },
  ],
  solve: editSolve('blue-green'),
  // its change is a release (shared/release.ts): when a deploy starts none because the code went
  // out already (released with another Type, then the Type fixed; or after `reset blue-green`,
  // which puts the files back and not the cloud), the lab offers (d) or makes (a, --ci) a new
  // version and deploys again, as it does for the hooks steps
  release: appRelease,
  async follow(ctx) {
    const d = await followDeployment(ctx, { since: ctx.lastDeployAt, sample: true, appearWithinMs: ctx.ci ? 20_000 : 10_000 });
    if (!d) return;
    ctx.figure('deploymentId', d.deploymentId);
    ctx.figure('status', d.status);
    ctx.figure('weightsSeen', d.weightsSeen);
    ctx.figure('answersByVersion', d.answersByVersion);
    ctx.figure('shiftMs', d.durationMs);
  },
};
