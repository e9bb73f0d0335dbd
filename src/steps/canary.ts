/**
 * Chapter 4.2 · API Gateway canary release. Unlike 4.1, where CodeDeploy moves the Lambda alias,
 * here the API layer chooses per request between two deployments of the API (each a snapshot with
 * its own stage variables); Lambda's routing does not change and CodeDeploy is not involved.
 *
 *   canary-stage-variable  the integration calls GetInfoFunction:${stageVariables.lambdaAlias};
 *                          the Prod stage sets lambdaAlias=live (nothing changes for requests)
 *   canary-create          app version 5 published as a new Lambda version (live stays);
 *                          a canary deployment sends 10 % of Prod's requests to it; the split is
 *                          measured over 5,000 requests, counted by the version that answered
 *   canary-rollback        the canary removed: 0 % on it, the stage as it was
 *   canary-promote         a canary again, promoted: its deployment and variables become the
 *                          stage's, canarySettings gone, 100 % on the new version
 */
import { couldNotCheck, hintCommand, notYet, passed, runLiveChecks, type CheckOutcome, type LiveCheck } from '../lab/check.js';
import type { FigureValue, LabContext } from '../lab/context.js';
import type { Hint, Step } from '../lab/step.js';
import { CHAPTER, clientsOf, codeDir, deployedTo, deployedVersion, DOCS, figureOf, liveAlias, liveVersion, measureLive, target, targetIfAny, templateDiff, whenDeployed } from './canary/context.js';
import {
  CANARY_APP_VERSION,
  CANARY_PERCENT,
  MIN_NAMED,
  measure,
  promote,
  publishNewVersion,
  reachThroughStageVariable,
  rollBack,
  SPLIT_REQUESTS,
  stage,
  startCanary,
  TOLERANCE_POINTS,
  usesStageVariable,
  type CanaryTarget,
  type StepStart,
} from './canary/lesson.js';
import { canaryOperations, commands as release, patchStage, restoreStage, type StageRef, type StageView } from './canary/release.js';
import { splitInWords, versionsInWords } from './canary/split.js';
import { NO_VERSION } from '../targets/version-split.js';
import { cliCommand } from '../invocation.js';
import { afterQuitting, labCommand } from '../lab/outside.js';
import { LabError } from '../errors.js';
import { whyTheApiFailed } from './shared/function-failure.js';
import { answersInWords, countsOf, refusedOf, unansweredInWords } from './shared/words.js';
import { commands as wiring, deployedIntegrationUri, integrationUri, missingQualifier, sourceArn, STAGE_VARIABLE, unsetStageVariable, uriStageVariables } from './canary/stage-variable.js';
import { apiGatewayCommands, lambdaCommands } from '../targets/clients.js';
import { nearest } from '../nearest.js';

const { GetIntegrationCommand } = apiGatewayCommands;
const { UpdateAliasCommand } = lambdaCommands;

/** requests sampled after a rollback or a promotion */
const SAMPLE = 500;
/** the split's and a sample's requests in this run: the lesson's, unless the context says fewer (LabContext.measureRequests) */
const splitRequests = (ctx: LabContext): number => ctx.measureRequests?.split ?? SPLIT_REQUESTS;
const sampleRequests = (ctx: LabContext): number => ctx.measureRequests?.sample ?? SAMPLE;

const IDS = { variable: 'canary-stage-variable', create: 'canary-create', rollback: 'canary-rollback', promote: 'canary-promote' } as const;

// ---- commands as the learner types them ----

const placeholder = { restApiId: 'REST_API_ID', stageName: 'Prod' };

async function orPlaceholder<T>(f: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await f();
  } catch {
    return fallback;
  }
}

/**
 * What the commands name: the target `prepare` found, else what the deploy record tells without
 * asking the cloud (the resource id then looked up by the command itself), else placeholders.
 */
function known(ctx: LabContext): CanaryTarget | undefined {
  const hit = cache.get(ctx);
  if (hit) return hit;
  try {
    const rec = ctx.deployment();
    const fn = rec.functions.find((f) => f.logicalId === 'GetInfoFunction') ?? rec.functions[0];
    const api = rec.apis[0];
    if (!fn || !api) return undefined;
    const functionArn = fn.arn.split(':').slice(0, 7).join(':');
    const lookup = `$(${ctx.aws(`apigateway get-resources --rest-api-id ${api.restApiId} --query "items[?path=='/getinfo'].id" --output text`)})`;
    return {
      route: { restApiId: api.restApiId, stageName: api.stage, resourceId: lookup, path: '/getinfo', httpMethod: 'POST' },
      functionName: fn.name,
      functionArn,
      alias: fn.alias,
      region: functionArn.split(':')[3],
      accountId: functionArn.split(':')[4],
      url: rec.outputs.ApiUrl ?? '',
    };
  } catch {
    return undefined;
  }
}
const cache = new WeakMap<LabContext, CanaryTarget>();
async function found(ctx: LabContext): Promise<CanaryTarget> {
  const t = await target(ctx);
  cache.set(ctx, t);
  return t;
}

/** whether the stage had a canary when the variable step's prepare read it (its commands are printed before any hint reads the cloud) */
const canaryAtPrepare = new WeakMap<LabContext, boolean>();

/**
 * The command that makes the stage serve a new deployment of the API: create-deployment
 * --stage-name, as the step teaches. A stage whose canary is enabled takes a deployment only as its
 * canary's (AWS refuses create-deployment --stage-name without --canary-settings: "Non canary
 * deployment not supported on stage …"), so there the deployment is made without a stage and
 * update-stage moves the stage onto it; the canary stays as it is (stage-variable.ts deployStage,
 * what "do it for me" runs).
 */
function deployCommand(ctx: LabContext, route: StageRef, hasCanary: boolean): string {
  return hasCanary ? ctx.aws(wiring.moveStage(route, `$(${ctx.aws(wiring.deployment(route))})`)) : ctx.aws(wiring.deploy(route));
}

/** why the deploy command of a stage with a canary is not create-deployment --stage-name */
const canaryDeployWhy = (stage: string) =>
  `${stage} has a canary, and API Gateway takes a deployment to such a stage only as the canary's (create-deployment --stage-name without --canary-settings is refused), so the deployment is made without a stage and update-stage moves the stage onto it (the canary stays)`;

function variableCommands(ctx: LabContext, hasCanary = canaryAtPrepare.get(ctx) ?? false): string {
  const t = known(ctx);
  const route = t?.route ?? { ...placeholder, resourceId: 'RESOURCE_ID', path: '/getinfo', httpMethod: 'POST' };
  const arn = t?.functionArn ?? 'FUNCTION_ARN';
  return [ctx.aws(wiring.setVariable(route, 'live')), ctx.aws(wiring.putIntegration(route, t?.region ?? 'REGION', arn)), deployCommand(ctx, route, hasCanary)].join('\n');
}

/**
 * A figure kept by whichever canary step set it last: the create step keeps the new version; the
 * rollback and promote steps keep it again when they had to publish it themselves (`step
 * canary-promote` on its own). The stage before a canary is each step's own (stageBeforeRollback).
 */
function kept(ctx: LabContext, key: string): unknown {
  for (const id of [IDS.promote, IDS.rollback, IDS.create]) {
    const v = figureOf(ctx, id, key);
    if (v !== undefined) return v;
  }
  return undefined;
}

function newVersionOf(ctx: LabContext): string {
  return String(kept(ctx, 'version') ?? 'VERSION');
}

function createCommand(ctx: LabContext): string {
  return ctx.aws(release.createCanary(known(ctx)?.route ?? placeholder, { percentTraffic: CANARY_PERCENT, stageVariableOverrides: { [STAGE_VARIABLE]: newVersionOf(ctx) } }));
}

// ---- shared checks ----

const stageCheck = (name: string, judge: (s: StageView, ctx: LabContext) => ReturnType<LiveCheck['run']> | Awaited<ReturnType<LiveCheck['run']>>): LiveCheck => ({
  name,
  aws: (ctx) => ctx.aws(release.getStage(known(ctx)?.route ?? placeholder)),
  run: (ctx, signal) =>
    whenDeployed(async () => {
      const t = await target(ctx, signal);
      return judge(await stage(clientsOf(ctx), t, signal), ctx);
    }),
});

/**
 * No canary on the stage. A canary set to 0 % is not gone: "Update a canary release" (API Gateway
 * developer guide) lets update-stage set percentTraffic anywhere from 0.0 to 100.0 and the canary,
 * its deployment and overrides stay on the stage, while "Turn off a canary release" says that
 * turning one off is setting canarySettings to null (`op=remove,path=/canarySettings`). So a 0 %
 * canary is said as what it is, with the command that removes it (`remove`, the step's own).
 */
