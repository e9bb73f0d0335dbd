/**
 * GetExport: a stage's deployed API as an OpenAPI document, built from the deployment the stage
 * serves (its frozen snapshot), not the current draft. This is how a client reads what a stage
 * really calls: GetIntegration shows the draft, which reaches requests only after a new deployment.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_GetExport.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-export-api.html
 *
 * Known limits: JSON only (the application/yaml Accept is answered in JSON too), no models,
 * authorizers or Postman extensions; methods carry their integration (with
 * `extensions=integrations` or `apigateway`) and the status codes of their method responses.
 */
import { badRequest } from './errors.js';
import type { DeploymentRecord, IntegrationRecord, RestApiRecord, StageRecord } from './model.js';

export type ExportType = 'oas30' | 'swagger';

export function exportTypeOf(v: string): ExportType {
  if (v === 'oas30' || v === 'swagger') return v;
  throw badRequest(`Invalid export type: ${v} (oas30 or swagger)`);
}

/** the integration as the x-amazon-apigateway-integration extension spells it (lower-case type) */
function integrationExtension(i: IntegrationRecord): Record<string, unknown> {
  return {
    type: i.type.toLowerCase(),
    httpMethod: i.httpMethod,
    uri: i.uri,
    passthroughBehavior: i.passthroughBehavior?.toLowerCase(),
    contentHandling: i.contentHandling,
    timeoutInMillis: i.timeoutInMillis,
    requestParameters: i.requestParameters,
    requestTemplates: i.requestTemplates,
  };
}

export function exportStage(api: RestApiRecord, stage: StageRecord, deployment: DeploymentRecord, type: ExportType, extensions: readonly string[], host: string): Record<string, unknown> {
  const withIntegrations = extensions.includes('integrations') || extensions.includes('apigateway');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of deployment.snapshot.resources) {
    const methods = Object.values(r.resourceMethods);
    if (!methods.length) continue;
    const item: Record<string, unknown> = {};
    for (const m of methods) {
      const responses = Object.fromEntries(Object.keys(m.methodResponses ?? {}).map((code) => [code, { description: `${code} response` }]));
      item[m.httpMethod.toLowerCase()] = {
        responses,
        ...(withIntegrations && m.methodIntegration ? { 'x-amazon-apigateway-integration': integrationExtension(m.methodIntegration) } : {}),
      };
    }
    paths[r.path] = item;
  }
  const info = { title: api.name, version: new Date(deployment.createdDate * 1000).toISOString() };
  if (type === 'swagger') return { swagger: '2.0', info, host, basePath: `/${stage.stageName}`, schemes: ['https'], paths };
  return { openapi: '3.0.1', info, servers: [{ url: `https://${host}/{basePath}`, variables: { basePath: { default: stage.stageName } } }], paths };
}
