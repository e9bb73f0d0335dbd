/**
 * The Lambda proxy integration for a REST API, both ways:
 * - the input event, as "Input format of a Lambda function for proxy integration" documents it
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format)
 *   and the Lambda developer guide's sample event shows it: empty maps are `null`, `path` is the
 *   path as the client sent it (REST APIs do not decode it), query values are decoded, the single
 *   value maps keep the last value; header names are as the client sent them (a REST API does not
 *   lower-case them: `event.headers['Content-Type']`), each repeat of a header one value of
 *   `multiValueHeaders`;
 * - the function's answer `{statusCode, headers, multiValueHeaders, body, isBase64Encoded}`
 *   ("Output format of a Lambda function for proxy integration"). Anything else is a malformed
 *   proxy response, which API Gateway answers with 502.
 */
import { deleteOwn, setOwn } from '../../core/own-key.js';
import { isUtf8 } from 'node:buffer';
import { jsonNumber, jsonString, jsonStringOrNull, jsonStrings } from '../../core/json-text.js';
import type { IncomingHttpHeaders } from 'node:http';
import type { RouteTarget } from './router.js';

export interface ProxyRequest {
  method: string;
  /** resource path after the stage, as sent: `/getinfo` */
  path: string;
  query: URLSearchParams;
  /** lower-case names (node's), for the lookups made here */
  headers: IncomingHttpHeaders;
  /** node's rawHeaders: names as sent, repeats apart; without them, the lower-case names serve */
  rawHeaders?: string[];
  body: Buffer;
}

export interface ProxyContext {
  accountId: string;
  apiId: string;
  stage: string;
  requestId: string;
  extendedRequestId: string;
  now: number;
  stageVariables: Record<string, string> | null;
  pathParameters: Record<string, string> | null;
  binaryMediaTypes: string[];
}

// hop-by-hop headers that API Gateway does not hand to the function
const DROPPED_HEADERS = new Set(['connection', 'content-length', 'keep-alive', 'transfer-encoding']);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
let timeCacheSecond = -1;
let timeCacheText = '';

/** `10/Mar/2020:00:03:59 +0000`, computed once per second */
export function requestTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== timeCacheSecond) {
    const d = new Date(second * 1000);
    const p = (n: number) => (n < 10 ? `0${n}` : String(n));
    timeCacheText = `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
    timeCacheSecond = second;
  }
  return timeCacheText;
}

/** Does `contentType` match one of the API's binaryMediaTypes (`image/png`, `image/*`, `*\/*`)? */
export function isBinaryType(contentType: string | undefined, binaryMediaTypes: string[]): boolean {
  if (!contentType || binaryMediaTypes.length === 0) return false;
  const type = contentType.split(';', 1)[0].trim().toLowerCase();
  const slash = type.indexOf('/');
  for (const t of binaryMediaTypes) {
    const want = t.toLowerCase();
    if (want === type || want === '*/*') return true;
    if (want.endsWith('/*') && slash > 0 && want.slice(0, -1) === type.slice(0, slash + 1)) return true;
  }
  return false;
}

/**
 * The event as the JSON text Lambda receives, written directly: building the object and then
 * JSON.stringify-ing it took about four times as long (the stringifier walks ~60 properties and
 * looks each object up for toJSON), and the event only ever leaves here as text. Every value is
 * written as JSON.stringify writes it (core/json-text.ts), members in the same order, so the text
 * is exactly JSON.stringify(event) (test/emulator/apigateway/proxy-event.test.ts holds it to that).
 */
export function proxyEventText(req: ProxyRequest, target: RouteTarget, ctx: ProxyContext): string {
  const { headers, multiValueHeaders } = eventHeaders(req);
  const { single: queryStringParameters, multi: multiValueQueryStringParameters } = multiValueMaps(req.query);

  // Binary when the API declares the content type binary ("Working with binary media types");
  // a body that is not valid UTF-8 is base64-encoded too, so no byte is ever lost.
  let body = 'null';
  let isBase64Encoded = false;
  if (req.body.length > 0) {
    const ct = req.headers['content-type'];
    if (isBinaryType(ct, ctx.binaryMediaTypes) || !isUtf8(req.body)) {
      body = jsonString(req.body.toString('base64'));
      isBase64Encoded = true;
    } else {
      body = jsonString(req.body.toString('utf8'));
    }
  }

  const host = req.headers.host ?? 'localhost';
  const colon = host.lastIndexOf(':');
  const domainName = colon > 0 && !host.endsWith(']') ? host.slice(0, colon) : host;
  const forwarded = headerText(req.headers['x-forwarded-for']);
  const sourceIp = forwarded ? forwarded.split(',', 1)[0].trim() : '127.0.0.1';
  const resourcePath = jsonString(target.resource.path);
  const method = jsonString(req.method);

  return (
    `{"resource":${resourcePath},"path":${jsonString(req.path)},"httpMethod":${method},` +
    `"headers":${headers},"multiValueHeaders":${multiValueHeaders},` +
    `"queryStringParameters":${queryStringParameters},"multiValueQueryStringParameters":${multiValueQueryStringParameters},` +
    `"pathParameters":${jsonObjectOrNull(ctx.pathParameters)},"stageVariables":${jsonObjectOrNull(ctx.stageVariables)},` +
    `"requestContext":{"resourceId":${jsonString(target.resource.id)},"resourcePath":${resourcePath},"httpMethod":${method},` +
    `"extendedRequestId":${jsonString(ctx.extendedRequestId)},"requestTime":${jsonString(requestTime(ctx.now))},` +
    `"path":${jsonString(`/${ctx.stage}${req.path}`)},"accountId":${jsonString(ctx.accountId)},"protocol":"HTTP/1.1",` +
    `"stage":${jsonString(ctx.stage)},"domainPrefix":${jsonString(domainName.split('.', 1)[0])},` +
    `"requestTimeEpoch":${jsonNumber(ctx.now)},"requestId":${jsonString(ctx.requestId)},` +
    `"identity":{"cognitoIdentityPoolId":null,"accountId":null,"cognitoIdentityId":null,"caller":null,"sourceIp":${jsonString(sourceIp)},` +
    `"principalOrgId":null,"accessKey":null,"cognitoAuthenticationType":null,"cognitoAuthenticationProvider":null,"userArn":null,` +
    `"userAgent":${jsonStringOrNull(req.headers['user-agent'])},"user":null},` +
    `"domainName":${jsonString(domainName)},"apiId":${jsonString(ctx.apiId)}},` +
    `"body":${body},"isBase64Encoded":${isBase64Encoded}}`
  );
}

function jsonObjectOrNull(map: Record<string, string> | null): string {
  return map === null ? 'null' : JSON.stringify(map);
}

/**
 * A single-value map (the last value of each name) and a multi-value map (every value), as JSON
 * text, names in the order of their first appearance; `null` for both when there are none.
 */
class MultiValueMaps {
  private readonly names: string[] = [];
  private readonly values: string[][] = [];
  private index: Map<string, number> | undefined;

  /** `key` groups names that are the same (a header's lower-case name); the first one's name is kept */
  add(key: string, name: string, value: string): void {
    this.index ??= new Map();
    const i = this.index.get(key);
    if (i !== undefined) {
      this.values[i].push(value);
      return;
    }
    this.index.set(key, this.names.length);
    this.names.push(name);
    this.values.push([value]);
  }

  text(): { single: string; multi: string } {
    if (this.names.length === 0) return NO_MAPS;
    let single = '';
    let multi = '';
    for (let i = 0; i < this.names.length; i++) {
      const name = jsonString(this.names[i]);
      const values = this.values[i];
      const sep = i === 0 ? '{' : ',';
      single += `${sep}${name}:${jsonString(values[values.length - 1])}`;
      multi += `${sep}${name}:${jsonStrings(values)}`;
    }
    return { single: `${single}}`, multi: `${multi}}` };
  }
}

const NO_MAPS = { single: 'null', multi: 'null' } as const;

function multiValueMaps(query: URLSearchParams): { single: string; multi: string } {
  if (query.size === 0) return NO_MAPS;
  const maps = new MultiValueMaps();
  for (const [k, v] of query) maps.add(k, k, v);
  return maps.text();
}

/** `headers` and `multiValueHeaders`: null when there are none, as API Gateway sends them */
function eventHeaders(req: ProxyRequest): { headers: string; multiValueHeaders: string } {
  const maps = new MultiValueMaps();
  const raw = req.rawHeaders;
  if (raw) {
    // one name per header whatever the case of its repeats: the first one's
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const lower = raw[i].toLowerCase();
      if (!DROPPED_HEADERS.has(lower)) maps.add(lower, raw[i], raw[i + 1]);
    }
  } else {
    for (const name in req.headers) {
      const v = req.headers[name];
      if (DROPPED_HEADERS.has(name) || v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) maps.add(name, name, one);
    }
  }
  const { single, multi } = maps.text();
  return { headers: single, multiValueHeaders: multi };
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

export interface ProxyResult {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | string;
}

const RESULT_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

function headerValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  return undefined;
}

