/**
 * What the canary steps share: the target found from the last deployment, the figures one step
 * keeps for the next (the new version, the stage before the canary), the live split view, and the
 * reference template diff.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '../../errors.js';
import { notYet, type CheckOutcome } from '../../lab/check.js';
import type { LabContext } from '../../lab/context.js';
import { DIFF_CONTEXT, jsdiff } from '../../lab/reference.js';
import { packageRoot } from '../../lab/workspace.js';
import { CanaryError, findTarget, measure, type CanaryClients, type CanaryTarget, type Measured } from './lesson.js';
import { namedAnswers, NO_VERSION, type Split } from '../../targets/version-split.js';
import type { StageView } from './release.js';
import { STAGE_VARIABLE } from './stage-variable.js';
import { lambdaCommands } from '../../targets/clients.js';

const { GetAliasCommand } = lambdaCommands;

export const CHAPTER = { id: 'canary', title: 'API Gateway canary release', section: '4.2' };

export const DOCS = [
  { title: 'Set up an API Gateway canary release deployment', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/canary-release.html' },
  { title: 'Use stage variables for a REST API in API Gateway', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/stage-variables.html' },
  { title: 'UpdateStage patch operations', url: 'https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateStage-Patch' },
];

export const clientsOf = (ctx: LabContext): CanaryClients => ({ apiGateway: ctx.clients.apiGateway, lambda: ctx.clients.lambda });

export function target(ctx: LabContext, signal: AbortSignal = ctx.signal): Promise<CanaryTarget> {
  // said inside a running lab (not --ci, which ends on it): deploy waits until the lab is quit
  return findTarget(ctx.clients.apiGateway, ctx.deployment(), signal, ctx.ws.root, !ctx.ci);
}

/** The target for a hint, or undefined without one (nothing deployed, no API): the hint then says nothing. */
export async function targetIfAny(ctx: LabContext, signal: AbortSignal = ctx.signal): Promise<CanaryTarget | undefined> {
  try {
    return await target(ctx, signal);
  } catch (err) {
    if (err instanceof LabError) return undefined;
    throw err;
  }
}

/** A check that needs the deployed app says "not yet" without it, rather than "could not check". */
export async function whenDeployed(run: () => Promise<CheckOutcome>): Promise<CheckOutcome> {
  try {
    return await run();
  } catch (err) {
    // CanaryError is a LabError that knows the fix: tested first
    if (err instanceof CanaryError) return notYet('the bundled app as deployed', err.message, err.fix);
    if (err instanceof LabError) return notYet('the app deployed from this workspace', err.message);
    throw err;
  }
}

/** A figure another canary step kept (they run in order; `step canary-…` alone recomputes it). */
export function figureOf(ctx: LabContext, stepId: string, key: string): unknown {
  return (ctx.allFigures()[stepId] as Record<string, unknown> | undefined)?.[key];
}

/** The version the `live` alias points at. */
export async function liveVersion(ctx: LabContext, t: CanaryTarget, signal: AbortSignal = ctx.signal): Promise<string> {
  return (await liveAlias(ctx, t, signal)).version;
}

/**
 * The `live` alias: its version, and the version a CodeDeploy shift is moving it to, when one is
 * under way. CodeDeploy shifts a Lambda alias by its routing configuration: the alias keeps
 * FunctionVersion on the original version and sends AdditionalVersionWeights' share to the target
 * ("Implement Lambda canary deployments using a weighted alias", Lambda developer guide:
 * https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html).
 */
export async function liveAlias(ctx: LabContext, t: CanaryTarget, signal: AbortSignal = ctx.signal): Promise<{ version: string; shiftingTo?: string }> {
  const a = await ctx.clients.lambda.send(new GetAliasCommand({ FunctionName: t.functionName, Name: 'live' }), { abortSignal: signal });
  const shiftingTo = Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {})[0];
  return { version: a.FunctionVersion ?? '', ...(shiftingTo ? { shiftingTo } : {}) };
}

/**
 * The learner's own last deploy of sam-app/, when it is what moves (or moved) `live` to
 * `version`: the deploy record names the Lambda version it published for the alias, and the
 * CodeDeploy deployment that shifts it. Undefined when the record says another version.
 */
