/**
 * A REST API (explicit AWS::Serverless::Api or SAM's implicit ServerlessRestApi) applied through
 * the API Gateway control plane: the RestApi created once, one resource per path segment, a
 * method and an AWS_PROXY integration per Api event pointing at the function's alias, and a
 * new deployment with the stage moved onto it only when the routes changed (or the stage is
 * missing).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
import { createHash } from 'node:crypto';
import type { APIGatewayClient, Resource } from '@aws-sdk/client-api-gateway';
import type { ChangeKind } from '../types.js';
import { isNotFound } from './not-found.js';
import { apiGatewayCommands } from '../../clients.js';

const { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateStageCommand, DeleteMethodCommand, GetResourcesCommand, GetRestApiCommand, GetStageCommand, PutIntegrationCommand, PutMethodCommand, UpdateStageCommand } =
  apiGatewayCommands;

export interface DesiredRoute {
  path: string;
  method: string;
  /** the Lambda ARN (alias ARN when the function has AutoPublishAlias) the integration invokes */
  targetArn: string;
}

export interface DesiredApi {
  name: string;
  stage: string;
  variables: Record<string, string>;
  routes: DesiredRoute[];
  region: string;
}

/** `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations` */
export function lambdaIntegrationUri(region: string, functionArn: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

export function apiShapeHash(d: DesiredApi): string {
  const routes = d.routes.map((r) => `${r.method} ${r.path} ${r.targetArn}`).sort();
  const vars = Object.entries(d.variables).sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify({ routes, vars, stage: d.stage })).digest('hex').slice(0, 16);
}

/** The RestApi id: the known one if it still exists, else a new RestApi. */
export async function ensureRestApi(apigw: APIGatewayClient, knownId: string | undefined, name: string): Promise<{ id: string; change: ChangeKind }> {
  if (knownId) {
    try {
      await apigw.send(new GetRestApiCommand({ restApiId: knownId }));
      return { id: knownId, change: 'unchanged' };
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const created = await apigw.send(new CreateRestApiCommand({ name, endpointConfiguration: { types: ['EDGE'] } }));
  return { id: created.id!, change: 'created' };
}

async function stageExists(apigw: APIGatewayClient, restApiId: string, stage: string): Promise<boolean> {
  try {
    await apigw.send(new GetStageCommand({ restApiId, stageName: stage }));
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

async function allResources(apigw: APIGatewayClient, restApiId: string): Promise<Resource[]> {
  const out: Resource[] = [];
  let position: string | undefined;
  do {
    const page = await apigw.send(new GetResourcesCommand({ restApiId, position, limit: 500 }));
    out.push(...(page.items ?? []));
    position = page.position;
  } while (position);
  return out;
}

/**
 * Applies routes and deploys the stage when needed. `recordedHash` is the shape deployed last
 * time; equal to the desired shape with the stage present means nothing to do.
 */
export async function applyApi(apigw: APIGatewayClient, restApiId: string, d: DesiredApi, recordedHash: string | undefined): Promise<{ change: ChangeKind; hash: string; deploymentId?: string }> {
  const hash = apiShapeHash(d);
  if (recordedHash === hash && (await stageExists(apigw, restApiId, d.stage))) return { change: 'unchanged', hash };

  const resources = await allResources(apigw, restApiId);
  const byPath = new Map(resources.map((r) => [r.path!, r]));
  const wanted = new Set(d.routes.map((r) => `${r.method} ${normalizePath(r.path)}`));

  for (const route of d.routes) {
    const path = normalizePath(route.path);
    const resourceId = await ensureResourcePath(apigw, restApiId, byPath, path);
    const existing = byPath.get(path)?.resourceMethods ?? {};
    if (!(route.method in existing)) {
      await apigw.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: route.method, authorizationType: 'NONE' }));
      (byPath.get(path)!.resourceMethods ??= {})[route.method] = {};
    }
    // Lambda proxy integrations are always invoked with POST, whatever the method
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
    await apigw.send(
      new PutIntegrationCommand({ restApiId, resourceId, httpMethod: route.method, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaIntegrationUri(d.region, route.targetArn) }),
    );
  }
  // Routes removed from the template go away from the API too, as CloudFormation would.
  for (const r of resources) {
    for (const m of Object.keys(r.resourceMethods ?? {})) {
      if (m === 'OPTIONS' || wanted.has(`${m} ${r.path}`)) continue;
      await apigw.send(new DeleteMethodCommand({ restApiId, resourceId: r.id!, httpMethod: m }));
    }
  }

  const dep = await apigw.send(new CreateDeploymentCommand({ restApiId, description: `serverless-ops-lab ${hash}` }));
  await putStageOn(apigw, restApiId, d, dep.id!);
  return { change: recordedHash === undefined ? 'created' : 'updated', hash, deploymentId: dep.id };
}

/**
 * The stage onto `deploymentId`, as CloudFormation does with SAM's pair: SAM makes an
 * AWS::ApiGateway::Deployment with no StageName and an AWS::ApiGateway::Stage whose DeploymentId
 * refers to it ("CloudFormation resources generated when AWS::Serverless::Api is specified", SAM
 * developer guide), so the stage is made by CreateStage, then moved by UpdateStage `replace
 * /deploymentId` (and `/variables/{name}`, the template's variables set over the stage's).
 *
 * Not CreateDeployment with a stageName: to a stage whose canary is enabled (the learner's, made in
 * the canary chapter), AWS refuses a deployment without canarySettings ("Non canary deployment not
 * supported on stage …", emulator/services/apigateway/canary.ts). What `sam deploy` does to a
 * canary set outside the template is said nowhere we found (neither SAM's nor CloudFormation's
 * documentation of AWS::ApiGateway::Stage); UpdateStage as sent here leaves the canary as it was,
 * and so the learner's canary stays.
 */
async function putStageOn(apigw: APIGatewayClient, restApiId: string, d: DesiredApi, deploymentId: string): Promise<void> {
  if (!(await stageExists(apigw, restApiId, d.stage))) {
    await apigw.send(new CreateStageCommand({ restApiId, stageName: d.stage, deploymentId, variables: d.variables }));
    return;
  }
  const patchOperations = [
    { op: 'replace' as const, path: '/deploymentId', value: deploymentId },
    ...Object.entries(d.variables).map(([k, v]) => ({ op: 'replace' as const, path: `/variables/${k}`, value: v })),
  ];
  await apigw.send(new UpdateStageCommand({ restApiId, stageName: d.stage, patchOperations }));
}

function normalizePath(p: string): string {
  const s = `/${p.split('/').filter(Boolean).join('/')}`;
  return s;
}

async function ensureResourcePath(apigw: APIGatewayClient, restApiId: string, byPath: Map<string, Resource>, path: string): Promise<string> {
  let root = byPath.get('/');
  if (!root) throw new Error(`REST API ${restApiId} has no root resource`);
  let parent = root;
  let sofar = '';
  for (const part of path.split('/').filter(Boolean)) {
    sofar += `/${part}`;
    let r = byPath.get(sofar);
    if (!r) {
      r = await apigw.send(new CreateResourceCommand({ restApiId, parentId: parent.id!, pathPart: part }));
      r = { ...r, path: r.path ?? sofar, resourceMethods: r.resourceMethods ?? {} };
      byPath.set(sofar, r);
    }
    parent = r;
  }
  return parent.id!;
}