/**
 * The function's answer as an HTTP response, or undefined when it is not a valid proxy response.
 * "If you specify values for both headers and multiValueHeaders, API Gateway merges them into a
 * single list. If the same key-value pair is specified in both, only the values from
 * multiValueHeaders will appear in the merged list." Without a Content-Type, API Gateway sends
 * application/json.
 */
export function mapProxyResult(payload: Buffer | Uint8Array | string): ProxyResult | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const r = parsed as Record<string, unknown>;
  for (const k in r) if (!RESULT_KEYS.has(k)) return undefined;

  let status = 200;
  if (r.statusCode !== undefined && r.statusCode !== null) {
    status = typeof r.statusCode === 'number' ? r.statusCode : Number.parseInt(String(r.statusCode), 10);
    if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  }

  const headers: Record<string, string | string[]> = {};
  const lower = new Map<string, string>();
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return undefined;
    for (const [k, v] of Object.entries(r.headers)) {
      const s = headerValue(v);
      if (s === undefined) return undefined;
      setOwn(headers, k, s);
      lower.set(k.toLowerCase(), k);
    }
  }
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object' || Array.isArray(r.multiValueHeaders)) return undefined;
    for (const [k, vs] of Object.entries(r.multiValueHeaders)) {
      if (!Array.isArray(vs)) return undefined;
      const values: string[] = [];
      for (const v of vs) {
        const s = headerValue(v);
        if (s === undefined) return undefined;
        values.push(s);
      }
      const existing = lower.get(k.toLowerCase());
      if (existing !== undefined) deleteOwn(headers, existing);
      setOwn(headers, k, values.length === 1 ? values[0] : values);
      lower.set(k.toLowerCase(), k);
    }
  }
  if (!lower.has('content-type')) headers['Content-Type'] = 'application/json';

  let body: Buffer | string = '';
  if (r.body !== undefined && r.body !== null) {
    if (typeof r.body !== 'string') return undefined;
    if (r.isBase64Encoded !== undefined && typeof r.isBase64Encoded !== 'boolean') return undefined;
    body = r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
  }
  return { status, headers, body };
}
