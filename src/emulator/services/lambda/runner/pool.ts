import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Deadlines, type Deadline, type TimerHost } from '../../../core/deadlines.js';
import { INIT_TIMEOUT_SECONDS } from './lambda-errors.js';
import { ExecutionEnvironment, type LogEntry } from './execution-environment.js';
import { isSupportedRuntime, UnsupportedRuntimeError } from './runtimes.js';
import type { CompileCacheBoot } from './messages.js';
import { labModulesDir } from './runtime-modules.js';
import { compileCacheFolder, pruneCompileCaches } from './compile-cache-folders.js';
import type { ExecutionEnvironments, FunctionRunConfig, InvokeRequest, InvokeResult } from './types.js';

/**
 * The execution environments of every function, in worker threads.
 * - `invoke` takes the most recently used idle environment of the same function version, code and
 *   configuration, or starts one (a cold start: its init duration is reported once).
 * - Idle environments are reaped after `idleTimeoutMs`, as Lambda recycles environments that
 *   receive no work (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html,
 *   "Shutdown phase"); Lambda does not document the delay, typically minutes.
 * - Concurrency is the Lambda API's business: this pool never refuses an invocation.
 */

export interface WorkerPoolOptions {
  /** AWS_REGION / AWS_DEFAULT_REGION of every function (default us-east-1) */
  region?: string;
  /** the embedded cloud's URL, given to functions as AWS_ENDPOINT_URL */
  endpointUrl?: string;
  /** how long an idle environment stays warm (default 5 minutes) */
  idleTimeoutMs?: number;
  /** receives every function log line (platform lines included), e.g. to print or keep them */
  logSink?: (entry: LogEntry) => void;
  /** the cores environments share (default os.availableParallelism()); scales the init limit */
  cores?: number;
  /**
   * where the V8 code cache of the runtime's SDK is kept (worker/compile-cache.ts), e.g. in the
   * state dir; none: every environment compiles the SDK itself
   */
  compileCacheDir?: string;
  /** the clock and timer of timeouts and idle expiry (default Node's; tests pass a manual one) */
  timers?: TimerHost;
  /**
   * modules every environment loads in its init phase: the builders of the events in-process
   * callers hand over as parts (types.ts: BuiltEvent), so the first such event does not wait for
   * its builder, and its Duration does not count the load; any other builder loads on first use
   */
  eventBuilders?: readonly string[];
}

/**
 * The init phase's limit, 10 s ("Lambda execution environment lifecycle", Init phase), is wall
 * time on Lambda, where every environment has its own share of CPU. Here every environment shares
 * the host's cores: 50 starting at once on a 2-core laptop get 1/25 of a core each, and their wall
 * time says little about what the init takes alone. So the limit is scaled, not measured in CPU
 * time (Node 20 cannot read one thread's CPU time portably): 10 s times the environments
 * initializing at once per core, never less than 10 s. Init Duration stays the wall time it took.
 *
 * It is at most INIT_LIMIT_MAX_MS. Each cold start extends the limit of every environment still
 * initializing, so without a bound a backlog fed itself: on a loaded host a load test whose client
 * gave up after 20 s sent a new request for each one abandoned, each a new environment (the old
 * ones still ran, as on Lambda), which stretched every limit further (138 initializing on 2 cores:
 * 690 s) and slowed them all. An init that reaches the limit does not fail: its invocation goes on
 * under the function's Timeout (execution-environment.ts, onInitLimit), so a cold invocation ends
 * within this bound plus its Timeout, however many environments start.
 */
export function initLimitMs(initializing: number, cores: number): number {
  return Math.min(INIT_LIMIT_MAX_MS, INIT_TIMEOUT_SECONDS * 1000 * Math.max(1, initializing / Math.max(1, cores)));
}

/**
 * 60 s: about twice API Gateway's 29 s integration timeout, so a burst of cold starts on a slow host
 * (the lab's 50 at once on 2 cores) still finishes its init in the cloud after its clients stopped
 * waiting, while a backlog no longer keeps environments initializing for minutes.
 */
export const INIT_LIMIT_MAX_MS = 60_000;

export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;

export class WorkerPool implements ExecutionEnvironments {
  private readonly idle = new Map<string, ExecutionEnvironment[]>();
  private readonly live = new Set<ExecutionEnvironment>();
  private readonly keys = new WeakMap<FunctionRunConfig, string>();
  private readonly idleTimeoutMs: number;
  /** invocation timeouts, init limits and the idle reaper: one timer for all */
  private readonly deadlines: Deadlines;
  /**
   * due when the least recently used idle environment expires. Environments are not given a
   * deadline each: that would be one added and one cancelled per invocation, while expiry is rare
   */
  private reaper: Deadline | undefined;
  private closed = false;
  private readonly cores: number;
  private readonly compileCache: CompileCacheBoot | undefined;

