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
