import { Worker } from 'node:worker_threads';
import { billedDuration, endLine, initReportLine, platformLine, reportLine, startLine } from './log-lines.js';
import { errorBytes, exitError, INIT_TIMEOUT_SECONDS, outOfMemoryError, timeoutError, timeoutMessage } from './lambda-errors.js';
import { eventOfMessage, type SentEvent } from './event-payload.js';
import { functionEnvironment, heapLimits, newLogStreamName, type EnvironmentSettings } from './function-environment.js';
import type { CompileCacheBoot, FromWorker, InvokeResultMessage, ToWorker, WorkerBoot } from './messages.js';
import { Deadlines, type Deadline } from '../../../core/deadlines.js';
import type { FunctionRunConfig, InvokeRequest, InvokeResult } from './types.js';

/**
 * One execution environment: one worker thread that serves one invocation at a time
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). It dies when
 * the invocation times out (the worker is terminated), when the function exits, crashes or runs
 * out of heap, and when the pool reaps or retires it; it never serves another invocation then.
 */

const BOOTSTRAP = new URL('./worker/bootstrap.js', import.meta.url);

export interface LogEntry {
  functionName: string;
  version: string;
  logStreamName: string;
  /** one or more complete lines, each ending with a newline */
  text: string;
}

export interface EnvironmentOptions extends EnvironmentSettings {
  logSink?: (entry: LogEntry) => void;
  /** where invocation timeouts are kept (the pool shares one timer among its environments) */
  deadlines?: Deadlines;
  /** called once when the worker has exited, whatever the reason */
  onExit: (env: ExecutionEnvironment) => void;
  /**
   * called when an invocation's result leaves the environment idle, before the invocation's promise
   * settles: the pool takes it back in the same turn, so its caller needs no continuation of its own
   */
  onIdle?: (env: ExecutionEnvironment) => void;
  /** the code cache of the runtime's SDK, shared by the pool's environments */
  compileCache?: CompileCacheBoot;
  /** event builders to load in the init phase (pool.ts: WorkerPoolOptions) */
  eventBuilders?: readonly string[];
}

/**
 * `stillInitializing`: the init phase ran out of time and the function's init goes on inside the
 * invoke phase (see onInitLimit); the invocation waits for it under the function's own timeout.
 */
type InitOutcome = { ok: true; initDurationMs: number; stillInitializing?: true } | { ok: false; initDurationMs: number; error: Buffer };

interface Pending {
  requestId: string;
  started: number;
  deadline: Deadline;
  /** the invocation's log lines, when a tail was asked or a sink listens */
  log: string[] | undefined;
  tail: boolean;
  initDurationMs: number | undefined;
  resolve: (result: InvokeResult | PromiseLike<InvokeResult>) => void;
}

export class ExecutionEnvironment {
  readonly worker: Worker;
  readonly logStreamName: string;
  readonly ready: Promise<InitOutcome>;
  state: 'init' | 'idle' | 'busy' | 'dead' = 'init';
  /** set by the pool: end after the current invocation instead of going back to idle */
  retired = false;
  /** set by the pool when the environment goes idle (on the pool's deadline clock): it is reaped idleTimeoutMs later */
  idleSince = 0;
  exited: Promise<void>;

  private pending: Pending | undefined;
  private maxMemoryUsedMB = 0;
  private outOfMemory = false;
  private initLog: string[] = [];
  private settleInit!: (outcome: InitOutcome) => void;
  /** the init phase has ended: ready, past its limit, or failed (settleInit was called) */
  private initEnded = false;
  /** when the worker was created: the init phase (runtime start and the function's init) counts from here */
  private readonly started = performance.now();
  /** the same moment on the deadlines' clock, which the init limit counts on */
  private readonly startedOnClock: number;
  private initLimitMs = 0;
  private initDeadline: Deadline | undefined;
  /** the first invocation's message, held until an init that outran its limit is done */
  private held: { msg: ToWorker; payload: InvokeRequest['payload']; arn: string } | undefined;
  private readonly sink: ((text: string) => void) | undefined;
  private readonly deadlines: Deadlines;
  private readonly onIdle: ((env: ExecutionEnvironment) => void) | undefined;
  /** the last built event and ARN the worker was sent: it keeps them, and what is the same is not sent again */
  private sentEvent: SentEvent | undefined;
  private sentArn: string | undefined;

