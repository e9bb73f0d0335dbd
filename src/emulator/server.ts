/**
 * The embedded cloud's HTTP edge: one port, every service, the real AWS wire protocols.
 *
 * Each request's body is read, then it goes through `pipeline`, an ordered list of small named
 * steps (after LocalStack's handler chain). A step either adds to the exchange or answers; the
 * first answer wins. One error step turns whatever was thrown into the protocol's error shape.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { randomUuid } from './core/random-ids.js';
import { ServiceError } from './core/service-error.js';
import { StateWriteError } from './core/store.js';
import type { CallContext, Protocol, ServiceDefinition } from './core/service.js';
import { CLOUD_HEADER, cloudKey, misdirected } from './cloud-identity.js';
import { codecFor } from './protocols/codecs.js';
import { detectService, isFormPost, signingScope } from './protocols/detect.js';
import { restJsonCodec } from './protocols/rest-json.js';
import type { FrontDoor, ParsedCall, ProtocolCodec, WireRequest, WireResponse } from './protocols/types.js';
import { resourceOf } from './request-log.js';
import { labVersion } from '../version.js';

/** What the server serves. Built once the endpoint is known, so port 0 works (see wiring.ts). */
export interface EmulatorApp {
  services: ServiceDefinition[];
  /** non-API traffic the cloud hosts (API Gateway invoke URLs, downloads, ...), asked in order */
  frontDoors?: FrontDoor[];
  /** run on close(), in order: end workers, flush state ... */
  shutdown?: () => void | Promise<void>;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** service id, the front door's name (`front-door`, `lambda-code`), `health`, or `-` when none was found */
  service: string;
  /** operation name, or `-` */
  operation: string;
  status: number;
  ms: number;
  requestId: string;
  /** a failed request: AWS's error code (`ResourceNotFoundException`) */
  errorCode?: string;
  /** a failed call: what it named, e.g. `fn:live` (see request-log.ts) */
  resource?: string;
  /** a front door's reason for a failed answer, e.g. that Lambda throttled the invocation */
  note?: string;
}

export interface EmulatorServerOptions {
  /** default 4566; 0 picks a free port */
  port?: number;
  /** default 127.0.0.1; bind elsewhere only when asked */
  host?: string;
  /** what to serve; called once with the endpoint (`http://127.0.0.1:<port>`) after the port is bound */
  app: EmulatorApp | ((endpoint: string) => EmulatorApp | Promise<EmulatorApp>);
  region?: string;
  accountId?: string;
  /** one call per answered request (the foreground request log) */
  onRequest?: (entry: RequestLogEntry) => void;
  /**
   * which answered requests onRequest is called for (default: every one); the entries of the others
   * are not built. The background cloud logs failures only: under a load test, an entry built per
   * request (with a request id made for it) was work on the front door's thread for nothing.
   */
  logsRequest?: (status: number, service: string) => boolean;
  /**
   * the state dir this cloud serves: a lab client's call meant for another one's cloud is refused
   * (cloud-identity.ts)
   */
  stateDir?: string;
  /** an unexpected exception while serving (the request got a 500); default: written to stderr */
  onError?: (err: unknown, entry: RequestLogEntry) => void;
}

export interface EmulatorServer {
  /** `http://127.0.0.1:<port>` — what clients use */
  endpoint: string;
  port: number;
  server: Server;
  /** stop accepting, end open connections, run the app's shutdown hooks */
  close(): Promise<void>;
}

/** Everything one request accumulates on its way through the pipeline. */
class Exchange {
  wire?: WireRequest;
  service?: ServiceDefinition;
  protocol?: Protocol;
  codec?: ProtocolCodec;
  call?: ParsedCall;
  output?: unknown;
  logService = '-';
  /** set by the error step */
  errorCode?: string;
  private id: string | undefined;

  constructor(
    readonly raw: IncomingMessage,
    /** performance.now() when it arrived */
    readonly started: number,
  ) {}

  /** made when first asked: a front door's answer carries its own (API Gateway's) request id */
  get requestId(): string {
    return (this.id ??= randomUuid());
  }
}

/**
 * The query of every request that has none: one object, not one per request, and the same one for
 * each, so rest-routes' last-match cache also holds from one such request to the next (a route
 * depends only on the service, method, path and query). Nothing may change it: it refuses to.
 */