const noCanary = (remove: (ctx: LabContext) => string, instead?: (s: StageView, ctx: LabContext) => string | undefined): LiveCheck =>
  stageCheck('the Prod stage has no canary (canarySettings gone)', (s, ctx) => {
    if (!s.canary) return passed('no canarySettings');
    const found = `canarySettings at ${s.canary.percentTraffic} % on deployment ${s.canary.deploymentId}`;
    // a step whose way out is not the removal (the promotion, once its canary is lost) says its own
    const other = instead?.(s, ctx);
    if (other) return notYet('no canarySettings', found, other);
    if (s.canary.percentTraffic !== 0) return notYet('no canarySettings', found);
    return notYet(
      'no canarySettings',
      `${found}: a canary that takes no requests, but still the stage's canary`,
      `percentTraffic 0 keeps the canary (its deployment and overrides) on the stage; API Gateway turns a canary off only when canarySettings is removed:${hintCommand(remove(ctx))}`,
    );
  });

/** a figure kept by a step's follow: the share of the canary's version in a sample */
const sampled = (stepId: string, name: string, want: number): LiveCheck => ({
  name,
  measured: true,
  aws: (ctx) => `curl -s -D - -o /dev/null -X POST '${orUrl(ctx)}' -H 'Content-Type: application/json' -d '{}' | grep -i x-function-version`,
  run: async (ctx) => {
    const share = figureOf(ctx, stepId, 'canaryShare');
    const requests = figureOf(ctx, stepId, 'requests');
    if (typeof share !== 'number') return notYet(`${want} % of a sample on Lambda version ${newVersionOf(ctx)}`, 'no sample yet');
    const unnamed = tooManyUnnamed(ctx, stepId);
    if (unnamed) return unnamed;
    // the name says the share and the sample; what was found, the version counted
    // found says the measurement with the version it counted ("version 11" alone read as if the
    // requests had reached it, under a name saying 0 % did)
    return share === want ? passed(`${share.toFixed(1)} % of ${requests} requests on Lambda version ${newVersionOf(ctx)}, the new one`) : notYet(`${want} %`, `${share.toFixed(1)} % of ${requests} requests`);
  },
});

/**
 * A measurement in which too many requests got no answer naming a version (API Gateway's 5xx:
 * Lambda timed out or refused) or no answer at all (the API's address refused them: a cloud
 * stopped) says nothing reliable about the split: "could not check", with the statuses or what
 * the lab could not reach, since that is the cloud's trouble, not the learner's. Requests with no
 * answer were left out: 500 of 500 refused came out as "not yet: found 0.0 %", blaming the learner.
 */
function tooManyUnnamed(ctx: LabContext, stepId: string): CheckOutcome | undefined {
  const requests = Number(figureOf(ctx, stepId, 'requests') ?? 0);
  const unnamed = Number(figureOf(ctx, stepId, 'noVersionNamed') ?? 0);
  const lostBy = countsOf(figureOf(ctx, stepId, 'unanswered'));
  const lost = Object.values(lostBy).reduce((a, n) => a + n, 0);
  if (requests === 0 || unnamed + lost <= requests * (1 - MIN_NAMED)) return undefined;
  if (lost >= unnamed) {
    const what = `reach the API at ${orUrl(ctx)}: ${lost} of ${requests} requests got no answer: ${unansweredInWords(lostBy)}`;
    // refused: nothing listens there, the cloud is gone; else the cloud's log says why
    if (refusedOf(lostBy) > 0) return { status: 'could-not-check', what, fix: ctx.environmentFix, refused: true };
    return couldNotCheck(what, `look at the cloud's log (\`${cliCommand(['emulator', 'status', '--workspace', ctx.ws.root])}\`), free the machine, and check again`);
  }
  return couldNotCheck(
    `measure the split: ${unnamed} of ${requests} answers named no version (${answersInWords((figureOf(ctx, stepId, 'byStatus') ?? {}) as Record<string, number>)})`,
    `the function timed out or was refused under load: look at the cloud's log (\`${cliCommand(['emulator', 'status', '--workspace', ctx.ws.root])}\`), free the machine, and check again`,
  );
}

/**
 * The hint for a step that measures, when the settings are right and the measurement is what is
 * missing (or what failed): r measures. Undefined while a settings check does not pass.
 */
const measurementHint = (stepId: string, what: string, servedByVariable = false): Hint => ({
  async fromState(ctx, signal) {
    const step = canarySteps.find((s) => s.id === stepId)!;
    const settings = await runLiveChecks(step.liveChecks.filter((c) => !c.measured), ctx);
    if (!settings.every((r) => r.status === 'passed')) return undefined;
    const direct = servedByVariable ? await integrationNotThroughVariable(ctx, signal) : undefined;
    if (direct) return direct;
    const share = figureOf(ctx, stepId, 'canaryShare');
    if (typeof share !== 'number') return `the stage is set as this step wants; what is missing is the measurement: press r and the lab sends ${what} through the stage and counts them by the version that answered.`;
    const byVersion = figureOf(ctx, stepId, 'byVersion');
    const answers = byVersion && typeof byVersion === 'object' && !Array.isArray(byVersion) ? versionsInWords(byVersion as Record<string, number>) : [];
    return `the stage is set as this step wants; the last measurement found ${share} % on Lambda version ${newVersionOf(ctx)}${answers.length ? ` (answers: ${answers.join(', ')})` : ''}. Press r to measure again.`;
  },
});

/**
 * The deployment the stage serves calls the function without ${stageVariables.lambdaAlias}, said
 * with the way back; undefined when it reads the variable (or there is no stage to read). A stage
 * set as the promotion wants (lambdaAlias=N) then still answers from what the URI names: the
 * integration canary-stage-variable changed was put back, as a deploy of sam-app/ whose API
 * changed does (the template's integration calls the alias), and a canary made since copied it.
 * Measuring again finds the same.
 */
async function integrationNotThroughVariable(ctx: LabContext, signal: AbortSignal): Promise<string | undefined> {
  const t = await targetIfAny(ctx, signal);
  if (!t) return undefined;
  const [uri, s] = await Promise.all([deployedIntegrationUri(ctx.clients.apiGateway, t.route, signal), stage(clientsOf(ctx), t, signal)]);
  if (uri === undefined || uriStageVariables(uri).includes(STAGE_VARIABLE)) return undefined;
  const calls = uri.match(/function:([^/]+)\/invocations$/)?.[1] ?? uri;
  return `the stage serves deployment ${s.deploymentId}, whose integration calls ${calls} directly, not through \${stageVariables.${STAGE_VARIABLE}}, so ${STAGE_VARIABLE}=${s.variables[STAGE_VARIABLE] ?? '(unset)'} reaches no request and measuring again finds the same. The integration is the one step ${IDS.variable} changed: a deploy of sam-app/ whose API changed puts it back as the template has it, and a canary made since copies it. To do the chapter again from there, ${afterQuitting({ workspace: ctx.ws.root, target: ctx.target }, [['reset', IDS.variable]])}.`;
}

/**
 * A hint read from the stage as it is now; none when there is no stage to read (nothing deployed,
 * no API, no stage: a LabError, which the step's checks say in their own words).
 */
const stageHint = (say: (ctx: LabContext, s: StageView) => string | undefined): Hint => ({
  async fromState(ctx, signal) {
    try {
      return say(ctx, await stage(clientsOf(ctx), await target(ctx, signal), signal));
    } catch (err) {
      if (err instanceof LabError) return undefined;
      throw err;
    }
  },
});

/** the stage's ${STAGE_VARIABLE} as found: `lambdaAlias=lve`, or unset with what the stage sets */
function variablesInWords(v: Record<string, string>): string {
  if (Object.hasOwn(v, STAGE_VARIABLE)) return `${STAGE_VARIABLE}=${v[STAGE_VARIABLE]}`;
  const set = Object.entries(v).map(([k, x]) => `${k}=${x}`);
  return `${STAGE_VARIABLE} unset (the stage sets ${set.length ? set.join(', ') : 'no variables'})`;
}

/**
 * A stage variable a slip of the keyboard from ${STAGE_VARIABLE} (`path=/variables/lambdaAlais`),
 * on a stage that does not set the lab's: update-stage makes any name it is given, so the typo is
 * a variable of its own, which the integration never reads. Undefined when the stage sets
 * ${STAGE_VARIABLE}, or no name near it.
 */
function misspeltVariable(v: Record<string, string>): string | undefined {
  if (Object.hasOwn(v, STAGE_VARIABLE)) return undefined;
  return nearest(STAGE_VARIABLE, Object.keys(v));
}

/**
 * A misspelt variable on the stage (misspeltVariable) said with the way out, each command on a
 * line of its own: the update-stage that sets ${STAGE_VARIABLE} to live, then the one that removes
 * the typo (the right one set first, so nothing that reads it meets it unset). `why`: what the
 * hint says before it, if anything. Undefined when the stage has no misspelt variable.
 */
