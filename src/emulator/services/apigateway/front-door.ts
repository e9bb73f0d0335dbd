/**
 * API Gateway's invoke URLs on the emulator's port (the data plane):
 *   /restapis/{apiId}/{stage}/_user_request_/{path}   (LocalStack's path form)
 *   /execute-api/{apiId}/{stage}/{path}               (the short form the CLI prints)
 *   Host: {apiId}.execute-api.localhost[:port]  with  /{stage}/{path}
 *
 * This module only reads the URL and writes HTTP answers; routing, the proxy event and the
 * invocation are in gateway.ts. Gateway-generated answers carry `x-amzn-RequestId`,
 * `x-amz-apigw-id` and `x-amzn-ErrorType` as AWS sends them (e.g. 502 with
 * `x-amzn-ErrorType: InternalServerErrorException` and `{"message": "Internal server error"}`).
 */
import type { FrontDoor, WireRequest, WireResponse } from '../../protocols/types.js';
import type { ApiGateway } from './gateway.js';

const USER_REQUEST = '_user_request_';
const HOST_FORM = /^([a-z0-9]+)\.execute-api\./;

export interface InvokeTarget {
  apiId: string;
  stage: string;
  /** the resource path after the stage, as sent (percent-encoded), at least `/` */
  path: string;
}

/** The API, stage and path an invoke URL names, or undefined when it is not an invoke URL. */
export function parseInvokeUrl(path: string, host: string | undefined): InvokeTarget | undefined {
  if (path.startsWith('/execute-api/')) {
    return split(path, '/execute-api/'.length, false);
  }
  if (path.startsWith('/restapis/')) {
    return split(path, '/restapis/'.length, true);
  }
  if (host) {
    const m = HOST_FORM.exec(host);
    if (m) {
      const t = split(`/${m[1]}${path}`, 1, false);
      return t;
    }
  }
  return undefined;
}

function split(path: string, from: number, userRequest: boolean): InvokeTarget | undefined {
  const a = path.indexOf('/', from);
  if (a < 0) return userRequest ? undefined : { apiId: path.slice(from), stage: '', path: '/' };
  const apiId = path.slice(from, a);
  let b = path.indexOf('/', a + 1);
  if (b < 0) b = path.length;
  const stage = path.slice(a + 1, b);
  let rest = path.slice(b);
  if (userRequest) {
    if (!rest.startsWith(`/${USER_REQUEST}`)) return undefined;
    rest = rest.slice(USER_REQUEST.length + 1);
    if (rest !== '' && !rest.startsWith('/')) return undefined;
  }
  return { apiId, stage, path: rest === '' ? '/' : rest };
}

export class ApiGatewayFrontDoor implements FrontDoor {
  constructor(private readonly gateway: ApiGateway) {}

  matches(req: WireRequest): boolean {
    const p = req.path;
    if (p.startsWith('/execute-api/')) return true;
    if (p.startsWith('/restapis/')) return p.includes(`/${USER_REQUEST}`) && parseInvokeUrl(p, undefined) !== undefined;
    const host = req.headers.host;
    return host !== undefined && HOST_FORM.test(host);
  }

  handle(req: WireRequest): WireResponse | Promise<WireResponse> {
    const target = parseInvokeUrl(req.path, req.headers.host);
    return this.gateway.invoke(target ?? { apiId: '', stage: '', path: '/' }, req);
  }
}
