/**
 * API Gateway's own answers ("Gateway response types", API Gateway developer guide), with the
 * bodies and headers real endpoints send:
 * - MISSING_AUTHENTICATION_TOKEN, 403, `{"message":"Missing Authentication Token"}` for a route
 *   no deployed method matches (also with `x-amzn-ErrorType: MissingAuthenticationTokenException`);
 * - 403 `{"message":"Forbidden"}` (ForbiddenException) for an API id or stage that does not exist
 *   (e.g. a stage name with the wrong case: aws-samples/aws-serverless-workshop-innovator-island#96);
 * - 500 / 502 `{"message": "Internal server error"}` (InternalServerErrorException): Lambda
 *   refused the invocation (500) or the function failed or answered malformed (502), per
 *   https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
 * - 413 for a body over the 10 MB payload quota of REST APIs, answered before routing, as plain
 *   text `HTTP content length exceeded 10485760 bytes.` (recorded from a live endpoint:
 *   koki-develop/lgtm-generator#10); and 413 `{"message": "Request Too Long"}` (REQUEST_TOO_LARGE)
 *   when the proxy event is over Lambda's 6 MB invoke quota.
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 * - 504 `{"message": "Endpoint request timed out"}` (INTEGRATION_TIMEOUT, a DEFAULT_5XX response
 *   whose message is $context.error.message) when the integration outlives its timeout; sent with
 *   no x-amzn-ErrorType, as none is documented for it.
 */
import type { WireResponse } from '../../protocols/types.js';

export interface GatewayIds {
  requestId: string;
  apigwId: string;
}

function gatewayError(status: number, errorType: string, body: string, ids: GatewayIds): WireResponse {
  return {
    status,
    headers: {
      'Content-Type': 'application/json',
      'x-amzn-RequestId': ids.requestId,
      'x-amzn-ErrorType': errorType,
      'x-amz-apigw-id': ids.apigwId,
    },
    body,
  };
}

export const missingAuthenticationToken = (ids: GatewayIds) =>
  gatewayError(403, 'MissingAuthenticationTokenException', '{"message":"Missing Authentication Token"}', ids);

export const forbidden = (ids: GatewayIds) => gatewayError(403, 'ForbiddenException', '{"message":"Forbidden"}', ids);

export const internalServerError = (status: 500 | 502, ids: GatewayIds) =>
  gatewayError(status, 'InternalServerErrorException', '{"message": "Internal server error"}', ids);

/**
 * "Integration timeout": 50 ms - 29 s for REST APIs, the default of a method's timeoutInMillis
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html)
 */
export const INTEGRATION_TIMEOUT_MS = 29_000;

export const endpointRequestTimedOut = (ids: GatewayIds): WireResponse => ({
  status: 504,
  headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': ids.requestId, 'x-amz-apigw-id': ids.apigwId },
  body: '{"message": "Endpoint request timed out"}',
});

/** "Payload size" quota of REST APIs: 10 MB, not adjustable */
export const PAYLOAD_LIMIT = 10 * 1024 * 1024;

export const contentLengthExceeded = (ids: GatewayIds): WireResponse => ({
  status: 413,
  headers: { 'Content-Type': 'text; charset=utf-8', 'x-amzn-RequestId': ids.requestId },
  body: `HTTP content length exceeded ${PAYLOAD_LIMIT} bytes.`,
});

/** the error type is the one the recorded answer carried */
export const requestTooLong = (ids: GatewayIds) => gatewayError(413, 'BadRequestException', '{"message": "Request Too Long"}', ids);
