/**
 * Drives autocannon (its programmatic API) and records every request itself.
 *
 * What autocannon gives and what we add:
 * - `amount` gives each connection an exact quota (autocannon's distributeNums: -n 1000 -c 3 →
 *   334+333+333), so exactly -n requests are sent, unlike hey's N/C per worker.
 * - Its latency histogram keeps whole milliseconds; the 'response' event carries the hrtime
 *   duration of the request, which we keep with sub-microsecond precision (recorder.ts).
 * - It reports a result only on its sample tick; we take the real start and the moment the last
 *   request completed, so Requests/sec and Total are right for runs far shorter than a second.
 * - Errors are counted per request here: refused/reset connections ('connError'), timeouts
 *   ('timeout'), and requests that a connection closed under without answering (autocannon
 *   reconnects silently for those) are found at the end as requests sent but never answered.
 * - -q: not autocannon's `connectionRate`, which sends a burst of q requests at the start of each
 *   second; with -z its burst at the deadline raced the deadline, and a worker sent one or more
 *   requests past hey's count. Each connection is paced as hey paces a worker instead, one request
 *   per tick of its own ticker (see pace), which also takes fractional rates (-q 0.5).
 * - -z: rather than autocannon's `duration` (which destroys connections with requests in flight),
 *   each connection's quota is cut to what it has sent, so requests in flight complete, as in hey.
 *   A -q connection waiting for its next tick has nothing in flight: it ends at once. With -q,
 *   each connection's quota is hey's count for the duration (ceil(z·q), see perConnectionQuota):
 *   one that reaches it ends then, not at its next tick (see endAtQuota), and the run ends at the
 *   deadline, so `-z 5s -q 5` lasts 5 s as in hey.
 * - `abandon` (the command's second Ctrl-C, the lab's first): every connection ends at once; its
 *   unanswered requests are counted as errors, so the report still adds up. Their label names
 *   why only when the signal's reason is a string (`abandon.abort('second Ctrl-C')`): the lab
 *   abandons on the first Ctrl-C, and its report said "(second Ctrl-C)" to one who pressed it once.
 * - --disable-keepalive: autocannon's `reconnectRate` drops the response it reconnects on, so the
 *   connection is replaced before each request instead; the same when the server closes it
 *   (see reconnectBeforeRequest).
 * - Its per-response work we don't need is skipped: the latency histogram and result aggregation
 *   (options `histograms`, `skipAggregateResult`) and the body-to-string copy (pipelinedRequests).
 * The client fields used (reqsMade, responseMax, destroyed, destroy, _connect,
 * _doRequest, _destroyConnection, pipelinedRequests) are autocannon 9.0.0's lib/httpClient.js; package.json
 * pins that version.
 */
