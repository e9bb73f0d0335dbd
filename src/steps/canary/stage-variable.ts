/**
 * Making a new Lambda version reachable through a stage variable: the API's Lambda proxy
 * integration calls `NAME:${stageVariables.lambdaAlias}` instead of a fixed alias, the stage says
 * `lambdaAlias=live` (so nothing changes for its requests), and a canary can override the variable
 * for its share ("Use stage variables for a REST API in API Gateway", developer guide; the URI form
 * is `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations`).
 *
 * An integration change reaches requests only with a new deployment of the stage. On AWS, API
 * Gateway may invoke each alias or version only with a Lambda permission for that qualifier:
 * SAM grants it for the alias its events use (`live`); a version a canary names needs its own
 * (`aws lambda add-permission --qualifier N`).
 */
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { StageRef } from './release.js';
import { shellWord } from '../../invocation.js';
import { apiGatewayCommands, lambdaCommands } from '../../targets/clients.js';

const { CreateDeploymentCommand, GetExportCommand, GetIntegrationCommand, GetResourcesCommand, GetStageCommand, PutIntegrationCommand, UpdateStageCommand } = apiGatewayCommands;
const { AddPermissionCommand, GetFunctionConfigurationCommand, ListAliasesCommand } = lambdaCommands;

export const STAGE_VARIABLE = 'lambdaAlias';

export interface Route extends StageRef {
  resourceId: string;
  path: string;
  httpMethod: string;
}

/** The integration URI of a function (ARN without qualifier) through the stage variable. */
export function stageVariableUri(region: string, functionArn: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}:\${stageVariables.${STAGE_VARIABLE}}/invocations`;
}

/**
 * The integration URI of a function called through `alias` (SAM's AutoPublishAlias: the events of
 * a function with one call the alias), or unqualified without one.
 */
export function functionUri(region: string, functionArn: string, alias?: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}${alias ? `:${alias}` : ''}/invocations`;
}

/** The stage variables an integration URI reads (`${stageVariables.NAME}`), in order. */
export function uriStageVariables(uri: string | undefined): string[] {
  return [...(uri ?? '').matchAll(/\$\{stageVariables\.([^}]*)\}/g)].map((m) => m[1]!);
}

/**
 * A variable the integration reads that the stage does not set, said with what the stage does set
 * ("the integration names stageVariables.lambdaAlia, the stage sets lambdaAlias"): API Gateway
 * substitutes an unset variable with nothing, and the function ARN it builds is not one Lambda can
 * invoke ("Use stage variables for a REST API in API Gateway", developer guide). Undefined when
 * every variable the URI reads is set.
 */
export function unsetStageVariable(uri: string | undefined, variables: Readonly<Record<string, string>>, which = 'the integration'): string | undefined {
  const missing = uriStageVariables(uri).find((v) => !Object.hasOwn(variables, v));
  if (missing === undefined) return undefined;
  const set = Object.keys(variables);
  return `${which} names stageVariables.${missing}, the stage sets ${set.length ? set.join(', ') : 'no variables'}`;
}

/**
 * The function's aliases when it has neither an alias nor a version named `qualifier` (the value a
 * stage variable gives the integration's …:${stageVariables.NAME}), else undefined. Lambda answers
 * ResourceNotFoundException for a qualifier it does not have ("GetFunctionConfiguration", Lambda
 * API reference: Qualifier is "a version number or alias name"), so API Gateway's call through it
 * fails and the stage answers 500 with no version named.
 */
export async function missingQualifier(lambda: LambdaClient, functionName: string, qualifier: string, signal?: AbortSignal): Promise<string[] | undefined> {
  try {
    await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }), { abortSignal: signal });
    return undefined;
  } catch (err) {
    if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
  }
  const aliases: string[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListAliasesCommand({ FunctionName: functionName, Marker: marker }), { abortSignal: signal });
    for (const a of page.Aliases ?? []) if (a.Name) aliases.push(`${a.Name} (Lambda version ${a.FunctionVersion ?? '?'})`);
    marker = page.NextMarker;
  } while (marker);
  return aliases;
}

