/**
 * The `awsQueryCompatible` trait (CloudWatch): JSON and CBOR errors carry a namespaced `__type`
 * (`com.amazonaws.cloudwatch#ResourceNotFound`) and the header
 * `x-amzn-query-error: <awsQueryError code>;<Sender|Receiver>`, which the SDK and botocore read
 * first, so clients see the same code as over Query (wire doc 3.3, 4.3;
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#aws-protocols-awsquerycompatible-trait).
 * The shape → query code table is the service's (ServiceDefinition.queryCompatible).
 */
import type { ServiceError } from '../core/service-error.js';
import type { ServiceDefinition } from '../core/service.js';

/** `com.amazonaws.<ns>` for namespaced error types */
export function shapeNamespace(service: ServiceDefinition): string {
  const ns = service.namespace;
  if (ns && ns.startsWith('com.amazonaws.')) return ns;
  if (ns && !ns.includes('/') && !ns.includes(':')) return `com.amazonaws.${ns}`;
  return `com.amazonaws.${service.id}`;
}

/** the query code and status an error has under the trait (the error's own when not in the table) */
export function queryErrorOf(err: ServiceError, service: ServiceDefinition): { code: string; status: number } {
  const mapped = service.queryCompatible && Object.hasOwn(service.queryCompatible, err.code) ? service.queryCompatible[err.code] : undefined;
  return mapped ?? { code: err.code, status: err.status };
}

/** `__type`, status and extra headers of an error in a JSON or CBOR answer */
export function queryCompatibleError(err: ServiceError, service: ServiceDefinition): { type: string; status: number; headers: Record<string, string> } {
  if (!service.queryCompatible || err.code.includes('#')) return { type: err.code, status: err.status, headers: {} };
  const query = queryErrorOf(err, service);
  const fault = query.status >= 500 ? 'Receiver' : 'Sender';
  return {
    type: `${shapeNamespace(service)}#${err.code}`,
    status: query.status,
    headers: { 'x-amzn-query-error': `${query.code};${fault}` },
  };
}