function misspeltVariableHint(ctx: LabContext, route: typeof placeholder, v: Record<string, string>, why?: string): string | undefined {
  const typo = misspeltVariable(v);
  if (!typo) return undefined;
  const set = ctx.aws(wiring.setVariable(route, 'live'));
  const remove = ctx.aws(release.restore(route, [{ op: 'remove', path: `/variables/${typo}` }]));
  const said = `the ${route.stageName} stage sets ${typo}, not ${STAGE_VARIABLE}, the name the integration reads (update-stage makes a variable of any name it is given): set ${STAGE_VARIABLE}, then remove ${typo}`;
  return `${why ? `${why}; ${said}` : said}:${hintCommand(`${set}\n${remove}`)}`;
}

function orUrl(ctx: LabContext): string {
  try {
    return ctx.deployment().outputs.ApiUrl ?? '<ApiUrl>';
  } catch {
    return '<ApiUrl>';
  }
}

// ---- 1. the stage variable ----

const variableStep: Step = {
  id: IDS.variable,
  chapter: CHAPTER,
  title: 'call the function through a stage variable',
  explain: [
    'An API Gateway canary works one layer above Lambda: the stage sends a share of its requests to another deployment of the API, with its own stage variables.',
    'So that a canary can name a new version, the integration reads it from a stage variable.',
    'A stage serves a deployment: a snapshot of the API taken by create-deployment. put-integration changes only the draft, so requests keep calling the old integration until a new deployment of Prod is made (the third command).',
  ],
  goal: `POST /getinfo calls the function through \${stageVariables.${STAGE_VARIABLE}}, and Prod sets ${STAGE_VARIABLE}=live`,
  // no onReset: reset to this step puts the stage and the integration back as the last deploy made them (reset.ts putStageBack), the step's starting point
  action: { kind: 'command', command: variableCommands },
  staticChecks: [],
  liveChecks: [
    {
      name: `the integration calls GetInfoFunction:\${stageVariables.${STAGE_VARIABLE}}`,
      aws: (ctx) => {
        const r = known(ctx)?.route;
        return ctx.aws(`apigateway get-integration --rest-api-id ${r?.restApiId ?? 'REST_API_ID'} --resource-id ${r?.resourceId ?? 'RESOURCE_ID'} --http-method POST`);
      },
      run: (ctx, signal) =>
        whenDeployed(async () => {
          const t = await target(ctx, signal);
          if (await usesStageVariable(ctx.clients.apiGateway, t, signal)) return passed(`…function:${t.functionName}:\${stageVariables.${STAGE_VARIABLE}}/invocations`);
          const i = await ctx.clients.apiGateway.send(new GetIntegrationCommand({ restApiId: t.route.restApiId, resourceId: t.route.resourceId, httpMethod: 'POST' }), { abortSignal: signal });
          // a variable by another name (a typo): named with what the stage sets
          const other = uriStageVariables(i.uri).find((v) => v !== STAGE_VARIABLE);
          const s = other === undefined ? undefined : await stage(clientsOf(ctx), t, signal);
          const set = Object.keys(s?.variables ?? {});
          const typo = other === undefined ? undefined : `the integration names stageVariables.${other}, the stage sets ${set.length ? set.join(', ') : 'no variables'} (the lab uses ${STAGE_VARIABLE})`;
          return notYet(
            `a URI ending in :\${stageVariables.${STAGE_VARIABLE}}/invocations`,
            i.uri ?? 'no integration',
            typo
              ? `${typo}: put-integration again (the single quotes keep the shell off \${…}), then ${s?.canary ? 'deploy the stage' : 'create-deployment'}:${hintCommand(integrationAgain(ctx, t, !!s?.canary))}`
              : 'put-integration with the printed --uri (mind the single quotes: the shell must not expand ${…})',
          );
        }),
    },
    stageCheck(`the Prod stage sets ${STAGE_VARIABLE}=live`, (s, ctx) =>
      s.variables[STAGE_VARIABLE] === 'live'
        ? passed(`${STAGE_VARIABLE}=live`)
        : notYet(
            `${STAGE_VARIABLE}=live`,
            variablesInWords(s.variables),
            // a misspelt name: the commands that set the right one and remove it
            misspeltVariableHint(ctx, known(ctx)?.route ?? placeholder, s.variables),
          ),
    ),
    {
      name: 'the Prod stage serves the new integration (a deployment made after put-integration)',
      aws: (ctx) => ctx.aws(wiring.exportStage(known(ctx)?.route ?? placeholder)),
      run: (ctx, signal) =>
        whenDeployed(async () => {
          const t = await target(ctx, signal);
          const s = await stage(clientsOf(ctx), t, signal);
          const uri = await deployedIntegrationUri(ctx.clients.apiGateway, t.route, signal);
          if (uri?.includes(`\${stageVariables.${STAGE_VARIABLE}}`)) return passed(`deployment ${s.deploymentId} calls …:\${stageVariables.${STAGE_VARIABLE}}`);
          return notYet(`a deployment of Prod that calls …:\${stageVariables.${STAGE_VARIABLE}}`, `deployment ${s.deploymentId} calls ${uri ?? 'no integration'}`, await servedIntegrationHint(ctx, t, uri, s, signal));
        }),
    },
    {
      name: 'requests through the stage still reach the live alias',
      aws: (ctx) => `curl -s -D - -o /dev/null -X POST '${orUrl(ctx)}' -H 'Content-Type: application/json' -d '{}' | grep -i x-function-version`,
      run: (ctx, signal) =>
        whenDeployed(async () => {
          const t = await target(ctx, signal);
          const live = await liveVersion(ctx, t, signal);
          const m = await measure(t, live, 20, { signal, concurrency: 2 });
          const fives = Object.entries(m.split.byStatus).filter(([k]) => k.startsWith('5'));
          if (m.share === 100 && fives.length === 0) return passed(`20 of 20 answered by Lambda version ${live} (live)`);
          // a canary already on the stage (run early, or the chapter's own when the step is done again) whose
          // lambdaAlias names another version answers its share from it: the stage's own requests still reach live
          const canaryShare = fives.length === 0 ? await canaryVersionShare(ctx, t, live, m.split.byVersion, signal) : undefined;
          if (canaryShare) return passed(canaryShare);
          return notYet(`every answer from Lambda version ${live}`, splitInWords(m.split), fives.length ? await failedAnswersHint(ctx, t, signal, Number(fives[0]![0])) : undefined);
        }),
    },
  ],
  hints: [
    { fromState: (ctx, signal) => nextVariableCommand(ctx, signal) },
    'Three commands, in order: set the stage variable, point the integration at it, deploy the stage. The first keeps every request answered while the others run; the last is what makes the stage serve the new integration.',
    `In a SAM template the same change is an explicit API whose integration URI ends in :\${stageVariables.${STAGE_VARIABLE}}/invocations, with Variables on its stage ("show me the change").`,
  ],
  docs: DOCS,
  async prepare(ctx) {
    const t = await orPlaceholder(() => found(ctx), undefined);
    const canary = t === undefined ? undefined : await orPlaceholder(async () => (await stage(clientsOf(ctx), t, ctx.signal)).canary, undefined);
    canaryAtPrepare.set(ctx, canary !== undefined);
    // the third command below is not the create-deployment --stage-name the explanation leads to expect: said before it is printed
    if (t && canary) ctx.io.say(`The third command is not create-deployment --stage-name ${t.route.stageName}: ${canaryDeployWhy(`the ${t.route.stageName} stage`)}.`);
  },
  solve: {
    show: async (ctx) => ({
      command: variableCommands(ctx, await orPlaceholder(async () => (await stage(clientsOf(ctx), await found(ctx), ctx.signal)).canary !== undefined, false)),
      diff: templateDiff(),
    }),
    apply: async (ctx) => reachThroughStageVariable(clientsOf(ctx), await found(ctx), ctx.signal),
  },
};

/**
 * The first of the step's three commands the cloud does not show done yet, as the learner pastes
 * it (the API's own ids): a stuck learner was told "three commands, in order" and had to find
 * which. In their order, since each needs the one before: the variable (so no request meets it
 * unset), the integration, the deployment that serves it. Undefined when all three are done (the
 * checks then say what is left) or when there is no API to read.
 */
async function nextVariableCommand(ctx: LabContext, signal: AbortSignal): Promise<string | undefined> {
  const t = await targetIfAny(ctx, signal);
  if (!t) return undefined;
  const s = await stage(clientsOf(ctx), t, signal);
  if (s.variables[STAGE_VARIABLE] !== 'live') {
    const typo = misspeltVariableHint(ctx, t.route, s.variables);
    if (typo) return typo;
    return `the ${t.route.stageName} stage has ${variablesInWords(s.variables)}; the first command sets it to live:${hintCommand(ctx.aws(wiring.setVariable(t.route, 'live')))}`;
  }
  if (!(await usesStageVariable(ctx.clients.apiGateway, t, signal))) {
    return `the stage sets ${STAGE_VARIABLE}=live; next, point the integration at it (the single quotes keep the shell off \${…}):${hintCommand(ctx.aws(wiring.putIntegration(t.route, t.region, t.functionArn)))}`;
  }
  const deployed = await deployedIntegrationUri(ctx.clients.apiGateway, t.route, signal);
  if (!deployed?.includes(`\${stageVariables.${STAGE_VARIABLE}}`)) {
    const how = s.canary ? `; ${canaryDeployWhy('it')}` : '. Deploy the stage';
    return `the variable and the integration are set; the ${t.route.stageName} stage still serves deployment ${s.deploymentId}, made before put-integration${how}:${hintCommand(deployCommand(ctx, t.route, !!s.canary))}`;
  }
  return undefined;
}

