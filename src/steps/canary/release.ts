/**
 * An API Gateway canary release on a stage, through the SDK, as AWS documents it ("Set up an API
 * Gateway canary release deployment", API Gateway developer guide):
 *
 *   create   CreateDeployment { stageName, canarySettings: { percentTraffic, stageVariableOverrides } }
 *            (the stage keeps its deployment; the canary gets the new one)
 *   promote  UpdateStage replace /canarySettings/percentTraffic 0.0,
 *                        copy /canarySettings/deploymentId → /deploymentId,
 *                        copy /canarySettings/stageVariableOverrides → /variables
 *            then remove /canarySettings (promotion keeps the canary at 0 % until removed)
 *   rollback UpdateStage remove /canarySettings (the stage's deployment and variables untouched)
 *
 * Each operation also has the `aws apigateway …` command that does the same, for the learner.
 */
import type { APIGatewayClient, PatchOperation, Stage } from '@aws-sdk/client-api-gateway';
import { shellWord } from '../../invocation.js';
import { apiGatewayCommands } from '../../targets/clients.js';

const { CreateDeploymentCommand, GetStageCommand, UpdateStageCommand } = apiGatewayCommands;

export interface StageRef {
  restApiId: string;
  stageName: string;
}

export interface CanaryPlan {
  percentTraffic: number;
  stageVariableOverrides: Record<string, string>;
  description?: string;
}

/** What a stage serves, as GetStage tells it. */
export interface StageView {
  deploymentId: string;
  variables: Record<string, string>;
  canary?: { deploymentId: string; percentTraffic: number; stageVariableOverrides: Record<string, string> };
}

export function stageView(stage: Stage): StageView {
  const c = stage.canarySettings;
  return {
    deploymentId: stage.deploymentId ?? '',
    variables: { ...(stage.variables ?? {}) },
    canary: c
      ? { deploymentId: c.deploymentId ?? '', percentTraffic: c.percentTraffic ?? 0, stageVariableOverrides: { ...(c.stageVariableOverrides ?? {}) } }
      : undefined,
  };
}

export async function readStage(apigw: APIGatewayClient, at: StageRef, signal?: AbortSignal): Promise<StageView> {
  return stageView(await apigw.send(new GetStageCommand({ restApiId: at.restApiId, stageName: at.stageName }), { abortSignal: signal }));
}

/** Creates the canary: a new deployment of the API that `percentTraffic` % of the stage's requests reach. */
export async function createCanary(apigw: APIGatewayClient, at: StageRef, plan: CanaryPlan, signal?: AbortSignal): Promise<string> {
  const out = await apigw.send(
    new CreateDeploymentCommand({
      restApiId: at.restApiId,
      stageName: at.stageName,
      description: plan.description,
      canarySettings: { percentTraffic: plan.percentTraffic, stageVariableOverrides: plan.stageVariableOverrides, useStageCache: false },
    }),
    { abortSignal: signal },
  );
  return out.id!;
}

