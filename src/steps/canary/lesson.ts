/**
 * The canary lesson as functions over the SDK clients, the same on both targets: find the API and
 * function the lab deployed, make the function's version a stage variable, publish the new version,
 * put 10 % of the stage's requests on it as a canary, measure the split by the version that
 * answered, then roll back or promote and check the outcome against GetStage and real requests.
 * The step module (canary.ts) drives these through the lab's runner and I/O host.
 */
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { LabError } from '../../errors.js';
import type { DeployRecord } from '../../targets/deploy-record.js';
import { commands as release, createCanary, promoteCanary, readStage, restoreOperations, restoreStage, rollBackCanary, type StageBase, type StageView } from './release.js';
import { allowApiGateway, commands as wiring, deployedIntegrationUri, findRoute, functionUri, integrationUri, sourceArn, STAGE_VARIABLE, uriStageVariables, useStageVariable, type Route } from './stage-variable.js';
import { CANARY_DESCRIPTION_TAIL, publishCodeAsVersion } from './version.js';
import { afterQuitting, labCommand } from '../../lab/outside.js';
import { measureSplit, namedAnswers, shareOf, type Split } from '../../targets/version-split.js';
import { apiGatewayCommands } from '../../targets/clients.js';

const { PutIntegrationCommand } = apiGatewayCommands;

export const CANARY_PERCENT = 10;
/**
 * The app version of the canary's code (templates/canary/src/app.mjs): the fifth a learner
 * releases, after hooks-errors' 4. It was 3, hooks-failing's number, and the lab said "version 3"
 * of a canary it had just shown as Lambda version 5, while hooks-alarm had rolled back "version 3".
 */
export const CANARY_APP_VERSION = 5;
/** the share measured over this many requests must be within TOLERANCE points of the setting */
export const SPLIT_REQUESTS = 5000;
export const TOLERANCE_POINTS = 2;
/** a body the app refuses at once (400), still naming the version that answered */
export const PROBE_BODY = '{}';

export interface CanaryClients {
  apiGateway: APIGatewayClient;
  lambda: LambdaClient;
}

/** What the lesson works on, found from the deploy record. */
export interface CanaryTarget {
  route: Route;
  functionName: string;
  /** unqualified */
  functionArn: string;
  /**
   * the function's alias in the last deploy (the deploy record's: SAM's AutoPublishAlias, `live`
   * in the bundled app); undefined when the function has none and the API calls it unqualified
   */
  alias?: string;
  region: string;
  accountId: string;
  /** the invoke URL of POST /getinfo on the stage */
  url: string;
}

/**
 * What the lesson needs is not deployed: a LabError, so that outside a check (a step's `apply`, "do
 * it for me") it reaches the learner as what is missing and what to do, never as a lab bug.
 */
export class CanaryError extends LabError {
  override readonly name: string = 'CanaryError';
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message, undefined, fix);
  }
}

const unqualified = (arn: string) => arn.split(':').slice(0, 7).join(':');

/**
 * `workspace`: the folder the lab runs in, for the deploy command its fixes print (as the lab
 * prints every command of ours: one that runs as pasted, not on ./lab-workspace). `inLab`: said by
 * a running lab, whose workspace `deploy` cannot take until the lab is quit (afterQuitting).
 */
export async function findTarget(apigw: APIGatewayClient, record: DeployRecord, signal?: AbortSignal, workspace?: string, inLab = false): Promise<CanaryTarget> {
  const command = labCommand(['deploy'], { workspace, target: record.target });
  const deploy = inLab && workspace !== undefined ? afterQuitting({ workspace, target: record.target }, [['deploy']]) : command;
  const fn = record.functions.find((f) => f.logicalId === 'GetInfoFunction') ?? record.functions[0];
  const api = record.apis[0];
  const url = record.outputs.ApiUrl;
  const missing = [
    ...(fn ? (fn.arn ? [] : [`ARN for function ${fn.name}`]) : ['Lambda function']),
    ...(api ? [] : ['REST API']),
    ...(url ? [] : ['ApiUrl output']),
  ];
  if (!fn || !fn.arn || !api || !url) {
    // e.g. a record that an older version wrote on the aws target: no API, no function ARN
    throw new CanaryError(
      `the last deployment recorded in this workspace (target ${record.target}, stack ${record.stackName}) has no ${missing.join(', no ')}; the canary steps need the bundled app's function, its REST API and its ApiUrl output`,
      inLab && workspace !== undefined ? `deploy the bundled app again: ${deploy}` : `deploy the bundled app again (${workspace === undefined ? `${deploy} --workspace <your workspace>` : deploy}), then run this step again`,
    );
  }
  const route = await findRoute(apigw, { restApiId: api.restApiId, stageName: api.stage }, '/getinfo', 'POST', signal);
  if (!route) throw new CanaryError(`the API ${api.restApiId} has no /getinfo resource`, `deploy the bundled app again: ${workspace === undefined ? `${deploy} --workspace <your workspace>` : deploy}`);
  const functionArn = unqualified(fn.arn);
  return { route, functionName: fn.name, functionArn, alias: fn.alias, region: functionArn.split(':')[3], accountId: functionArn.split(':')[4], url };
}

