/**
 * awsQuery: https://smithy.io/2.0/aws/protocols/aws-query-protocol.html (wire doc section 5).
 * In: `POST /`, `application/x-www-form-urlencoded`, `Action=<Op>&Version=<date>&...`, members
 * flattened with dots: lists as `Name.member.N` (1-based), maps as `Name.entry.N.key/value`,
 * structures as `Name.Member`. Everything arrives as text; the codec carries no shapes, so numbers
 * and booleans stay strings and the handlers read them (as they read JSON's numbers).
 * Out: XML in the service's namespace, `<OpResponse><OpResult>...</OpResult><ResponseMetadata>`,
 * lists as `<member>` elements, timestamps ISO-8601; errors as
 * `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>`
 * with the query code and status of the service's awsQueryCompatible table.
 */
import { ServiceError } from '../core/service-error.js';
import type { Operation, ServiceDefinition } from '../core/service.js';
import { queryErrorOf } from './query-compatible.js';
import { escapeXml } from './rest-xml-encoding.js';
import type { ParsedCall, ProtocolCodec, WireRequest, WireResponse } from './types.js';

type Tree = Map<string, Tree | string>;

/** `a.member.2.b=x` → { a: [ , { b: 'x' } ] }; an empty `a=` is an empty list or string */
export function parseQueryForm(params: URLSearchParams): Record<string, unknown> {
  const root: Tree = new Map();
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      let next = node.get(parts[i]);
      if (typeof next !== 'object') {
        next = new Map();
        node.set(parts[i], next);
      }
      node = next;
    }
    node.set(parts[parts.length - 1], value);
  }
  return toPlain(root) as Record<string, unknown>;
}

function toPlain(node: Tree | string): unknown {
  if (typeof node === 'string') return node;
  const member = node.get('member');
  if (node.size === 1 && member !== undefined && typeof member === 'object') return indexed(member).map(toPlain);
  const entry = node.get('entry');
  if (node.size === 1 && entry !== undefined && typeof entry === 'object') {
    const map: Record<string, unknown> = {};
    for (const e of indexed(entry)) {
      if (typeof e === 'object' && typeof e.get('key') === 'string') own(map, e.get('key') as string, toPlain(e.get('value') ?? ''));
    }
    return map;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of node) own(out, k, toPlain(v));
  return out;
}

/** a member named by the client, `__proto__` included, as an own property (what JSON.parse makes) */
function own(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** the children `1`, `2`, ... in numeric order */
function indexed(node: Tree): (Tree | string)[] {
  return [...node.entries()]
    .filter(([k]) => /^\d+$/.test(k))
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([, v]) => v);
}

function xmlOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((v) => (v === undefined || v === null ? '' : `<member>${xmlOf(v)}</member>`)).join('');
  if (value instanceof Map) return xmlOf(Object.fromEntries(value));
  if (value !== null && typeof value === 'object') {
    let out = '';
    for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out += `<${k}>${xmlOf(v)}</${k}>`;
    return out;
  }
  return escapeXml(String(value));
}

function xmlns(service: ServiceDefinition): string {
  return service.xmlNamespace ? ` xmlns="${escapeXml(service.xmlNamespace)}"` : '';
}

const XML = { 'Content-Type': 'text/xml' } as const;

export const queryCodec: ProtocolCodec = {
  parse(req: WireRequest, service: ServiceDefinition): ParsedCall {
    const params = new URLSearchParams(req.body.toString('utf8'));
    const action = params.get('Action') ?? req.query.get('Action');
    const operation = action ? service.operations.find((op) => op.name === action) : undefined;
    if (!operation) {
      throw new ServiceError('InvalidAction', action ? `The action ${action} is not valid for this web service.` : 'The request must contain the parameter Action.', 400);
    }
    return { operation, input: parseQueryForm(params) };
  },

  serialize(call: ParsedCall, output: unknown, service: ServiceDefinition, requestId: string): WireResponse {
    const name = call.operation.name;
    const members = output && typeof output === 'object' ? xmlOf(output) : '';
    const result = members ? `<${name}Result>${members}</${name}Result>` : '';
    const body =
      `<${name}Response${xmlns(service)}>${result}` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${name}Response>`;
    return { status: 200, headers: { ...XML, 'x-amzn-RequestId': requestId }, body };
  },

  serializeError(err: ServiceError, service: ServiceDefinition, requestId: string, _operation?: Operation): WireResponse {
    const query = queryErrorOf(err, service);
    const fault = query.status >= 500 ? 'Receiver' : 'Sender';
    const body =
      `<ErrorResponse${xmlns(service)}><Error><Type>${fault}</Type><Code>${escapeXml(query.code)}</Code>` +
      `<Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return { status: query.status, headers: { ...XML, 'x-amzn-RequestId': requestId, ...err.headers }, body };
  },
};
