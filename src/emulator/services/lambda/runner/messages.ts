/**
 * Messages between an execution environment (main thread) and its worker. One worker serves one
 * invocation at a time, so a request id is enough to pair a result with its invocation.
 * Kept to plain strings and numbers: the structured clone of a string is one copy, while a
 * Buffer sliced from Node's pool would clone its whole 8 KB backing store.
 */

/** What the worker needs to start; passed as `workerData`. */
export interface WorkerBoot {
  codeDir: string;
  handler: string;
  /** send init-phase log lines (a log sink is listening) */
  collectInitLogs: boolean;
  /** the code cache of the runtime's SDK (worker/compile-cache.ts); none: compiled every time */
  compileCache?: CompileCacheBoot;
  /** URLs of the event builders to load with the handler (types.ts: BuiltEvent) */
  eventBuilders: readonly string[];
}

export interface CompileCacheBoot {
  /** where the cached code is kept, one file per module source */
  dir: string;
  /** the lab's node_modules folder: only files below it are cached */
  modulesDir: string;
  /** one Int32, shared by the pool's environments: 1 while one of them writes the cache */
  claim: SharedArrayBuffer;
}

/**
 * The event: JSON text (already validated by the caller), or the URL of the module whose
 * `buildEvent` export makes it and the parts it makes it from (types.ts: BuiltEvent).
 * What the worker was sent with its last built event is not sent again (event-payload.ts):
 * `builder` undefined is the last one's; bit i of `same` set, part i is the string the last one
 * had at i (the part travels as null).
 */
export type EventOfMessage = string | [builder: string | undefined, parts: unknown[], same: number];

/**
 * One invocation, as a tuple: a structured clone of an object writes and reads every property
 * name (the reader looks each one up and walks the object's map transitions), an array of
 * primitives only its values.
 */
export type ToWorker = [
  requestId: string,
  event: EventOfMessage,
  /** undefined: the same as the last invocation's */
  invokedFunctionArn: string | undefined,
  /** epoch ms at which the invocation times out, for getRemainingTimeInMillis() */
  deadlineMs: number,
  /** JSON text of the decoded client context, or undefined */
  clientContext: string | undefined,
  /** JSON text of the Cognito identity, or undefined */
  identity: string | undefined,
  /** send log lines back (tail or a log sink is listening) */
  collectLogs: boolean,
];

/**
 * An invocation's result, sent once per invocation: a tuple for the same reason as ToWorker.
 * `body` is JSON text: the handler's result, or the runtime's error document. `fatal`: the
 * environment cannot serve another invocation (uncaught exception, unhandled rejection).
 */
export type InvokeResultMessage = [requestId: string, body: string, failed: boolean, fatal: boolean, heapUsedMB: number];

export type FromWorker =
  | InvokeResultMessage
  | { t: 'ready' }
  /** the handler could not be loaded: the runtime's error document as JSON text */
  | { t: 'init-error'; error: string; log: string }
  | { t: 'log'; text: string };