  constructor(private readonly options: WorkerPoolOptions = {}) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.deadlines = new Deadlines(false, options.timers);
    this.cores = options.cores ?? availableParallelism();
    if (options.compileCacheDir !== undefined) {
      // the caches of Node builds this cloud no longer runs on would stay forever
      pruneCompileCaches(options.compileCacheDir);
      this.compileCache = {
        // V8 refuses code from another V8 build; one folder per Node build keeps each one's own
        dir: path.join(options.compileCacheDir, compileCacheFolder()),
        modulesDir: labModulesDir(),
        claim: new SharedArrayBuffer(4),
      };
    }
  }

  /** Worker threads started and not yet exited (tests assert it falls to 0). */
  get liveWorkers(): number {
    return this.live.size;
  }

  /**
   * A warm invocation is the environment's own promise: the environment hands itself back
   * (onIdle → release) when its result arrives, and settles only after its worker has exited when
   * it died, so nothing here waits for it.
   */
  invoke(config: FunctionRunConfig, request: InvokeRequest): Promise<InvokeResult> {
    if (this.closed) return Promise.reject(new Error('The Lambda execution environments are shut down'));
    if (!isSupportedRuntime(config.runtime)) return Promise.reject(new UnsupportedRuntimeError(config.runtime));
    const key = this.keyOf(config);
    const env = this.takeIdle(key);
    return env ? env.invoke(request, undefined) : this.coldStart(key, config, request);
  }

  private async coldStart(key: string, config: FunctionRunConfig, request: InvokeRequest): Promise<InvokeResult> {
    const env = this.start(key, config);
    const init = await env.ready;
    if (!init.ok) {
      const result = env.initFailure(request, init);
      await env.terminate(); // Lambda retries init on the next invocation, in a fresh environment
      return result;
    }
    return env.invoke(request, init.initDurationMs);
  }

  async retire(functionName: string, version?: string): Promise<void> {
    const ending: Promise<void>[] = [];
    for (const env of this.live) {
      if (env.config.functionName !== functionName) continue;
      if (version !== undefined && env.config.version !== version) continue;
      env.retired = true;
      if (env.state === 'idle') ending.push(this.end(env));
    }
    await Promise.all(ending);
  }

  stats(): { environments: number; busy: number; idle: number } {
    let busy = 0;
    let idle = 0;
    for (const env of this.live) {
      if (env.state === 'busy' || env.state === 'init') busy++;
      else if (env.state === 'idle') idle++;
    }
    return { environments: this.live.size, busy, idle };
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.deadlines.cancel(this.reaper);
    this.reaper = undefined;
    await Promise.all([...this.live].map((env) => this.end(env)));
  }

  private keyOf(config: FunctionRunConfig): string {
    let key = this.keys.get(config);
    if (key === undefined) {
      key = JSON.stringify([
        config.functionName,
        config.version,
        config.codeSha256,
        config.runtime,
        config.handler,
        config.codeDir,
        config.timeoutSeconds,
        config.memorySizeMB,
        Object.entries(config.environment).sort(([a], [b]) => (a < b ? -1 : 1)),
      ]);
      this.keys.set(config, key);
    }
    return key;
  }

  private start(key: string, config: FunctionRunConfig): ExecutionEnvironment {
    const env = new ExecutionEnvironment(key, config, {
      region: this.options.region ?? 'us-east-1',
      endpointUrl: this.options.endpointUrl,
      logSink: this.options.logSink,
      deadlines: this.deadlines,
      compileCache: this.compileCache,
      eventBuilders: this.options.eventBuilders,
      onExit: (e) => this.forget(e),
      onIdle: (e) => this.release(e),
    });
    this.live.add(env);
    const limit = initLimitMs(this.initializing(), this.cores);
    for (const e of this.live) e.extendInitLimit(limit);
    return env;
  }

  private initializing(): number {
    let n = 0;
    for (const env of this.live) if (env.state === 'init') n++;
    return n;
  }

  /** the most recently used idle environment: it is the warmest */
  private takeIdle(key: string): ExecutionEnvironment | undefined {
    const list = this.idle.get(key);
    const env = list?.pop();
    if (!env) return undefined;
    if (list!.length === 0) this.idle.delete(key);
    return env;
  }

  private release(env: ExecutionEnvironment): void {
    if (env.state !== 'idle') return;
    if (env.retired || this.closed) {
      void this.end(env);
      return;
    }
    let list = this.idle.get(env.key);
    if (!list) this.idle.set(env.key, (list = []));
    list.push(env);
    env.idleSince = this.deadlines.now();
    this.reaper ??= this.deadlines.add(this.idleTimeoutMs, () => this.reap());
  }

  /**
   * End every environment idle for `idleTimeoutMs` or more, and wait for the next one to be. Each
   * list is used last-in first-out, so its first environment is its least recently used one.
   */
  private reap(): void {
    this.reaper = undefined;
    const now = this.deadlines.now();
    let next = Infinity;
    for (const list of this.idle.values()) {
      let i = 0;
      while (i < list.length && list[i].idleSince + this.idleTimeoutMs <= now) i++;
      // end() unlists each; copied first, as that changes the list
      for (const env of list.slice(0, i)) void this.end(env);
      if (list.length > 0) next = Math.min(next, list[0].idleSince + this.idleTimeoutMs);
    }
    if (next < Infinity) this.reaper = this.deadlines.add(next - now, () => this.reap());
  }

  private end(env: ExecutionEnvironment): Promise<void> {
    this.unlistIdle(env);
    return env.terminate();
  }

  private forget(env: ExecutionEnvironment): void {
    this.unlistIdle(env);
    this.live.delete(env);
  }

  private unlistIdle(env: ExecutionEnvironment): void {
    const list = this.idle.get(env.key);
    if (!list) return;
    const i = list.indexOf(env);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.idle.delete(env.key);
  }
}