export function deployedVersion(ctx: LabContext, t: CanaryTarget): { version: string; deploymentId?: string } | undefined {
  try {
    const fn = ctx.deployment().functions.find((f) => f.name === t.functionName);
    return fn?.version ? { version: fn.version, ...(fn.deploymentId ? { deploymentId: fn.deploymentId } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

export function deployedTo(ctx: LabContext, t: CanaryTarget, version: string): { deploymentId?: string } | undefined {
  const d = deployedVersion(ctx, t);
  return d && d.version === version ? d : undefined;
}

export function codeDir(): string {
  return join(packageRoot(), 'templates', 'canary', 'src');
}

/** How the stage variable lives in a SAM template, as a diff of the relevant part of template.yaml. */
export function templateDiff(): string {
  const dir = join(packageRoot(), 'templates', 'canary');
  const before = readFileSync(join(dir, 'template-before.yaml'), 'utf8');
  const after = readFileSync(join(dir, 'template-after.yaml'), 'utf8');
  return jsdiff().createTwoFilesPatch('sam-app/template.yaml', 'sam-app/template.yaml', before, after, 'Resources (excerpt)', 'Resources (excerpt)', { context: DIFF_CONTEXT });
}

const BAR = 24;
/**
 * The widest a row of the split view may be: 80 columns less the 9 of the clock the --ci log puts
 * before every line (`16:01:02 `). At 24 bar cells a row was 73-74 wide, 82-83 in the log, and at
 * 80 columns each row's ` %` went to a line alone; the bar gives up the cells the labels need.
 */
const ROW = 80 - 'HH:MM:SS '.length;

/** What the stage calls, to name each row of the split view by the way its requests went. */
export interface SplitRoutes {
  /** the Lambda version the stage's canary calls; undefined once the stage has none */
  canary?: string;
  /** the canary's share of the stage's requests, as the stage sets it (percentTraffic) */
  canaryPercent?: number;
  /** what the stage's own lambdaAlias names: an alias (live), or a version after a promotion */
  stageCalls?: string;
}

/**
 * Lines of the split view: one bar per Lambda version that answered, its count and share, labelled
 * in words by the way the requests came to it: the stage's canary at its share, or the stage's own
 * deployment (API Gateway's production release) through the alias its lambdaAlias names
 * (`canary at 10 % → Lambda v5`, `stage via alias live → Lambda v2`). They said `version 5  canary`,
 * which named neither the alias nor the share. Once the stage has no canary (after a rollback or a
 * promotion, which makes the canary's deployment the stage's own: "Promote a canary release", API
 * Gateway developer guide) every version is the stage's.
 */
export function splitLines(split: Split, routes: SplitRoutes, total: number): string[] {
  const answered = namedAnswers(split);
  const rows = Object.entries(split.byVersion).sort(([a], [b]) => (a < b ? -1 : 1));
  const via = routes.stageCalls && !/^\d+$/.test(routes.stageCalls) ? ` via alias ${routes.stageCalls}` : '';
  const label = (v: string) => (v === routes.canary ? `canary${routes.canaryPercent === undefined ? '' : ` at ${routes.canaryPercent} %`}` : `stage${via}`) + ` → Lambda v${v}`;
  const width = Math.max(0, ...rows.filter(([v]) => v !== NO_VERSION).map(([v]) => label(v).length));
  // `label  bar nnnnn  ppp.p %`: what the label and the figures leave of ROW, at most BAR cells
  const cells = Math.max(10, Math.min(BAR, ROW - width - '  '.length - ' 00000  100.0 %'.length));
  const lines = rows.map(([v, n]) => {
    const pct = answered ? (100 * n) / answered : 0;
    const bar = '█'.repeat(Math.round((pct / 100) * cells)).padEnd(cells, '·');
    if (v === NO_VERSION) return `no version named (${Object.keys(split.byStatus).filter((s) => !s.startsWith('2') && !s.startsWith('4')).join(', ') || 'error'}): ${n}`;
    return `${label(v).padEnd(width)}  ${bar} ${String(n).padStart(5)}  ${pct.toFixed(1).padStart(5)} %`;
  });
  lines.push(`${split.sent} of ${total} requests sent${split.errors ? `, ${split.errors} without an answer` : ''}`);
  return lines;
}

/**
 * Sends `requests` probe requests through the stage with the split shown live; `share` is the
 * share of `newVersion`. `stage`: the stage as the requests find it, to name each row by the way
 * they went (splitLines); with no canary on it (a rollback, a promotion) no row is the canary's.
 */
export async function measureLive(ctx: LabContext, t: CanaryTarget, newVersion: string, requests: number, title: string, stage: StageView, opts: { concurrency?: number } = {}): Promise<Measured> {
  const view = ctx.io.live(title, 250);
  const routes: SplitRoutes = stage.canary
    ? { canary: stage.canary.stageVariableOverrides[STAGE_VARIABLE] ?? newVersion, canaryPercent: stage.canary.percentTraffic, stageCalls: stage.variables[STAGE_VARIABLE] }
    : { stageCalls: stage.variables[STAGE_VARIABLE] };
  let m: Measured;
  try {
    m = await measure(t, newVersion, requests, { concurrency: opts.concurrency, signal: ctx.signal, onProgress: (s) => view.update(splitLines(s, routes, requests)) });
  } catch (err) {
    // the view ends as it was last drawn: what is said next goes under it
    view.done();
    throw err;
  }
  view.done(splitLines(m.split, routes, requests));
  return m;
}
