import type { IncomingHttpHeaders } from 'node:http';
import type { ServiceError } from '../core/service-error.js';
import type { Operation, Protocol, ServiceDefinition } from '../core/service.js';

/** An HTTP request as the codecs see it: the body already read (and gunzipped / de-chunked). */
export interface WireRequest {
  method: string;
  /** path without the query, still percent-encoded */
  path: string;
  query: URLSearchParams;
  /** lower-case names, as node gives them */
  headers: IncomingHttpHeaders;
  /**
   * name, value, name, value ... as the client sent them (case kept, repeats apart): node's
   * `rawHeaders`, for the front door, whose proxy event keeps names as sent
   */
  rawHeaders?: string[];
  body: Buffer;
}

export interface WireResponse {
  status: number;
  /** a list only where a header must repeat as separate lines (Set-Cookie) */
  headers: Record<string, string | string[]>;
  body: Buffer | string;
  /** why a front door answered as it did, for the cloud's request log only; never sent */
  logNote?: string;
}

export interface ParsedCall {
  operation: Operation;
  input: Record<string, unknown>;
}

/** One AWS protocol. Knows no service: it reads the service's operation table. */
export interface ProtocolCodec {
  /**
   * a codec whose encoding library is loaded on first use (RPC v2 CBOR's cbor2): a promise until
   * it is, which the server awaits before parse, serialize or serializeError; undefined once loaded
   */
  ready?(): Promise<undefined> | undefined;
  /** find the operation and decode its input; throws ServiceError for malformed input or unknown operations */
  parse(req: WireRequest, service: ServiceDefinition): ParsedCall;
  serialize(call: ParsedCall, output: unknown, service: ServiceDefinition, requestId: string): WireResponse;
  serializeError(err: ServiceError, service: ServiceDefinition, requestId: string, operation?: Operation): WireResponse;
}

/**
 * Requests that are not AWS API calls but traffic for something the cloud hosts: API Gateway's
 * invoke URLs (`/restapis/{id}/{stage}/_user_request_/...`, `/execute-api/{id}/{stage}/...`).
 * The server asks them before service detection, in order; the API Gateway service implements
 * one, Lambda another (GetFunction's Code.Location downloads).
 */
export interface FrontDoor {
  /** how the request log names what answered (default `front-door`) */
  readonly name?: string;
  /**
   * The protocol of its error answers: a ServiceError that `handle` throws is answered by that
   * protocol's codec, as a service's is (Lambda's code downloads answer as S3 does, in restXml).
   * Without it, a door writes its own answers (API Gateway's front door: its own JSON errors).
   */
  readonly errorProtocol?: Protocol;
  matches(req: WireRequest): boolean;
  /** a synchronous answer costs the server no promise hop */
  handle(req: WireRequest): WireResponse | Promise<WireResponse>;
}