class NoQuery extends URLSearchParams {
  override append(): void {
    throw new Error('the shared empty query of a request is read-only');
  }
  override set(): void {
    this.append();
  }
  override delete(): void {
    this.append();
  }
  override sort(): void {}
}
const NO_QUERY: URLSearchParams = new NoQuery();

type Step = (x: Exchange) => Promise<WireResponse | undefined> | WireResponse | undefined;

export async function createEmulatorServer(options: EmulatorServerOptions): Promise<EmulatorServer> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  let app: EmulatorApp | undefined;
  let appReady: Promise<EmulatorApp> | undefined;
  let endpoint = '';

  /**
   * The request as the steps read it. The path as sent, still percent-encoded: WHATWG URL parsing
   * would fold `..` segments, and an S3 key may hold them (`k/../x.txt` is a key, not a way up).
   */
  const wireRequest = (raw: IncomingMessage, body: Buffer): WireRequest => {
    const url = raw.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? NO_QUERY : new URLSearchParams(url.slice(q + 1));
    // node's HTTP/1 parser names the method in upper case already (llhttp's method table)
    return { method: raw.method ?? 'GET', path, query, headers: raw.headers, rawHeaders: raw.rawHeaders, body };
  };

  /**
   * Request compression: PutMetricData over 10 KiB arrives gzipped (wire doc 3.1). S3 is the
   * exception: there Content-Encoding describes the object, which is stored as it came (aws-chunked
   * is decoded by the restXml codec).
   */
  const decodeContentEncoding: Step = (x) => {
    if (x.protocol === 'restXml') return undefined;
    if (String(x.wire!.headers['content-encoding'] ?? '').toLowerCase() !== 'gzip') return undefined;
    try {
      x.wire!.body = gunzipSync(x.wire!.body);
    } catch {
      throw new ServiceError('SerializationException', 'Content-Encoding is gzip but the body is not gzip data.', 400);
    }
    return undefined;
  };


  /** the app, without a promise hop once it is built (requests may arrive before that) */
  const withApp = <T>(use: (a: EmulatorApp) => T): T | Promise<T> => (app ? use(app) : appReady!.then(use));

  /** not async: every other request passes by, and an async step would cost each one a promise hop */
  const health: Step = (x) => {
    if (x.wire!.path !== '/_lab/health' || (x.wire!.method !== 'GET' && x.wire!.method !== 'HEAD')) return undefined;
    x.logService = 'health';
    return withApp((served) => {
      const body = JSON.stringify({ status: 'ok', version: labVersion, pid: process.pid, endpoint, services: served.services.map((s) => s.id) });
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body };
    });
  };

  const frontDoor: Step = (x) => {
    if (!app) return appReady!.then(() => frontDoor(x));
    const doors = app.frontDoors;
    if (doors === undefined) return undefined;
    for (let i = 0; i < doors.length; i++) {
      const door = doors[i];
      if (!door.matches(x.wire!)) continue;
      x.logService = door.name ?? 'front-door';
      if (door.errorProtocol !== undefined) x.codec = codecFor(door.errorProtocol);
      return door.handle(x.wire!);
    }
    return undefined;
  };

  /**
   * A call of the lab's own clients names the state dir whose cloud it is for (cloud-identity.ts):
   * another one's is refused. After the front door, which such calls never reach, so that its
   * traffic does not pay for the look.
   */
  const ownKey = options.stateDir === undefined ? undefined : cloudKey(options.stateDir);
  const ownCloud: Step = (x) => {
    const meant = x.wire!.headers[CLOUD_HEADER];
    if (meant === undefined || ownKey === undefined || meant === ownKey) return undefined;
    return misdirected(ownKey);
  };

  const identifyService: Step = (x) => withApp((a) => identify(x, a.services));

  const identify = (x: Exchange, services: ServiceDefinition[]): undefined => {
    const detected = detectService(x.wire!, services);
    if (!detected) {
      // answer in the shape the client reads: `__type` for JSON-RPC callers (the aws CLI needs it);
      // awsQuery's XML `<ErrorResponse><Error><Code>` for a form-encoded `Action=` call (STS,
      // CloudFormation), which the CLI and the SDK parse as XML whatever the status (wire doc 2.2, 5;
      // https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#operation-error-serialization)
      const target = x.wire!.headers['x-amz-target'];
      if (target !== undefined) x.codec = codecFor(String(x.wire!.headers['content-type']).includes('1.0') ? 'awsJson1_0' : 'awsJson1_1');
      else if (isQueryCall(x.wire!)) x.codec = codecFor('awsQuery');
      const scope = signingScope(x.wire!);
      const what = scope ? `the '${scope.service}' service` : target !== undefined ? String(target) : `${x.wire!.method} ${x.wire!.path}`;
      throw new ServiceError('UnknownOperationException', `The emulator does not serve ${what}.`, 404);
    }
    x.service = detected.service;
    x.protocol = detected.protocol;
    x.logService = detected.service.id;
    x.codec = codecFor(detected.protocol);
    if (!x.codec) {
      throw new ServiceError('UnsupportedProtocol', `The emulator does not speak ${detected.protocol} for ${detected.service.id} yet.`, 400);
    }
    return undefined;
  };

  /** a codec that loads its encoding library on first use (types.ts ProtocolCodec.ready) */
  const codecReady: Step = (x) => x.codec!.ready?.();

  const parse: Step = (x) => {
    x.call = x.codec!.parse(x.wire!, x.service!);
    return undefined;
  };

  const dispatch: Step = (x) => {
    const ctx: CallContext = { requestId: x.requestId, region, accountId, endpoint };
    const output = x.call!.operation.handle(x.call!.input, ctx);
    if (!isPromise(output)) {
      x.output = output;
      return undefined;
    }
    return output.then((o) => {
      x.output = o;
      return undefined;
    });
  };

  const serialize: Step = (x) => x.codec!.serialize(x.call!, x.output, x.service!, x.requestId);

  /** after the body is read (see handle) */
  const pipeline: Step[] = [health, frontDoor, ownCloud, identifyService, codecReady, decodeContentEncoding, parse, dispatch, serialize];

  /** the one error step: a ServiceError as the service said it, anything else as a logged 500 */
  function errorResponse(x: Exchange, err: unknown): WireResponse {
    let serviceError: ServiceError;
    if (err instanceof ServiceError) {
      serviceError = err;
    } else if (err instanceof StateWriteError) {
      // the change was not made (StateDocument.commit): say so in the service's own 5xx
      serviceError =
        x.service?.storeFailure?.(err) ??
        // https://docs.aws.amazon.com/general/latest/gr/api-retries.html (ServiceUnavailable, 503)
        new ServiceError('ServiceUnavailable', err.message, 503);
      (options.onError ?? defaultOnError)(err, logEntry(x, serviceError.status));
    } else {
      (options.onError ?? defaultOnError)(err, logEntry(x, 500));
      // https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html (InternalFailure, 500)
      serviceError = new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error.', 500);
    }
    x.errorCode = serviceError.code;
    const codec = x.codec ?? restJsonCodec;
    const service = x.service ?? { id: '-', signingName: '-', protocols: ['restJson1'], operations: [] };
    return codec.serializeError(serviceError, service, x.requestId, x.call?.operation);
  }

  /** built only when someone logs; a front door's own error answers name their type in a header */
  function logEntry(x: Exchange, status: number, response?: WireResponse): RequestLogEntry {
    const failed = status >= 400;
    return {
      method: x.raw.method ?? '-',
      path: x.wire?.path ?? x.raw.url ?? '-',
      service: x.logService,
      operation: x.call?.operation.name ?? '-',
      status,
      ms: performance.now() - x.started,
      requestId: x.requestId,
      errorCode: x.errorCode ?? (failed ? errorTypeOf(response) : undefined),
      resource: failed && x.call ? resourceOf(x.call.input) : undefined,
      note: response?.logNote,
    };
  }

  /**
   * One request: its body, then the steps in order until one answers. Neither is a promise unless
   * it has to be: the body arrives by callback, and a step's promise continues the pipeline from
   * the next step in its own reaction (an async function would add a promise and a resumption per
   * request, and one more for the body).
   */
  /** close() has begun: see whileStopping */
  let stopping = false;

  function handle(raw: IncomingMessage, res: ServerResponse): void {
    const x = new Exchange(raw, performance.now());
    readAll(
      raw,
      MAX_REQUEST_BYTES,
      (body) => {
        x.wire = wireRequest(raw, body);
        runFrom(x, res, 0);
      },
      (err) => fail(x, res, err),
    );
  }

  function runFrom(x: Exchange, res: ServerResponse, first: number): void {
    try {
      for (let i = first; i < pipeline.length; i++) {
        const r = pipeline[i](x);
        if (r === undefined) continue;
        if (!isPromise(r)) return answer(x, res, r);
        const next = i + 1;
        r.then(
          (response) => (response ? answer(x, res, response) : runFrom(x, res, next)),
          (err) => fail(x, res, err),
        );
        return;
      }
    } catch (err) {
      return fail(x, res, err);
    }
    fail(x, res, new Error('the pipeline gave no answer'));
  }

  function fail(x: Exchange, res: ServerResponse, err: unknown): void {
    let response: WireResponse;
    try {
      response = errorResponse(x, err);
    } catch {
      response = { status: 500, headers: {}, body: '' };
    }
    answer(x, res, response);
  }

  /**
   * A server error answered once the cloud is stopping (close() has begun) is the stop's, not the
   * service's or the function's: the cloud stopped listening, so a function still running in it
   * meets ECONNREFUSED on its own calls to the cloud and (the lab's app passes the status through)
   * answers 500, which a client reads as the function's fault (a bad release). It is answered as an
   * AWS service that is unavailable answers: 503 ServiceUnavailable, which the SDKs retry and
   * the lab reads as the cloud going away
   * (https://docs.aws.amazon.com/general/latest/gr/api-retries.html: ServiceUnavailable, 503).
   * The request log keeps what it would have been.
   */
  function whileStopping(x: Exchange, response: WireResponse): WireResponse {
    if (!stopping || response.status < 500 || response.status === 503) return response;
    let unavailable: WireResponse;
    try {
      unavailable = errorResponse(x, new ServiceError('ServiceUnavailable', 'The local cloud is stopping; it answers again once it is started.', 503));
    } catch {
      unavailable = { status: 503, headers: {}, body: '' };
    }
    return { ...unavailable, logNote: `the cloud is stopping: would have answered ${response.status}${response.logNote ? ` (${response.logNote})` : ''}` };
  }

  /** never throws: it runs in promise reactions, where a throw would be an unhandled rejection */
  function answer(x: Exchange, res: ServerResponse, response: WireResponse): void {
    response = whileStopping(x, response);
    let written = true;
    try {
      write(res, response, x);
    } catch (err) {
      // The answer could not be written: a header Node refuses (a service let a value through that
      // HTTP cannot carry). The client gets an empty 500, and the log says why: it is our defect.
      written = false;
      try {
        if (!res.headersSent) res.writeHead(500, 'Internal Server Error').end();
        else res.destroy(err as Error);
      } catch {
        res.destroy();
      }
      try {
        (options.onError ?? defaultOnError)(err, logEntry(x, 500));
      } catch {
        // as below: logging never fails the exchange
      }
    }
    const onRequest = options.onRequest;
    if (onRequest === undefined) return;
    const status = written ? response.status : 500;
    try {
      if (options.logsRequest === undefined || options.logsRequest(status, x.logService)) onRequest(written ? logEntry(x, status, response) : logEntry(x, 500));
    } catch {
      // a failing request log never fails the request it logs
    }
  }

  const server = createServer(handle);
  // The SDK keeps connections alive; outlast its idle sockets so we are not the side that closes
  // one just as a request goes out on it. headersTimeout must exceed keepAliveTimeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0; // Invoke may legitimately take the function's whole Timeout

  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const port = await listen(server, options.port ?? 4566, host);
  endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // through the executor, so an app that throws at once (an unreadable state file) is a rejection
  // like any other and the server below is closed, not left listening with no app behind it
  const makeApp = options.app;
  appReady = new Promise<EmulatorApp>((r) => r(typeof makeApp === 'function' ? makeApp(endpoint) : makeApp));
  appReady.then((a) => (app = a)).catch(() => undefined);
  try {
    await appReady;
  } catch (err) {
    await new Promise<void>((r) => server.close(() => r()));
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    port,
    server,
    close() {
      closing ??= (async () => {
        stopping = true;
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        // give in-flight answers a moment, then end whatever is left
        const timer = setTimeout(() => server.closeAllConnections(), 1000);
        await closed;
        clearTimeout(timer);
        for (const s of sockets) s.destroy();
        await app?.shutdown?.();
      })();
      return closing;
    },
  };
}

