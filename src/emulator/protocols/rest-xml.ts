import { createHash } from 'node:crypto';
import { ServiceError } from '../core/service-error.js';
import type { HttpBinding, Operation, ServiceDefinition } from '../core/service.js';
import type { ParsedCall, ProtocolCodec, WireRequest, WireResponse } from './types.js';
import { decodeAwsChunked, parseXml, xmlDocument } from './rest-xml-encoding.js';

/**
 * restXml, S3 flavour (https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html, and the S3
 * customizations in wire-protocols.md section 7). The operation is found from method + path template
 * + required query parameters of the service's operation table; members are read from labels, query,
 * headers and the body as the table's HttpBinding says. Knows no operation by name.
 *
 * S3 specifics handled here, because they are about the wire, not about buckets:
 * - virtual-host addressing: `Host: <bucket>.localhost[:port]` is read as path `/<bucket>/...`;
 * - the SDK's `x-id=<Op>` query parameter is dropped; `/bkt` and `/bkt/` are the same resource;
 * - `Content-Encoding: aws-chunked` bodies are decoded (section 7.2);
 * - a header binding whose name ends with `*` (`x-amz-meta-*`) binds every header with that
 *   prefix, as a map keyed by the rest of the name (Smithy `@httpPrefixHeaders`), in and out.
 *
 * Values from labels, query and headers reach the handler as strings (the codec has no schema);
 * the payload member is a Buffer, an `xmlPayload` member a plain object of strings.
 */

/** query parameters that never select or feed an operation: the SDK's `x-id`, presigned-URL auth */
function isIgnoredQueryKey(key: string): boolean {
  return key === 'x-id' || key.toLowerCase().startsWith('x-amz-');
}

const VIRTUAL_HOST = /^([a-z0-9][a-z0-9.-]*[a-z0-9])\.localhost(?::\d+)?$/i;

export const restXmlCodec: ProtocolCodec = {
  parse(req: WireRequest, service: ServiceDefinition): ParsedCall {
    const path = addressedPath(req);
    const query = new URLSearchParams();
    for (const [k, v] of req.query) if (k !== 'x-id') query.append(k, v);
    const found = findRoute(service.operations, req.method.toUpperCase(), path, query);
    const http = found.operation.http!;
    const input: Record<string, unknown> = { ...found.labels };
    // trailing headers of an aws-chunked body (`x-amz-checksum-crc32`) bind as headers do
    const { body, trailers } = decodeBody(req);
    const headers = trailers ? { ...req.headers, ...trailers } : req.headers;

    for (const [wire, member] of Object.entries(http.query ?? {})) {
      const value = query.get(wire);
      if (value !== null) input[member] = value;
    }
    for (const [wire, member] of Object.entries(http.headers ?? {})) {
      if (wire.endsWith('*')) {
        const prefix = wire.slice(0, -1).toLowerCase();
        const map: Record<string, string> = {};
        for (const [name, value] of Object.entries(headers)) {
          if (name.startsWith(prefix) && value !== undefined) map[name.slice(prefix.length)] = headerText(value);
        }
        if (Object.keys(map).length) input[member] = map;
        continue;
      }
      const value = headers[wire.toLowerCase()];
      if (value !== undefined) input[member] = headerText(value);
    }

    if (http.payload) input[http.payload] = body;
    if (http.xmlPayload && body.length) {
      try {
        input[http.xmlPayload] = parseXml(body.toString('utf8')).value;
      } catch (err) {
        throw new ServiceError(
          'MalformedXML',
          `The XML you provided was not well-formed or did not validate against our published schema (${(err as Error).message}).`,
          400,
        );
      }
    }
    return { operation: found.operation, input };
  },

  serialize(call: ParsedCall, output: unknown, service: ServiceDefinition, requestId: string): WireResponse {
    const http = call.operation.http!;
    const out = (output ?? {}) as Record<string, unknown>;
    const headers = requestIdHeaders(requestId);
    const bound = new Set<string>();

    for (const [member, header] of Object.entries(http.responseHeaders ?? {})) {
      bound.add(member);
      const value = out[member];
      if (value === undefined || value === null) continue;
      if (header.endsWith('*')) {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) headers[header.slice(0, -1) + k] = String(v);
      } else headers[header.toLowerCase()] = headerValue(value);
    }

    let status = http.status ?? 200;
    if (http.responseStatus) {
      bound.add(http.responseStatus);
      const value = out[http.responseStatus];
      if (typeof value === 'number') status = value;
    }

    let body: Buffer | string = '';
    if (http.responsePayload) {
      const value = out[http.responsePayload];
      if (value !== undefined && value !== null) {
        body = typeof value === 'string' ? value : Buffer.from(value as Uint8Array);
      }
      headers['content-type'] ??= 'application/octet-stream';
    } else if (http.responseXmlRoot) {
      const members: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(out)) if (!bound.has(k)) members[k] = v;
      body = xmlDocument(http.responseXmlRoot, members, service.namespace);
      headers['content-type'] = 'application/xml';
    }
    if (http.method === 'HEAD') body = '';
    return { status, headers, body };
  },

  serializeError(err: ServiceError, _service: ServiceDefinition, requestId: string, operation?: Operation): WireResponse {
    const headers = { ...requestIdHeaders(requestId), ...err.headers };
    // S3 error bodies carry no namespace (wire-protocols.md 7.3); HEAD answers never have a body,
    // which is why clients report a missing object on HeadObject as `NotFound`.
    if (operation?.http?.method === 'HEAD') return { status: err.status, headers, body: '' };
    headers['content-type'] = 'application/xml';
    const body = xmlDocument('Error', {
      Code: err.code,
      Message: err.message,
      ...err.fields,
      RequestId: requestId,
      HostId: headers['x-amz-id-2'],
    });
    return { status: err.status, headers, body };
  },
};

