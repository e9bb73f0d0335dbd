import { getOwn } from '../../core/own-key.js';
import { randomUuid } from '../../core/random-ids.js';
import { pickVersion } from './aliases.js';
import { functionArn, parseFunctionRef, type FunctionRef } from './arn.js';
import { invalidRequestContent, requestEntityTooLarge, serviceException, tooManyRequests } from './errors.js';
import { noopMetricsSink, type FunctionConfiguration, type LambdaMetricDatum } from './model.js';
import type { EventPayload, FunctionRunConfig, InvokeResult } from './runner/types.js';
import { functionNotFound, inRegion, requireFunction, resolveConfig, type LambdaCore } from './state.js';
import { INVOKE_FUNCTION_REF, Violations } from './validation.js';

/**
 * Invoke. https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 * "For synchronous invocations, the maximum payload size is 6 MB. For asynchronous invocations, the
 * maximum payload size is 1 MB." (API_Invoke, as of 2025: AWS raised Event from 256 KB to 1 MB in
 * October 2025; the workshop text predates it. Both are configurable through the deps.)
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
export const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
/** the response limit AWS names in `Function.ResponseSizeTooLarge` */
export const RESPONSE_PAYLOAD_LIMIT = 6_291_556;
const LOG_TAIL_BYTES = 4096;
const EMPTY_PAYLOAD = Buffer.alloc(0);
const INVOCATION_TYPES: readonly string[] = ['Event', 'RequestResponse', 'DryRun'];
const LOG_TYPES: readonly string[] = ['None', 'Tail'];

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export interface InvokeInput {
  FunctionName: string;
  Qualifier?: string;
  InvocationType?: string;
  LogType?: string;
  /** base64 JSON (X-Amz-Client-Context) */
  ClientContext?: string;
  /** the event's bytes; from an in-process caller also its JSON text, or an event built in the function's thread */
  Payload?: EventPayload;
}

export interface InvokeOutput {
  StatusCode: number;
  /** the function's answer: its JSON text as the runtime gave it, or bytes; sent as UTF-8 */
  Payload?: Buffer | string;
  ExecutedVersion?: string;
  FunctionError?: string;
  LogResult?: string;
}

export interface PayloadLimits {
  sync: number;
  async: number;
}

/** one invocation, resolved: which function, which version runs, under which ARN it was called */
export interface InvokeTarget {
  functionName: string;
  config: FunctionConfiguration;
  /** the ARN as the caller qualified it (context.invokedFunctionArn) */
  invokedArn: string;
  /** `fn:alias` or `fn:version` when the call was qualified (the metric dimension) */
  resource?: string;
  viaAlias: boolean;
  /** its metric dimensions, once emit has made them */
  dimensions?: InvocationDimensions;
}

type InvocationDimensions = { FunctionName: string; Resource?: string; ExecutedVersion?: string };

/** Synchronous: nothing here awaits, so admission right after it sees the same state. */
export function resolveTarget(core: LambdaCore, functionName: string, qualifier?: string): InvokeTarget {
  const ref = inRegion(core, invokeRef(functionName, qualifier));
  const record = requireFunction(core, ref.name);
  const q = ref.qualifier;
  let config: FunctionConfiguration;
  let viaAlias = false;
  if (q && q !== '$LATEST' && !/^\d+$/.test(q)) {
    const alias = getOwn(record.aliases, q);
    if (!alias) throw functionNotFound(core.scope, ref.name, q);
    config = resolveConfig(core, record, pickVersion(alias, core.random));
    viaAlias = true;
  } else {
    config = resolveConfig(core, record, q);
  }
  return {
    functionName: ref.name,
    config,
    invokedArn: functionArn(core.scope, ref.name, q),
    resource: q ? `${ref.name}:${q}` : undefined,
    viaAlias,
  };
}

/**
 * The references Invoke was called with, parsed and validated (qualifier → name or ARN → ref):
 * callers name the same few functions over and over, and each parse tests Invoke's long ARN
 * pattern. Parsing is pure (the Region check is not, and is made on every call), and only
 * references that passed are kept; the maps are emptied when they grow past a bound, as callers
 * choose the names.
 */
const parsedRefs = new Map<string | undefined, Map<string, FunctionRef>>();
const PARSED_REFS_LIMIT = 1024;

function invokeRef(functionName: string, qualifier: string | undefined): FunctionRef {
  let byName = parsedRefs.get(qualifier);
  let ref = byName?.get(functionName);
  if (ref !== undefined) return ref;
  ref = parseFunctionRef(functionName, qualifier, 'functionName', INVOKE_FUNCTION_REF);
  if (byName === undefined) {
    if (parsedRefs.size >= PARSED_REFS_LIMIT) parsedRefs.clear();
    parsedRefs.set(qualifier, (byName = new Map()));
  }
  if (byName.size >= PARSED_REFS_LIMIT) byName.clear();
  byName.set(functionName, ref);
  return ref;
}