/** True when the route's integration already calls the function through the stage variable. */
export async function usesStageVariable(apigw: APIGatewayClient, t: CanaryTarget, signal?: AbortSignal): Promise<boolean> {
  const uri = await integrationUri(apigw, t.route, signal);
  return uri?.includes(`\${stageVariables.${STAGE_VARIABLE}}`) ?? false;
}

export async function reachThroughStageVariable(c: CanaryClients, t: CanaryTarget, signal?: AbortSignal): Promise<void> {
  await useStageVariable(c.apiGateway, t.route, t.region, t.functionArn, 'live', signal);
}

/**
 * Publishes `codeDir` as a new version and lets API Gateway call it (a Lambda permission for that
 * version; the local cloud stores it as AWS does, without enforcing it).
 */
export async function publishNewVersion(c: CanaryClients, t: CanaryTarget, codeDir: string, signal?: AbortSignal): Promise<string> {
  const version = await publishCodeAsVersion(c.lambda, t.functionName, codeDir, `app version ${CANARY_APP_VERSION}, ${CANARY_DESCRIPTION_TAIL}`, signal);
  await allowApiGateway(c.lambda, t.functionName, version, sourceArn(t.region, t.accountId, t.route), signal);
  return version;
}

export function startCanary(c: CanaryClients, t: CanaryTarget, version: string, percent = CANARY_PERCENT, signal?: AbortSignal): Promise<string> {
  return createCanary(c.apiGateway, t.route, { percentTraffic: percent, stageVariableOverrides: { [STAGE_VARIABLE]: version }, description: `canary: version ${version}` }, signal);
}

export interface Measured {
  split: Split;
  /** percent of the answers that named `version` */
  share: number;
  /** answers that named a version, of all requests sent */
  named: number;
}

/**
 * At most this many requests at once: each one in flight may need its own execution environment,
 * and on a small, busy machine a crowd of them starting together (each loading the SDK) can
 * outlast the function's timeout. Warm, ten connections send 5,000 requests in seconds.
 */
export const MEASURE_CONCURRENCY = 10;
/** the share of requests that must name a version for a measurement to count */
export const MIN_NAMED = 0.95;

export async function measure(t: CanaryTarget, version: string, requests: number, opts: { concurrency?: number; signal?: AbortSignal; onProgress?: (s: Split) => void } = {}): Promise<Measured> {
  const split = await measureSplit({
    url: t.url,
    requests,
    concurrency: opts.concurrency ?? MEASURE_CONCURRENCY,
    rampEvery: 20,
    body: PROBE_BODY,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  return { split, share: shareOf(split, [version]), named: namedAnswers(split) };
}

export async function rollBack(c: CanaryClients, t: CanaryTarget, signal?: AbortSignal): Promise<StageView> {
  return rollBackCanary(c.apiGateway, t.route, signal);
}

export async function promote(c: CanaryClients, t: CanaryTarget, signal?: AbortSignal): Promise<StageView> {
  return promoteCanary(c.apiGateway, t.route, signal);
}

export function stage(c: CanaryClients, t: CanaryTarget, signal?: AbortSignal): Promise<StageView> {
  return readStage(c.apiGateway, t.route, signal);
}

/**
 * A canary's stage variable overrides in words, for what a reset did: ` with lambdaAlias set to 5
 * for its share`; none, nothing (it said `with {"lambdaAlias":"5"}`).
 */
export function overridesInWords(overrides: Readonly<Record<string, string>>): string {
  const said = Object.entries(overrides).map(([k, v]) => `${k} set to ${v}`);
  return said.length ? ` with ${said.join(' and ')} for its share` : '';
}

/** "stage deploymentId and variables equal": what a rollback must leave as it found it */
export function sameStage(a: StageView, b: StageView): boolean {
  const vars = (v: Record<string, string>) => JSON.stringify(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)));
  return a.deploymentId === b.deploymentId && vars(a.variables) === vars(b.variables);
}

