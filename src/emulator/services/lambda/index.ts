import type { ServiceDefinition } from '../../core/service.js';
import { LambdaBackend, type LambdaDeps } from './backend.js';
import type { InvocationType, InvokeOutput } from './invoke.js';
import { lambdaOperations } from './routes.js';
import { serviceException } from './errors.js';
import { ConcurrencyDoor } from './concurrency-door.js';
import { CodeLocationDoor } from './code-location.js';
import type { FrontDoor } from '../../protocols/types.js';
import type { BuiltEvent } from './runner/types.js';

export { LambdaBackend, type LambdaDeps } from './backend.js';
export type { CodeSource, LambdaMetricDatum, LambdaMetricName, LambdaMetricsSink, FunctionConfiguration, AliasConfiguration } from './model.js';
export { noopMetricsSink } from './model.js';
export { pickVersion } from './aliases.js';
export type { InvocationType } from './invoke.js';
export { LAMBDA_ROUTES } from './routes.js';

/** What API Gateway (and any other in-process caller) sends to Lambda. */
export interface InvokeFunctionRequest {
  /** a name, name:qualifier, partial or full ARN */
  functionName: string;
  qualifier?: string;
  /** raw event bytes; a string is taken as UTF-8 JSON text; anything else is JSON-encoded */
  payload?: Buffer | Uint8Array | string | object;
  /** an event the function's thread builds from its parts, in place of `payload` */
  event?: BuiltEvent;
  /** default RequestResponse */
  invocationType?: InvocationType;
  logType?: 'None' | 'Tail';
  /** base64 JSON, as X-Amz-Client-Context */
  clientContext?: string;
  requestId?: string;
}

export interface InvokeFunctionResult {
  /** 200, 202 (Event) or 204 (DryRun) */
  statusCode: number;
  /** the function's answer: JSON text as the runtime gave it, or bytes */
  payload: Buffer | string;
  /** set when the function failed (thrown error, timeout, crash, out of memory, oversized response) */
  functionError?: string;
  executedVersion?: string;
  /** base64 of the last 4 KB of the log, with logType Tail */
  logResult?: string;
}

/**
 * In-process Invoke for other emulated services. Throws ServiceError as the HTTP API would answer it:
 * TooManyRequestsException (429) when throttled, ResourceNotFoundException (404), ... API Gateway
 * maps those to its own answers.
 */
export type InvokeFunction = (request: InvokeFunctionRequest) => Promise<InvokeFunctionResult>;

export interface LambdaService {
  definition: ServiceDefinition;
  backend: LambdaBackend;
  invokeFunction: InvokeFunction;
  /** the same, shaped as API Gateway's `LambdaInvoker` ({ invoke(call) }) */
  invoker: { invoke: InvokeFunction };
  /** serves GetFunction's Code.Location (the deployment package download) */
  codeDownload: FrontDoor;
  /** `GET /_lab/lambda/concurrency`: in-flight and peak executions beside their limits */
  concurrencyDoor: FrontDoor;
  /** stop queued Event retries; the runner is shut down by whoever created it */
  close(): void;
}

/** an object or array that toPayload JSON-encodes (not bytes, not text) */
function isPlainPayload(payload: InvokeFunctionRequest['payload']): boolean {
  return payload !== undefined && typeof payload === 'object' && !(payload instanceof Uint8Array);
}

/** the event as Invoke takes it: bytes, or text as it is (the runtime hands text to the function) */
function toPayload(payload: InvokeFunctionRequest['payload']): Buffer | string {
  if (payload === undefined) return EMPTY;
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  return JSON.stringify(payload);
}

const EMPTY = Buffer.alloc(0);

function invokeFunctionResult(out: InvokeOutput): InvokeFunctionResult {
  const result: InvokeFunctionResult = { statusCode: out.StatusCode, payload: out.Payload ?? EMPTY };
  if (out.FunctionError) result.functionError = out.FunctionError;
  if (out.ExecutedVersion) result.executedVersion = out.ExecutedVersion;
  if (out.LogResult) result.logResult = out.LogResult;
  return result;
}

export function createLambdaService(deps: LambdaDeps): LambdaService {
  const backend = new LambdaBackend(deps);
  const definition: ServiceDefinition = {
    id: 'lambda',
    signingName: 'lambda',
    protocols: ['restJson1'],
    operations: lambdaOperations(backend),
    // "ServiceException: The AWS Lambda service encountered an internal error." (500, every operation)
    storeFailure: (cause) => serviceException(`The AWS Lambda service encountered an internal error. ${cause.message}`),
  };
  // no async wrapper and no reaction of its own: backend.invoke shapes the result in its continuation
  const invokeFunction: InvokeFunction = (request) =>
    backend.invoke(
      {
        FunctionName: request.functionName,
        Qualifier: request.qualifier,
        InvocationType: request.invocationType,
        LogType: request.logType,
        ClientContext: request.clientContext,
        Payload: request.event ?? toPayload(request.payload),
        requestId: request.requestId,
        // an object payload is JSON by construction: Invoke's "is the event JSON?" check (a full
        // parse, repeated by the runtime) is skipped
        payloadIsJson: isPlainPayload(request.payload),
      },
      invokeFunctionResult,
    );
  return {
    definition,
    backend,
    invokeFunction,
    invoker: { invoke: invokeFunction },
    codeDownload: new CodeLocationDoor(backend.core),
    concurrencyDoor: new ConcurrencyDoor(backend),
    close: () => backend.close(),
  };
}
