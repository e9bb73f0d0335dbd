import type { ToWorker } from '../messages.js';
import type { LogCapture } from './console-capture.js';
import { formattedForLog, toErrorDocument } from './errors.js';
import type { HandlerFunction } from './load-handler.js';

/**
 * One invocation with the Node.js runtime's programming model
 * (aws-lambda-nodejs-runtime-interface-client: Runtime.js, CallbackContext.js, InvokeContext.js;
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html, nodejs-context.html):
 *   - an async handler's promise settles the invocation, whatever is still pending;
 *   - `callback(err, result)` settles it once the event loop is empty, or at once when
 *     `context.callbackWaitsForEmptyEventLoop = false`;
 *   - a synchronous handler that never calls back answers `null` when the event loop is empty;
 *   - only the first of callback / succeed / fail / done counts.
 * "The event loop is empty" is Node's own `beforeExit`: while an invocation runs, the worker's
 * message port is unref'd, so the worker's loop drains exactly when the function's work does.
 */

export interface EnvironmentData {
  functionName: string;
  functionVersion: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
}

/**
 * The `context` argument: every member an own enumerable property, as on Lambda. The runtime's
 * `callbackWaitsForEmptyEventLoop` is a getter/setter pair over a variable; a plain data property
 * read when the callback is called behaves the same, and an object literal with accessors costs
 * about 1 µs per invocation to build (it is defined through the runtime, not a boilerplate copy).
 * succeed / fail / done / getRemainingTimeInMillis are own functions: handlers pass them detached.
 */
class InvokeContext {
  callbackWaitsForEmptyEventLoop = true;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly invokedFunctionArn: string;
  readonly awsRequestId: string;
  readonly clientContext: unknown;
  readonly identity: unknown;
  readonly succeed: (result?: unknown) => void;
  readonly fail: (err?: unknown) => void;
  readonly done: (err?: unknown, result?: unknown) => void;
  readonly getRemainingTimeInMillis: () => number;

  constructor(env: EnvironmentData, msg: ToWorker, run: Run) {
    const [requestId, , invokedFunctionArn, deadlineMs, clientContext, identity] = msg;
    this.functionName = env.functionName;
    this.functionVersion = env.functionVersion;
    this.memoryLimitInMB = env.memoryLimitInMB;
    this.logGroupName = env.logGroupName;
    this.logStreamName = env.logStreamName;
    this.invokedFunctionArn = invokedFunctionArn;
    this.awsRequestId = requestId;
    this.clientContext = clientContext === undefined ? undefined : JSON.parse(clientContext);
    this.identity = identity === undefined ? undefined : JSON.parse(identity);
    this.succeed = (result) => run.once() && run.done(null, result);
    this.fail = (err) => run.once() && run.done(err === undefined || err === null ? 'handled' : err, null);
    this.done = (err, result) => run.once() && run.done(err, result);
    this.getRemainingTimeInMillis = () => deadlineMs - Date.now();
  }
}

/** The state of one invocation: who settled it, and how. */
class Run {
  /** set once the context exists: its flag decides how the callback settles */
  context!: InvokeContext;
  /** callback / succeed / fail / done was called (only the first counts) */
  private finished = false;
  /** the result went out (complete may not run twice) */
  private reported = false;

  constructor(
    private readonly invoker: Invoker,
    readonly requestId: string,
  ) {}

  once(): boolean {
    if (this.finished) return false;
    this.finished = true;
    return true;
  }

  callback(err?: unknown, result?: unknown): void {
    this.invoker.onEmptyLoop = undefined;
    if (err !== undefined && err !== null) this.postError(err);
    else if (!this.context.callbackWaitsForEmptyEventLoop) this.complete(result);
    else this.invoker.onEmptyLoop = () => setImmediate(() => this.complete(result));
  }

  done(err: unknown, result?: unknown): void {
    this.invoker.onEmptyLoop = undefined;
    if (err !== undefined && err !== null) this.postError(err);
    else this.complete(result);
  }

  complete(result: unknown): void {
    if (this.reported) {
      console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
      return;
    }
    this.reported = true;
    let body: string;
    try {
      body = JSON.stringify(result === undefined ? null : result);
    } catch {
      const err = new Error('Unable to stringify response body');
      console.error('Invoke Error', formattedForLog(err));
      this.invoker.report(this.requestId, JSON.stringify(toErrorDocument(err)), true);
      return;
    }
    this.invoker.report(this.requestId, body ?? 'null', false);
  }

  postError(err: unknown): void {
    console.error('Invoke Error', formattedForLog(err instanceof Error ? err : new Error(String(err))));
    this.reported = true;
    this.invoker.report(this.requestId, JSON.stringify(toErrorDocument(err)), true);
  }
}

export class Invoker {
  /** what to do when the event loop empties during the current invocation */
  onEmptyLoop: (() => void) | undefined;
  /** the invocation in flight, for errors raised outside the handler's call stack */
  current: { requestId: string } | undefined;

  constructor(
    private readonly handler: HandlerFunction,
    private readonly env: EnvironmentData,
    private readonly log: LogCapture,
    private readonly idle: { unref(): void; ref(): void },
    private readonly finish: (requestId: string, body: string, failed: boolean) => void,
  ) {
    process.on('beforeExit', () => {
      const action = this.onEmptyLoop;
      this.onEmptyLoop = undefined;
      this.idle.ref();
      action?.();
    });
  }

  report(requestId: string, body: string, failed: boolean): void {
    this.onEmptyLoop = undefined;
    this.current = undefined;
    this.idle.ref();
    this.finish(requestId, body, failed);
  }

  run(msg: ToWorker): void {
    const requestId = msg[0];
    this.log.requestId = requestId;
    this.log.collect = msg[6];
    const run = new Run(this, requestId);
    const context = (run.context = new InvokeContext(this.env, msg, run));
    const callback = (err?: unknown, result?: unknown) => {
      if (run.once()) run.callback(err, result);
    };

    this.current = run;
    // A synchronous handler that never calls back answers null once the loop is empty.
    this.onEmptyLoop = () => run.complete(null);
    this.idle.unref();
    try {
      const result = this.handler(JSON.parse(msg[1]), context, callback) as { then?: unknown } | undefined;
      if (result && typeof result.then === 'function') {
        (result as Promise<unknown>).then(context.succeed, context.fail).catch(context.fail);
      }
    } catch (err) {
      callback(err);
    }
  }
}