/** the put-integration that reads ${STAGE_VARIABLE}, then the deployment that serves it: an integration's misspelt variable undone */
function integrationAgain(ctx: LabContext, t: CanaryTarget, hasCanary: boolean): string {
  return [ctx.aws(wiring.putIntegration(t.route, t.region, t.functionArn)), deployCommand(ctx, t.route, hasCanary)].join('\n');
}

/**
 * Why the stage does not serve the stage-variable integration: a deployed URI that names a
 * variable the stage does not set (a typo, which a new deployment only copies), a draft that is
 * right but not deployed yet, or a draft that is wrong too.
 */
async function servedIntegrationHint(ctx: LabContext, t: CanaryTarget, deployed: string | undefined, s: StageView, signal: AbortSignal): Promise<string> {
  const typo = unsetStageVariable(deployed, s.variables, 'the deployed integration');
  if (typo) {
    return `${typo}: put-integration again with \${stageVariables.${STAGE_VARIABLE}} (the single quotes keep the shell off \${…}), then ${s.canary ? 'deploy the stage' : 'create-deployment'}:${hintCommand(integrationAgain(ctx, t, !!s.canary))}`;
  }
  const draft = await integrationUri(ctx.clients.apiGateway, t.route, signal);
  if (draft?.includes(`\${stageVariables.${STAGE_VARIABLE}}`)) {
    // with a canary, the step's third command would be refused: the one that works, as a command
    if (s.canary) return `deploy the stage after put-integration; ${canaryDeployWhy(`the ${t.route.stageName} stage`)}:${hintCommand(deployCommand(ctx, t.route, true))}`;
    return 'run create-deployment (the third command) after put-integration: API Gateway serves a method change only once a new deployment of the stage holds it';
  }
  return `the integration itself (put-integration) does not call …:\${stageVariables.${STAGE_VARIABLE}} yet: the first check says what it calls`;
}

/**
 * The answers of a stage whose canary's lambdaAlias names another version, in words, when every
 * answer not from live came from that version: API Gateway sends the canary's percentTraffic to its
 * deployment with its stageVariableOverrides ("Set up an API Gateway canary release deployment",
 * developer guide), so those are the canary's share, not the stage's. Undefined otherwise (no
 * canary, no override, or an answer from a version neither names).
 */
async function canaryVersionShare(ctx: LabContext, t: CanaryTarget, live: string, byVersion: Readonly<Record<string, number>>, signal: AbortSignal): Promise<string | undefined> {
  const s = await stage(clientsOf(ctx), t, signal);
  const named = s.canary?.stageVariableOverrides[STAGE_VARIABLE];
  if (!s.canary || named === undefined || named === live) return undefined;
  const others = Object.keys(byVersion).filter((v) => v !== live);
  if (others.length === 0 || others.some((v) => v !== named)) return undefined;
  const total = Object.values(byVersion).reduce((a, n) => a + n, 0);
  return `${byVersion[live] ?? 0} of ${total} answered by Lambda version ${live} (live), ${byVersion[named]} by Lambda version ${named}: the stage's canary's share (${s.canary.percentTraffic} %, ${STAGE_VARIABLE}=${named} for it), which the next step replaces`;
}

/**
 * 5xx answers through the stage: the variable the deployed integration reads (unset, or naming no
 * alias or version of the function), else the function's own error. `status`: the first 5xx seen.
 */
async function failedAnswersHint(ctx: LabContext, t: CanaryTarget, signal: AbortSignal, status: number): Promise<string | undefined> {
  const [deployed, s] = await Promise.all([deployedIntegrationUri(ctx.clients.apiGateway, t.route, signal), stage(clientsOf(ctx), t, signal)]);
  const typo = unsetStageVariable(deployed, s.variables, 'the deployed integration');
  if (typo) return `${typo}: API Gateway cannot build a function ARN from a variable the stage does not set (500)`;
  const value = uriStageVariables(deployed).includes(STAGE_VARIABLE) ? s.variables[STAGE_VARIABLE] : undefined;
  const aliases = value === undefined ? undefined : await missingQualifier(ctx.clients.lambda, t.functionName, value, signal);
  if (aliases) {
    return `the stage sets ${STAGE_VARIABLE}=${value}, and ${t.functionName} has no alias or version named ${value} (its aliases: ${aliases.length ? aliases.join(', ') : 'none'}), so API Gateway's call to ${t.functionName}:${value} finds no function (${status}): set it to live, then press r:${hintCommand(ctx.aws(wiring.setVariable(t.route, 'live')))}`;
  }
  // the canary's share: its override of the variable (a canary made early, naming a version not published yet)
  const override = s.canary && uriStageVariables(deployed).includes(STAGE_VARIABLE) ? s.canary.stageVariableOverrides[STAGE_VARIABLE] : undefined;
  const missing = override === undefined ? undefined : await missingQualifier(ctx.clients.lambda, t.functionName, override, signal);
  if (s.canary && missing) {
    return `the stage's canary (${s.canary.percentTraffic} % on deployment ${s.canary.deploymentId}) sets ${STAGE_VARIABLE}=${override} for its share, and ${t.functionName} has no alias or version named ${override} (its aliases: ${missing.length ? missing.join(', ') : 'none'}), so its share finds no function (${status}). Remove the canary, then press r (the next step publishes the new version and makes the canary):${hintCommand(rollbackCommand(ctx))}`;
  }
  return whyTheApiFailed(ctx, signal, status, 0);
}

// ---- 2. the canary ----

/** Publishes the canary's app version once (PublishVersion answers the same version when nothing changed). */
async function ensureNewVersion(ctx: LabContext, t: CanaryTarget): Promise<string> {
  const progress = ctx.io.progress(`publishing app version ${CANARY_APP_VERSION} as a new Lambda version`);
  try {
    const alias = await liveAlias(ctx, t);
    const live = alias.version;
    const version = await publishNewVersion(clientsOf(ctx), t, codeDir(), ctx.signal);
    // a shift under way (a deploy run since the last step) is said as one: "live" does not stay
    const where = alias.shiftingTo ? `the alias "live" is on Lambda version ${live}, shifting to Lambda version ${alias.shiftingTo}` : `the alias "live" stays on Lambda version ${live}`;
    // two numberings side by side, each always named with its kind and where it lives: "version 5
    // of the app is Lambda version 6; live stays on Lambda version 5" read as one numbering
    progress.succeed(`app version ${CANARY_APP_VERSION} (APP_VERSION in the code) is Lambda version ${version} (the number the cloud gave this publish); ${where}`);
    if (alias.shiftingTo) ctx.io.say(shiftNote(ctx, t, live, alias.shiftingTo));
    // done by the lab, said as done: running it again would answer ResourceConflictException
    ctx.io.say(
      `the lab added the permission API Gateway needs to call Lambda version ${version} (SAM granted one for "live" only). It ran this; nothing for you to run (run again, it would answer ResourceConflictException):${hintCommand(ctx.aws(wiring.addPermission(t.functionName, version, sourceArn(t.region, t.accountId, t.route))))}`,
    );
    ctx.figure('version', version);
    ctx.figure('liveVersion', live);
    return version;
  } catch (err) {
    progress.fail('publishing the new version failed');
    throw err;
  }
}

/**
 * `live` moving from `from` to `to` under a CodeDeploy shift: the learner's deploy when the deploy
 * record says it published `to` (`deploy` after app.mjs changed), else someone else's. Not the
 * canary's doing either way: a canary is API Gateway's, and the stage's own share keeps calling
 * whatever version `live` names.
 */
function shiftNote(ctx: LabContext, t: CanaryTarget, from: string, to: string): string {
  const mine = deployedTo(ctx, t, to);
  const by = mine ? `your deploy's CodeDeploy deployment${mine.deploymentId ? ` ${mine.deploymentId}` : ''}` : 'a CodeDeploy deployment';
  return `${by} is shifting "live" from Lambda version ${from} to ${to} (Linear10: 10 % more every cloud minute). That is Lambda's routing, not the canary's: the stage's own ${100 - CANARY_PERCENT} % follow "live" to ${to} as it moves, and the check of the live alias accepts ${to} once the shift ends`;
}