  constructor(
    readonly key: string,
    readonly config: FunctionRunConfig,
    options: EnvironmentOptions,
  ) {
    this.logStreamName = newLogStreamName(config.version);
    this.deadlines = options.deadlines ?? new Deadlines();
    this.startedOnClock = this.deadlines.now();
    this.onIdle = options.onIdle;
    const sink = options.logSink;
    this.sink = sink
      ? (text) => sink({ functionName: config.functionName, version: config.version, logStreamName: this.logStreamName, text })
      : undefined;
    this.ready = new Promise((resolve) => (this.settleInit = (o) => {
      this.initEnded = true;
      resolve(o);
    }));
    const boot: WorkerBoot = {
      codeDir: config.codeDir,
      handler: config.handler,
      collectInitLogs: true,
      compileCache: options.compileCache,
      eventBuilders: options.eventBuilders ?? [],
    };
    this.worker = new Worker(BOOTSTRAP, {
      env: functionEnvironment(config, this.logStreamName, options),
      workerData: boot,
      resourceLimits: heapLimits(config.memorySizeMB),
      execArgv: [],
      argv: [],
      stdout: true,
      stderr: true,
      name: `lambda ${config.functionName}:${config.version}`,
    });
    this.worker.stdout.on('data', (chunk: Buffer) => this.onLog(chunk.toString('utf8')));
    this.worker.stderr.on('data', (chunk: Buffer) => this.onLog(chunk.toString('utf8')));
    this.worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    this.worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') this.outOfMemory = true;
      // the runtime itself failed (the function's own errors are caught inside the worker)
      else this.onLog(`${err.stack ?? String(err)}\n`);
    });
    this.extendInitLimit(INIT_TIMEOUT_SECONDS * 1000);
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.deadlines.cancel(this.initDeadline);
        this.onExit(code);
        options.onExit(this);
        resolve();
      }),
    );
    void this.ready.then(() => this.deadlines.cancel(this.initDeadline));
  }

  /**
   * The init phase ends with a timeout once `limitMs` have passed since the worker was created;
   * the pool extends it (never shortens it) while many environments share the cores (see initLimitMs).
   */
  extendInitLimit(limitMs: number): void {
    if (this.state !== 'init' || limitMs <= this.initLimitMs) return;
    this.initLimitMs = limitMs;
    this.deadlines.cancel(this.initDeadline);
    this.initDeadline = this.deadlines.add(this.startedOnClock + limitMs - this.deadlines.now(), () => this.onInitLimit());
  }

  /**
   * "The Init phase is limited to 10 seconds. If all three tasks do not complete within 10 seconds,
   * Lambda retries the Init phase at the time of the first function invocation with the configured
   * function timeout." (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html,
   * "Init phase"). So an init that outlives its limit does not fail the invocation waiting for it:
   * the invoke phase starts now, under the function's Timeout, and its Duration counts the rest of
   * the init. Lambda starts that init again; here the worker's init goes on (same code, same
   * environment, and no CPU thrown away on a busy host). A cold invocation so answers within the
   * init limit plus the function's Timeout; before, it waited for the init however long the
   * (scaled) limit had grown, and failed with a Duration of the whole init (160 s against 10 s).
   *
   * The log says so as Lambda does, `INIT_REPORT Init Duration: 10000.00 ms  Phase: init  Status:
   * timeout` (log-lines.ts, initReportLine), with the time the init had when the limit that applied
   * here ended it: 10 s, or the scaled limit (up to 60 s). It said `Task timed out after 10.00
   * seconds` before, the invocation timeout's text, even when the invocation then answered.
   */
  private onInitLimit(): void {
    if (this.state !== 'init') return;
    const initMs = this.deadlines.now() - this.startedOnClock;
    this.initLimitMs = Infinity; // passed: nothing extends it again
    // the pool's cold start awaits `ready` and calls invoke() in the microtask this settles, before
    // any message of the worker ('ready', 'init-error') is read: invoke() finds the state 'init'
    this.onLog(initReportLine({ durationMs: initMs, phase: 'init', status: 'timeout' }));
    this.settleInit({ ok: true, initDurationMs: performance.now() - this.started, stillInitializing: true });
  }

  /**
   * Run one invocation; the environment must be idle (or just initialized). When the invocation
   * leaves the environment dead (timeout, crash, out of memory), its promise settles once the worker
   * has exited: a dead environment is gone before its invocation answers.
   */
  invoke(request: InvokeRequest, initDurationMs: number | undefined): Promise<InvokeResult> {
    const config = this.config;
    const collect = request.tail || this.sink !== undefined;
    // the init outran its limit (onInitLimit): the event waits for it, under the invocation's timeout
    const initializing = this.state === 'init';
    this.state = 'busy';
    this.worker.ref();
    return new Promise<InvokeResult>((resolve) => {
      const timeoutMs = config.timeoutSeconds * 1000;
      const started = performance.now();
      let log: string[] | undefined;
      const initLog = this.initLog;
      this.initLog = [];
      if (collect) {
        log = initDurationMs !== undefined ? initLog : [];
        const start = startLine(request.requestId, config.version);
        log.push(start);
        this.sink?.(start);
      }
      this.pending = {
        requestId: request.requestId,
        started,
        deadline: this.deadlines.add(timeoutMs, () => this.onTimeout()),
        log,
        tail: request.tail,
        initDurationMs,
        resolve,
      };
      const payload = request.payload;
      const arn = request.invokedFunctionArn;
      const msg: ToWorker = [
        request.requestId,
        eventOfMessage(payload, this.sentEvent),
        arn === this.sentArn ? undefined : arn,
        Date.now() + timeoutMs,
        request.clientContext === undefined ? undefined : JSON.stringify(request.clientContext),
        request.identity === undefined ? undefined : JSON.stringify(request.identity),
        collect,
      ];
      if (initializing) this.held = { msg, payload, arn };
      else this.post(msg, payload, arn);
    });
  }

  /**
   * Hand an invocation's event to the worker. When it cannot be handed over (a built event's part
   * that cannot be cloned), nothing ran, so the environment is idle again, and the invocation fails
   * as the platform's own failure (the promise rejects: Invoke answers ServiceException).
   */
  private post(msg: ToWorker, payload: InvokeRequest['payload'], arn: string): void {
    try {
      this.worker.postMessage(msg);
    } catch (err) {
      this.deadlines.cancel(this.pending!.deadline);
      this.pending = undefined;
      this.becomeIdle();
      throw err;
    }
    // what the worker keeps now; a message that could not be posted left it with the last ones
    this.sentArn = arn;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) this.sentEvent = payload;
  }

  /** an init that outran its limit is over: the held invocation runs now, or fails with the init's error */
  private initDoneLate(error: Buffer | undefined): void {
    const held = this.held!;
    this.held = undefined;
    const p = this.pending;
    if (!p) return; // the invocation timed out meanwhile (the worker is ending)
    if (error === undefined) {
      try {
        this.post(held.msg, held.payload, held.arn);
      } catch (err) {
        p.resolve(Promise.reject(err));
      }
      return;
    }
    // as a failed init does: this invocation fails with its error, and the environment ends
    this.pending = undefined;
    this.deadlines.cancel(p.deadline);
    this.state = 'dead';
    void this.worker.terminate();
    const errorType = (JSON.parse(error.toString('utf8')) as { errorType?: string }).errorType;
    // the init retried in the invoke phase failed: Lambda's INIT_REPORT for it (log-lines.ts)
    if (p.log) this.onLogTo(p.log, initReportLine({ durationMs: performance.now() - p.started, phase: 'invoke', status: 'error', errorType }));
    const result = this.finishResult(p.log, p.requestId, p.tail, error, performance.now() - p.started, p.initDurationMs, { status: 'error', errorType });
    p.resolve(this.exited.then(() => result));
  }

  /** The invocation that fails because init failed: its result carries the init error. */
  initFailure(request: InvokeRequest, outcome: Extract<InitOutcome, { ok: false }>): InvokeResult {
    const start = startLine(request.requestId, this.config.version);
    const log = request.tail || this.sink ? [...this.initLog, start] : undefined;
    this.sink?.(start);
    const errorType = (JSON.parse(outcome.error.toString('utf8')) as { errorType?: string }).errorType;
    return this.finishResult(log, request.requestId, request.tail, outcome.error, outcome.initDurationMs, outcome.initDurationMs, {
      status: 'error',
      errorType,
    });
  }

  terminate(): Promise<void> {
    if (this.state !== 'dead') void this.worker.terminate();
    return this.exited;
  }

  private onMessage(msg: FromWorker): void {
    if (Array.isArray(msg)) {
      this.onResult(msg);
      return;
    }
    switch (msg.t) {
      case 'log':
        this.onLog(msg.text);
        return;
      // Init Duration as Lambda reports it: the runtime's start (here the worker thread's) and the
      // function's init, in wall time, since the environment was created
      case 'ready':
        if (this.held) return this.initDoneLate(undefined);
        this.state = 'idle';
        this.settleInit({ ok: true, initDurationMs: performance.now() - this.started });
        return;
      case 'init-error':
        this.onLog(msg.log);
        if (this.held) return this.initDoneLate(Buffer.from(msg.error));
        this.initFailed(Buffer.from(msg.error));
        return;
    }
  }

  private onResult([requestId, body, failed, fatal, heapUsedMB]: InvokeResultMessage): void {
    const p = this.pending;
    if (!p || p.requestId !== requestId) return;
    this.pending = undefined;
    this.deadlines.cancel(p.deadline);
    this.maxMemoryUsedMB = heapUsedMB;
    const durationMs = performance.now() - p.started;
    const result = this.finishResult(p.log, p.requestId, p.tail, body, durationMs, p.initDurationMs, undefined, failed);
    if (fatal) {
      // the worker ends itself (its runtime failed); answer once it has
      this.state = 'dead';
      p.resolve(this.exited.then(() => result));
      return;
    }
    this.becomeIdle();
    p.resolve(result);
  }

  /** an invocation is over and the worker lives on: it no longer keeps the process alive, and the pool takes it back */
  private becomeIdle(): void {
    this.state = 'idle';
    this.worker.unref();
    this.onIdle?.(this);
  }

  /**
   * The init phase failed (the handler's module threw, could not be loaded, or its process ended):
   * Lambda's INIT_REPORT for it ends the init's log, `INIT_REPORT Init Duration: 12.34 ms  Phase:
   * init  Status: error  Error Type: Runtime.ExitError` (log-lines.ts initReportLine: "If a function
   * crashes or times out during the Init phase, Lambda emits error information in the INIT_REPORT
   * log", https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html, "Failures
   * in the Init phase"; the Telemetry API's platform.initReport carries the same phase, status and
   * errorType, https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html). The
   * error type is the init error's own, as this invocation's REPORT line and the late init's
   * INIT_REPORT (initDoneLate) name it. Once: an init already ended (ready, past its limit, or this
   * error, then the worker's exit) writes none.
   */
  private initFailed(error: Buffer): void {
    if (this.initEnded) return;
    const initDurationMs = performance.now() - this.started;
    let errorType: string | undefined;
    try {
      errorType = (JSON.parse(error.toString('utf8')) as { errorType?: string }).errorType;
    } catch {
      // an error document that is not JSON: the line without its type
    }
    const line = initReportLine({ durationMs: initDurationMs, phase: 'init', status: 'error', errorType });
    this.initLog.push(line);
    this.sink?.(line);
    this.settleInit({ ok: false, initDurationMs, error });
  }

  private onLog(text: string): void {
    if (text.length === 0) return;
    const p = this.pending;
    if (p?.log) p.log.push(text);
    else if (this.state === 'init') this.initLog.push(text);
    this.sink?.(text);
  }

  private onTimeout(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.state = 'dead';
    void this.worker.terminate();
    const seconds = this.config.timeoutSeconds;
    const durationMs = performance.now() - p.started;
    // the init retried in the invoke phase (onInitLimit) was still running: it timed out too
    if (p.log && this.held) this.onLogTo(p.log, initReportLine({ durationMs, phase: 'invoke', status: 'timeout' }));
    if (p.log) this.onLogTo(p.log, platformLine(p.requestId, timeoutMessage(seconds)));
    const result = this.finishResult(p.log, p.requestId, p.tail, errorBytes(timeoutError(p.requestId, seconds)), durationMs, p.initDurationMs, {
      status: 'timeout',
    });
    p.resolve(this.exited.then(() => result));
  }

  private onExit(code: number): void {
    const wasInit = this.state === 'init';
    this.state = 'dead';
    const p = this.pending;
    this.pending = undefined;
    if (wasInit) {
      const requestId = 'undefined';
      const doc = this.outOfMemory ? outOfMemoryError(requestId) : exitError(requestId, code);
      this.initFailed(errorBytes(doc));
    }
    if (!p) return;
    this.deadlines.cancel(p.deadline);
    const doc = this.outOfMemory ? outOfMemoryError(p.requestId) : exitError(p.requestId, code);
    if (this.outOfMemory) this.maxMemoryUsedMB = this.config.memorySizeMB;
    if (p.log) this.onLogTo(p.log, `RequestId: ${p.requestId} Error: ${doc.errorMessage.replace(/^RequestId: \S+ Error: /, '')}\n${doc.errorType}\n`);
    const durationMs = performance.now() - p.started;
    p.resolve(
      this.finishResult(p.log, p.requestId, p.tail, errorBytes(doc), durationMs, p.initDurationMs, { status: 'error', errorType: doc.errorType }),
    );
  }

  private onLogTo(log: string[], text: string): void {
    log.push(text);
    this.sink?.(text);
  }

  private finishResult(
    log: string[] | undefined,
    requestId: string,
    tail: boolean,
    payload: Buffer | string,
    durationMs: number,
    initDurationMs: number | undefined,
    platformError?: { status: 'timeout' | 'error'; errorType?: string },
    failed = platformError !== undefined,
  ): InvokeResult {
    const billedDurationMs = billedDuration(durationMs);
    const result: InvokeResult = {
      payload,
      durationMs,
      billedDurationMs,
      maxMemoryUsedMB: this.maxMemoryUsedMB,
    };
    if (failed) result.functionError = 'Unhandled';
    if (initDurationMs !== undefined) result.initDurationMs = initDurationMs;
    if (log) {
      const closing =
        endLine(requestId) +
        reportLine({
          requestId,
          durationMs,
          billedDurationMs,
          memorySizeMB: this.config.memorySizeMB,
          maxMemoryUsedMB: this.maxMemoryUsedMB,
          initDurationMs,
          ...platformError,
        });
      log.push(closing);
      this.sink?.(closing);
      if (tail) result.log = log.join('');
    }
    return result;
  }
}

