/**
 * The contract between the Lambda service (API, versions, aliases, concurrency admission) and the
 * execution environments that run function code. The service admits an invocation (or throttles
 * it) before it calls `invoke`; the runner never refuses for concurrency reasons.
 *
 * Modelled on serverless-offline's WorkerThreadRunner `run(event, context)` / `cleanup()`: the
 * function's environment is passed explicitly, never taken from the host's `process.env`.
 */

/** What a version of a function needs to run. A change of any field means a new environment. */
export interface FunctionRunConfig {
  functionName: string;
  /** `$LATEST` or `1`, `2` ... */
  version: string;
  /** unqualified function ARN */
  functionArn: string;
  runtime: string;
  /** `file.export`, e.g. `src/app.handler` */
  handler: string;
  /** folder with the unpacked code package */
  codeDir: string;
  codeSha256: string;
  timeoutSeconds: number;
  memorySizeMB: number;
  /** the function's own variables; the runner adds AWS_REGION, AWS_LAMBDA_* and AWS_ENDPOINT_URL */
  environment: Record<string, string>;
}

/**
 * An event the function's thread builds itself, from parts an in-process caller posts to it: for
 * an event that is large and made per request (API Gateway's proxy event), its JSON text is then
 * never written on the cloud's thread nor parsed on the function's. `builder` is the URL of a
 * module whose `buildEvent(parts)` export makes the event; an environment loads it once.
 */
export interface BuiltEvent {
  readonly builder: string;
  /**
   * structured-cloneable: posted to the function's thread as they are, when an environment is free
   * (after a cold start's init, or an Event's retries): what they reference must not change meanwhile
   */
  readonly parts: readonly unknown[];
  /**
   * the event's size as UTF-8 JSON text in bytes, as far as a limit of `limit` bytes needs it:
   * exact when it exceeds the limit, else any figure within it
   */
  byteLength(limit: number): number;
}

/** the event: raw bytes as the caller sent them, its JSON text when it was already text, or built in the function's thread */
export type EventPayload = Buffer | string | BuiltEvent;

export interface InvokeRequest {
  requestId: string;
  payload: EventPayload;
  /** the ARN the caller used, with the alias or version qualifier when there was one */
  invokedFunctionArn: string;
  /** decoded X-Amz-Client-Context, if any */
  clientContext?: unknown;
  /** Cognito identity of the caller, if any (context.identity) */
  identity?: unknown;
  /** collect the log for LogType=Tail */
  tail: boolean;
}

export interface InvokeResult {
  /**
   * the handler's result or the runtime's error object: JSON text as the worker posted it (kept as
   * text: the front door parses text, and Invoke's answer writes it as UTF-8), or bytes
   */
  payload: Buffer | string;
  /** set when the invocation failed (thrown error, timeout, crash, out of memory) */
  functionError?: 'Unhandled' | 'Handled';
  /** the invocation's log (START/END/REPORT lines included), present when `tail` was asked */
  log?: string;
  durationMs: number;
  billedDurationMs: number;
  /** present on a cold start */
  initDurationMs?: number;
  maxMemoryUsedMB: number;
}

export interface ExecutionEnvironments {
  /** run one invocation on a warm idle environment of that version, or a new one */
  invoke(config: FunctionRunConfig, request: InvokeRequest): Promise<InvokeResult>;
  /** end the environments of a function (or one version of it) */
  retire(functionName: string, version?: string): Promise<void>;
  /** live environments, for tests and status */
  stats(): { environments: number; busy: number; idle: number };
  /** end every environment; used on shutdown */
  shutdown(): Promise<void>;
}
