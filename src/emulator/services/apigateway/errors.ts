/**
 * API Gateway's error shapes (model: NotFoundException 404, BadRequestException 400,
 * ConflictException 409, TooManyRequestsException 429) with AWS's own texts, e.g.
 * `Invalid API identifier specified 123456789012:abc123` (as CloudFormation relays it).
 */
import { ServiceError } from '../../core/service-error.js';

export function notFound(message: string): ServiceError {
  return new ServiceError('NotFoundException', message, 404);
}

export function badRequest(message: string): ServiceError {
  return new ServiceError('BadRequestException', message, 400);
}

export function conflict(message: string): ServiceError {
  return new ServiceError('ConflictException', message, 409);
}

export const apiNotFound = (accountId: string, apiId: string) =>
  notFound(`Invalid API identifier specified ${accountId}:${apiId}`);
export const resourceNotFound = () => notFound('Invalid Resource identifier specified');
export const methodNotFound = () => notFound('Invalid Method identifier specified');
export const integrationNotFound = () => notFound('Invalid Integration identifier specified');
export const deploymentNotFound = () => notFound('Invalid Deployment identifier specified');
export const stageNotFound = () => notFound('Invalid stage identifier specified');

/**
 * The request validation API Gateway runs before any handler, e.g. (LocalStack's AWS-validated
 * snapshot, test_integration_response_invalid_statuscode): `1 validation error detected: Value
 * 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression
 * pattern: [1-5]\d\d`.
 */
export function validationError(member: string, value: string, constraint: string): ServiceError {
  return new ServiceError('ValidationException', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`, 400);
}
export const responseNotFound = () => notFound('Invalid Response status code specified');
/** API Gateway's 5xx in its model (503); the answer when a change could not be stored */
export const serviceUnavailable = (message: string) => new ServiceError('ServiceUnavailableException', message, 503);
