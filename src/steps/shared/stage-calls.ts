/**
 * What the API's stage calls, for the live deployment view. The view samples the app through the
 * stage while CodeDeploy shifts the alias "live"; its counts show the shift only while the stage
 * calls that alias. After the canary chapter the stage may call something else: its promotion
 * leaves `lambdaAlias=6` on the stage, so every request goes to Lambda version 6 itself, whatever
 * the alias's weights ("Use stage variables for a REST API in API Gateway": `${stageVariables.NAME}`
 * in an integration URI takes the stage's value, and a canary's stageVariableOverrides for its
 * share). The view then counted `v7: 0, v8: 0, v6: 184`, the shift's versions at 0 where traffic
 * was expected, and a third version no line explained.
 */
import type { LabContext } from '../../lab/context.js';
import { hintCommand } from '../../lab/check.js';
import { readApiStage, type ApiCall, type ApiStageStatus } from '../../targets/status-api.js';
import { APP_ALIAS, appFunction } from './app.js';
import { commands as wiring } from '../canary/stage-variable.js';

export interface StageElsewhere {
  /** the sentence said before the view, with the command that points the stage at the alias again when a stage variable is what moved it */
  said: string;
  /** what the stage's own share calls, short, for the view's count of answers (`v6`, `alias beta`); undefined when it calls the alias */
  calls?: string;
  /** for a check of the API's answers: why they do not come from the alias, and the way back (undefined when the stage's own share calls the alias) */
  hint?: string;
}

/** `${stageVariables.lambdaAlias}` → lambdaAlias; undefined for a fixed qualifier */
function variableOf(uriQualifier: string | null): string | undefined {
  return uriQualifier ? /^\$\{stageVariables\.([^}]*)\}$/.exec(uriQualifier)?.[1] : undefined;
}

function calleeInWords(q: string | null): { long: string; short: string } {
  if (q === null) return { long: "the function's $LATEST (no alias or version)", short: '$LATEST' };
  if (q === '') return { long: 'no function (the variable its integration reads is not set)', short: 'nothing' };
  if (/^\d+$/.test(q)) return { long: `Lambda version ${q}`, short: `v${q}` };
  return { long: `the alias "${q}"`, short: `alias ${q}` };
}

/**
 * The words for a stage whose requests do not all follow `alias`: what its own share calls (and
 * through which stage variable), and what its canary calls. Undefined when every request of the
 * stage calls the alias. `command(variable)`: the update-stage that sets the variable to the alias.
 */
export function stageElsewhereInWords(
  s: Pick<ApiStageStatus, 'stage' | 'variables' | 'canary'>,
  call: Pick<ApiCall, 'uriQualifier' | 'qualifier' | 'canaryQualifier'>,
  alias: string,
  command?: (variable: string) => string,
): StageElsewhere | undefined {
  const own = call.qualifier !== alias;
  const canaryQ = s.canary && s.canary.percentTraffic > 0 && call.canaryQualifier !== undefined && call.canaryQualifier !== alias ? call.canaryQualifier : undefined;
  if (!own && canaryQ === undefined) return undefined;
  const variable = variableOf(call.uriQualifier);
  const callee = calleeInWords(call.qualifier);
  const through = variable ? ` (its stage variable ${variable}=${s.variables[variable] ?? ''})` : '';
  const head = own ? `the ${s.stage} stage calls ${callee.long}${through}, not the alias "${alias}" that this deployment shifts` : `the ${s.stage} stage calls the alias "${alias}"`;
  const canary = canaryQ !== undefined ? `${own ? '; ' : ', but '}${s.canary!.percentTraffic} % of its requests go to its canary, which calls ${calleeInWords(canaryQ).long}` : '';
  const counts = own
    ? `: the answers counted below come from ${canary ? 'what the stage calls' : callee.long}, whatever the alias's weights`
    : ': those answers do not follow the shift';
  const back = own && variable && command ? `. To watch the shift through the API, point the stage at "${alias}" again:${hintCommand(command(variable))}` : '';
  const hint = own
    ? `the ${s.stage} stage calls ${callee.long}${through}, not the alias "${alias}" that a deploy moves, so the API answers from ${callee.long}${variable && command ? `: point the stage at "${alias}" again, then re-check:${hintCommand(command(variable))}` : ''}`
    : undefined;
  return { said: `${head}${canary}${counts}${back}`, ...(own ? { calls: callee.short, hint } : {}) };
}

/**
 * The app's stage read from the cloud, in words when its requests do not all call the alias
 * "live" (stageElsewhereInWords). Undefined when they do, and when the stage cannot be read (no
 * API in the deploy record, a cloud that does not answer): the view then counts as it always did.
 */
export async function stageElsewhere(ctx: LabContext, signal: AbortSignal): Promise<StageElsewhere | undefined> {
  try {
    const api = ctx.deployment().apis[0];
    if (!api) return undefined;
    const fn = appFunction(ctx).name;
    const s = await readApiStage(ctx.clients.apiGateway, api, signal);
    const call = s.calls.find((c) => c.functionName === fn && c.method === 'POST') ?? s.calls.find((c) => c.functionName === fn);
    if (!call) return undefined;
    return stageElsewhereInWords(s, call, APP_ALIAS, (variable) =>
      ctx.aws(wiring.setVariable({ restApiId: api.restApiId, stageName: api.stage }, APP_ALIAS, variable)),
    );
  } catch {
    if (signal.aborted) throw signal.reason;
    return undefined;
  }
}