/** `a`: live back where the step found it, when something other than the learner's deploy moved it (the check of the live alias) */
async function putLiveBack(ctx: LabContext, t: CanaryTarget): Promise<void> {
  const was = String(figureOf(ctx, IDS.create, 'liveVersion') ?? '');
  // nothing to compare with: the step's prepare, which keeps where live was, did not run
  if (!was) return;
  const { version, shiftingTo } = await liveAlias(ctx, t);
  const moved = shiftingTo ?? version;
  if (moved === was || deployedTo(ctx, t, moved)) return;
  await ctx.clients.lambda.send(new UpdateAliasCommand({ FunctionName: t.functionName, Name: 'live', FunctionVersion: liveWayBack(ctx, t, was), RoutingConfig: { AdditionalVersionWeights: {} } }), { abortSignal: ctx.signal });
}

/** where live belongs: where the step found it, or where the learner's last deploy (a CodeDeploy one) sent it since */
function liveWayBack(ctx: LabContext, t: CanaryTarget, was: string): string {
  const d = deployedVersion(ctx, t);
  return d?.deploymentId && d.version !== was ? d.version : was;
}

function keepStage(ctx: LabContext, s: StageView): void {
  ctx.figure('stageDeployment', s.deploymentId);
  ctx.figure('stageVariables', JSON.stringify(s.variables));
}

/** the create step's check of what the stage's own share calls (the requests the canary does not take) */
const OWN_SHARE = `the stage's own ${STAGE_VARIABLE} is still live (its other ${100 - CANARY_PERCENT} % stay on the alias)`;

/**
 * The stage's own ${STAGE_VARIABLE} is not live: a canary's stageVariableOverrides "override
 * existing stage variables or add new stage variables for the canary release deployment"
 * (DeploymentCanarySettings, API Gateway API reference), so the stage's own share keeps the stage's
 * variables; with the new version there too every request reaches it and the split measures 100 %.
 * The way out: the variable back to live; undefined when it is live.
 */
function ownShareHint(ctx: LabContext, s: StageView): string | undefined {
  if (s.variables[STAGE_VARIABLE] === 'live') return undefined;
  const r = known(ctx)?.route ?? placeholder;
  const why = `the stage's own variables serve the ${100 - CANARY_PERCENT} % the canary does not take, and its override changes only its own ${CANARY_PERCENT} %`;
  const typo = misspeltVariableHint(ctx, r, s.variables, why);
  if (typo) return `${typo}\nthen press r`;
  return `${why}; set the stage's ${STAGE_VARIABLE} back to live, then press r:${hintCommand(ctx.aws(wiring.setVariable(r, 'live')))}`;
}

/**
 * A canary share written as a fraction (0.1, 0.25, 0.5): API Gateway's percentTraffic is a
 * percentage, "between 0.0 and 100.0" (DeploymentCanarySettings, API Gateway API reference), so
 * 0.1 sends one request in a thousand to the canary. The mistake is likely: the blue-green step
 * showed a Lambda alias's AdditionalVersionWeights {"2": 0.1}, a fraction from 0 to 1, as 10 %.
 * Said with the update-stage that sets the step's share (as a 0 % canary's hint gives the command
 * that removes it); undefined for any share not between 0 and 1.
 */
function fractionalShare(ctx: LabContext, s: StageView): string | undefined {
  const p = s.canary?.percentTraffic;
  if (p === undefined || !(p > 0 && p < 1)) return undefined;
  const set = ctx.aws(release.restore(known(ctx)?.route ?? placeholder, [{ op: 'replace', path: '/canarySettings/percentTraffic', value: String(CANARY_PERCENT) }]));
  return `percentTraffic ${p} sends ${p} % of the stage's requests to the canary, not ${Math.round(p * 10_000) / 100} %: API Gateway's canary share is a percentage from 0 to 100, unlike a Lambda alias weight (a fraction from 0 to 1, where 0.1 is 10 %). Set it to ${CANARY_PERCENT}, then press r:${hintCommand(set)}`;
}

/** the create step's checks of the canary on the stage: what the rollback's prepare puts back when it is gone */
const CANARY_CHECKS = { percent: `the Prod stage has a canary at ${CANARY_PERCENT} %`, override: `the canary's ${STAGE_VARIABLE} names the new version` } as const;

const createStep: Step = {
  id: IDS.create,
  chapter: CHAPTER,
  title: `send ${CANARY_PERCENT} % of the stage's requests to a canary`,
  explain: (ctx) => [
    `The lab publishes app version ${CANARY_APP_VERSION} (app version 2 plus a Summary of the labels) as a new Lambda version, and lets API Gateway call it. Two numberings meet here: the app version is APP_VERSION in the code; the Lambda version is the number the cloud gives each publish.`,
    // --ci presses no key: the lab measures once the stage shows its canary
    `Create a canary on Prod: ${CANARY_PERCENT} % of its requests go to a deployment whose ${STAGE_VARIABLE} names it. ${ctx.ci ? 'Once' : 'Then press r: once'} the stage shows the canary, the lab counts ${SPLIT_REQUESTS.toLocaleString('en-US')} answers by version.`,
  ],
  goal: `a ${CANARY_PERCENT} % canary on the new version, measured within ${TOLERANCE_POINTS} points`,
  // the stage itself reset puts where this step starts (stepStartForReset): no canary, lambdaAlias=live
  onReset: `the new Lambda version stays published, and so does the integration through \${stageVariables.${STAGE_VARIABLE}} (a deploy of sam-app/ changes neither, unless its API changed: then the integration is the template's again, and reset canary-stage-variable, then start, makes it again). The step starts again from a stage with no canary and ${STAGE_VARIABLE}=live: create the canary with the printed command.`,
  action: { kind: 'command', command: createCommand },
  staticChecks: [],
  liveChecks: [
    stageCheck(CANARY_CHECKS.percent, (s, ctx) =>
      s.canary?.percentTraffic === CANARY_PERCENT
        ? passed(`${CANARY_PERCENT} % on deployment ${s.canary.deploymentId}`)
        : notYet(`percentTraffic ${CANARY_PERCENT}`, s.canary ? `${s.canary.percentTraffic} %` : 'no canary', fractionalShare(ctx, s)),
    ),
    stageCheck(CANARY_CHECKS.override, (s, ctx) => {
      const want = newVersionOf(ctx);
      const got = s.canary?.stageVariableOverrides[STAGE_VARIABLE];
      if (got === want) return passed(`${STAGE_VARIABLE}=${got}`);
      if (!s.canary) return notYet(`${STAGE_VARIABLE}=${want}`, 'no canary');
      // the canary is there with another value: "Update a canary release" replaces its override in place (canaryOperations)
      const set = ctx.aws(release.restore(known(ctx)?.route ?? placeholder, [{ op: 'replace', path: `/canarySettings/stageVariableOverrides/${STAGE_VARIABLE}`, value: want }]));
      const why = got === undefined ? `the canary overrides no ${STAGE_VARIABLE}, so its requests keep the stage's` : `the canary's ${STAGE_VARIABLE}=${got} sends its ${CANARY_PERCENT} % to ${got}, not to the new Lambda version ${want}`;
      return notYet(`${STAGE_VARIABLE}=${want}`, overridesInWords(s.canary.stageVariableOverrides), `${why}; set it on the canary, then press r:${hintCommand(set)}`);
    }),
    stageCheck(OWN_SHARE, (s, ctx) =>
      s.variables[STAGE_VARIABLE] === 'live'
        ? passed(`${STAGE_VARIABLE}=live`)
        : notYet(`${STAGE_VARIABLE}=live`, `${variablesInWords(s.variables)}${s.variables[STAGE_VARIABLE] === newVersionOf(ctx) ? ', the new version: the stage\'s own requests reach it too' : ''}`, ownShareHint(ctx, s)),
    ),
    {
      name: 'the canary left the live alias alone',
      aws: (ctx) => ctx.aws(`lambda get-alias --function-name ${known(ctx)?.functionName ?? 'FUNCTION_NAME'} --name live`),
      run: (ctx, signal) =>
        whenDeployed(async () => {
          const was = String(figureOf(ctx, IDS.create, 'liveVersion') ?? '');
          const t = await target(ctx, signal);
          const { version: now, shiftingTo } = await liveAlias(ctx, t, signal);
          // the learner's own deploy moving live (app.mjs deployed since the last step): Lambda's
          // routing, which a canary never touches, so it does not count against the canary; said
          // as what happened. Anything else that moved it is not the step's and is named with the way back.
          const moved = shiftingTo ?? now;
          if (was && moved !== was) {
            const mine = deployedTo(ctx, t, moved);
            if (mine) {
              const by = `your deploy (CodeDeploy deployment ${mine.deploymentId ?? 'of live'}), not by the canary, which changes no alias`;
              return passed(shiftingTo ? `live shifting from Lambda version ${now} to ${shiftingTo}, moved by ${by}` : `live on Lambda version ${now}, moved from ${was} by ${by}`);
            }
            return notYet(
              `live on Lambda version ${was}`,
              `live on Lambda version ${now}${shiftingTo ? `, shifting to ${shiftingTo}` : ''}`,
              `live moved from Lambda version ${was} after this step began, and not by your last deploy: an API Gateway canary never moves an alias, so put it back (a does it too):${hintCommand(ctx.aws(`lambda update-alias --function-name ${t.functionName} --name live --function-version ${liveWayBack(ctx, t, was)} --routing-config AdditionalVersionWeights={}`))}`,
            );
          }
          return passed(shiftingTo ? `live on Lambda version ${now}, shifting to ${shiftingTo}` : `live on Lambda version ${now}`);
        }),
    },
    {
      name: `the measured share is within ${TOLERANCE_POINTS} points of ${CANARY_PERCENT} %`,
      measured: true,
      aws: (ctx) => `for i in $(seq 100); do curl -s -D - -o /dev/null -X POST '${orUrl(ctx)}' -d '{}' | grep -i x-function-version; done | sort | uniq -c`,
      run: async (ctx) => {
        const share = figureOf(ctx, IDS.create, 'canaryShare');
        const requests = figureOf(ctx, IDS.create, 'requests');
        if (typeof share !== 'number') return notYet(`${CANARY_PERCENT} % ± ${TOLERANCE_POINTS} of ${splitRequests(ctx)} requests`, 'not measured yet');
        const unnamed = tooManyUnnamed(ctx, IDS.create);
        if (unnamed) return unnamed;
        const text = `${share.toFixed(2)} % of ${requests} requests`;
        if (Math.abs(share - CANARY_PERCENT) <= TOLERANCE_POINTS) return passed(text);
        return notYet(`${CANARY_PERCENT} % ± ${TOLERANCE_POINTS}`, text, share === 0 ? 'no request reached the canary: was the stage deployed after put-integration (previous step)?' : undefined);
      },
    },
  ],
  hints: [
    // a share written as an alias weight (0.1 for 10 %): the check's own hint, for the h key
    stageHint(fractionalShare),
    // the stage's own share on the new version too (a reset from a promoted stage, an update-stage): the split cannot be 10 %
    stageHint(ownShareHint),
    measurementHint(IDS.create, `${SPLIT_REQUESTS.toLocaleString('en-US')} requests`),
    `create-deployment with --stage-name Prod and --canary-settings: percentTraffic=${CANARY_PERCENT} and stageVariableOverrides={${STAGE_VARIABLE}=<the new version>} (the number is printed above).`,
    'A canary deployment needs a stage that exists; the stage keeps its deploymentId, and GetStage shows the canary under canarySettings.',
    `The split is measured, not read: r sends ${SPLIT_REQUESTS.toLocaleString('en-US')} requests through Prod once the checks of the stage pass, and counts the answers by the version that served them.`,
  ],
  docs: DOCS,
  async prepare(ctx) {
    const t = await found(ctx);
    const s = await stage(clientsOf(ctx), t, ctx.signal);
    if (!s.canary) keepStage(ctx, s);
    await ensureNewVersion(ctx, t);
  },
  async follow(ctx) {
    const t = await found(ctx);
    // the stage under the canary, as the checks of the stage passed it (a canary leaves the stage's
    // own deployment and variables as they were): where the rollback returns to. The prepare's
    // copy may be older: a stage the learner set right after the step began (lambdaAlias back to live)
    const s = await stage(clientsOf(ctx), t, ctx.signal);
    if (s.canary) keepStage(ctx, s);
    const version = newVersionOf(ctx);
    const m = await measureLive(ctx, t, version, splitRequests(ctx), `requests through ${t.route.stageName}, by the Lambda version that answered`, s);
    ctx.figure('requests', m.split.sent);
    ctx.figure('noVersionNamed', m.split.byVersion[NO_VERSION] ?? 0);
    ctx.figure('byVersion', m.split.byVersion);
    ctx.figure('byStatus', m.split.byStatus);
    ctx.figure('unanswered', m.split.unanswered ?? {});
    ctx.figure('canaryShare', Math.round(m.share * 100) / 100);
  },
  solve: {
    show: async (ctx) => {
      // from the stage as the learner left it: its own lambdaAlias back to live first when it is not
      const t = await orPlaceholder(() => found(ctx), undefined);
      const s = t && (await orPlaceholder(() => stage(clientsOf(ctx), t, ctx.signal), undefined));
      const own = s && s.variables[STAGE_VARIABLE] !== 'live' ? [ctx.aws(wiring.setVariable(t.route, 'live'))] : [];
      return { command: [...own, createCommand(ctx)].join('\n') };
    },
    apply: async (ctx) => {
      const t = await found(ctx);
      const s = await stage(clientsOf(ctx), t, ctx.signal);
      if (s.variables[STAGE_VARIABLE] !== 'live') await patchStage(ctx.clients.apiGateway, t.route, [{ op: 'replace', path: `/variables/${STAGE_VARIABLE}`, value: 'live' }], ctx.signal);
      await putLiveBack(ctx, t);
      await startCanary(clientsOf(ctx), t, newVersionOf(ctx), CANARY_PERCENT, ctx.signal);
    },
  },
};