/**
 * writeHead with a flat [name, value, ...] list: Node takes it as it is, while a headers object is
 * walked key by key (and ours would first be copied to add the two defaults).
 * A text body goes out as text: Node then joins head and body into one chunk of the socket's
 * writev (a Buffer body is a chunk of its own, after a copy into that Buffer). Node writes that
 * joined text as UTF-8, so a head holding a byte above 0x7f (a function's header value in Latin-1,
 * which HTTP sends as is) keeps the Buffer path.
 */
function write(res: ServerResponse, response: WireResponse, x: Exchange): void {
  const headers = response.headers;
  const flat: string[] = [];
  let hasRequestId = false;
  let hasLength = false;
  let ascii = true;
  for (const h in headers) {
    const lower = h.toLowerCase();
    if (lower === 'x-amzn-requestid') hasRequestId = true;
    else if (lower === 'content-length') hasLength = true;
    const value = headers[h];
    if (typeof value === 'string') {
      flat.push(h, value);
      if (ascii && !isAscii(value)) ascii = false;
    } else {
      for (const v of value) {
        flat.push(h, v);
        if (ascii && !isAscii(v)) ascii = false;
      }
    }
  }
  if (!hasRequestId) flat.push('x-amzn-RequestId', x.requestId);
  let body = response.body;
  if (typeof body === 'string' && !ascii) body = Buffer.from(body);
  if (!hasLength) flat.push('Content-Length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.length));
  res.writeHead(response.status, flat);
  res.end(body);
}

const NON_ASCII = /[^\x00-\x7f]/;

function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** an awsQuery call (wire doc 2.2): `POST` of a form whose fields name the `Action` */
function isQueryCall(req: WireRequest): boolean {
  return isFormPost(req) && new URLSearchParams(req.body.toString('utf8')).has('Action');
}

function errorTypeOf(response: WireResponse | undefined): string | undefined {
  const value = response?.headers['x-amzn-ErrorType'];
  return typeof value === 'string' ? value : undefined;
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | undefined)?.then === 'function';
}

