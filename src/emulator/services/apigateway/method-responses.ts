/**
 * Method responses and integration responses (PutMethodResponse, PutIntegrationResponse and their
 * Get/Delete), which CloudFormation, the console and every canary setup call even for Lambda proxy
 * integrations, whose answers pass through unmapped. Stored on the method and its integration and
 * frozen into deployments with them; the front door does not apply their mappings (it serves
 * AWS_PROXY and MOCK only).
 *
 * Answers as AWS gives them (LocalStack's AWS-validated snapshots, test_apigateway_api):
 * - a status code outside `[1-5]\d\d` is a ValidationException, checked before anything else;
 * - a response under an API or resource that does not exist: NotFound "Invalid Resource identifier
 *   specified"; under a missing method: "Invalid Method identifier specified"; a missing status
 *   code: "Invalid Response status code specified"; deleting an integration response of a method
 *   that has no integration (or does not exist): "Invalid Integration identifier specified";
 * - PutMethodResponse on a status code already declared: ConflictException "Response already
 *   exists for this resource" (the aws CLI's answer); PutIntegrationResponse replaces (201), and
 *   needs no method response for its status code;
 * - a response template given as "" or null is answered as null.
 */
import { getOwn } from '../../core/own-key.js';
import { conflict, integrationNotFound, methodNotFound, resourceNotFound, responseNotFound, validationError } from './errors.js';
import type { IntegrationRecord, IntegrationResponseRecord, MethodRecord, MethodResponseRecord, RestApiRecord } from './model.js';

const STATUS_CODE = /^[1-5]\d\d$/;

export interface PutMethodResponseInput {
  responseParameters?: Record<string, boolean>;
  responseModels?: Record<string, string>;
}

export interface PutIntegrationResponseInput {
  selectionPattern?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string | null>;
  contentHandling?: string;
}

/** Where a response lives: the API may be missing (then the resource is what AWS names). */
export interface ResponseAddress {
  api: RestApiRecord | undefined;
  resourceId: string;
  httpMethod: string;
  statusCode: string;
}

export function checkStatusCode(statusCode: string): string {
  if (!STATUS_CODE.test(statusCode)) {
    throw validationError('statusCode', statusCode, 'Member must satisfy regular expression pattern: [1-5]\\d\\d');
  }
  return statusCode;
}

/** The method, or undefined when its resource exists without it. */
function findMethod(at: ResponseAddress): MethodRecord | undefined {
  const resource = getOwn(at.api?.resources, at.resourceId);
  if (!resource) throw resourceNotFound();
  return getOwn(resource.resourceMethods, at.httpMethod.toUpperCase());
}

function methodAt(at: ResponseAddress): MethodRecord {
  const method = findMethod(at);
  if (!method) throw methodNotFound();
  return method;
}

// ---- method responses ----

export function putMethodResponse(at: ResponseAddress, input: PutMethodResponseInput): MethodResponseRecord {
  checkStatusCode(at.statusCode);
  const method = methodAt(at);
  const responses = (method.methodResponses ??= {});
  if (responses[at.statusCode]) throw conflict('Response already exists for this resource');
  const response: MethodResponseRecord = { statusCode: at.statusCode };
  if (input.responseParameters) response.responseParameters = { ...input.responseParameters };
  if (input.responseModels) response.responseModels = { ...input.responseModels };
  responses[at.statusCode] = response;
  return response;
}

export function getMethodResponse(at: ResponseAddress): MethodResponseRecord {
  checkStatusCode(at.statusCode);
  const response = methodAt(at).methodResponses?.[at.statusCode];
  if (!response) throw responseNotFound();
  return response;
}

export function deleteMethodResponse(at: ResponseAddress): void {
  checkStatusCode(at.statusCode);
  const method = methodAt(at);
  if (!method.methodResponses?.[at.statusCode]) throw responseNotFound();
  delete method.methodResponses[at.statusCode];
}

// ---- integration responses ----

function integrationAt(at: ResponseAddress): IntegrationRecord {
  const integration = methodAt(at).methodIntegration;
  if (!integration) throw integrationNotFound();
  return integration;
}

export function putIntegrationResponse(at: ResponseAddress, input: PutIntegrationResponseInput): IntegrationResponseRecord {
  checkStatusCode(at.statusCode);
  const integration = integrationAt(at);
  const response: IntegrationResponseRecord = { statusCode: at.statusCode };
  if (input.selectionPattern !== undefined) response.selectionPattern = input.selectionPattern;
  if (input.responseParameters) response.responseParameters = { ...input.responseParameters };
  if (input.responseTemplates) {
    response.responseTemplates = Object.fromEntries(
      Object.entries(input.responseTemplates).map(([type, t]) => [type, t === '' || t === null ? null : t]),
    );
  }
  if (input.contentHandling !== undefined) response.contentHandling = input.contentHandling;
  (integration.integrationResponses ??= {})[at.statusCode] = response;
  return response;
}

export function getIntegrationResponse(at: ResponseAddress): IntegrationResponseRecord {
  checkStatusCode(at.statusCode);
  const response = integrationAt(at).integrationResponses?.[at.statusCode];
  if (!response) throw responseNotFound();
  return response;
}

export function deleteIntegrationResponse(at: ResponseAddress): void {
  checkStatusCode(at.statusCode);
  // AWS names the integration, not the method, when either is missing here (snapshot
  // test_delete_integration_response_errors: "non-existent-method")
  const integration = findMethod(at)?.methodIntegration;
  if (!integration) throw integrationNotFound();
  if (!integration.integrationResponses?.[at.statusCode]) throw responseNotFound();
  delete integration.integrationResponses[at.statusCode];
}