/** One change that puts the stage back: what it does, the `apigateway …` command that does the same, and the call. */
export interface StageUndo {
  said: string;
  /** what is left of the change, as the learner types it (a run that did part of it before a call failed says the rest) */
  command: string;
  /** false when it found nothing to change after all; a sentence when what it did is not `said` */
  run: (signal?: AbortSignal) => Promise<string | false | void>;
}

/**
 * What puts the stage and the route back to what the last deploy made (`deploymentId`, its
 * deployment), undoing the canary chapter: the canary removed (its rollback, rollBackCanary), the
 * stage on that deployment again without the chapter's ${STAGE_VARIABLE} (restoreStage, as a
 * rollback done again does), then the draft integration as that deployment calls it. Empty when
 * the stage and the route are as the deploy left them.
 *
 * A deployment that reads ${STAGE_VARIABLE} itself (the learner's template made the API with it,
 * as templates/canary/template-after.yaml does) keeps the variable: API Gateway cannot build a
 * function ARN from a variable the stage does not set ("Use stage variables for a REST API in API
 * Gateway", developer guide). It is set to the function's alias in the deploy record (`t.alias`),
 * which is what the stage called before the chapter, and the reset says so.
 *
 * A deploy does not do it: CloudFormation makes a new deployment of the API only when SAM's
 * Deployment resource changes, and SAM names it <api>Deployment<sha>, the hash of the API's
 * definition ("CloudFormation resources generated when AWS::Serverless::Api is specified", SAM
 * developer guide); an unchanged API keeps its Deployment, and a stage moved by UpdateStage or
 * CreateDeployment stays where it was moved (AWS::ApiGateway::Deployment: "deploys a RestApi to a
 * stage"; a deployment is an immutable snapshot, a new one is needed for a change to be served).
 * The calls are the ones the chapter teaches, so they run the same on both targets.
 */
export async function stageUndo(c: CanaryClients, t: CanaryTarget, deploymentId: string, signal?: AbortSignal): Promise<StageUndo[]> {
  const apigw = c.apiGateway;
  const at = t.route;
  const now = await stage(c, t, signal);
  const out: StageUndo[] = [];
  if (now.canary) {
    out.push({
      said: `removed the stage's canary (${now.canary.percentTraffic} % on deployment ${now.canary.deploymentId}${overridesInWords(now.canary.stageVariableOverrides)})`,
      command: release.removeCanary(at),
      run: async (sig) => void (await rollBackCanary(apigw, at, sig)),
    });
  }
  // the variable goes only if the deployment the stage returns to does not read it
  const base = { deploymentId, variables: { ...now.variables } };
  if (Object.hasOwn(base.variables, STAGE_VARIABLE)) delete base.variables[STAGE_VARIABLE];
  const moved = now.deploymentId !== deploymentId;
  const ops = restoreOperations(now, base);
  if (ops.length) {
    const had = Object.hasOwn(now.variables, STAGE_VARIABLE) ? `${STAGE_VARIABLE}=${now.variables[STAGE_VARIABLE]}` : '';
    const was = [moved ? `deployment ${now.deploymentId}` : '', had].filter(Boolean).join(', ');
    const undo: StageUndo = {
      said: `put the ${at.stageName} stage back on deployment ${deploymentId}, the last deploy's, without the stage variable ${STAGE_VARIABLE} (it had ${was})`,
      command: release.restore(at, ops),
      run: async (sig) => {
        // the deployment first, the variables as they are, so no request meets a variable that deployment reads unset
        const cur = await stage(c, t, sig);
        const onIt = await restoreStage(apigw, at, cur, { deploymentId, variables: cur.variables }, sig);
        const reads = uriStageVariables(await deployedIntegrationUri(apigw, at, sig)).includes(STAGE_VARIABLE);
        const value = reads ? (t.alias ?? cur.variables[STAGE_VARIABLE]) : undefined;
        const want = value === undefined ? base : { deploymentId, variables: { ...base.variables, [STAGE_VARIABLE]: value } };
        const after = onIt ?? { ...cur, deploymentId };
        undo.command = release.restore(at, restoreOperations(after, want));
        const set = await restoreStage(apigw, at, after, want, sig);
        if (!onIt && !set) return false;
        if (value === undefined) return undefined;
        const why = t.alias ? `the alias ${t.alias} of ${t.functionName}, as the last deploy made it` : `as it was: the deploy record names no alias of ${t.functionName} to set it to`;
        return `put the ${at.stageName} stage back on deployment ${deploymentId}, the last deploy's, and kept its stage variable ${STAGE_VARIABLE}=${value} (${why}; it had ${was}): that deployment's integration reads \${stageVariables.${STAGE_VARIABLE}}, as your template made it, and API Gateway cannot call the function through a variable the stage does not set`;
      },
    };
    out.push(undo);
  }
  // the draft: what the deployment calls (read once the stage is on it), set again where the chapter changed it
  const draft = await integrationUri(apigw, at, signal);
  if (draft?.includes(`\${stageVariables.${STAGE_VARIABLE}}`)) {
    const undo: StageUndo = {
      said: `set the integration of ${at.httpMethod} ${at.path} back to what deployment ${deploymentId} calls (it called …:\${stageVariables.${STAGE_VARIABLE}})`,
      // what the chapter started from: the function's alias in the deploy record (SAM's events call
      // the AutoPublishAlias); the call itself puts back the URI the deployment holds
      command: wiring.putIntegrationTo(at, functionUri(t.region, t.functionArn, t.alias)),
      run: async (sig) => {
        const uri = await deployedIntegrationUri(apigw, at, sig);
        if (!uri || uri === draft) return false;
        undo.command = wiring.putIntegrationTo(at, uri);
        await apigw.send(
          // Lambda proxy integrations always call Lambda with POST
          new PutIntegrationCommand({ restApiId: at.restApiId, resourceId: at.resourceId, httpMethod: at.httpMethod, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri }),
          { abortSignal: sig },
        );
        return undefined;
      },
    };
    out.push(undo);
  }
  return out;
}