// ---- routing ---------------------------------------------------------------------------------

function addressedPath(req: WireRequest): string {
  const host = headerText(req.headers.host ?? '');
  const m = VIRTUAL_HOST.exec(host);
  if (!m) return req.path || '/';
  return `/${m[1]!.toLowerCase()}${req.path.startsWith('/') ? req.path : `/${req.path}`}`;
}

interface RouteMatch {
  operation: Operation;
  labels: Record<string, string>;
}

function findRoute(operations: Operation[], method: string, path: string, query: URLSearchParams): RouteMatch {
  let best: (RouteMatch & { score: number }) | undefined;
  let otherMethod = false;
  for (const operation of operations) {
    const http = operation.http;
    if (!http) continue;
    const labels = matchPath(http.path, path);
    if (!labels || !queryMatches(http, query)) continue;
    if (http.method !== method) {
      otherMethod = true;
      continue;
    }
    const score = Object.keys(http.queryMatch ?? {}).length;
    if (!best || score > best.score) best = { operation, labels, score };
  }
  if (best) return best;
  if (otherMethod) throw new ServiceError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: method, ResourceType: 'OBJECT' });
  throw new ServiceError('NotImplemented', 'A header or query you provided implies functionality that is not implemented.', 501);
}

/** the route's required query parameters are present, and no query parameter is unknown to it */
function queryMatches(http: HttpBinding, query: URLSearchParams): boolean {
  for (const [key, value] of Object.entries(http.queryMatch ?? {})) {
    const actual = query.get(key);
    if (actual === null || (value !== '' && actual !== value)) return false;
  }
  // An unknown parameter is an S3 sub-resource we do not emulate (`?acl`, `?tagging`, `?uploads`):
  // refusing it keeps `PUT /bkt/key?tagging` from overwriting the object.
  for (const key of query.keys()) {
    if (isIgnoredQueryKey(key)) continue;
    if (http.queryMatch && key in http.queryMatch) continue;
    if (http.query && key in http.query) continue;
    return false;
  }
  return true;
}

/**
 * Matches `/{Bucket}/{Key+}`-style templates. A label takes one non-empty segment; a greedy label
 * the non-empty rest, slashes included; one trailing slash after the template is allowed (`/bkt/`).
 * Labels are percent-decoded. Returns undefined when the path does not fit.
 */
export function matchPath(template: string, rawPath: string): Record<string, string> | undefined {
  const tsegs = template.split('/').slice(1);
  const psegs = rawPath.split('/').slice(1);
  const labels: Record<string, string> = {};
  for (let i = 0; i < tsegs.length; i++) {
    const t = tsegs[i]!;
    const label = /^\{([^}+]+)(\+?)\}$/.exec(t);
    if (label?.[2]) {
      const rest = psegs.slice(i).join('/');
      if (rest === '') return undefined;
      labels[label[1]!] = decodeLabel(rest);
      return labels;
    }
    const seg = psegs[i];
    if (seg === undefined) return undefined;
    if (label) {
      if (seg === '') return undefined;
      labels[label[1]!] = decodeLabel(seg);
    } else if (seg !== t) return undefined;
  }
  const extra = psegs.slice(tsegs.length);
  return extra.length === 0 || (extra.length === 1 && extra[0] === '') ? labels : undefined;
}

function decodeLabel(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ServiceError('InvalidURI', "Couldn't parse the specified URI.", 400, { URI: raw });
  }
}

// ---- bodies and headers ----------------------------------------------------------------------

function decodeBody(req: WireRequest): { body: Buffer; trailers?: Record<string, string> } {
  const encodings = headerText(req.headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase());
  if (!encodings.includes('aws-chunked')) return { body: req.body };
  const decodedLength = req.headers['x-amz-decoded-content-length'];
  // The server may have decoded it already: then the body is exactly the announced length (an
  // encoded body is always longer than its data).
  if (decodedLength !== undefined && Number(decodedLength) === req.body.length) return { body: req.body };
  try {
    const { data, trailers } = decodeAwsChunked(req.body);
    if (decodedLength !== undefined && Number(decodedLength) !== data.length) {
      throw new SyntaxError(`decoded ${data.length} bytes, x-amz-decoded-content-length says ${String(decodedLength)}`);
    }
    return { body: data, trailers: Object.keys(trailers).length ? trailers : undefined };
  } catch (err) {
    throw new ServiceError('IncompleteBody', `The request body is not valid aws-chunked encoding: ${(err as Error).message}`, 400);
  }
}

function headerText(value: string | string[]): string {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** restXml header values: dates as RFC 7231 (`Tue, 02 Jan 2024 03:04:05 GMT`) */
function headerValue(value: unknown): string {
  if (value instanceof Date) return value.toUTCString();
  return String(value);
}

function requestIdHeaders(requestId: string): Record<string, string> {
  return {
    'x-amz-request-id': requestId,
    'x-amz-id-2': createHash('sha256').update(requestId).digest('base64'),
  };
}
