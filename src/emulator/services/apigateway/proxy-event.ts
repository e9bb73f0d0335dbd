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
import { jsonChars, jsonNumber, jsonString, jsonStrings } from '../../core/json-text.js';
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
  /** the gateway's ids (a UUID; base64), which need no JSON escape: written as they are */
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
// '000' ... '999': a request time's milliseconds after its second's digits
const MILLIS = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));

/** what the event says of one second of time, written once per second */
let second = { epoch: -1, requestTime: '', epochDigits: '' };

function timeOf(epochMs: number): typeof second {
  const s = Math.floor(epochMs / 1000);
  if (s !== second.epoch) {
    const d = new Date(s * 1000);
    const p = (n: number) => (n < 10 ? `0${n}` : String(n));
    second = {
      epoch: s,
      requestTime: `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`,
      epochDigits: String(s),
    };
  }
  return second;
}

/** `10/Mar/2020:00:03:59 +0000` */
export function requestTime(epochMs: number): string {
  return timeOf(epochMs).requestTime;
}

/**
 * JSON.stringify(epochMs): the second's digits, written once per second, and the milliseconds'
 * (String() of a number this large costs about 0.2 µs)
 */
function epochText(epochMs: number): string {
  const time = timeOf(epochMs);
  // a safe integer: the subtraction is exact and the second's digits are plain digits
  return time.epoch > 0 && Number.isSafeInteger(epochMs) ? time.epochDigits + MILLIS[epochMs - time.epoch * 1000] : jsonNumber(epochMs);
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
 * The members that are the same for every request to one route of one deployment through one
 * stage, written once. A deployment is a frozen snapshot compiled once (router.ts), so its route
 * targets, their resource ids and paths never change; the stage, API, account and method are
 * compared on each use (one deployment can serve several stages, an ANY route several methods) and
 * the pieces written again when one differs.
 */
interface RouteText {
  stage: string;
  apiId: string;
  accountId: string;
  method: string;
  /** `{"resource":"/items/{id}","path":"` */
  head: string;
  /** `","httpMethod":"GET","headers":` */
  httpMethod: string;
  /** `,"requestContext":{"resourceId":"r3s0urce1d","resourcePath":"/items/{id}","httpMethod":"GET","extendedRequestId":"` */
  requestContext: string;
  /** `","path":"/prod` */
  stagePath: string;
  /** `","accountId":"000000000000","protocol":"HTTP/1.1","stage":"prod","domainPrefix":` */
  accountAndStage: string;
  /** `,"apiId":"a1b2c3d4e5"},"body":` */
  tail: string;
}

const routeTexts = new WeakMap<RouteTarget, RouteText>();

function routeText(target: RouteTarget, ctx: ProxyContext, method: string): RouteText {
  const known = routeTexts.get(target);
  if (known !== undefined && known.stage === ctx.stage && known.method === method && known.apiId === ctx.apiId && known.accountId === ctx.accountId) {
    return known;
  }
  const resource = jsonString(target.resource.path);
  const verb = jsonString(method);
  const text: RouteText = {
    stage: ctx.stage,
    apiId: ctx.apiId,
    accountId: ctx.accountId,
    method,
    head: `{"resource":${resource},"path":"`,
    httpMethod: `","httpMethod":${verb},"headers":`,
    requestContext: `,"requestContext":{"resourceId":${jsonString(target.resource.id)},"resourcePath":${resource},"httpMethod":${verb},"extendedRequestId":"`,
    stagePath: `","path":"/${jsonChars(ctx.stage)}`,
    accountAndStage: `","accountId":${jsonString(ctx.accountId)},"protocol":"HTTP/1.1","stage":${jsonString(ctx.stage)},"domainPrefix":`,
    tail: `,"apiId":${jsonString(ctx.apiId)}},"body":`,
  };
  routeTexts.set(target, text);
  return text;
}

/** `domainPrefix` and `domainName` of the last Host seen (a client sends the same one every time) */
let lastHost: string | undefined;
let lastDomain = { prefix: '', name: '' };

function domainText(host: string): { prefix: string; name: string } {
  if (host !== lastHost) {
    const colon = host.lastIndexOf(':');
    const name = colon > 0 && !host.endsWith(']') ? host.slice(0, colon) : host;
    lastDomain = { prefix: jsonString(name.split('.', 1)[0]), name: jsonString(name) };
    lastHost = host;
  }
  return lastDomain;
}

const IDENTITY =
  '","identity":{"cognitoIdentityPoolId":null,"accountId":null,"cognitoIdentityId":null,"caller":null,"sourceIp":';
const IDENTITY2 =
  ',"principalOrgId":null,"accessKey":null,"cognitoAuthenticationType":null,"cognitoAuthenticationProvider":null,"userArn":null,"userAgent":';

/**
 * The event as the JSON text Lambda receives, written directly: building the object and then
 * JSON.stringify-ing it took about four times as long (the stringifier walks ~60 properties and
 * looks each object up for toJSON), and the event only ever leaves here as text. Every value is
 * written as JSON.stringify writes it (core/json-text.ts), members in the same order, so the text
 * is exactly JSON.stringify(event) (test/emulator/apigateway/proxy-event.test.ts holds it to that).
 *
 * In few, large pieces: each `+` makes a V8 cons string that postMessage then copies into a flat
 * one, so what is the same for a route, a Host or a second is written once and kept (~30 pieces
 * where there were ~60; joining an array of them measured no cheaper than `+`).
 */
export function proxyEventText(req: ProxyRequest, target: RouteTarget, ctx: ProxyContext): string {
  const route = routeText(target, ctx, req.method);
  const path = jsonChars(req.path);

  // Binary when the API declares the content type binary ("Working with binary media types");
  // a body that is not valid UTF-8 is base64-encoded too, so no byte is ever lost.
  let body = 'null,"isBase64Encoded":false}';
  if (req.body.length > 0) {
    const ct = req.headers['content-type'];
    if (isBinaryType(ct, ctx.binaryMediaTypes) || !isUtf8(req.body)) {
      body = `${jsonString(req.body.toString('base64'))},"isBase64Encoded":true}`;
    } else {
      body = `${jsonString(req.body.toString('utf8'))},"isBase64Encoded":false}`;
    }
  }

  const domain = domainText(req.headers.host ?? 'localhost');
  const forwarded = headerText(req.headers['x-forwarded-for']);
  const sourceIp = forwarded ? jsonString(forwarded.split(',', 1)[0].trim()) : '"127.0.0.1"';
  const userAgent = req.headers['user-agent'];
  const parameters =
    ctx.pathParameters === null && ctx.stageVariables === null
      ? NO_PARAMETERS
      : `,"pathParameters":${jsonObjectOrNull(ctx.pathParameters)},"stageVariables":${jsonObjectOrNull(ctx.stageVariables)}`;
  return (
    `${route.head}${path}${route.httpMethod}${headersText(req)}${queryText(req.query)}${parameters}` +
    `${route.requestContext}${ctx.extendedRequestId}","requestTime":"${requestTime(ctx.now)}${route.stagePath}${path}${route.accountAndStage}` +
    `${domain.prefix},"requestTimeEpoch":${epochText(ctx.now)},"requestId":"${ctx.requestId}${IDENTITY}${sourceIp}` +
    `${IDENTITY2}${userAgent === undefined ? 'null' : jsonString(userAgent)},"user":null},"domainName":${domain.name}${route.tail}${body}`
  );
}

const NO_PARAMETERS = ',"pathParameters":null,"stageVariables":null';

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

/** `,"queryStringParameters":...,"multiValueQueryStringParameters":...` */
function queryText(query: URLSearchParams): string {
  if (query.size === 0) return NO_QUERY;
  const maps = new MultiValueMaps();
  for (const [k, v] of query) maps.add(k, k, v);
  const { single, multi } = maps.text();
  return `,"queryStringParameters":${single},"multiValueQueryStringParameters":${multi}`;
}

const NO_QUERY = ',"queryStringParameters":null,"multiValueQueryStringParameters":null';

/** `headers` and `multiValueHeaders`: null when there are none, as API Gateway sends them */
function headersText(req: ProxyRequest): string {
  const raw = req.rawHeaders;
  const distinct = raw === undefined ? undefined : distinctHeadersText(raw);
  if (distinct !== undefined) return distinct;
  const maps = new MultiValueMaps();
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
  return `${single},"multiValueHeaders":${multi}`;
}

/**
 * The common case: no header sent twice (in any case), so each is the one value of its name in
 * both maps, written without the general case's map of names. Undefined when one is repeated.
 */
function distinctHeadersText(raw: string[]): string | undefined {
  const lowerNames: string[] = [];
  let single = '';
  let multi = '';
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    if (DROPPED_HEADERS.has(lower)) continue;
    if (lowerNames.includes(lower)) return undefined;
    const sep = lowerNames.length === 0 ? '{"' : ',"';
    lowerNames.push(lower);
    const name = jsonChars(raw[i]);
    const value = jsonChars(raw[i + 1]);
    single += `${sep}${name}":"${value}"`;
    multi += `${sep}${name}":["${value}"]`;
  }
  return single === '' ? 'null,"multiValueHeaders":null' : `${single}},"multiValueHeaders":${multi}}`;
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

function isContentType(name: string): boolean {
  return name.length === 12 && name.toLowerCase() === 'content-type';
}

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
  let hasContentType = false;
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return undefined;
    const given = r.headers as Record<string, unknown>;
    for (const k in given) {
      if (!Object.hasOwn(given, k)) continue;
      const s = headerValue(given[k]);
      if (s === undefined) return undefined;
      setOwn(headers, k, s);
      if (!hasContentType && isContentType(k)) hasContentType = true;
    }
  }
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object' || Array.isArray(r.multiValueHeaders)) return undefined;
    // the names as sent, by their lower-case form (made only when there is something to merge)
    const lower = new Map<string, string>();
    for (const k of Object.keys(headers)) lower.set(k.toLowerCase(), k);
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
      if (!hasContentType && isContentType(k)) hasContentType = true;
    }
  }
  if (!hasContentType) headers['Content-Type'] = 'application/json';

  let body: Buffer | string = '';
  if (r.body !== undefined && r.body !== null) {
    if (typeof r.body !== 'string') return undefined;
    if (r.isBase64Encoded !== undefined && typeof r.isBase64Encoded !== 'boolean') return undefined;
    body = r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
  }
  return { status, headers, body };
}
