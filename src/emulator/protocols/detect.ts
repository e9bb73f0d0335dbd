/**
 * Which service a request is for, and in which protocol (wire doc section 2):
 *   1. the SigV4 credential scope's signing name (`Authorization`, or `X-Amz-Credential` when presigned);
 *   2. `smithy-protocol: rpc-v2-cbor` with its `/service/<Shape>/operation/<Op>` path;
 *   3. the `X-Amz-Target` prefix;
 *   4. the REST path templates, with a restXml service (S3) taking anything else.
 * Works from the service definitions it is given; names no service itself.
 */
import type { Protocol, ServiceDefinition } from '../core/service.js';
import { targetOperation } from './aws-json.js';
import { matchRoute } from './rest-routes.js';
import type { WireRequest } from './types.js';

export interface Detected {
  service: ServiceDefinition;
  protocol: Protocol;
}

/**
 * The signing name from a SigV4 credential scope `<AKID>/<date>/<region>/<service>/aws4_request`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html
 */
export function signingScope(req: WireRequest): { region: string; service: string } | undefined {
  let credential: string | undefined;
  const auth = req.headers.authorization;
  if (typeof auth === 'string') credential = /Credential=([^,\s]+)/.exec(auth)?.[1];
  credential ??= req.query.get('X-Amz-Credential') ?? undefined;
  if (!credential) return undefined;
  const parts = credential.split('/');
  if (parts.length < 5) return undefined;
  return { region: parts[parts.length - 3], service: parts[parts.length - 2] };
}

const CBOR_PATH = /^\/service\/([^/]+)\/operation\/[^/]+$/;

export function detectService(req: WireRequest, services: readonly ServiceDefinition[]): Detected | undefined {
  const scope = signingScope(req);
  if (scope) {
    const service = services.find((s) => s.signingName === scope.service);
    if (service) return { service, protocol: protocolFor(req, service) };
    // signed for a service this emulator does not serve: not S3's to answer
    return undefined;
  }

  if (isCbor(req)) {
    const shape = CBOR_PATH.exec(req.path)?.[1];
    const service = services.find((s) => s.targetPrefix !== undefined && s.targetPrefix === shape);
    if (service) return { service, protocol: protocolFor(req, service) };
  }

  const target = targetOperation(req);
  if (target) {
    const service = services.find((s) => s.targetPrefix !== undefined && s.targetPrefix === target.prefix);
    if (service) return { service, protocol: protocolFor(req, service) };
    return undefined;
  }

  for (const service of services) {
    if (!service.protocols.includes('restJson1')) continue;
    if (matchRoute(service, req.method, req.path, req.query).pathMatches) return { service, protocol: 'restJson1' };
  }
  const fallback = services.find((s) => s.protocols.includes('restXml'));
  return fallback && { service: fallback, protocol: 'restXml' };
}

function isCbor(req: WireRequest): boolean {
  return String(req.headers['smithy-protocol'] ?? '').toLowerCase() === 'rpc-v2-cbor';
}

/** one service can be spoken in several protocols (CloudWatch: JSON 1.0, CBOR, Query): pick per request */
function protocolFor(req: WireRequest, service: ServiceDefinition): Protocol {
  const spoken = service.protocols;
  if (isCbor(req) && spoken.includes('rpcv2Cbor')) return 'rpcv2Cbor';
  if (req.headers['x-amz-target'] !== undefined) {
    const contentType = String(req.headers['content-type'] ?? '');
    if (contentType.includes('1.1') && spoken.includes('awsJson1_1')) return 'awsJson1_1';
    if (contentType.includes('1.0') && spoken.includes('awsJson1_0')) return 'awsJson1_0';
    const json = spoken.find((p) => p === 'awsJson1_0' || p === 'awsJson1_1');
    if (json) return json;
  }
  if (spoken.includes('awsQuery') && isFormPost(req)) return 'awsQuery';
  return spoken[0];
}

/**
 * A `POST` of a form, as awsQuery calls are sent (wire doc 2.2). A media type's type and subtype
 * are case-insensitive (RFC 9110 8.3.1), so `Application/X-WWW-Form-Urlencoded` is a form too.
 */
export function isFormPost(req: WireRequest): boolean {
  return req.method === 'POST' && String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}
