/**
 * What an emulated service declares, and what the protocol codecs and the server pipeline consume.
 *
 * A service is a backend (state + typed methods named after AWS operations, no HTTP) plus an
 * operations table (routes.ts) that maps wire operation names to handlers (handlers.ts). The codecs
 * (src/emulator/protocols/) read the table's HTTP bindings for REST protocols; they know no service.
 */

import type { ServiceError } from './service-error.js';
import type { StateWriteError } from './store.js';

/** AWS wire protocols, as Smithy names them. */
export type Protocol = 'restJson1' | 'awsJson1_0' | 'awsJson1_1' | 'restXml' | 'awsQuery' | 'rpcv2Cbor';

/** Where a REST operation's members live on the wire (Smithy's HTTP binding traits). */
export interface HttpBinding {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /** path template with labels: `/2015-03-31/functions/{FunctionName}/invocations`; greedy: `/{Bucket}/{Key+}` */
  path: string;
  /** required query parameters that distinguish this route, e.g. `{ 'list-type': '2' }` */
  queryMatch?: Record<string, string>;
  /** query parameter (wire name) → input member */
  query?: Record<string, string>;
  /** request header (lower-case wire name) → input member */
  headers?: Record<string, string>;
  /** input member that is the whole raw body (a blob, handed over as a Buffer) */
  payload?: string;
  /** success status (201 for CreateFunction ...) */
  status?: number;
  /** output member → response header */
  responseHeaders?: Record<string, string>;
  /** output member written as the whole raw body (Buffer or string) */
  responsePayload?: string;
  /** output member whose value is the HTTP status (Invoke's StatusCode) */
  responseStatus?: string;
  /**
   * restXml: input member that receives an XML request body, read into a plain object (the root
   * element's children), e.g. CreateBucket's `CreateBucketConfiguration`
   */
  xmlPayload?: string;
  /**
   * restXml: root element of the response body (`ListBucketResult`); the output members not bound
   * to headers, status or payload become its children
   */
  responseXmlRoot?: string;
}

/** Per-call facts a handler may need; never the raw HTTP request. */
export interface CallContext {
  requestId: string;
  region: string;
  accountId: string;
  /** the endpoint clients used, e.g. `http://127.0.0.1:4566` (for URLs in answers) */
  endpoint: string;
}

export interface Operation<I = any, O = any> {
  /** AWS's operation name: `CreateFunction` */
  name: string;
  /** REST protocols only */
  http?: HttpBinding;
  /** read input, call the backend, return a plain object (Dates and Buffers are encoded by the codec) */
  handle(input: I, ctx: CallContext): O | Promise<O>;
}

export interface ServiceDefinition {
  /** our id: `lambda`, `s3`, `cloudwatch` ... */
  id: string;
  /** the SigV4 signing name in the credential scope */
  signingName: string;
  /** protocols this service is spoken in; the first is the default */
  protocols: Protocol[];
  /** JSON-RPC target prefix, e.g. `CodeDeploy_20141006` */
  targetPrefix?: string;
  /** namespace for awsJson error `__type` prefixes (`com.amazonaws.cloudwatch`); S3's XML namespace */
  namespace?: string;
  /** awsQuery: the XML namespace of answers (`http://monitoring.amazonaws.com/doc/2010-08-01/`) */
  xmlNamespace?: string;
  /**
   * The service's own answer when a change could not be stored (read-only or full state dir): its
   * AWS-shaped 5xx, e.g. Lambda's `ServiceException` (500). Default: `ServiceUnavailable` (503).
   */
  storeFailure?: (cause: StateWriteError) => ServiceError;
  /**
   * rpcv2Cbor: the output members the service's Smithy model types as `double` (or as a list or a
   * map of doubles), by member name: written as CBOR floats (major type 7), where a whole number
   * would otherwise go out as a CBOR integer (`Threshold: 0`, where AWS's JSON has 0.0). Codecs
   * carry no shapes, so a name stands for its member in every output shape of the service: one
   * typed double in one shape and an integer in another could not be listed here.
   */
  doubleMembers?: ReadonlySet<string>;
  /** CloudWatch: awsQueryCompatible trait (error code → `x-amzn-query-error`) */
  queryCompatible?: Record<string, { code: string; status: number }>;
  operations: Operation[];
}

/** A handler as a service's handlers.ts writes it: wire input in, plain output out. */
export type OperationHandler = (input: any, ctx: CallContext) => unknown;

/**
 * A service's operations table from its handlers, keyed by AWS's operation names. `Name` is the
 * union of the names a service serves (its routes' keys, or a list), so a handler that is missing,
 * or one under a misspelt name, is a compile error rather than a 500 at run time.
 */
export function operationsOf<Name extends string>(
  handlers: { readonly [K in Name]: OperationHandler },
  bindings?: { readonly [K in Name]: HttpBinding },
): Operation[] {
  return (Object.keys(bindings ?? handlers) as Name[]).map((name) => ({
    name,
    ...(bindings ? { http: bindings[name] } : {}),
    handle: handlers[name] as Operation['handle'],
  }));
}
