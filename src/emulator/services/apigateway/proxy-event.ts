/**
 * The Lambda proxy integration for a REST API, both ways:
 * - the input event, as "Input format of a Lambda function for proxy integration" documents it
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format)
 *   and the Lambda developer guide's sample event shows it: empty maps are `null`, `path` is the
 *   path as the client sent it (REST APIs do not decode it), query values are decoded, the single
 *   value maps keep the last value; header names are as the client sent them (a REST API does not
 *   lower-case them: `event.headers['Content-Type']`), each repeat of a header one value of
 *   `multiValueHeaders`. Made here as its parts; the function's thread assembles the event
 *   (proxy-event-builder.ts);
 * - the function's answer `{statusCode, headers, multiValueHeaders, body, isBase64Encoded}`
 *   ("Output format of a Lambda function for proxy integration"). Anything else is a malformed
 *   proxy response, which API Gateway answers with 502.
 */
import { deleteOwn, setOwn } from '../../core/own-key.js';
import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { buildEvent, type ProxyEventParts } from './proxy-event-builder.js';
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

/** the last second's `requestTime`, made once per second */
let second = -1;
let secondText = '';

/** `10/Mar/2020:00:03:59 +0000` */
export function requestTime(epochMs: number): string {
  const s = Math.floor(epochMs / 1000);
  if (s !== second) {
    const d = new Date(s * 1000);
    const p = (n: number) => (n < 10 ? `0${n}` : String(n));
    secondText = `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
    second = s;
  }
  return secondText;
}

/** `domainName` and `domainPrefix` of the last Host seen (a client sends the same one every time) */
let lastHost: string | undefined;
let lastDomain = { name: '', prefix: '' };

function domainOf(host: string): { name: string; prefix: string } {
  if (host !== lastHost) {
    const colon = host.lastIndexOf(':');
    const name = colon > 0 && !host.endsWith(']') ? host.slice(0, colon) : host;
    lastDomain = { name, prefix: name.split('.', 1)[0] };
    lastHost = host;
  }
  return lastDomain;
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

/** the module that builds the event in the function's thread (Lambda loads it there once) */
export const PROXY_EVENT_BUILDER = new URL('./proxy-event-builder.js', import.meta.url).href;

// The JSON text of an event is at most this many bytes per UTF-16 unit of its strings (a control
// character or a lone surrogate is written `\u001f`), each string counted twice (the path and the
// method are in requestContext too), plus its punctuation per map entry and value, and the members'
// names and numbers, which take about 800 bytes.
const BYTES_PER_UNIT = 12;
const BYTES_PER_ENTRY = 16;
const BYTES_OF_NAMES = 2048;

/**
 * The proxy event as Lambda takes it from an in-process caller: the builder's module and the parts
 * it builds the event from (posted to the function's thread as they are). Writing the event as
 * JSON text here and parsing it there cost about as much as everything else the front door does
 * for a request (bench/front-door: the reference handing over a full event as text).
 */
export class ProxyEvent {
  readonly builder = PROXY_EVENT_BUILDER;
  constructor(readonly parts: ProxyEventParts) {}

  /** the event itself, as the function receives it */
  build(): unknown {
    return buildEvent(this.parts);
  }

  /**
   * The event's size as UTF-8 JSON text in bytes, as far as a limit of `limit` bytes needs it: a
   * bound computed from the parts' lengths while that bound is within the limit, else the exact
   * size, measured on the text (only a body of hundreds of KB comes near Lambda's 6 MB). A map
   * value that is not a string or a list of strings is measured on the text too: the control plane
   * stores only strings, but a state dir written before UpdateStage checked its patch values (or
   * edited by hand) may hold a stage variable that is a number or an object.
   */
  byteLength(limit: number): number {
    let units = 0;
    let entries = 0;
    for (const part of this.parts) {
      if (typeof part === 'string') units += part.length;
      else if (part !== null && typeof part === 'object') {
        for (const name in part) {
          const v: unknown = part[name];
          units += name.length;
          if (typeof v === 'string') {
            units += v.length;
            entries++;
          } else if (Array.isArray(v)) {
            for (const one of v) {
              if (typeof one !== 'string') return this.exactByteLength();
              units += one.length;
            }
            entries += v.length;
          } else return this.exactByteLength();
        }
      }
    }
    const bound = units * BYTES_PER_UNIT + entries * BYTES_PER_ENTRY + BYTES_OF_NAMES;
    return bound <= limit ? bound : this.exactByteLength();
  }

  private exactByteLength(): number {
    return Buffer.byteLength(JSON.stringify(this.build()));
  }
}

/** The event for one request through `target`, as its parts. */
export function proxyEvent(req: ProxyRequest, target: RouteTarget, ctx: ProxyContext): ProxyEvent {
  // Binary when the API declares the content type binary ("Working with binary media types");
  // a body that is not valid UTF-8 is base64-encoded too, so no byte is ever lost.
  let body: string | null = null;
  let isBase64Encoded = false;
  if (req.body.length > 0) {
    isBase64Encoded = isBinaryType(req.headers['content-type'], ctx.binaryMediaTypes) || !isUtf8(req.body);
    body = req.body.toString(isBase64Encoded ? 'base64' : 'utf8');
  }
  const raw = req.rawHeaders;
  let headers: MultiValueMaps;
  if (raw) {
    headers = headerMapsOf(raw);
  } else {
    headers = new MultiValueMaps();
    for (const name in req.headers) {
      const v = req.headers[name];
      if (DROPPED_HEADERS.has(name) || v === undefined) continue;
      if (Array.isArray(v)) for (const one of v) headers.add(name, name, one);
      else headers.add(name, name, v);
    }
  }
  const query = req.query.size === 0 ? NO_MAPS : queryMaps(req.query);
  const forwarded = req.headers['x-forwarded-for'];
  const firstForwarded = Array.isArray(forwarded) ? forwarded[0] : forwarded;
  const domain = domainOf(req.headers.host ?? 'localhost');
  return new ProxyEvent([
    target.resource.path,
    target.resource.id,
    req.method,
    req.path,
    headers.single,
    headers.multi,
    query.single,
    query.multi,
    ctx.pathParameters,
    ctx.stageVariables,
    ctx.stage,
    ctx.accountId,
    ctx.apiId,
    ctx.requestId,
    ctx.extendedRequestId,
    requestTime(ctx.now),
    ctx.now,
    domain.name,
    domain.prefix,
    firstForwarded ? firstForwarded.split(',', 1)[0].trim() : '127.0.0.1',
    req.headers['user-agent'] ?? null,
    body,
    isBase64Encoded,
  ]);
}

/**
 * The header maps of the last request that had headers, and its raw headers: a client sends the
 * same headers request after request (a load test, the SDK between two signatures), and the same
 * maps, being the same objects, are not posted to a function's thread again (event-payload.ts), where
 * they are copied instead of read from the message. Posting the two maps (a structured clone writes
 * and reads each name and value, and makes each object and list on the other side) cost about as
 * much as all of the event's strings together. Nothing changes the maps once made: the function's
 * thread gives each invocation its own copy.
 */
let lastRaw: string[] | undefined;
let lastHeaders: MultiValueMaps | undefined;

function headerMapsOf(raw: string[]): MultiValueMaps {
  const last = lastRaw;
  if (last !== undefined && last.length === raw.length) {
    let i = 0;
    while (i < raw.length && raw[i] === last[i]) i++;
    if (i === raw.length) return lastHeaders!;
  }
  const headers = new MultiValueMaps();
  // one member per header whatever the case of its repeats: the first one's name
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    if (!DROPPED_HEADERS.has(lower)) headers.add(lower, raw[i], raw[i + 1]);
  }
  lastRaw = raw;
  lastHeaders = headers;
  return headers;
}

/** no query: both maps null */
const NO_MAPS = { single: null, multi: null } as const;

function queryMaps(query: URLSearchParams): MultiValueMaps {
  const maps = new MultiValueMaps();
  for (const [k, v] of query) maps.add(k, k, v);
  return maps;
}

/**
 * A single-value map (the last value of each name) and a multi-value map (every value), names in
 * the order of their first appearance; both null while there are none.
 */
class MultiValueMaps {
  single: Record<string, string> | null = null;
  multi: Record<string, string[]> | null = null;
  /** each member's key and the name it is stored under (a scan: a request has a few headers) */
  private readonly keys: string[] = [];
  private readonly names: string[] = [];

  /** `key` groups names that are the same (a header's lower-case name); the first one's name is kept */
  add(key: string, name: string, value: string): void {
    const seen = this.keys.indexOf(key);
    if (seen >= 0) {
      const stored = this.names[seen];
      this.single![stored] = value;
      this.multi![stored].push(value);
      return;
    }
    this.single ??= {};
    this.multi ??= {};
    this.keys.push(key);
    this.names.push(name);
    setOwn(this.single, name, value);
    setOwn(this.multi, name, [value]);
  }
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
 * Response headers a REST API does not pass through from its integration as given ("Amazon API
 * Gateway important notes", REST APIs: the headers API Gateway remaps or drops): a remapped one is
 * sent as `x-amzn-Remapped-<name>` (API Gateway writes its own Content-Length, Date and Connection;
 * a function's WWW-Authenticate reaches the client as x-amzn-Remapped-WWW-Authenticate); the
 * framing and hop-by-hop ones are dropped. [inf] The list is the documented table as far as it
 * could be checked here; Content-Length and Transfer-Encoding matter most: passed through, they
 * framed the answer wrongly (a client waited for bytes that never came).
 */
const REMAPPED_HEADERS = new Set([
  'authorization',
  'connection',
  'content-length',
  'content-md5',
  'date',
  'max-forwards',
  'server',
  'user-agent',
  'www-authenticate',
  // API Gateway's own ids are the ones the client gets
  'x-amzn-requestid',
  'x-amz-apigw-id',
]);
const DROPPED_RESPONSE_HEADERS = new Set(['expect', 'host', 'keep-alive', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via']);

/** an HTTP field name (RFC 9110 5.1: a token) */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** a control character other than tab: no HTTP field value may hold one (RFC 9110 5.5) */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
/** a character above U+00FF, which HTTP/1.1 cannot carry as one byte */
const WIDE = /[^\x00-\xff]/;

/**
 * The name a function's header is answered under: its own, the remapped one, or undefined when
 * it is dropped; null when it is no HTTP field name (a malformed proxy response [inf]).
 */
function answeredName(name: string): string | undefined | null {
  if (!HEADER_NAME.test(name)) return null;
  const lower = name.toLowerCase();
  if (REMAPPED_HEADERS.has(lower)) return `x-amzn-Remapped-${name}`;
  return DROPPED_RESPONSE_HEADERS.has(lower) ? undefined : name;
}

/**
 * A function's header value as it goes on the wire, or undefined when no HTTP field may hold it (a
 * line break, another control character: a malformed proxy response [inf]). A character above
 * U+00FF is sent as its UTF-8 bytes.
 */
function answeredValue(value: string): string | undefined {
  if (CONTROL.test(value)) return undefined;
  return WIDE.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
}

/**
 * The status a proxy response's statusCode names, or undefined when it names none. What REST APIs
 * do, as LocalStack's test_aws_proxy_response_payload_format_validation (tests/aws/services/
 * apigateway/test_apigateway_lambda.py, run against AWS) records it: no statusCode is 200 (a
 * response of only headers answers 200; mapProxyResult), `"201"` is 201, `"test"` is a 502
 * (Malformed Lambda proxy response). null is taken as no statusCode, as a null `headers` is (the
 * same test) [inf]. A string must be a whole decimal number, as Java's Integer.parseInt reads one
 * (API Gateway runs on the JVM) [inf]: `"201abc"`, `"2.5e2"`, `" 201"` or `""` name no status,
 * where parseInt read the first two as 201 and 2. A number must be whole [inf]; a boolean, a list or
 * an object names none (String([201]) is "201").
 */
function statusOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^[+-]?[0-9]{1,10}$/.test(value)) return Number(value);
  return undefined;
}

/**
 * Whether a body the function marked isBase64Encoded is base64 as a strict decoder reads it
 * (RFC 4648 section 4: the standard alphabet, no line breaks or other characters, padding
 * optional but whole when given), as Java's java.util.Base64.getDecoder() does; API Gateway runs
 * on the JVM [inf]. The docs name no other form ("Binary media types for REST APIs": "you must
 * base64-encode your function's response"), and a body that is not base64 is a response in the
 * wrong format, which API Gateway answers with 502 ("Handling Lambda errors with an API Gateway
 * API": "returns a response in the wrong format"; wire-protocols §12.2). Node's own decoder skips
 * what it cannot read: it made bytes of any text, and the client got them as the answer.
 */
function isBase64(text: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return false;
  return text.endsWith('=') ? text.length % 4 === 0 : text.length % 4 !== 1;
}

/**
 * The function's answer as an HTTP response, or undefined when it is not a valid proxy response
 * (also when a header's name or value is one no HTTP field may carry). Headers API Gateway remaps
 * or drops are remapped or dropped (REMAPPED_HEADERS).
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
    const given = statusOf(r.statusCode);
    // a 1xx is informational in HTTP: sent as the answer's status, the client waits for the final
    // one forever (and the connection with it); a malformed proxy response [inf]
    if (given === undefined || given < 200 || given > 599) return undefined;
    status = given;
  }

  const headers: Record<string, string | string[]> = {};
  let hasContentType = false;
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return undefined;
    const given = r.headers as Record<string, unknown>;
    for (const k in given) {
      if (!Object.hasOwn(given, k)) continue;
      const text = headerValue(given[k]);
      const name = answeredName(k);
      if (text === undefined || name === null) return undefined;
      const s = answeredValue(text);
      if (s === undefined) return undefined;
      if (name === undefined) continue;
      setOwn(headers, name, s);
      if (!hasContentType && isContentType(name)) hasContentType = true;
    }
  }
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object' || Array.isArray(r.multiValueHeaders)) return undefined;
    // the names as sent, by their lower-case form (made only when there is something to merge)
    const lower = new Map<string, string>();
    for (const k of Object.keys(headers)) lower.set(k.toLowerCase(), k);
    for (const [k, vs] of Object.entries(r.multiValueHeaders)) {
      const name = answeredName(k);
      if (!Array.isArray(vs) || name === null) return undefined;
      const values: string[] = [];
      for (const v of vs) {
        const text = headerValue(v);
        const s = text === undefined ? undefined : answeredValue(text);
        if (s === undefined) return undefined;
        values.push(s);
      }
      if (name === undefined) continue;
      const existing = lower.get(name.toLowerCase());
      if (existing !== undefined) deleteOwn(headers, existing);
      setOwn(headers, name, values.length === 1 ? values[0] : values);
      lower.set(name.toLowerCase(), name);
      if (!hasContentType && isContentType(name)) hasContentType = true;
    }
  }
  if (!hasContentType) headers['Content-Type'] = 'application/json';

  let body: Buffer | string = '';
  if (r.body !== undefined && r.body !== null) {
    if (typeof r.body !== 'string') return undefined;
    if (r.isBase64Encoded !== undefined && typeof r.isBase64Encoded !== 'boolean') return undefined;
    if (r.isBase64Encoded && !isBase64(r.body)) return undefined;
    body = r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
  }
  return { status, headers, body };
}
