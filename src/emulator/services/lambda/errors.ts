import { ServiceError } from '../../core/service-error.js';

/**
 * Lambda's error shapes (API 2015-03-31, botocore model `lambda/2015-03-31/service-2.json`).
 * Every Lambda error body carries `Type: User|Service`; some shapes name the text `Message`,
 * others `message` (ResourceNotFoundException and ServiceException use `Message`). The codec
 * writes `message`; the SDK and botocore read either, so only the code, status and Type matter.
 * https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html
 */

const user = { Type: 'User' };

export const resourceNotFound = (message: string) =>
  new ServiceError('ResourceNotFoundException', message, 404, { ...user, Message: message });

export const resourceConflict = (message: string) => new ServiceError('ResourceConflictException', message, 409, user);

export const invalidParameter = (message: string) => new ServiceError('InvalidParameterValueException', message, 400, user);

export const preconditionFailed = (message: string) => new ServiceError('PreconditionFailedException', message, 412, user);

export const invalidRequestContent = (message: string) => new ServiceError('InvalidRequestContentException', message, 400, user);

export const serviceException = (message: string) =>
  new ServiceError('ServiceException', message, 500, { Type: 'Service', Message: message });

/**
 * Constraint violations of the model (length, pattern, range, enum) are reported by Lambda's
 * front end as `ValidationException`, a shape not in the model (the SDK raises it by name):
 * `1 validation error detected: Value '1200' at 'timeout' failed to satisfy constraint: ...`.
 */
export const validationException = (violations: string[]) =>
  new ServiceError(
    'ValidationException',
    `${violations.length} validation error${violations.length > 1 ? 's' : ''} detected: ${violations.join('; ')}`,
    400,
  );

export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

/**
 * 429 with `Reason` and a `Retry-After` header (wire doc 6.2; Invoke API: account level →
 * ConcurrentInvocationLimitExceeded, function level → ReservedFunctionConcurrentInvocationLimitExceeded).
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors
 */
export const tooManyRequests = (reason: ThrottleReason, retryAfterSeconds = 1) =>
  new ServiceError(
    'TooManyRequestsException',
    'Rate Exceeded.',
    429,
    { Reason: reason, Type: 'User' },
    { 'Retry-After': String(retryAfterSeconds) },
  );

/**
 * The invoke payload limits are enforced by Lambda's front door, which answers 413
 * `RequestEntityTooLargeException` (observed: `Request must be smaller than 6291456 bytes for the
 * InvokeFunction operation`; for Event: `473086 byte payload is too large for the Event invocation
 * type (limit 131072 bytes)` when the async limit was 128 KB), not the model's own
 * `RequestTooLargeException`.
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const requestEntityTooLarge = (message: string) => new ServiceError('RequestEntityTooLargeException', message, 413, user);
