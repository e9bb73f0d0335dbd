import type { InvokeResultMessage, ToWorker } from '../messages.js';
import type { LogCapture } from './console-capture.js';
import { eventBuilder, loadEventBuilder, type BuildEvent } from './event-builders.js';
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
 * The members are `declare`d and set in the constructor, in the order Lambda's context lists them:
 * a class field declaration would define each one as undefined first (an initializer call and 14
 * defines per invocation, in a worker whose code is rarely optimized).
 */
class InvokeContext {
  declare callbackWaitsForEmptyEventLoop: boolean;
  declare readonly functionName: string;
  declare readonly functionVersion: string;
  declare readonly memoryLimitInMB: string;
  declare readonly logGroupName: string;
  declare readonly logStreamName: string;
  declare readonly invokedFunctionArn: string;
  declare readonly awsRequestId: string;
  declare readonly clientContext: unknown;
  declare readonly identity: unknown;
  declare readonly succeed: (result?: unknown) => void;
  declare readonly fail: (err?: unknown) => void;
  declare readonly done: (err?: unknown, result?: unknown) => void;
  declare readonly getRemainingTimeInMillis: () => number;

  constructor(
    env: EnvironmentData,
    msg: ToWorker,
    succeed: (result?: unknown) => void,
    fail: (err?: unknown) => void,
    done: (err?: unknown, result?: unknown) => void,
    getRemainingTimeInMillis: () => number,
  ) {
    this.callbackWaitsForEmptyEventLoop = true;
    this.functionName = env.functionName;
    this.functionVersion = env.functionVersion;
    this.memoryLimitInMB = env.memoryLimitInMB;
    this.logGroupName = env.logGroupName;
    this.logStreamName = env.logStreamName;
    this.invokedFunctionArn = msg[2]!;
    this.awsRequestId = msg[0];
    this.clientContext = msg[4] === undefined ? undefined : JSON.parse(msg[4]);
    this.identity = msg[5] === undefined ? undefined : JSON.parse(msg[5]);
    this.succeed = succeed;
    this.fail = fail;
    this.done = done;
    this.getRemainingTimeInMillis = getRemainingTimeInMillis;
  }
}

/**
 * What an invocation still waits for when the event loop empties: `answer-null` for a synchronous
 * handler that never called back, `answer-result` after callback(null, result) with
 * callbackWaitsForEmptyEventLoop.
 */
type OnEmptyLoop = 'nothing' | 'answer-null' | 'answer-result';

/**
 * The state of one invocation: who settled it, and how. The worker's code runs a few dozen times
 * per environment in a learner's load test, mostly before V8 optimizes it, and each environment's
 * memory is cold when its next invocation comes (50 environments take turns): so an invocation
 * makes few objects and few calls (no closure per pending action, one call from `succeed` to the
 * message out). Its members are `declare`d and set in the constructor, as the context's are.
 */
class Run {
  /** set once the context exists: its flag decides how the callback settles */
  declare context: InvokeContext;
  declare onEmptyLoop: OnEmptyLoop;
  /** the callback's result, kept for `answer-result` */
  declare result: unknown;
  /** callback / succeed / fail / done was called (only the first counts) */
  private declare finished: boolean;
  /** the result went out (complete may not run twice) */
  private declare reported: boolean;
  private declare readonly invoker: Invoker;
  declare readonly requestId: string;

  constructor(invoker: Invoker, requestId: string) {
    this.invoker = invoker;
    this.requestId = requestId;
    this.context = undefined as unknown as InvokeContext;
    this.onEmptyLoop = 'answer-null';
    this.result = undefined;
    this.finished = false;
    this.reported = false;
  }

  callback(err?: unknown, result?: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.onEmptyLoop = 'nothing';
    if (err !== undefined && err !== null) this.postError(err);
    else if (!this.context.callbackWaitsForEmptyEventLoop) this.complete(result);
    else {
      this.result = result;
      this.onEmptyLoop = 'answer-result';
    }
  }

