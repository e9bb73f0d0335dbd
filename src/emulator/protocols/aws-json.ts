/**
 * awsJson1_0 / awsJson1_1 (CloudWatch, CodeDeploy, Rekognition):
 * https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 * `POST /` with `X-Amz-Target: <prefix>.<Operation>` and a JSON body; always 200 on success;
 * errors carry `__type` (the aws CLI reads nothing else) — wire doc section 3.
 *
 * Query-compatible services (CloudWatch, `awsQueryCompatible` trait) also send
 * `x-amzn-query-error: <awsQueryError code>;Sender|Receiver` and a namespaced `__type`
 * (`com.amazonaws.cloudwatch#ResourceNotFound`), so both SDK and CLI find the query code (3.3).
 */
import { ServiceError } from '../core/service-error.js';
import type { Operation, ServiceDefinition } from '../core/service.js';
import { jsonText, parseJsonBody, toJsonValue } from './json-values.js';
import { queryCompatibleError } from './query-compatible.js';
import type { ParsedCall, ProtocolCodec, WireRequest, WireResponse } from './types.js';

/** the operation name in `X-Amz-Target`: what follows the last `.` */
export function targetOperation(req: WireRequest): { prefix: string; name: string } | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || target === '') return undefined;
  const dot = target.lastIndexOf('.');
  return { prefix: dot < 0 ? '' : target.slice(0, dot), name: target.slice(dot + 1) };
}

export function createAwsJsonCodec(version: '1.0' | '1.1'): ProtocolCodec {
  const contentType = `application/x-amz-json-${version}`;

  return {
    parse(req: WireRequest, service: ServiceDefinition): ParsedCall {
      const target = targetOperation(req);
      const operation = target && service.operations.find((op) => op.name === target.name);
      if (!operation) {
        // What Coral-based JSON services answer for a target they do not know (the SDK keeps the
        // part after `#`). AWS common errors: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html
        const what = target ? `${target.prefix}.${target.name}` : '(no X-Amz-Target header)';
        throw new ServiceError('com.amazon.coral.service#UnknownOperationException', `Unknown operation ${what}`, 400);
      }
      return { operation, input: parseJsonBody(req.body) };
    },

    serialize(_call: ParsedCall, output: unknown, service: ServiceDefinition, requestId: string): WireResponse {
      return {
        status: 200,
        headers: { 'x-amzn-RequestId': requestId, 'Content-Type': contentType },
        body: jsonText(toJsonValue(output ?? {}), service.doubleMembers),
      };
    },

    serializeError(err: ServiceError, service: ServiceDefinition, requestId: string, _operation?: Operation): WireResponse {
      const { type, status, headers: compat } = queryCompatibleError(err, service);
      const headers: Record<string, string> = { 'x-amzn-RequestId': requestId, 'Content-Type': contentType, ...err.headers, ...compat };
      const body: Record<string, unknown> = { __type: type, ...err.fields };
      if (body.message === undefined && body.Message === undefined) body.message = err.message;
      return { status, headers, body: JSON.stringify(toJsonValue(body)) };
    },
  };
}

export const awsJson10Codec = createAwsJsonCodec('1.0');
export const awsJson11Codec = createAwsJsonCodec('1.1');
