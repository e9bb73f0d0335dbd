/**
 * What a REST API's stage calls, for `status`: the stage's deployment, its variables and canary
 * (GetStage), and the Lambda functions its deployment's integrations call (the stage's export,
 * which holds the deployed integrations; GetIntegration shows only the draft: "Export a REST API
 * from API Gateway", developer guide), with the qualifier after the stage variables are put in
 * ("Use stage variables for a REST API in API Gateway": `${stageVariables.NAME}` in an
 * integration URI takes the stage's value, and a canary's stageVariableOverrides for its share).
 *
 * Known limit: the canary's calls are read from the stage's deployment with the canary's
 * overrides; a canary deployment whose integrations differ from the stage's is not exported.
 */
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { ApiRecord } from './deploy-record.js';
import { lambdaTarget, withStageVariables } from './lambda-uri.js';
import { apiGatewayCommands } from './clients.js';

const { GetExportCommand, GetStageCommand } = apiGatewayCommands;

export interface ApiCall {
  method: string;
  path: string;
  functionName: string;
  /** the qualifier as the integration URI writes it: `live`, `${stageVariables.lambdaAlias}`, or null (unqualified) */
  uriQualifier: string | null;
  /** after the stage's variables: `8`, `live`; '' when the URI reads a variable the stage does not set */
  qualifier: string | null;
  /** after the canary's overrides (undefined without a canary) */
  canaryQualifier?: string | null;
}

export interface ApiStageStatus {
  logicalId: string;
  restApiId: string;
  stage: string;
  deploymentId: string;
  /** the deployment the last deploy put on the stage, when the record names it */
  deployedDeploymentId: string | null;
  variables: Record<string, string>;
  canary: { deploymentId: string; percentTraffic: number; stageVariableOverrides: Record<string, string> } | null;
  calls: ApiCall[];
  /**
   * The stage is no longer as the last deploy left it: a canary, an integration through a stage
   * variable, or another deployment (the canary chapter's changes, made by hand); `status` shows
   * the API then.
   */
  changed: boolean;
}

function substitute(q: string | null, vars: Record<string, string>): string | null {
  return q === null ? null : withStageVariables(q, vars);
}

export async function readApiStage(apigw: APIGatewayClient, api: ApiRecord, signal?: AbortSignal): Promise<ApiStageStatus> {
  const st = await apigw.send(new GetStageCommand({ restApiId: api.restApiId, stageName: api.stage }), { abortSignal: signal });
  const out = await apigw.send(
    new GetExportCommand({ restApiId: api.restApiId, stageName: api.stage, exportType: 'oas30', parameters: { extensions: 'integrations' }, accepts: 'application/json' }),
    { abortSignal: signal },
  );
  const doc = JSON.parse(Buffer.from(out.body ?? new Uint8Array()).toString('utf8')) as { paths?: Record<string, Record<string, { 'x-amazon-apigateway-integration'?: { uri?: unknown } }>> };
  const variables = { ...(st.variables ?? {}) };
  const c = st.canarySettings;
  const canary = c ? { deploymentId: c.deploymentId ?? '', percentTraffic: c.percentTraffic ?? 0, stageVariableOverrides: { ...(c.stageVariableOverrides ?? {}) } } : null;
  const calls: ApiCall[] = [];
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods ?? {})) {
      const uri = op?.['x-amazon-apigateway-integration']?.uri;
      const fn = typeof uri === 'string' ? lambdaTarget(uri) : undefined;
      if (!fn) continue;
      calls.push({
        method: method.toUpperCase(),
        path,
        functionName: fn.functionName,
        uriQualifier: fn.qualifier,
        qualifier: substitute(fn.qualifier, variables),
        ...(canary ? { canaryQualifier: substitute(fn.qualifier, { ...variables, ...canary.stageVariableOverrides }) } : {}),
      });
    }
  }
  const deploymentId = st.deploymentId ?? '';
  const deployed = api.deploymentId ?? null;
  const viaVariable = calls.some((k) => k.uriQualifier !== null && k.uriQualifier !== k.qualifier);
  return {
    logicalId: api.logicalId,
    restApiId: api.restApiId,
    stage: api.stage,
    deploymentId,
    deployedDeploymentId: deployed,
    variables,
    canary,
    calls,
    changed: canary !== null || viaVariable || (deployed !== null && deployed !== deploymentId),
  };
}