/** The resource id of `path` on the API, or undefined. */
export async function findRoute(apigw: APIGatewayClient, at: StageRef, path: string, httpMethod: string, signal?: AbortSignal): Promise<Route | undefined> {
  let position: string | undefined;
  do {
    const page = await apigw.send(new GetResourcesCommand({ restApiId: at.restApiId, position, limit: 500 }), { abortSignal: signal });
    const r = page.items?.find((x) => x.path === path);
    if (r?.id) return { ...at, resourceId: r.id, path, httpMethod };
    position = page.position;
  } while (position);
  return undefined;
}

/** The integration URI the route's method calls today (the draft, not necessarily deployed). */
export async function integrationUri(apigw: APIGatewayClient, route: Route, signal?: AbortSignal): Promise<string | undefined> {
  const i = await apigw.send(new GetIntegrationCommand({ restApiId: route.restApiId, resourceId: route.resourceId, httpMethod: route.httpMethod }), { abortSignal: signal });
  return i.uri;
}

/**
 * The integration URI the stage serves: the one in the deployment it points at, read from the
 * stage's export (GetIntegration shows the draft, which requests meet only after a new deployment
 * of the stage: "Export a REST API from API Gateway", developer guide). Undefined when the
 * deployed API has no integration on the route.
 */
export async function deployedIntegrationUri(apigw: APIGatewayClient, route: Route, signal?: AbortSignal): Promise<string | undefined> {
  const out = await apigw.send(
    new GetExportCommand({ restApiId: route.restApiId, stageName: route.stageName, exportType: 'oas30', parameters: { extensions: 'integrations' }, accepts: 'application/json' }),
    { abortSignal: signal },
  );
  const doc = JSON.parse(Buffer.from(out.body ?? new Uint8Array()).toString('utf8')) as { paths?: Record<string, Record<string, { 'x-amazon-apigateway-integration'?: { uri?: string } }>> };
  const path = doc.paths && Object.hasOwn(doc.paths, route.path) ? doc.paths[route.path] : undefined;
  const method = route.httpMethod.toLowerCase();
  return path && Object.hasOwn(path, method) ? path[method]?.['x-amazon-apigateway-integration']?.uri : undefined;
}

/**
 * The stage variable first (so no request ever meets an unset variable), then the integration,
 * then a deployment of the stage that serves it.
 */
export async function useStageVariable(apigw: APIGatewayClient, route: Route, region: string, functionArn: string, value: string, signal?: AbortSignal): Promise<string> {
  await apigw.send(
    new UpdateStageCommand({ restApiId: route.restApiId, stageName: route.stageName, patchOperations: [{ op: 'replace', path: `/variables/${STAGE_VARIABLE}`, value }] }),
    { abortSignal: signal },
  );
  await apigw.send(
    new PutIntegrationCommand({
      restApiId: route.restApiId,
      resourceId: route.resourceId,
      httpMethod: route.httpMethod,
      type: 'AWS_PROXY',
      // Lambda proxy integrations always call Lambda with POST
      integrationHttpMethod: 'POST',
      uri: stageVariableUri(region, functionArn),
    }),
    { abortSignal: signal },
  );
  return deployStage(apigw, route, `integration through \${stageVariables.${STAGE_VARIABLE}}`, signal);
}

/**
 * A new deployment of the API, served by the stage: CreateDeployment with the stage's name, as the
 * step teaches. A stage whose canary is enabled takes a deployment only as its canary's ("In any
 * subsequent API deployments to the same stage, you must always specify canarySettings as an
 * input, until the canary is disabled on that stage", "Create a canary release deployment",
 * developer guide; AWS answers 400 "Non canary deployment not supported on stage …"); there the
 * deployment is made without a stage and UpdateStage `replace /deploymentId` moves the stage onto
 * it, leaving the canary as it is (the step prints the same as commands.deployment and moveStage).
 */