/**
 * `payloadIsJson`: an in-process caller encoded the payload itself (JSON by construction; so is an
 * event built in the function's thread). Answers the event as text once it has been decoded to
 * check it, so it is decoded only once.
 */
export function checkInvokeInput(
  input: InvokeInput,
  limits: PayloadLimits,
  payloadIsJson = false,
): { type: InvocationType; tail: boolean; clientContext?: unknown; payload: EventPayload } {
  // the common case (both valid) builds no Violations
  if (
    (input.InvocationType !== undefined && !INVOCATION_TYPES.includes(input.InvocationType)) ||
    (input.LogType !== undefined && !LOG_TYPES.includes(input.LogType))
  ) {
    new Violations()
      .oneOf(input.InvocationType, 'invocationType', INVOCATION_TYPES)
      .oneOf(input.LogType, 'logType', LOG_TYPES)
      .throwIfAny();
  }
  const type = (input.InvocationType ?? 'RequestResponse') as InvocationType;
  let payload = input.Payload ?? EMPTY_PAYLOAD;
  const size = sizeAgainst(payload, type === 'Event' ? Math.min(limits.async, limits.sync) : limits.sync);
  if (type === 'Event' && size > limits.async) {
    throw requestEntityTooLarge(`${size} byte payload is too large for the Event invocation type (limit ${limits.async} bytes)`);
  }
  if (size > limits.sync) {
    throw requestEntityTooLarge(`Request must be smaller than ${limits.sync} bytes for the InvokeFunction operation`);
  }
  if (!payloadIsJson && (typeof payload === 'string' || Buffer.isBuffer(payload)) && payload.length > 0) {
    try {
      if (typeof payload !== 'string') payload = payload.toString('utf8');
      JSON.parse(payload);
    } catch (err) {
      // Lambda refuses an event that is not JSON before running anything
      throw invalidRequestContent(`Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`);
    }
  }
  let clientContext: unknown;
  if (input.ClientContext) {
    try {
      clientContext = JSON.parse(Buffer.from(input.ClientContext, 'base64').toString('utf8'));
    } catch {
      throw invalidRequestContent('Client context must be a valid Base64-encoded JSON object.');
    }
  }
  return { type, tail: input.LogType === 'Tail', clientContext, payload };
}

/**
 * One run config per configuration revision: the same object every time, so the runner's own
 * per-config caches (its environment key) hold, and nothing is rebuilt per invocation. Configurations
 * are replaced, not edited, on every change (and get a new RevisionId); the revision check guards
 * against an edit in place all the same.
 */
const runConfigs = new WeakMap<FunctionConfiguration, { revisionId: string; run: FunctionRunConfig }>();

export function runConfigOf(core: LambdaCore, config: FunctionConfiguration): FunctionRunConfig {
  const cached = runConfigs.get(config);
  if (cached && cached.revisionId === config.RevisionId) return cached.run;
  const run = buildRunConfig(core, config);
  runConfigs.set(config, { revisionId: config.RevisionId, run });
  return run;
}

function buildRunConfig(core: LambdaCore, config: FunctionConfiguration): FunctionRunConfig {
  return {
    functionName: config.FunctionName,
    version: config.Version,
    functionArn: functionArn(core.scope, config.FunctionName),
    runtime: config.Runtime,
    handler: config.Handler,
    codeDir: core.code.dirOf(config.CodeSha256),
    codeSha256: config.CodeSha256,
    timeoutSeconds: config.Timeout,
    memorySizeMB: config.MemorySize,
    environment: { ...(config.Environment?.Variables ?? {}) },
  };
}

/**
 * One point on the invocation's series. `timestamp` is when the function was invoked, also for
 * Errors and Duration, which are known only at the end: "The timestamp on a metric reflects when
 * the function was invoked" (monitoring-metrics-types.html).
 */
export function emit(core: LambdaCore, target: InvokeTarget, metricName: LambdaMetricDatum['metricName'], value: number, timestamp: number): void {
  if (core.metrics === noopMetricsSink) return; // build no datum for nobody
  try {
    core.metrics.record({
      metricName,
      value,
      unit: metricName === 'Duration' ? 'Milliseconds' : 'Count',
      timestamp,
      dimensions: (target.dimensions ??= dimensionsOf(target)),
    });
  } catch {
    // a metrics sink never fails an invocation
  }
}

/** the invocation's dimensions, made once for its five points (sinks only read them) */
function dimensionsOf(target: InvokeTarget): InvocationDimensions {
  const d: InvocationDimensions = { FunctionName: target.functionName };
  if (target.resource) d.Resource = target.resource;
  if (target.viaAlias) d.ExecutedVersion = target.config.Version;
  return d;
}

/** ConcurrentExecutions with no dimension: "across ... AWS Region" (monitoring-metrics-types.html) */
function emitAccountConcurrency(core: LambdaCore, value: number, timestamp: number): void {
  if (core.metrics === noopMetricsSink) return;
  try {
    core.metrics.record({ metricName: 'ConcurrentExecutions', value, unit: 'Count', timestamp, dimensions: {} });
  } catch {
    // a metrics sink never fails an invocation
  }
}

