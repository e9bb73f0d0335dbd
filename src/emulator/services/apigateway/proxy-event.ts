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
import { deleteOwn, getOwn, setOwn } from '../../core/own-key.js';
import { isUtf8 } from 'node:buffer';
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

export function buildProxyEvent(req: ProxyRequest, target: RouteTarget, ctx: ProxyContext): Record<string, unknown> {
  const { headers, multiValueHeaders } = eventHeaders(req);

  let queryStringParameters: Record<string, string> | null = null;
  let multiValueQueryStringParameters: Record<string, string[]> | null = null;
  for (const [k, v] of req.query) {
    queryStringParameters ??= {};
    multiValueQueryStringParameters ??= {};
    setOwn(queryStringParameters, k, v);
    const values = getOwn(multiValueQueryStringParameters, k);
    if (values) values.push(v);
    else setOwn(multiValueQueryStringParameters, k, [v]);
  }

  // Binary when the API declares the content type binary ("Working with binary media types");
  // a body that is not valid UTF-8 is base64-encoded too, so no byte is ever lost.
  let body: string | null = null;
  let isBase64Encoded = false;
  if (req.body.length > 0) {
    const ct = req.headers['content-type'];
    if (isBinaryType(ct, ctx.binaryMediaTypes) || !isUtf8(req.body)) {
      body = req.body.toString('base64');
      isBase64Encoded = true;
    } else {
      body = req.body.toString('utf8');
    }
  }

  const host = req.headers.host ?? 'localhost';
  const colon = host.lastIndexOf(':');
  const domainName = colon > 0 && !host.endsWith(']') ? host.slice(0, colon) : host;
  const forwarded = headerText(req.headers['x-forwarded-for']);
  const sourceIp = forwarded ? forwarded.split(',', 1)[0].trim() : '127.0.0.1';

  return {
    resource: target.resource.path,
    path: req.path,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    pathParameters: ctx.pathParameters,
    stageVariables: ctx.stageVariables,
    requestContext: {
      resourceId: target.resource.id,
      resourcePath: target.resource.path,
      httpMethod: req.method,
      extendedRequestId: ctx.extendedRequestId,
      requestTime: requestTime(ctx.now),
      path: `/${ctx.stage}${req.path}`,
      accountId: ctx.accountId,
      protocol: 'HTTP/1.1',
      stage: ctx.stage,
      domainPrefix: domainName.split('.', 1)[0],
      requestTimeEpoch: ctx.now,
      requestId: ctx.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: req.headers['user-agent'] ?? null,
        user: null,
      },
      domainName,
      apiId: ctx.apiId,
    },
    body,
    isBase64Encoded,
  };
}

/** `headers` and `multiValueHeaders`: null when there are none, as API Gateway sends them */
function eventHeaders(req: ProxyRequest): { headers: Record<string, string> | null; multiValueHeaders: Record<string, string[]> | null } {
  let headers: Record<string, string> | null = null;
  let multiValueHeaders: Record<string, string[]> | null = null;
  const raw = req.rawHeaders;
  if (raw) {
    // one name per header whatever the case of its repeats: the first one's
    let sentAs: Map<string, string> | undefined;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const lower = raw[i].toLowerCase();
      if (DROPPED_HEADERS.has(lower)) continue;
      sentAs ??= new Map();
      let name = sentAs.get(lower);
      headers ??= {};
      multiValueHeaders ??= {};
      if (name === undefined) {
        sentAs.set(lower, (name = raw[i]));
        setOwn(multiValueHeaders, name, []);
      }
      setOwn(headers, name, raw[i + 1]);
      getOwn(multiValueHeaders, name)!.push(raw[i + 1]);
    }
    return { headers, multiValueHeaders };
  }
  for (const name in req.headers) {
    if (DROPPED_HEADERS.has(name)) continue;
    const v = req.headers[name];
    if (v === undefined) continue;
    headers ??= {};
    multiValueHeaders ??= {};
    setOwn(headers, name, Array.isArray(v) ? v[v.length - 1] : v);
    setOwn(multiValueHeaders, name, Array.isArray(v) ? v : [v]);
  }
  return { headers, multiValueHeaders };
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
