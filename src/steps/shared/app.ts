/**
 * The bundled app as steps see it: its function and alias from the last deployment, and one real
 * request through the API (POST /getinfo with a sample image), whose answer names the app version
 * and the Lambda version that served it.
 */
import { LabError } from '../../errors.js';
import type { CheckOutcome } from '../../lab/check.js';
import { notYet } from '../../lab/check.js';
import type { LabContext } from '../../lab/context.js';
import type { DeployRecord, FunctionRecord } from '../../targets/deploy-record.js';
import { postJson } from '../../targets/api-request.js';

/** the template's function (sam-app/template.yaml) */
export const APP_FUNCTION = 'GetInfoFunction';
export const APP_ALIAS = 'live';
/** a sample image shipped with the app, uploaded to ImagesBucket by the deploy */
export const SAMPLE_KEY = 'someguy.jpg';

export class NotDeployed extends Error {}

export function deployment(ctx: LabContext): DeployRecord {
  try {
    return ctx.deployment();
  } catch (err) {
    if (err instanceof LabError) throw new NotDeployed(err.message);
    throw err;
  }
}

export function appFunction(ctx: LabContext): FunctionRecord {
  const rec = deployment(ctx);
  const fn = rec.functions.find((f) => f.logicalId === APP_FUNCTION) ?? rec.functions.find((f) => f.alias);
  if (!fn) throw new NotDeployed(`the deployment has no function ${APP_FUNCTION}`);
  return fn;
}

/** the function's physical name, or FUNCTION_NAME as a placeholder for commands shown before a deploy */
export function functionName(ctx: LabContext): string {
  try {
    return appFunction(ctx).name;
  } catch {
    return 'FUNCTION_NAME';
  }
}

/** A check that needs a deployment says "not yet" without one, rather than failing to check. */
export async function whenDeployed(run: () => Promise<CheckOutcome>): Promise<CheckOutcome> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof NotDeployed) return notYet('the app deployed from this workspace', `nothing deployed yet (${err.message})`);
    throw err;
  }
}

export interface AppAnswer {
  status: number;
  /** ServedBy.AppVersion of the bundled app (1, 2, …); undefined for an answer without it */
  appVersion?: number;
  /** ServedBy.FunctionVersion: the Lambda version that ran */
  functionVersion?: string;
  labels: string[];
  ms: number;
  /** the body, parsed when it is JSON */
  body: unknown;
}

/**
 * Which versions served an answer: "Lambda version 6 (app version 4)". They differ as soon as a
 * deploy publishes a new Lambda version of the same app (a fix, a comment), so texts name both.
 */
export function servedBy(a: Pick<AppAnswer, 'functionVersion' | 'appVersion'>): string {
  return `Lambda version ${a.functionVersion ?? '?'}${a.appVersion !== undefined ? ` (app version ${a.appVersion})` : ''}`;
}

export function apiUrl(ctx: LabContext): string {
  const url = deployment(ctx).outputs.ApiUrl;
  if (!url) throw new NotDeployed('the stack has no ApiUrl output');
  return url;
}

export function requestBody(ctx: LabContext, key = SAMPLE_KEY): string {
  return JSON.stringify({ bucket: deployment(ctx).outputs.ImagesBucket ?? '', key });
}

/** one POST /getinfo through API Gateway, as curl would send it */
export async function askApp(ctx: LabContext, signal: AbortSignal, key = SAMPLE_KEY): Promise<AppAnswer> {
  const { status, text, ms, functionVersion } = await postJson(apiUrl(ctx), requestBody(ctx, key), signal);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text (API Gateway's own errors are JSON too, so this is rare)
  }
  const b = (typeof body === 'object' && body !== null ? body : {}) as { ServedBy?: { AppVersion?: number; FunctionVersion?: string }; Labels?: { Name?: string }[] };
  return {
    status,
    appVersion: b.ServedBy?.AppVersion,
    functionVersion: b.ServedBy?.FunctionVersion ?? functionVersion,
    labels: (b.Labels ?? []).map((l) => l.Name ?? '').filter(Boolean),
    ms,
    body,
  };
}

/** the curl command a learner can paste */
export function curlCommand(ctx: LabContext): string {
  try {
    return `curl -X POST '${apiUrl(ctx)}' -H 'Content-Type: application/json' -d '${requestBody(ctx)}'`;
  } catch {
    return `curl -X POST '<ApiUrl>' -H 'Content-Type: application/json' -d '{"bucket":"<ImagesBucket>","key":"${SAMPLE_KEY}"}'`;
  }
}