/**
 * The whole request body, handed to `use`; or, when it is larger than `max`, the 413 to `refuse`
 * (once, and never after `use`). Callbacks, not a promise of the body: that would cost every
 * request a promise and a hop; no async iterator (its machinery costs more than the read on small
 * bodies). A client that goes away before its body ends is not answered (no one is there to read
 * it) and is not a failure of the cloud: Node emits no `error` on a request that has no listener
 * for it, and `end` never comes, so the exchange is dropped. The listeners are left on the request,
 * which is dropped once answered: removing them per request costs more than leaving them.
 */
function readAll(req: IncomingMessage, max: number, use: (body: Buffer) => void, refuse: (err: unknown) => void): void {
  const declared = Number(req.headers['content-length']);
  if (declared > max) return refuse(requestTooLarge(max));
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > max) {
      chunks.length = 0;
      req.removeAllListeners('data');
      req.resume();
      refuse(requestTooLarge(max));
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (size > max) return; // refused above
    use(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  });
}

/**
 * The largest request the embedded cloud reads (it holds each body in memory). Above every request
 * quota of the APIs it serves that the lab can meet: Lambda's 50 MB zipped upload (base64 in JSON),
 * API Gateway's 10 MB; S3's 5 GB single PUT is not emulated beyond this.
 */
export const MAX_REQUEST_BYTES = 128 * 1024 * 1024;

function requestTooLarge(max: number): ServiceError {
  return new ServiceError('RequestEntityTooLargeException', `Request must be smaller than ${max} bytes (the embedded cloud's limit).`, 413);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function defaultOnError(err: unknown, entry: RequestLogEntry): void {
  const e = err as Error;
  const detail = err instanceof StateWriteError ? err.message : e?.stack ?? String(err);
  process.stderr.write(`emulator: ${entry.method} ${entry.path} (${entry.service}/${entry.operation}) failed: ${detail}\n`);
}