// ---- 3. rollback and 4. promotion ----

/**
 * Where the rollback and the promotion start: a canary on the new version, as the create step
 * leaves it. A stage without one gets one back (the promotion starts after the rollback removed
 * it; `step canary-promote` on its own), unless it holds the step's own change: once the step has
 * begun (`begun`), a stage with no canary that shows the rollback or the promotion is the learner's
 * work, made before a q or a Ctrl-C, and a canary put back would undo it. Then the stage stays as it is and the step's checks find the
 * change. `ownChange`: what the stage shows of the step's change, undefined when it does not.
 * `base`: the stage the step's canary goes on (the rollback's: the stage before the chapter's
 * canary, put back when a later step moved it). Says what the lab did, or left alone.
 */
async function ensureCanary(
  ctx: LabContext,
  t: CanaryTarget,
  stepId: string,
  ownChange: (s: StageView) => string | undefined,
  base?: { deploymentId: string; variables: Record<string, string> },
): Promise<StageView> {
  let version = kept(ctx, 'version');
  if (typeof version !== 'string') version = await ensureNewVersion(ctx, t);
  let s = await stage(clientsOf(ctx), t, ctx.signal);
  if (s.canary) {
    // the step's own starting point: a canary leaves the stage's deployment and variables as they
    // were, so they are the stage before it (kept once, as the step begins: a resumed step keeps
    // the figures it began with)
    if (!begun(ctx, stepId)) keepStage(ctx, s);
    return s;
  }
  const own = ownChange(s);
  if (own) {
    ctx.io.say(`${own} is in the cloud already, so the lab leaves the stage as it is (no canary put back) and the checks find it; to do the step again, ${again(ctx, stepId)}`);
    return s;
  }
  const restored = base && (await restoreStage(ctx.clients.apiGateway, t.route, s, base, ctx.signal));
  if (restored) {
    ctx.io.say(`the stage served deployment ${s.deploymentId} with ${allVariablesInWords(s.variables)} (a later step's); this step starts from the stage before the canary: the lab put deployment ${restored.deploymentId} with ${allVariablesInWords(restored.variables)} back on it`);
    s = restored;
  }
  keepStage(ctx, s);
  const deployment = await startCanary(clientsOf(ctx), t, version as string, CANARY_PERCENT, ctx.signal);
  ctx.io.say(`the stage had no canary, and this step starts from one: the lab put a canary at ${CANARY_PERCENT} % on Lambda version ${String(version)} back on it (deployment ${deployment})`);
  return stage(clientsOf(ctx), t, ctx.signal);
}

/**
 * The step has begun and not been done since: its prepare kept the canary it started from after
 * the step was last done. Neither the status nor the figures tell it alone: the runner marks a
 * step started before its prepare both when it resumes (q or Ctrl-C, then start) and when a done
 * step is done again (`step <id>`, `start --from`), and a done step's figures stay (only `reset`
 * clears them). So the prepare keeps, with the canary, when the step was last done (`begunAfter`,
 * null when it never was): a step done again starts fresh, from a canary, and a step resumed
 * (before or after it was first done) keeps the learner's change.
 */
function begun(ctx: LabContext, stepId: string): boolean {
  if (figureOf(ctx, stepId, 'canaryDeployment') === undefined) return false;
  return (figureOf(ctx, stepId, 'begunAfter') ?? null) === (ctx.stepProgress(stepId).doneAt ?? null);
}

/** the prepare's mark that the step has begun (`begun`): the canary it starts from */
function markBegun(ctx: LabContext, stepId: string, s: StageView): void {
  if (!s.canary) return;
  ctx.figure('canaryDeployment', s.canary.deploymentId);
  ctx.figure('begunAfter', ctx.stepProgress(stepId).doneAt ?? null);
}

/**
 * The stage the rollback started from, before its canary: what its prepare kept, else (progress
 * written before the rollback kept its own) the create step's. Never a later step's: a rollback
 * done again after the promotion starts from the promoted stage, not the one the promotion began on.
 */
function stageBeforeRollback(ctx: LabContext, key: 'stageDeployment' | 'stageVariables'): unknown {
  return figureOf(ctx, IDS.rollback, key) ?? figureOf(ctx, IDS.create, key);
}