  /** succeed / fail / done */
  done(err: unknown, result?: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.onEmptyLoop = 'nothing';
    if (err !== undefined && err !== null) this.postError(err);
    else this.complete(result);
  }

  /** the event loop is empty (`beforeExit`) */
  emptyLoop(): void {
    const action = this.onEmptyLoop;
    this.onEmptyLoop = 'nothing';
    if (action === 'answer-null') this.complete(null);
    else if (action === 'answer-result') setImmediate(() => this.complete(this.result));
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
      this.invoker.report(this, JSON.stringify(toErrorDocument(err)), true);
      return;
    }
    this.invoker.report(this, body ?? 'null', false);
  }

  postError(err: unknown): void {
    console.error('Invoke Error', formattedForLog(asError(err)));
    this.reported = true;
    this.invoker.report(this, JSON.stringify(toErrorDocument(err)), true);
  }
}

/**
 * A thrown or rejected value as an Error for the log line. A value that cannot be made a string
 * (`Object.create(null)`, a throwing toString) gets the message of the error document the runtime
 * answers for it; the String() that threw here left the invocation unanswered until its timeout.
 */
function asError(err: unknown): Error {
  if (err instanceof Error) return err;
  try {
    return new Error(String(err));
  } catch {
    return new Error(toErrorDocument(err).errorMessage);
  }
}

/** The worker's side of the channel to its execution environment (its parentPort). */
export interface EnvironmentPort {
  postMessage(msg: InvokeResultMessage): void;
  ref(): void;
  unref(): void;
}

/**
 * Invocations between two readings of Max Memory Used while no log is collected. Not a clock
 * (it was every 100 ms): Date.now() and the call to the sampler, per invocation, cost about 1 µs of a
 * cold worker's time, for a figure that then appears in no REPORT line.
 */
const HEAP_SAMPLE_EVERY = 64;

export class Invoker {
  /** the invocation in flight, for errors raised outside the handler's call stack */
  current: Run | undefined;
  /** Max Memory Used at the last reading */
  private heapMB = 0;
  /** invocations until the next reading while no log is collected (the first one reads it) */
  private heapSampleIn = 1;
  /**
   * The last built event's builder and parts, and the last ARN: the environment does not send
   * again what is the same (event-payload.ts: eventOfMessage)
   */
  private keptBuilder = '';
  private keptParts: unknown[] = [];
  private keptArn = '';

  constructor(
    private readonly handler: HandlerFunction,
    private readonly env: EnvironmentData,
    private readonly log: LogCapture,
    /** unref'd while an invocation runs, so the loop drains exactly when the function's work does */
    private readonly port: EnvironmentPort,
    /** Max Memory Used so far (reads the heap statistics) */
    private readonly heapUsedMB: () => number,
    /** once, after the first answer went out (the code cache is written then) */
    private afterFirstAnswer?: () => void,
  ) {
    process.on('beforeExit', () => {
      this.port.ref();
      this.current?.emptyLoop();
    });
  }

  report(run: Run, body: string, failed: boolean): void {
    run.onEmptyLoop = 'nothing';
    if (this.current === run) this.current = undefined;
    if (this.log.collect || --this.heapSampleIn === 0) {
      this.heapMB = this.heapUsedMB();
      this.heapSampleIn = HEAP_SAMPLE_EVERY;
    }
    this.port.ref();
    this.port.postMessage([run.requestId, body, failed, false, this.heapMB]);
    if (this.afterFirstAnswer) {
      const then = this.afterFirstAnswer;
      this.afterFirstAnswer = undefined;
      then();
    }
  }