import type autocannon from 'autocannon';
import type { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { LabError } from '../errors.js';
import { checkOptions, MAX_REQUESTS } from './flags.js';
import { Recorder } from './recorder.js';
import type { LoadTestListeners, LoadTestOptions, LoadTestResult } from './types.js';

/** The parts of autocannon's Client this module relies on. */
interface AutocannonClient extends EventEmitter {
  reqsMade: number;
  responseMax: number;
  destroyed: boolean;
  destroy(): void;
  _connect(): void;
  _doRequest(): void;
  _destroyConnection(): void;
  pipelinedRequests?: { addBody(chunk: Buffer): void };
}

/** http-parser-js' headers info, as autocannon's Client emits it with 'headers' */
interface ParsedHeaders {
  headers: string[];
  shouldKeepAlive: boolean;
}

const PROGRESS_EVERY_MS = 100;
/** -t 0 means no timeout; autocannon needs one, so: the longest a Node timer can wait */
const NO_TIMEOUT_SEC = Math.floor((2 ** 31 - 1) / 1000);
/** a -z run's quota per connection without -q: never reached (the deadline or the bound cuts it) */
const UNBOUNDED = 1e12;
/**
 * The most requests a -z run sends (LoadTestOptions.durationMaxRequests), the bound -n has too
 * (flags.ts, MAX_REQUESTS): load goes to 127.0.0.1 bounded in count as well as in time, and -z
 * without -q sends as fast as the server answers (a learner's `-z 1s` sent about 10,000 to
 * 127.0.0.1), so a long -z would send millions. It is above what the workshop's -z runs send at
 * their -q (-z 1m -q 10 -c 50: 30,000).
 */
export const DURATION_MAX_REQUESTS = MAX_REQUESTS;

/** autocannon's histUtil takes a custom histogram; `__custom` makes it skip encoding it */
const NO_HISTOGRAM = { __custom: true, recordValue() {}, recordValueWithExpectedInterval() {}, reset() {}, destroy() {} };

export const LOST_RESPONSE = 'connection closed before the response';
export const ABANDONED = 'in flight when the run was stopped at once';

/**
 * autocannon (with hdr-histogram-js, pako and the rest, about 0.3 s of CPU) is loaded by the first
 * run, not by whoever imports this module: `list`, `reset`, the lab's steps and a refused -n load
 * it and never send a request
 */
let loadedAutocannon: Promise<typeof autocannon> | undefined;
const loadAutocannon = (): Promise<typeof autocannon> => (loadedAutocannon ??= import('autocannon').then((m) => m.default));

export async function runLoadTest(options: LoadTestOptions, listeners: LoadTestListeners = {}): Promise<LoadTestResult> {
  checkOptions(options);
  const autocannon = await loadAutocannon();
  const { concurrency } = options;
  const total = options.durationMs === undefined ? options.requests : null;
  const rec = new Recorder(total ?? 64 * 1024);
  const timeoutSec = options.timeoutSec === 0 ? NO_TIMEOUT_SEC : options.timeoutSec;
  const timeoutMessage = `request timed out after ${options.timeoutSec} s (-t)`;

  const clients: AutocannonClient[] = [];
  const inflightOf: Array<() => number> = [];
  // -q: the connection waits for its next tick, with nothing in flight
  const waitingOf: Array<() => boolean> = [];
  const abandonOf: Array<() => void> = [];
  // the label of the requests `abandon` cancels, with its reason when that is a string
  let abandonedAs = ABANDONED;
  let clientsDone = 0;
  // a -z run's requests in all: -q's count for the duration, or the bound when that is fewer
  const maxRequests = options.durationMaxRequests ?? DURATION_MAX_REQUESTS;
  const pacedCount = concurrency * perConnectionQuota(options);
  const bounded = total === null && maxRequests < pacedCount;
  // autocannon gives every connection a quota of at least 1
  const amount = total ?? (bounded ? Math.max(concurrency, maxRequests) : pacedCount);
  const pacedToDeadline = options.durationMs !== undefined && options.ratePerWorker !== undefined && !bounded;
  let boundReached = false;
  let stopped = false;
  let aborted = false;
  let endAt = 0;
  let markEnd: () => void = () => {};
  const ended = new Promise<void>((resolve) => (markEnd = resolve));
  let finishing = false;
  function finish(): void {
    if (finishing) return;
    finishing = true;
    endAt = performance.now();
    // 'timeout' may follow 'done' in the same tick
    setImmediate(markEnd);
  }

  function setupClient(raw: unknown): void {
    const client = raw as AutocannonClient;
    clients.push(client);
    // autocannon turns every body chunk into a string for checks we don't use (expectBody,
    // verifyBody, onResponse); ~10% of its CPU per request
    if (typeof client.pipelinedRequests?.addBody === 'function') client.pipelinedRequests.addBody = () => {};
    // requests written on this connection and not yet answered or failed
    let inflight = 0;
    let contentLength = 0;
    const connection = { used: false, closing: false };
    inflightOf.push(() => inflight);
    // -q: waits for its next tick, with nothing sent since (set below, with the pacing)
    let waiting: () => boolean = () => false;
    abandonOf.push(() => {
      if (client.destroyed) return;
      if (inflight > 0) rec.error(abandonedAs, inflight);
      inflight = 0;
      client.destroy();
    });
    client.on('request', () => {
      inflight++;
      connection.used = true;
    });
    client.on('headers', (info: ParsedHeaders) => {
      contentLength = contentLengthOf(info.headers);
      if (!info.shouldKeepAlive) connection.closing = true;
    });
    client.on('response', (status: number, bytes: number, latencyMs: number) => {
      inflight--;
      const now = performance.now() - startMs;
      rec.response(status, latencyMs, now - latencyMs, contentLength, bytes);
      contentLength = 0;
    });
    client.on('connError', (err: unknown) => {
      // an idle connection dropped by the server is no failed request
      if (inflight > 0) {
        inflight--;
        rec.error(describeError(err));
      }
    });
    client.on('timeout', () => {
      // emitted after autocannon has already sent the next request on a new connection, unless
      // the quota was reached (then the client is destroyed) or -q holds it until the next tick;
      // only an unanswered request counts
      if (inflight > (client.destroyed || waiting() ? 0 : 1)) {
        inflight--;
        rec.error(timeoutMessage);
      }
    });
    client.on('done', () => {
      if (++clientsDone === concurrency) {
        // -z with -q: every worker sent its count before the deadline; the run lasts until then,
        // as hey's, whose last request goes at the deadline's tick (stop() ends it)
        if (pacedToDeadline && !stopped) return;
        // every connection sent its quota before the deadline: the bound's share
        if (bounded && !stopped) boundReached = true;
        finish();
      }
    });
    // innermost first: the pacing decides when a request is written, after the quota and the
    // reconnect have had their say
    if (options.ratePerWorker !== undefined) waiting = pace(client, 1000 / options.ratePerWorker);
    waitingOf.push(() => waiting());
    reconnectBeforeRequest(client, connection, !options.keepAlive);
    endAtQuota(client);
  }

  function stop(): void {
    if (stopped) return;
    stopped = true;
    if (clientsDone === concurrency) return finish();
    // each connection ends after the request it has in flight; one waiting for its -q tick has
    // none and ends now
    clients.forEach((c, i) => {
      if (c.destroyed) return;
      c.responseMax = Math.max(1, c.reqsMade);
      if (waitingOf[i]() && inflightOf[i]() === 0) c.destroy();
    });
  }

  function abandon(): void {
    const why: unknown = options.abandon?.reason;
    if (typeof why === 'string') abandonedAs = `${ABANDONED} (${why})`;
    if (!stopped) aborted = true;
    const done = clientsDone === concurrency;
    stopped = true;
    for (const end of abandonOf) end();
    // all connections had ended: a -z -q run waiting for its deadline
    if (done) finish();
  }

  const startedAt = new Date();
  const startMs = performance.now();
  const acOptions: autocannon.Options & { histograms: object; skipAggregateResult: boolean } = {
    url: options.url,
    method: options.method as autocannon.Request['method'],
    headers: { ...options.headers },
    body: options.body,
    connections: concurrency,
    amount,
    timeout: timeoutSec,
    // the result comes on the first sample tick after the end; keep that wait short
    sampleInt: 50,
    setupClient,
    // we record latencies ourselves and read none of autocannon's result: skip its per-response
    // histogram record (a WebAssembly call) and its aggregation
    histograms: { latencies: NO_HISTOGRAM },
    skipAggregateResult: true,
  };
  // autocannon's own errors (a bad option, a throw while starting) reject this
  const finished = new Promise((resolve, reject) => {
    autocannon(acOptions, (err: unknown, result: unknown) => (err ? reject(err) : resolve(result)));
  });

  const deadline = options.durationMs === undefined ? undefined : setTimeout(stop, options.durationMs);
  const onAbort = (): void => {
    // after the -z deadline the run is draining already: not stopped early, but still say so
    if (!stopped) aborted = true;
    stop();
    listeners.stopping?.(inflightOf.reduce((sum, f) => sum + f(), 0));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  options.abandon?.addEventListener('abort', abandon, { once: true });
  if (options.abandon?.aborted) abandon();
  const ticker = listeners.progress
    ? setInterval(() => listeners.progress?.(rec.progress(total, performance.now() - startMs)), PROGRESS_EVERY_MS)
    : undefined;

  try {
    await Promise.all([ended, finished]);
  } catch (err) {
    throw new LabError(`the load test failed: ${(err as Error).message}`);
  } finally {
    if (deadline) clearTimeout(deadline);
    if (ticker) clearInterval(ticker);
    options.signal?.removeEventListener('abort', onAbort);
    options.abandon?.removeEventListener('abort', abandon);
  }

  const lost = inflightOf.reduce((sum, f) => sum + f(), 0);
  if (lost > 0) rec.error(LOST_RESPONSE, lost);
  const durationMs = endAt - startMs;
  listeners.end?.(rec.progress(total, durationMs));

  return {
    url: options.url,
    method: options.method,
    concurrency,
    requested: total,
    startedAt,
    durationMs,
    sent: rec.done,
    responses: rec.responses,
    statusCounts: rec.statusCounts,
    errors: rec.errors,
    errorCounts: rec.errorCounts,
    bodyBytes: rec.bodyBytes,
    wireBytes: rec.wireBytes,
    latencySumMs: rec.latencySumMs,
    samples: rec.samples(),
    interrupted: aborted,
    maxRequestsReached: boundReached ? maxRequests : null,
  };
}

/**
 * A -z run's quota per connection. With -q, hey's count: hey's worker sends one request per tick,
 * the first at the first tick, 1/q s in, and goes on until it finds the stop signal at the top of
 * its loop; at the deadline it is waiting for a tick, so it sends that one too: the ticks up to the
 * first one at or after the deadline, ceil(z·q) (-z 2s -q 5: 10; -z 1s -q 0.5: 1, at 2 s). Here
 * the first request goes at once, so the same count is sent before the deadline; the quota makes
 * it exact whichever of a tick and the deadline comes first when they are due together.
 */
function perConnectionQuota(o: LoadTestOptions): number {
  if (o.ratePerWorker === undefined || o.durationMs === undefined) return UNBOUNDED;
  // z·q is 10 for 2000 ms at 5/s; the float product of other values may land a hair above a whole number
  return Math.max(1, Math.ceil((o.durationMs / 1000) * o.ratePerWorker - 1e-9));
}

/**
 * -q as hey paces a worker (requester.go, runWorker): `throttle = time.Tick(1e6/QPS µs)`, then
 * for each request `<-throttle` and makeRequest, one request per tick, the next after the answer.
 * A tick that comes while the answer is awaited is kept and a request goes as soon as the answer
 * is in (a Go ticker's channel holds one tick); the ticks after it are dropped, so a slow server
 * gets fewer requests, never more. The same here with one setInterval per connection, but for the
 * first request, which goes at once where hey's waits for the first tick (see perConnectionQuota).
 * A Node timer waits at least 1 ms: flags.ts keeps -q at most 1000. Returns whether the
 * connection waits for a tick now.
 */
function pace(client: AutocannonClient, intervalMs: number): () => boolean {
  const doRequest = client._doRequest;
  let tickKept = true;
  let waiting = false;
  const ticker = setInterval(() => {
    tickKept = true;
    if (!waiting) return;
    waiting = false;
    // the whole chain again: the quota may have been cut (stop) and the connection may need replacing
    client._doRequest();
  }, intervalMs);
  // destroy() emits 'done' once: at the quota, at the deadline, on abandon
  client.once('done', () => clearInterval(ticker));
  client._doRequest = function (this: AutocannonClient) {
    if (!tickKept) {
      waiting = true;
      return;
    }
    tickKept = false;
    doRequest.call(this);
  };
  return () => waiting;
}

/**
 * Replace the connection before the next request when --disable-keepalive asks for it, or when
 * the server said it closes this one (`Connection: close`, HTTP/1.0): autocannon would write the
 * next request into the closing socket, and that request would be lost. Only when a request was
 * really written on the connection.
 */
function reconnectBeforeRequest(client: AutocannonClient, connection: { used: boolean; closing: boolean }, always: boolean): void {
  const connect = client._connect;
  const doRequest = client._doRequest;
  client._connect = function (this: AutocannonClient) {
    connection.used = false;
    connection.closing = false;
    connect.call(this);
  };
  client._doRequest = function (this: AutocannonClient) {
    if (connection.used && (always || connection.closing) && !this.destroyed) {
      const quotaReached = this.responseMax > 0 && this.reqsMade >= this.responseMax;
      if (!quotaReached) {
        this._destroyConnection();
        this._connect();
        return;
      }
    }
    doRequest.call(this);
  };
}

/**
 * End a connection as soon as its quota is reached, before the -q pacing is asked: a connection
 * that has sent its last request would otherwise wait for its next tick before it ends. Called
 * after a response or a reconnect, so nothing is in flight then.
 */
function endAtQuota(client: AutocannonClient): void {
  const doRequest = client._doRequest;
  client._doRequest = function (this: AutocannonClient) {
    if (!this.destroyed && this.responseMax > 0 && this.reqsMade >= this.responseMax) return this.destroy();
    doRequest.call(this);
  };
}

function contentLengthOf(raw: string[]): number {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length === 14 && name.toLowerCase() === 'content-length') return Number(raw[i + 1]) || 0;
  }
  return 0;
}

/** Node's message for a connection error; with happy eyeballs (localhost → ::1 and 127.0.0.1) it is an AggregateError. */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return [...new Set(err.errors.map((e) => describeError(e)))].join('; ');
  }
  const e = err as NodeJS.ErrnoException | undefined;
  return e?.message || e?.code || String(err);
}