/**
 * The stage the canary chapter's canary was made on, as the create step kept it: where the
 * rollback starts from (with a canary) when a later step moved the stage (the promotion).
 */
/**
 * A stage's variables as a finding says them: `lambdaAlias=5`, `no stage variables`; the stage's
 * JSON (`{"lambdaAlias":"5"}`) stays the figure the checks compare.
 */
/** a canary's overrides in words: `lambdaAlias=5`, `no stage variable overrides` */
function overridesInWords(v: Record<string, string>): string {
  return Object.keys(v).length ? allVariablesInWords(v) : 'no stage variable overrides';
}

function allVariablesInWords(v: Record<string, string>): string {
  const set = Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1));
  return set.length ? set.map(([k, x]) => `${k}=${x}`).join(', ') : 'no stage variables';
}

/** allVariablesInWords of a figure kept as the stage's JSON; the figure as it is when it is no such JSON */
function keptVariablesInWords(json: unknown): string {
  try {
    const v: unknown = typeof json === 'string' ? JSON.parse(json) : undefined;
    if (v && typeof v === 'object' && !Array.isArray(v)) return allVariablesInWords(v as Record<string, string>);
  } catch {
    // not JSON: said as it is
  }
  return String(json);
}

function stageBeforeCanary(ctx: LabContext): { deploymentId: string; variables: Record<string, string> } | undefined {
  const deploymentId = figureOf(ctx, IDS.create, 'stageDeployment');
  const variables = figureOf(ctx, IDS.create, 'stageVariables');
  if (typeof deploymentId !== 'string' || typeof variables !== 'string') return undefined;
  try {
    return { deploymentId, variables: JSON.parse(variables) as Record<string, string> };
  } catch {
    return undefined;
  }
}

/**
 * Where a reset to canary step `stepId` puts the stage (reset.ts, stageUndoTo), from the figures
 * progress holds before the reset forgets them: on the stage the create step's canary went on, as
 * that step kept it (else the stage's own deployment), with ${STAGE_VARIABLE}=live, the variable
 * step's goal, so the stage's own share calls the live alias. canary-create starts with no canary;
 * the rollback and the promotion start from the create step's canary (${CANARY_PERCENT} % on the
 * new version), which stays when it is there and which their prepare puts back when it is not.
 * Undefined for any other step: a reset to the chapter's first step, or before it, goes back to
 * the deploy's stage (stageUndo). A reset to canary-create after the promotion left the promoted
 * version in the stage's own ${STAGE_VARIABLE}, and the canary made again then split nothing.
 */
export function stepStartForReset(stepId: string, figures: Readonly<Record<string, Readonly<Record<string, FigureValue>>>>): StepStart | undefined {
  if (stepId !== IDS.create && stepId !== IDS.rollback && stepId !== IDS.promote) return undefined;
  const create = figures[IDS.create] ?? {};
  const deploymentId = create.stageDeployment;
  const variables = parsedVariables(create.stageVariables);
  const version = [IDS.promote, IDS.rollback, IDS.create].map((id) => figures[id]?.version).find((v) => v !== undefined);
  return {
    stepId,
    where: stepId === IDS.create ? `no canary, ${STAGE_VARIABLE}=live` : `${STAGE_VARIABLE}=live, under ${IDS.create}'s canary or none`,
    base: (now) => ({ deploymentId: typeof deploymentId === 'string' ? deploymentId : now.deploymentId, variables: { ...(variables ?? now.variables), [STAGE_VARIABLE]: 'live' } }),
    keep: (c) => stepId !== IDS.create && version !== undefined && c.percentTraffic === CANARY_PERCENT && c.stageVariableOverrides[STAGE_VARIABLE] === String(version),
  };
}

