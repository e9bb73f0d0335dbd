/**
 * Smithy RPC v2 CBOR: https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html
 * `POST /service/<ServiceShape>/operation/<Operation>` with `smithy-protocol: rpc-v2-cbor` and a
 * CBOR map body (none at all for an operation without input); success is status 200 exactly (the
 * SDK treats anything else as an error); timestamps are tag 1 + epoch seconds; blobs are byte
 * strings. Errors: `__type` in the body, and for query-compatible services (CloudWatch) the
 * `x-amzn-query-error: <code>;<Sender|Receiver>` header the SDK reads first (wire doc section 4).
 * CBOR itself is the `cbor2` package's.
 */
import type * as Cbor from 'cbor2';
import { ServiceError } from '../core/service-error.js';
import type { Operation, ServiceDefinition } from '../core/service.js';
import { queryCompatibleError } from './query-compatible.js';
import { decodeSegment } from './rest-routes.js';
import type { ParsedCall, ProtocolCodec, WireRequest, WireResponse } from './types.js';

const CBOR_PATH = /^(?:\/[^/]*)*?\/service\/([^/]+)\/operation\/([^/]+)$/;
const NO_DOUBLES: ReadonlySet<string> = new Set();
const HEADERS = { 'smithy-protocol': 'rpc-v2-cbor', 'Content-Type': 'application/cbor' } as const;

/**
 * cbor2, loaded when the cloud first meets an RPC v2 CBOR call (the server awaits the codec's
 * ready() before it parses), not when it starts: CloudWatch's SDK speaks it, most clouds (each
 * test's, a learner's until the alarm chapter) are asked nothing by it, and cbor2 cost 0.07 s of
 * the cloud's CPU to start. An ES module only, so import(), which is asynchronous.
 */
let cbor: typeof Cbor | undefined;
let loading: Promise<undefined> | undefined;

function cborLib(): typeof Cbor {
  if (cbor === undefined) throw new Error('the RPC v2 CBOR codec was used before its ready() resolved');
  return cbor;
}

/**
 * the `<ServiceShape>` and `<Operation>` of an RPC v2 path; a label that is not valid
 * percent-encoding (`%ZZ`) is kept as sent, so it names no service or operation (404
 * UnknownOperationException, as for any other unknown name)
 */
export function cborTarget(path: string): { service: string; operation: string } | undefined {
  const m = CBOR_PATH.exec(path);
  return m ? { service: decodeSegment(m[1]), operation: decodeSegment(m[2]) } : undefined;
}

/**
 * A handler's output as CBOR wants it: Dates stay (tag 1), Buffers become byte strings, undefined
 * is left out. A number under a member the service's model types as double (`doubles`,
 * ServiceDefinition.doubleMembers; in a list or a map of them too) is a float64 (`fb`, as the SDK
 * writes a double with a fraction), whole or not: cbor2 writes the shortest form, an integer for
 * 0 or 1, which a client reads as an integer (`"Threshold": 0`). Per value (cbor2's encodedNumber,
 * its bytes fixed), not by cbor2's avoidInts, which would make every integer a float too
 * (EvaluationPeriods, Period).
 */
function toCborValue(value: unknown, doubles: ReadonlySet<string>, member?: string): unknown {
  const isDouble = member !== undefined && doubles.has(member);
  if (typeof value === 'number') return isDouble ? cborLib().encodedNumber(value, 'f64') : value;
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value)) return new Uint8Array(value.buffer, value.byteOffset, value.length);
  if (value instanceof Uint8Array) return value;
  // a list's members are the list member's shape
  if (Array.isArray(value)) return value.map((v) => toCborValue(v, doubles, member));
  if (value instanceof Map) return toCborValue(Object.fromEntries(value), doubles, member);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // a map of doubles (ExtendedStatistics): its values are the member's shape, not named by their keys
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCborValue(v, doubles, isDouble ? member : k);
    return out;
  }
  return value;
}

function parseCborBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = cborLib().decode(new Uint8Array(body.buffer, body.byteOffset, body.length));
  } catch {
    throw new ServiceError('SerializationException', 'Could not parse the request body as CBOR.', 400);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof Date || parsed instanceof Uint8Array) {
    throw new ServiceError('SerializationException', 'The request body must be a CBOR map.', 400);
  }
  return parsed as Record<string, unknown>;
}

export const rpcv2CborCodec: ProtocolCodec = {
  ready() {
    if (cbor !== undefined) return undefined;
    return (loading ??= import('cbor2').then((m) => {
      cbor = m;
      return undefined;
    }));
  },

  parse(req: WireRequest, service: ServiceDefinition): ParsedCall {
    const target = cborTarget(req.path);
    const operation = target && target.service === service.targetPrefix ? service.operations.find((op) => op.name === target.operation) : undefined;
    if (req.method !== 'POST' || !operation) {
      throw new ServiceError('UnknownOperationException', `Unknown operation ${target ? `${target.service}.${target.operation}` : req.path}`, 404);
    }
    return { operation, input: parseCborBody(req.body) };
  },

  serialize(_call: ParsedCall, output: unknown, service: ServiceDefinition, requestId: string): WireResponse {
    return { status: 200, headers: { ...HEADERS, 'x-amzn-RequestId': requestId }, body: Buffer.from(cborLib().encode(toCborValue(output ?? {}, service.doubleMembers ?? NO_DOUBLES))) };
  },

  serializeError(err: ServiceError, service: ServiceDefinition, requestId: string, _operation?: Operation): WireResponse {
    const { type, status, headers } = queryCompatibleError(err, service);
    const body: Record<string, unknown> = { __type: type, ...err.fields };
    if (body.message === undefined && body.Message === undefined) body.message = err.message;
    return {
      status,
      headers: { ...HEADERS, 'x-amzn-RequestId': requestId, ...err.headers, ...headers },
      body: Buffer.from(cborLib().encode(toCborValue(body, NO_DOUBLES))),
    };
  },
};
