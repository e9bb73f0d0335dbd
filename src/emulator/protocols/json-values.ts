/**
 * Values as the JSON protocols put them on the wire (wire doc section 9): a timestamp is epoch
 * seconds as a JSON number (an ISO string makes the SDK throw), a blob is base64.
 * Codecs carry no shapes, so input members stay as the client sent them; handlers turn timestamps
 * into Dates with `dateFrom` (blobs each service reads itself, with its own error: lambda/input.ts).
 */
import { setOwn } from '../core/own-key.js';
import { ServiceError } from '../core/service-error.js';
import { shown } from '../core/shown.js';

/** A handler's output made JSON-safe: Date → epoch seconds, Buffer/Uint8Array → base64, undefined dropped. */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Map) return toJsonValue(Object.fromEntries(value));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) setOwn(out, k, toJsonValue(v));
    }
    return out;
  }
  return value;
}

/**
 * JSON text of a value toJsonValue made, where a number under a member the model types as double
 * (`doubles`: ServiceDefinition.doubleMembers; in a list or a map of them too) keeps a fraction
 * when whole: `"Threshold":0.0`, as AWS's JSON services write a double (Jackson), not `0`. The aws
 * CLI's JSON parser keeps the number as the text has it (botocore types no JSON double), so it
 * printed `"Threshold": 0` where AWS gives `0.0`. Without doubles, JSON.stringify's text.
 */
export function jsonText(value: unknown, doubles?: ReadonlySet<string>): string {
  if (!doubles?.size) return JSON.stringify(value);
  const text = (v: unknown, isDouble: boolean): string => {
    if (typeof v === 'number') return isDouble && Number.isInteger(v) && Math.abs(v) < 1e21 ? `${v}.0` : JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : text(x, isDouble))).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      const members = Object.entries(v).filter(([, x]) => x !== undefined);
      // a map of doubles (ExtendedStatistics): its values are the member's shape, not named by their keys
      return `{${members.map(([k, x]) => `${JSON.stringify(k)}:${text(x, isDouble || doubles.has(k))}`).join(',')}}`;
    }
    return JSON.stringify(v) ?? 'null';
  };
  return text(value, false);
}

/** A timestamp member as clients send it: epoch seconds (int or float, or a numeric string) or ISO-8601. */
export function dateFrom(value: unknown): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value instanceof Date) return value;
  // an object or a list is no timestamp (and String() of one may throw: `{"toString":1}`)
  if (typeof value !== 'number' && typeof value !== 'string') throw new ServiceError('SerializationException', `Invalid timestamp: ${shown(value)}`);
  const n = typeof value === 'number' ? value : Number(value);
  const d = Number.isFinite(n) ? new Date(n * 1000) : new Date(value);
  if (Number.isNaN(d.getTime())) throw new ServiceError('SerializationException', `Invalid timestamp: ${value}`);
  return d;
}

/**
 * A boolean member of a JSON protocol: JSON true or false; absent or null is undefined. A member of
 * another JSON type fails the request's deserialization, before the operation runs: a 400
 * SerializationException (wire-protocols §3.3: the awsJson error shape), with the text AWS's JSON
 * services answer for it, as observed of DynamoDB (dynalite's tests, checked against the service:
 * a string "Unexpected token received from parser", 23 "NUMBER_VALUE cannot be converted to
 * Boolean", 34.56 "DECIMAL_VALUE …", [] "Unrecognized collection type class java.lang.Boolean", {}
 * "Start of structure or map found where not expected"). [inf] that CodeDeploy, on the same
 * framework, answers the same texts.
 */
export function booleanFrom(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  let message: string;
  if (typeof value === 'number') message = `${Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE'} cannot be converted to Boolean`;
  else if (Array.isArray(value)) message = 'Unrecognized collection type class java.lang.Boolean';
  else if (typeof value === 'object') message = 'Start of structure or map found where not expected';
  else message = 'Unexpected token received from parser';
  throw new ServiceError('SerializationException', message, 400);
}

/** An HTTP-date (RFC 7231), the restJson1 default for timestamps in headers. */
export function httpDate(value: Date): string {
  return value.toUTCString();
}

/** Parse a JSON request body; empty means `{}`. Malformed JSON is the client's fault (400). */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ServiceError('SerializationException', 'Could not parse the request body as JSON.', 400);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ServiceError('SerializationException', 'The request body must be a JSON object.', 400);
  }
  return parsed as Record<string, unknown>;
}