/**
 * Where a canary step after the first starts, as a reset to it puts the stage: on `base` (the
 * stage the create step's canary went on: the variable step's deployment, ${STAGE_VARIABLE}=live),
 * and with no canary unless `keep` accepts the one there (the rollback and the promotion start from
 * the create step's canary; their prepare puts it back when it is gone).
 */
export interface StepStart {
  /** the step it is: said with what the reset did */
  stepId: string;
  /** the start in words, for reset's question: `no canary, lambdaAlias=live` */
  where: string;
  /** the stage the step starts on, given the stage as it is */
  base(now: StageView): StageBase;
  keep(canary: NonNullable<StageView['canary']>): boolean;
}

/**
 * What puts the stage where `start` says (a reset to a canary step after the first), with the
 * chapter's own calls: the canary removed (rollBackCanary), then the stage on the base's
 * deployment and variables (restoreStage). A deploy does not do it (stageUndo says why); a reset
 * to the chapter's first step does the same from the deploy's deployment (stageUndo). Without
 * it, a reset to canary-create after the promotion left ${STAGE_VARIABLE} on the new version, and
 * the canary made again sent every request there (the stage's own 90 % too). Empty when the stage
 * is where the step starts.
 */
export async function stageUndoTo(c: CanaryClients, t: CanaryTarget, start: StepStart, signal?: AbortSignal): Promise<StageUndo[]> {
  const apigw = c.apiGateway;
  const at = t.route;
  const now = await stage(c, t, signal);
  const out: StageUndo[] = [];
  if (now.canary && !start.keep(now.canary)) {
    out.push({
      said: `removed the stage's canary (${now.canary.percentTraffic} % on deployment ${now.canary.deploymentId}${overridesInWords(now.canary.stageVariableOverrides)})`,
      command: release.removeCanary(at),
      run: async (sig) => void (await rollBackCanary(apigw, at, sig)),
    });
  }
  const base = start.base(now);
  const ops = restoreOperations(now, base);
  if (ops.length) {
    const words = (s: StageBase) => [`deployment ${s.deploymentId}`, ...Object.entries(s.variables).map(([k, v]) => `${k}=${v}`)].join(', ');
    out.push({
      said: `put the ${at.stageName} stage back on ${words(base)}, where ${start.stepId} starts (it had ${words(now)})`,
      command: release.restore(at, ops),
      run: async (sig) => ((await restoreStage(apigw, at, await stage(c, t, sig), base, sig)) ? undefined : false),
    });
  }
  return out;
}
