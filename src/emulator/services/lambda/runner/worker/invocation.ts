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

export interface Outcome {
  body: string;
  failed: boolean;
}

export class Invoker {
  /** what to do when the event loop empties during the current invocation */
  private onEmptyLoop: (() => void) | undefined;
  /** the invocation in flight, for errors raised outside the handler's call stack */
  current: { requestId: string } | undefined;

  constructor(
    private readonly handler: HandlerFunction,
    private readonly env: EnvironmentData,
    private readonly log: LogCapture,
    private readonly idle: { unref(): void; ref(): void },
    private readonly finish: (requestId: string, outcome: Outcome) => void,
  ) {
    process.on('beforeExit', () => {
      const action = this.onEmptyLoop;
      this.onEmptyLoop = undefined;
      this.idle.ref();
      action?.();
    });
  }

  run(msg: Extract<ToWorker, { t: 'invoke' }>): void {
    const { requestId, deadlineMs } = msg;
    this.log.requestId = requestId;
    this.log.collect = msg.collectLogs;

    let reported = false;
    const report = (outcome: Outcome) => {
      this.onEmptyLoop = undefined;
      this.current = undefined;
      this.idle.ref();
      this.finish(requestId, outcome);
    };
    const complete = (result: unknown) => {
      if (reported) {
        console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
        return;
      }
      reported = true;
      let body: string;
      try {
        body = JSON.stringify(result === undefined ? null : result);
      } catch {
        const err = new Error('Unable to stringify response body');
        console.error('Invoke Error', formattedForLog(err));
        report({ body: JSON.stringify(toErrorDocument(err)), failed: true });
        return;
      }
      report({ body: body ?? 'null', failed: false });
    };
    const postError = (err: unknown) => {
      console.error('Invoke Error', formattedForLog(err instanceof Error ? err : new Error(String(err))));
      reported = true;
      report({ body: JSON.stringify(toErrorDocument(err)), failed: true });
    };

    let waitForEmptyEventLoop = true;
    let finished = false;
    const once =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A) => {
        if (finished) return;
        finished = true;
        fn(...args);
      };
    const done = (err: unknown, result?: unknown) => {
      this.onEmptyLoop = undefined;
      if (err !== undefined && err !== null) postError(err);
      else complete(result);
    };
    const callback = once((err?: unknown, result?: unknown) => {
      this.onEmptyLoop = undefined;
      if (err !== undefined && err !== null) postError(err);
      else if (!waitForEmptyEventLoop) complete(result);
      else this.onEmptyLoop = () => setImmediate(() => complete(result));
    });
    const succeed = once((result?: unknown) => done(null, result));
    const fail = once((err?: unknown) => done(err === undefined || err === null ? 'handled' : err, null));

    const context = {
      get callbackWaitsForEmptyEventLoop() {
        return waitForEmptyEventLoop;
      },
      set callbackWaitsForEmptyEventLoop(value: boolean) {
        waitForEmptyEventLoop = value;
      },
      succeed,
      fail,
      done: once(done),
      functionName: this.env.functionName,
      functionVersion: this.env.functionVersion,
      memoryLimitInMB: this.env.memoryLimitInMB,
      logGroupName: this.env.logGroupName,
      logStreamName: this.env.logStreamName,
      invokedFunctionArn: msg.invokedFunctionArn,
      awsRequestId: requestId,
      clientContext: msg.clientContext === undefined ? undefined : JSON.parse(msg.clientContext),
      identity: msg.identity === undefined ? undefined : JSON.parse(msg.identity),
      getRemainingTimeInMillis: () => deadlineMs - Date.now(),
    };

    this.current = { requestId };
    // A synchronous handler that never calls back answers null once the loop is empty.
    this.onEmptyLoop = () => complete(null);
    this.idle.unref();
    try {
      const result = this.handler(JSON.parse(msg.event), context, callback) as { then?: unknown } | undefined;
      if (result && typeof result.then === 'function') {
        (result as Promise<unknown>).then(succeed, fail).catch(fail);
      }
    } catch (err) {
      callback(err);
    }
  }
}