/** a stage's variables as keepStage kept them (JSON), undefined when not kept or not variables */
function parsedVariables(kept: unknown): Record<string, string> | undefined {
  if (typeof kept !== 'string') return undefined;
  try {
    const v: unknown = JSON.parse(kept);
    return v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string') ? (v as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

/** the rollback's change, once the step has begun: no canary, the stage as before the canary */
function rolledBack(ctx: LabContext, s: StageView): string | undefined {
  if (!begun(ctx, IDS.rollback)) return undefined;
  const vars = JSON.stringify(s.variables);
  if (s.canary || stageBeforeRollback(ctx, 'stageDeployment') !== s.deploymentId || stageBeforeRollback(ctx, 'stageVariables') !== vars) return undefined;
  return `the stage has no canary and serves deployment ${s.deploymentId} with ${allVariablesInWords(s.variables)}, as before the canary: this step's rollback`;
}

/** the promotion, once the step has begun: the canary's deployment and version on the stage, no canary */
function promoted(ctx: LabContext, s: StageView): string | undefined {
  const canary = figureOf(ctx, IDS.promote, 'canaryDeployment');
  if (!begun(ctx, IDS.promote) || s.canary || s.deploymentId !== canary || s.variables[STAGE_VARIABLE] !== newVersionOf(ctx)) return undefined;
  return `the stage serves the canary's deployment ${s.deploymentId} with ${STAGE_VARIABLE}=${s.variables[STAGE_VARIABLE]} and has no canary: this step's promotion`;
}

/**
 * How to do the step again from a canary, once its change is found in the cloud. A step done
 * before (being done again: `step <id>`) is done again the same way once it passes, keeping the
 * later steps' progress; one never done is forgotten (`reset`, its figures too), then started.
 */
function again(ctx: LabContext, id: string): string {
  if (ctx.stepProgress(id).doneAt !== undefined) return `once it passes, ${afterQuitting({ workspace: ctx.ws.root, target: ctx.target }, [['step', id]])}: a step done again begins from a canary`;
  return `${afterQuitting({ workspace: ctx.ws.root, target: ctx.target }, [['reset', id]])}: it begins from a canary again`;
}

async function sample(ctx: LabContext, title: string): Promise<void> {
  const t = await found(ctx);
  // after a rollback or a promotion the stage has no canary: the new version, if it answers, is
  // the stage's own deployment's (the promotion made the canary's deployment the stage's); the rows
  // are named from the stage as it is, a canary left on it (percentTraffic 0) included
  const m = await measureLive(ctx, t, newVersionOf(ctx), sampleRequests(ctx), title, await stage(clientsOf(ctx), t, ctx.signal));
  ctx.figure('requests', m.split.sent);
  ctx.figure('noVersionNamed', m.split.byVersion[NO_VERSION] ?? 0);
  ctx.figure('byVersion', m.split.byVersion);
  ctx.figure('byStatus', m.split.byStatus);
  ctx.figure('unanswered', m.split.unanswered ?? {});
  ctx.figure('canaryShare', Math.round(m.share * 100) / 100);
}

function rollbackCommand(ctx: LabContext): string {
  return ctx.aws(release.removeCanary(known(ctx)?.route ?? placeholder));
}

const rollbackStep: Step = {
  id: IDS.rollback,
  chapter: CHAPTER,
  title: 'roll the canary back',
  explain: [
    'Suppose the canary\'s version misbehaves. Rolling back is removing the canary: the stage kept its own deployment and variables all along.',
    'The step starts from the canary of the step before: if the stage has none when the step begins, the lab puts one back, and says so. Once the step has begun, your rollback stays: the lab never puts a canary back over it (after a q or a Ctrl-C, say).',
  ],
  goal: 'no canary; the stage as before it; no request on the new version',
  // ensureCanary: a stage without a canary gets the create step's back as the step begins
  restoresFromPrevious: [CANARY_CHECKS.percent, CANARY_CHECKS.override],
  onReset: `the new Lambda version stays published (deploying sam-app/ does not change it). When the step starts again it begins from its starting point: the lab puts a canary on the new version back on the stage if it has none, and says so.`,
  action: { kind: 'command', command: rollbackCommand },
  staticChecks: [],
  liveChecks: [
    noCanary(rollbackCommand),
    stageCheck("the stage's deployment and variables are as before the canary", (s, ctx) => {
      const dep = stageBeforeRollback(ctx, 'stageDeployment');
      const vars = stageBeforeRollback(ctx, 'stageVariables');
      const now = JSON.stringify(s.variables);
      const words = allVariablesInWords(s.variables);
      if (dep === s.deploymentId && vars === now) return passed(`deployment ${s.deploymentId}, ${words}`);
      return notYet(`deployment ${String(dep)}, ${keptVariablesInWords(vars)}`, `deployment ${s.deploymentId}, ${words}`);
    }),
    sampled(IDS.rollback, `0 % of ${SAMPLE} requests reach the new version`, 0),
  ],
  hints: [
    measurementHint(IDS.rollback, `${SAMPLE} requests`),
    'update-stage with one patch operation: op=remove,path=/canarySettings.',
    `Then r: once the stage has no canary, the lab sends ${SAMPLE} requests through it and counts those the new version answered.`,
  ],
  docs: DOCS,
  async prepare(ctx) {
    const s = await ensureCanary(ctx, await found(ctx), IDS.rollback, (v) => rolledBack(ctx, v), stageBeforeCanary(ctx));
    // begun: from now on (until the step is done) a stage without a canary is this step's work, never undone
    markBegun(ctx, IDS.rollback, s);
  },
  follow: (ctx) => sample(ctx, 'requests by the version that answered, after the rollback'),
  solve: {
    show: async (ctx) => ({ command: rollbackCommand(ctx) }),
    apply: async (ctx) => {
      await rollBack(clientsOf(ctx), await found(ctx), ctx.signal);
    },
  },
};

function promoteCommands(ctx: LabContext): string {
  const r = known(ctx)?.route ?? placeholder;
  return [release.promote(r), release.removeCanary(r)].map((c) => ctx.aws(c)).join('\n');
}

/**
 * The promotion's dead end: the step began on its canary (its deployment, ${STAGE_VARIABLE}=the
 * new version) and the stage now shows neither that canary nor its promotion. Run in the other
 * order, the second printed command removes the canary, and the first then finds none to copy
 * from: its replace of /canarySettings/percentTraffic makes a new canary of the stage's own
 * deployment at 0 % ("Create a canary release deployment": a canary can be added with stage:update),
 * whose promotion copies the stage onto itself. Its removal (the noCanary check's usual way out)
 * leads back to the same state. What the stage shows, or undefined when the step's canary or its
 * promotion is there (or the step has not begun on one).
 */
function strayedFromCanary(ctx: LabContext, s: StageView): string | undefined {
  const dep = figureOf(ctx, IDS.promote, 'canaryDeployment');
  if (typeof dep !== 'string') return undefined;
  const version = newVersionOf(ctx);
  if (s.canary?.deploymentId === dep && s.canary.stageVariableOverrides[STAGE_VARIABLE] === version) return undefined;
  if (isPromoted(ctx, s)) return undefined;
  const c = s.canary;
  if (!c) return `no canary (the stage on deployment ${s.deploymentId} with ${allVariablesInWords(s.variables)})`;
  return `a canary at ${c.percentTraffic} % on deployment ${c.deploymentId}${c.deploymentId === s.deploymentId ? " (the stage's own)" : ''} with ${overridesInWords(c.stageVariableOverrides)}`;
}

/** the promotion's result, whatever canary is left: the step's canary deployment and version on the stage */
function isPromoted(ctx: LabContext, s: StageView): boolean {
  return s.deploymentId === figureOf(ctx, IDS.promote, 'canaryDeployment') && s.variables[STAGE_VARIABLE] === newVersionOf(ctx);
}

/** the update-stage operations that put the step's canary back as it began (no new deployment) */
function stepCanaryOperations(ctx: LabContext) {
  return canaryOperations(String(figureOf(ctx, IDS.promote, 'canaryDeployment')), STAGE_VARIABLE, newVersionOf(ctx), CANARY_PERCENT);
}

/** The way out of the dead end (strayedFromCanary), said with the commands; undefined when the stage is not in it. */
function promoteWayOut(ctx: LabContext, s: StageView): string | undefined {
  const found = strayedFromCanary(ctx, s);
  if (!found) return undefined;
  const r = known(ctx)?.route ?? placeholder;
  const said = [
    `the stage shows ${found}, not the canary this step began with (deployment ${String(figureOf(ctx, IDS.promote, 'canaryDeployment'))}, ${STAGE_VARIABLE}=${newVersionOf(ctx)}).`,
    'Promotion copies from the canary, so once it is removed there is nothing to promote, and update-stage on /canarySettings/… of a stage without a canary makes a new one on the stage\'s own deployment at 0 %: removing that one leads back here.',
    "The way out: put the step's canary back, then run the two printed commands in order:",
  ].join(' ');
  // each command on a line of its own, to be pasted whole
  return `${said}${hintCommand(ctx.aws(release.restore(r, stepCanaryOperations(ctx))))}\nOr press a (the lab runs the three), or start the step over: quit the lab (q), then run these two:${hintCommand(labCommand(['reset', IDS.promote], { workspace: ctx.ws.root, target: ctx.target }))}${hintCommand(labCommand(['start'], { workspace: ctx.ws.root, target: ctx.target }))}`;
}

/** The promotion from the stage as it is (solve): the step's canary back when it is lost, the copies, the removal. */
async function promoteFromHere(ctx: LabContext, t: CanaryTarget, s: StageView): Promise<string[]> {
  const r = t.route;
  if (isPromoted(ctx, s)) return s.canary ? [release.removeCanary(r)] : [];
  const back = strayedFromCanary(ctx, s) ? [release.restore(r, stepCanaryOperations(ctx))] : [];
  return [...back, release.promote(r), release.removeCanary(r)];
}

const promoteStep: Step = {
  id: IDS.promote,
  chapter: CHAPTER,
  title: 'promote the canary',
  explain: [
    `This time the canary behaves: promote it. Promotion copies its deployment and variable overrides onto the stage, so ${STAGE_VARIABLE} names the new version for every request; then the canary goes.`,
    'The rollback removed the canary, so the lab puts one back as the step begins (it says so), unless the stage already shows this step\'s promotion: then it leaves your work as it is.',
  ],
  goal: `Prod serves the canary's deployment and ${STAGE_VARIABLE}; no canary; 100 % on the new version`,
  onReset: `the new Lambda version stays published (deploying sam-app/ does not change it). When the step starts again it begins from its starting point: the lab puts a canary on the new version back on the stage if it has none, and says so.`,
  action: { kind: 'command', command: promoteCommands },
  staticChecks: [],
  liveChecks: [
    stageCheck("the stage serves the canary's deployment", (s, ctx) => {
      const want = figureOf(ctx, IDS.promote, 'canaryDeployment');
      return s.deploymentId === want ? passed(`deployment ${s.deploymentId}`) : notYet(`deployment ${String(want)}`, `deployment ${s.deploymentId}`, promoteWayOut(ctx, s));
    }),
    stageCheck(`the stage's ${STAGE_VARIABLE} names the new version`, (s, ctx) =>
      s.variables[STAGE_VARIABLE] === newVersionOf(ctx) ? passed(`${STAGE_VARIABLE}=${s.variables[STAGE_VARIABLE]}`) : notYet(`${STAGE_VARIABLE}=${newVersionOf(ctx)}`, `${STAGE_VARIABLE}=${s.variables[STAGE_VARIABLE] ?? '(unset)'}`),
    ),
    noCanary(
      rollbackCommand,
      // the way out in full is the first check's hint: said once in a list of checks
      (s, ctx) => (strayedFromCanary(ctx, s) ? "this canary is not the step's: removing it leaves a stage with nothing to promote; the first check's hint says the way out" : undefined),
    ),
    sampled(IDS.promote, `100 % of ${SAMPLE} requests reach the new version`, 100),
  ],
  hints: [
    // the dead end first: the numbered hints (remove the canary last) do not get out of it
    stageHint(promoteWayOut),
    measurementHint(IDS.promote, `${SAMPLE} requests`, true),
    'Promotion is two copy operations (from /canarySettings/deploymentId to /deploymentId, from /canarySettings/stageVariableOverrides to /variables) and percentTraffic 0.0; then remove /canarySettings.',
    'The copies only work while the canary exists: remove it last.',
    `Then r: once the stage serves the canary's deployment, the lab sends ${SAMPLE} requests through it and counts those the new version answered.`,
  ],
  docs: DOCS,
  async prepare(ctx) {
    const s = await ensureCanary(ctx, await found(ctx), IDS.promote, (v) => promoted(ctx, v));
    markBegun(ctx, IDS.promote, s);
  },
  follow: (ctx) => sample(ctx, 'requests by the version that answered, after the promotion'),
  solve: {
    show: async (ctx) => {
      const t = await orPlaceholder(() => found(ctx), undefined);
      const s = t && (await orPlaceholder(() => stage(clientsOf(ctx), t, ctx.signal), undefined));
      if (!t || !s) return { command: promoteCommands(ctx) };
      const cmds = await promoteFromHere(ctx, t, s);
      return { command: cmds.length ? cmds.map((c) => ctx.aws(c)).join('\n') : promoteCommands(ctx) };
    },
    apply: async (ctx) => {
      // from the stage as the learner left it: the step's canary put back first when it was lost
      const t = await found(ctx);
      const s = await stage(clientsOf(ctx), t, ctx.signal);
      if (isPromoted(ctx, s)) {
        if (s.canary) await rollBack(clientsOf(ctx), t, ctx.signal);
        return;
      }
      if (strayedFromCanary(ctx, s)) await patchStage(ctx.clients.apiGateway, t.route, stepCanaryOperations(ctx), ctx.signal);
      await promote(clientsOf(ctx), t, ctx.signal);
    },
  },
};

export const canarySteps: readonly Step[] = [variableStep, createStep, rollbackStep, promoteStep];
