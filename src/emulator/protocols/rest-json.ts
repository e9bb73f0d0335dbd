/**
 * restJson1 (Lambda, API Gateway): https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html
 * The operation is method + path template; members bound to labels, query, headers or the raw
 * payload are taken from there, the rest from a JSON body (wire doc section 6).
 *
 * Inputs carry no shapes: label, query and header members arrive as strings (a repeated query key
 * as a string[]), JSON members as the client sent them. Handlers coerce (see json-values.ts).
 */
import { ServiceError } from '../core/service-error.js';
import type { HttpBinding, Operation, ServiceDefinition } from '../core/service.js';
import { httpDate, parseJsonBody, toJsonValue } from './json-values.js';
import { matchRoute } from './rest-routes.js';
import type { ParsedCall, ProtocolCodec, WireRequest, WireResponse } from './types.js';

const JSON_TYPE = 'application/json';

export const restJsonCodec: ProtocolCodec = {
  parse(req: WireRequest, service: ServiceDefinition): ParsedCall {
    const { match, pathMatches } = matchRoute(service, req.method, req.path, req.query);
    if (!match) throw unknownOperation(req, pathMatches);
    const { operation, binding, labels } = match;
    const input: Record<string, unknown> = binding.payload
      ? { [binding.payload]: req.body }
      : parseJsonBody(req.body);
    Object.assign(input, labels, queryMembers(binding, req.query), headerMembers(binding, req));
    return { operation, input };
  },

  serialize(call: ParsedCall, output: unknown, _service: ServiceDefinition, requestId: string): WireResponse {
    const binding = call.operation.http;
    const out = (output ?? {}) as Record<string, unknown>;
    const headers: Record<string, string> = { 'x-amzn-RequestId': requestId };
    let status = binding?.status ?? 200;
    const { headerEntries, bound } = responseShape(binding);

    for (const [member, header] of headerEntries) {
      const v = out[member];
      if (v === undefined || v === null) continue;
      headers[header] = v instanceof Date ? httpDate(v) : String(v);
    }
    if (binding?.responseStatus) {
      const s = Number(out[binding.responseStatus]);
      if (Number.isInteger(s) && s >= 100 && s <= 599) status = s;
    }

    let body: Buffer | string;
    if (binding?.responsePayload) {
      const payload = out[binding.responsePayload];
      if (payload === undefined || payload === null) body = '';
      else if (typeof payload === 'string' || Buffer.isBuffer(payload)) body = payload;
      else if (payload instanceof Uint8Array) body = Buffer.from(payload);
      else body = JSON.stringify(toJsonValue(payload));
      if (headers['Content-Type'] === undefined && body.length > 0) headers['Content-Type'] = JSON_TYPE;
    } else if (status === 204 || status === 304) {
      body = '';
    } else {
      const rest: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(out)) if (!bound.has(k)) rest[k] = v;
      body = JSON.stringify(toJsonValue(rest));
      headers['Content-Type'] = JSON_TYPE;
    }
    return { status, headers, body };
  },

  serializeError(err: ServiceError, _service: ServiceDefinition, requestId: string, _operation?: Operation): WireResponse {
    // SDK: x-amzn-ErrorType header first, then body code/__type; botocore the same (wire doc 6.2).
    const body: Record<string, unknown> = { ...err.fields };
    if (body.message === undefined && body.Message === undefined) body.message = err.message;
    return {
      status: err.status,
      headers: {
        'x-amzn-RequestId': requestId,
        'x-amzn-ErrorType': err.code,
        'Content-Type': JSON_TYPE,
        ...err.headers,
      },
      body: JSON.stringify(toJsonValue(body)),
    };
  },
};

interface ResponseShape {
  headerEntries: [member: string, header: string][];
  /** members that do not go into a JSON body (headers, status) */
  bound: Set<string>;
}

/** what serialize reads from a binding, worked out once per binding instead of once per response */
const shapes = new WeakMap<HttpBinding, ResponseShape>();
const NO_BINDING: ResponseShape = { headerEntries: [], bound: new Set() };

function responseShape(binding: HttpBinding | undefined): ResponseShape {
  if (!binding) return NO_BINDING;
  let shape = shapes.get(binding);
  if (!shape) {
    const headerEntries = Object.entries(binding.responseHeaders ?? {});
    const bound = new Set(headerEntries.map(([member]) => member));
    if (binding.responseStatus) bound.add(binding.responseStatus);
    shape = { headerEntries, bound };
    shapes.set(binding, shape);
  }
  return shape;
}

function queryMembers(binding: HttpBinding, query: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [wire, member] of Object.entries(binding.query ?? {})) {
    const values = query.getAll(wire);
    if (values.length === 1) input[member] = values[0];
    else if (values.length > 1) input[member] = values;
  }
  return input;
}

function headerMembers(binding: HttpBinding, req: WireRequest): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [wire, member] of Object.entries(binding.headers ?? {})) {
    const v = req.headers[wire.toLowerCase()];
    if (v !== undefined) input[member] = Array.isArray(v) ? v.join(', ') : v;
  }
  return input;
}

/**
 * No route for this request. AWS's common errors list UnknownOperationException (404) for an
 * operation the service does not know: https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html
 */
function unknownOperation(req: WireRequest, pathMatches: boolean): ServiceError {
  if (pathMatches) {
    return new ServiceError('UnknownOperationException', `No operation for ${req.method} ${req.path}: method not supported on this path.`, 404);
  }
  return new ServiceError('UnknownOperationException', `No operation matches ${req.method} ${req.path}.`, 404);
}