export const PROMOTE_OPERATIONS: PatchOperation[] = [
  { op: 'replace', path: '/canarySettings/percentTraffic', value: '0.0' },
  { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' },
  { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' },
];
export const REMOVE_CANARY: PatchOperation[] = [{ op: 'remove', path: '/canarySettings' }];

async function patch(apigw: APIGatewayClient, at: StageRef, patchOperations: PatchOperation[], signal?: AbortSignal): Promise<StageView> {
  const out = await apigw.send(new UpdateStageCommand({ restApiId: at.restApiId, stageName: at.stageName, patchOperations }), { abortSignal: signal });
  return stageView(out);
}

/** The canary's deployment and variables become the stage's; then the canary is removed. */
export async function promoteCanary(apigw: APIGatewayClient, at: StageRef, signal?: AbortSignal): Promise<StageView> {
  await patch(apigw, at, PROMOTE_OPERATIONS, signal);
  return patch(apigw, at, REMOVE_CANARY, signal);
}

/** The canary goes away; the stage keeps serving what it served. */
export function rollBackCanary(apigw: APIGatewayClient, at: StageRef, signal?: AbortSignal): Promise<StageView> {
  return patch(apigw, at, REMOVE_CANARY, signal);
}

/**
 * The stage back on `base`'s deployment and variables (a rollback done again after the promotion
 * starts from the stage before the canary): UpdateStage replace /deploymentId and
 * /variables/{name}, remove /variables/{name} for one `base` did not have ("UpdateStage patch
 * operations", API Gateway API reference). Undefined when the stage is on `base` already.
 */
export async function restoreStage(apigw: APIGatewayClient, at: StageRef, now: StageView, base: StageBase, signal?: AbortSignal): Promise<StageView | undefined> {
  const ops = restoreOperations(now, base);
  return ops.length ? patch(apigw, at, ops, signal) : undefined;
}

/**
 * A canary put on the stage with UpdateStage: its deployment, its override of `variable` and its
 * share. "Create a canary release deployment" (API Gateway developer guide): a canary can be made
 * "from an existing non-canary deployment by making a stage:update request to add the canary
 * settings on the stage"; replacing /canarySettings/deploymentId, /canarySettings/percentTraffic and
 * /canarySettings/stageVariableOverrides/{name} is "Update a canary release". So the canary of an
 * existing deployment comes back without a new deployment, over a canary of another or none.
 */
export function canaryOperations(deploymentId: string, variable: string, value: string, percentTraffic: number): PatchOperation[] {
  return [
    { op: 'replace', path: '/canarySettings/deploymentId', value: deploymentId },
    { op: 'replace', path: `/canarySettings/stageVariableOverrides/${variable}`, value },
    { op: 'replace', path: '/canarySettings/percentTraffic', value: String(percentTraffic) },
  ];
}

/** sends `ops` (canaryOperations, restoreOperations) to the stage: the stage after them */
export function patchStage(apigw: APIGatewayClient, at: StageRef, ops: PatchOperation[], signal?: AbortSignal): Promise<StageView> {
  return patch(apigw, at, ops, signal);
}

export type StageBase = { deploymentId: string; variables: Record<string, string> };

/** the UpdateStage patch operations that restoreStage sends; none when the stage is on `base` */
export function restoreOperations(now: StageView, base: StageBase): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if (now.deploymentId !== base.deploymentId) ops.push({ op: 'replace', path: '/deploymentId', value: base.deploymentId });
  for (const [k, v] of Object.entries(base.variables)) if (now.variables[k] !== v) ops.push({ op: 'replace', path: `/variables/${k}`, value: v });
  for (const k of Object.keys(now.variables)) if (!Object.hasOwn(base.variables, k)) ops.push({ op: 'remove', path: `/variables/${k}` });
  return ops;
}

// ---- the same, as the learner types it ----

function patchArgs(ops: PatchOperation[]): string {
  return ops.map((o) => shellWord([`op=${o.op}`, o.from ? `from=${o.from}` : '', `path=${o.path}`, o.value !== undefined ? `value=${o.value}` : ''].filter(Boolean).join(','))).join(' ');
}

/** `apigateway …` argument strings (the caller prefixes `aws` and the endpoint: ctx.aws()). */
export const commands = {
  getStage: (at: StageRef) => `apigateway get-stage --rest-api-id ${at.restApiId} --stage-name ${at.stageName}`,
  createCanary: (at: StageRef, plan: CanaryPlan) => {
    const overrides = Object.entries(plan.stageVariableOverrides).map(([k, v]) => `${k}=${v}`).join(',');
    const settings = `percentTraffic=${plan.percentTraffic},useStageCache=false${overrides ? `,stageVariableOverrides={${overrides}}` : ''}`;
    return `apigateway create-deployment --rest-api-id ${at.restApiId} --stage-name ${at.stageName} --canary-settings ${shellWord(settings)}`;
  },
  promote: (at: StageRef) => `apigateway update-stage --rest-api-id ${at.restApiId} --stage-name ${at.stageName} --patch-operations ${patchArgs(PROMOTE_OPERATIONS)}`,
  removeCanary: (at: StageRef) => `apigateway update-stage --rest-api-id ${at.restApiId} --stage-name ${at.stageName} --patch-operations ${patchArgs(REMOVE_CANARY)}`,
  restore: (at: StageRef, ops: PatchOperation[]) => `apigateway update-stage --rest-api-id ${at.restApiId} --stage-name ${at.stageName} --patch-operations ${patchArgs(ops)}`,
};