  /**
   * A built event's builder and parts whole again, from what was kept of the last one; kept in turn.
   * A map (headers, query, stage variables) is the handler's own to change: what is kept of one is a
   * copy, and each invocation that is sent no map of its own gets a copy of the kept one.
   */
  private restore(event: Exclude<ToWorker[1], string>): void {
    const parts = event[1];
    let same = 0;
    if (event[0] === undefined) {
      event[0] = this.keptBuilder;
      same = event[2];
    } else {
      this.keptBuilder = event[0];
      this.keptParts = new Array<unknown>(parts.length);
    }
    const kept = this.keptParts;
    for (let i = 0; i < parts.length; i++) {
      if (i < 31 && ((same >>> i) & 1) !== 0) {
        const part = kept[i];
        parts[i] = typeof part === 'object' && part !== null ? copyMap(part as Record<string, unknown>) : part;
      } else {
        const part = parts[i];
        kept[i] = typeof part === 'object' && part !== null ? copyMap(part as Record<string, unknown>) : part;
      }
    }
  }

  run(msg: ToWorker): void {
    const event = msg[1];
    let build: BuildEvent | undefined;
    if (msg[2] === undefined) msg[2] = this.keptArn;
    else this.keptArn = msg[2];
    if (typeof event !== 'string') {
      this.restore(event);
      build = eventBuilder(event[0]!);
      if (build === undefined) {
        // the first event of this builder: it runs once the module is loaded (the port stays
        // ref'd meanwhile, as between invocations)
        void loadEventBuilder(event[0]!).then(() => this.run(msg));
        return;
      }
    }
    const run = new Run(this, msg[0]);
    const deadlineMs = msg[3];
    // What V8 compiles in each environment's isolate (50 of them under a learner's load test, each
    // tiering up on its own share of the traffic) is what the first seconds of a load test pay for:
    // - `succeed`, which settles every async handler's invocation, is `run.done` bound to it: an
    //   arrow calling done was one more function for TurboFan, with done, complete and report
    //   compiled into it a second time, once more per isolate; a bound function is not compiled.
    //   (Its name reads `bound done`; on Lambda succeed, fail and done are anonymous wrappers, as
    //   done and the callback are here: those two run only for handlers that call them.)
    // - the event is built by `build.call(...)`, which V8 11 (Node 20) does not inline: the builder
    //   is compiled on its own anyway (it gets hot before `run` does), and compiled into `run` too
    //   it was 40 % of `run`'s compilation.
    // Together: 8.6 → 5.6 MB of TurboFan's working memory per isolate for this code (--turbo-stats).
    // Functions made here are made in one scope, and passed in: V8 allocates a function literal
    // assigned straight to a property (`this.succeed = () => ...`) in the old generation, by a
    // runtime call, taking it for a method defined once; four per invocation then filled every
    // environment's old space.
    const succeed: (result?: unknown) => void = run.done.bind(run, null);
    const fail = (err?: unknown) => run.done(err === undefined || err === null ? 'handled' : err, null);
    const context = new InvokeContext(
      this.env,
      msg,
      succeed,
      fail,
      (err?: unknown, result?: unknown) => run.done(err, result),
      () => deadlineMs - Date.now(),
    );
    run.context = context;
    this.log.requestId = msg[0];
    this.log.collect = msg[6];
    this.current = run;
    this.port.unref();
    try {
      const result = this.handler(typeof event === 'string' ? JSON.parse(event) : build!.call(undefined, event[1]), context, (err?: unknown, result?: unknown) => run.callback(err, result)) as
        | { then?: unknown }
        | undefined;
      // As the runtime does (Runtime.js): succeed and fail are read from the context once the
      // handler has returned, so a handler (or a wrapper) that replaced them is honoured; the catch
      // ends a throw from them with fail
      if (result && typeof result.then === 'function') {
        (result as Promise<unknown>).then(context.succeed, context.fail).catch(context.fail);
      }
    } catch (err) {
      run.callback(err);
    }
  }
}

/** a map of strings or lists of strings, and its lists, copied (a spread defines `__proto__` as an own key) */
function copyMap(map: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...map };
  const names = Object.keys(copy);
  for (let i = 0; i < names.length; i++) {
    const value = copy[names[i]];
    if (Array.isArray(value)) copy[names[i]] = value.slice();
  }
  return copy;
}