type AdmittedRequest = { requestId: string; payload: EventPayload; tail: boolean; clientContext?: unknown };

/**
 * Admit (synchronously, no await before the count is taken), run, release. Throws the 429 when the
 * function's reserved concurrency or the unreserved pool is used up. `answer` shapes the result in
 * the same continuation that releases the permit and records the end's metrics (one promise hop
 * between the runner and the caller, not one per layer).
 */
export function runAdmitted(core: LambdaCore, target: InvokeTarget, request: AdmittedRequest, retryAfterSeconds: number): Promise<InvokeResult>;
export function runAdmitted<T>(
  core: LambdaCore,
  target: InvokeTarget,
  request: AdmittedRequest,
  retryAfterSeconds: number,
  answer: (result: InvokeResult) => T,
): Promise<T>;
export function runAdmitted<T>(
  core: LambdaCore,
  target: InvokeTarget,
  request: AdmittedRequest,
  retryAfterSeconds: number,
  answer?: (result: InvokeResult) => T,
): Promise<T | InvokeResult> {
  const admission = core.concurrency.admit(target.functionName);
  const invokedAt = core.clock.now();
  if (!admission.ok) {
    emit(core, target, 'Throttles', 1, invokedAt);
    throw tooManyRequests(admission.reason, retryAfterSeconds);
  }
  emit(core, target, 'ConcurrentExecutions', admission.inFlight, invokedAt);
  emitAccountConcurrency(core, core.concurrency.inFlightTotal(), invokedAt);
  emit(core, target, 'Invocations', 1, invokedAt);
  const permit = admission.permit;
  let running: Promise<InvokeResult>;
  try {
    running = core.runner.invoke(runConfigOf(core, target.config), {
      requestId: request.requestId,
      payload: request.payload,
      invokedFunctionArn: target.invokedArn,
      clientContext: request.clientContext,
      tail: request.tail,
    });
  } catch (err) {
    running = Promise.reject(err);
  }
  return running.then(
    (result) => {
      permit.release();
      emit(core, target, 'Duration', result.durationMs, invokedAt);
      // Errors is published for every invocation that ran, 0 when it succeeded (its Sum counts the
      // failures, its SampleCount the invocations), so an error alarm sees healthy minutes as such
      emit(core, target, 'Errors', result.functionError ? 1 : 0, invokedAt);
      return answer ? answer(result) : result;
    },
    () => {
      permit.release();
      emit(core, target, 'Errors', 1, invokedAt);
      throw serviceException('The AWS Lambda service encountered an internal error.');
    },
  );
}

/**
 * The payload's size in bytes as far as a limit of `limit` bytes or more needs it: bytes as they
 * are; a text in UTF-8 is at most 3 bytes per UTF-16 unit, so only one that could exceed `limit`
 * is measured (a shorter one's length, in units, is below any such limit all the same); a built
 * event measures itself the same way.
 */
function sizeAgainst(payload: EventPayload, limit: number): number {
  if (typeof payload === 'string') return payload.length * 3 > limit ? Buffer.byteLength(payload) : payload.length;
  return Buffer.isBuffer(payload) ? payload.length : payload.byteLength(limit);
}

/**
 * RequestResponse, its output shaped by `answer`. Throws the 429 synchronously, as runAdmitted does
 * (backend.invoke rejects with it).
 */
export function invokeSync<T>(
  core: LambdaCore,
  target: InvokeTarget,
  request: { requestId?: string; payload: EventPayload; tail: boolean; clientContext?: unknown },
  retryAfterSeconds: number,
  answer: (out: InvokeOutput) => T,
): Promise<T> {
  const admitted: AdmittedRequest = {
    requestId: request.requestId ?? randomUuid(),
    payload: request.payload,
    tail: request.tail,
    clientContext: request.clientContext,
  };
  return runAdmitted(core, target, admitted, retryAfterSeconds, (result) => answer(syncOutput(target, request.tail, result)));
}

/** the RequestResponse answer to a finished invocation */
function syncOutput(target: InvokeTarget, tail: boolean, result: InvokeResult): InvokeOutput {
  let payload = result.payload;
  let functionError = result.functionError;
  if (sizeAgainst(payload, RESPONSE_PAYLOAD_LIMIT) > RESPONSE_PAYLOAD_LIMIT) {
    // what Lambda answers when a function returns more than the response quota
    functionError = 'Unhandled';
    payload = Buffer.from(
      JSON.stringify({
        errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_PAYLOAD_LIMIT} bytes).`,
        errorType: 'Function.ResponseSizeTooLarge',
      }),
    );
  }
  const out: InvokeOutput = { StatusCode: 200, Payload: payload, ExecutedVersion: target.config.Version };
  if (functionError) out.FunctionError = functionError;
  if (tail && result.log !== undefined) {
    const log = Buffer.from(result.log, 'utf8');
    out.LogResult = log.subarray(Math.max(0, log.length - LOG_TAIL_BYTES)).toString('base64');
  }
  return out;
}