export async function deployStage(apigw: APIGatewayClient, route: StageRef, description: string, signal?: AbortSignal): Promise<string> {
  const at = { restApiId: route.restApiId, stageName: route.stageName };
  const { canarySettings } = await apigw.send(new GetStageCommand(at), { abortSignal: signal });
  if (!canarySettings) {
    const dep = await apigw.send(new CreateDeploymentCommand({ ...at, description }), { abortSignal: signal });
    return dep.id!;
  }
  const dep = await apigw.send(new CreateDeploymentCommand({ restApiId: at.restApiId, description }), { abortSignal: signal });
  await apigw.send(new UpdateStageCommand({ ...at, patchOperations: [{ op: 'replace', path: '/deploymentId', value: dep.id! }] }), { abortSignal: signal });
  return dep.id!;
}

/** The SourceArn that lets this API's stages call the function on this route. */
export function sourceArn(region: string, accountId: string, route: Route): string {
  return `arn:aws:execute-api:${region}:${accountId}:${route.restApiId}/*/${route.httpMethod}${route.path}`;
}

/** Lets API Gateway invoke `functionName:qualifier` from this route; an existing grant is kept. */
export async function allowApiGateway(lambda: LambdaClient, functionName: string, qualifier: string, arn: string, signal?: AbortSignal): Promise<void> {
  try {
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: functionName,
        Qualifier: qualifier,
        StatementId: `lab-canary-apigateway-${qualifier}`,
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: arn,
      }),
      { abortSignal: signal },
    );
  } catch (err) {
    // the same statement id already there: the grant exists
    if ((err as { name?: string }).name !== 'ResourceConflictException') throw err;
  }
}

/** put-integration of a Lambda proxy integration that calls `uri` (quoted where the shell would expand it) */
function putIntegrationTo(route: Route, uri: string): string {
  return `apigateway put-integration --rest-api-id ${route.restApiId} --resource-id ${route.resourceId} --http-method ${route.httpMethod} --type AWS_PROXY --integration-http-method POST --uri ${shellWord(uri)}`;
}

export const commands = {
  putIntegration: (route: Route, region: string, functionArn: string) => putIntegrationTo(route, stageVariableUri(region, functionArn)),
  putIntegrationTo,
  /** the stage's variable (the lab's lambdaAlias unless named) set to `value` */
  setVariable: (route: StageRef, value: string, variable = STAGE_VARIABLE) =>
    `apigateway update-stage --rest-api-id ${route.restApiId} --stage-name ${route.stageName} --patch-operations op=replace,path=/variables/${variable},value=${value}`,
  exportStage: (route: StageRef) =>
    `apigateway get-export --rest-api-id ${route.restApiId} --stage-name ${route.stageName} --export-type oas30 --parameters extensions=integrations /dev/stdout`,
  deploy: (route: StageRef) => `apigateway create-deployment --rest-api-id ${route.restApiId} --stage-name ${route.stageName}`,
  /** a deployment of the API that no stage serves yet; the CLI prints its id alone */
  deployment: (route: StageRef) => `apigateway create-deployment --rest-api-id ${route.restApiId} --query id --output text`,
  /** the stage onto `deploymentId` (a stage's canary stays as it is) */
  moveStage: (route: StageRef, deploymentId: string) =>
    `apigateway update-stage --rest-api-id ${route.restApiId} --stage-name ${route.stageName} --patch-operations op=replace,path=/deploymentId,value=${deploymentId}`,
  addPermission: (functionName: string, qualifier: string, arn: string) =>
    `lambda add-permission --function-name ${functionName} --qualifier ${qualifier} --statement-id lab-canary-apigateway-${qualifier} --action lambda:InvokeFunction --principal apigateway.amazonaws.com --source-arn ${arn}`,
};
