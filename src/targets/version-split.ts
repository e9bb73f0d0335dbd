/**
 * Measuring a canary's share from outside, as a learner's curl loop would: send requests through
 * the API and count them by the Lambda version that answered. The HTTP client of the canary steps
 * (steps/canary/lesson.ts); their words about a split are in steps/canary/split.ts. The bundled app names it in every answer (`X-Function-Version`,
 * and `ServedBy.FunctionVersion` in the body), its refusals of a bad request included, so the
 * split can be sampled with a body the app refuses at once, without the 3 s wait of version 2.
 *
 * Bounded: exactly `requests` requests, at most `concurrency` at a time, each with its own
 * timeout; the first abort stops sending and keeps what was measured.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface SplitOptions {
  url: string;
  requests: number;
  concurrency: number;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  /** per request, default 30 s */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * One more connection after every `rampEvery` answers (default 4), up to `concurrency`: each new
   * connection may start an execution environment, and fifty starting at once on a small machine
   * can outlast the function's timeout while they load the SDK. 0: all at once.
   */
  rampEvery?: number;
  /** called with the counts so far, at most every `progressEvery` answers */
  onProgress?: (split: Split) => void;
  progressEvery?: number;
}

export interface Split {
  /** answers per version that served them ("?" when an answer named none) */
  byVersion: Record<string, number>;
  /** answers per HTTP status */
  byStatus: Record<string, number>;
  /** requests that got no answer (refused, reset, timed out) */
  errors: number;
  /**
   * those requests by why, when there were any: the error's code (`ECONNREFUSED`: nothing listened
   * at the URL; `ECONNRESET`), or `timeout` (no answer within timeoutMs)
   */
  unanswered?: Record<string, number>;
  sent: number;
}

/** The version an answer names: the header first, then the body's ServedBy. */
export function versionOf(headers: Record<string, string | string[] | undefined>, body: string): string | undefined {
  const h = headers['x-function-version'];
  const header = Array.isArray(h) ? h[0] : h;
  if (header) return header;
  try {
    const v = (JSON.parse(body) as { ServedBy?: { FunctionVersion?: unknown } })?.ServedBy?.FunctionVersion;
    return v === undefined || v === null ? undefined : String(v);
  } catch {
    return undefined;
  }
}

/** answers that named no version (API Gateway's own errors, a function that failed) */
export const NO_VERSION = '?';

/** the answers that named a version */
export function namedAnswers(split: Split): number {
  return Object.entries(split.byVersion).reduce((a, [v, n]) => (v === NO_VERSION ? a : a + n), 0);
}

/**
 * The share of `versions` among the answers that named a version, in percent (0 when none did).
 * Answers naming none (a 502 from a failed cold start, say) are left out: they tell nothing about
 * the split, and the caller reports them apart.
 */
export function shareOf(split: Split, versions: readonly string[]): number {
  const answered = namedAnswers(split);
  if (answered === 0) return 0;
  const hits = versions.reduce((a, v) => a + (split.byVersion[v] ?? 0), 0);
  return (100 * hits) / answered;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request on a keep-alive agent; rejects on a network error, a timeout or an abort. */
function send(url: URL, agent: HttpAgent, opts: SplitOptions, signal: AbortSignal): Promise<Answer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: opts.method ?? 'POST', agent, signal, headers: { 'content-type': 'application/json', ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export async function measureSplit(opts: SplitOptions): Promise<Split> {
  const split: Split = { byVersion: {}, byStatus: {}, errors: 0, sent: 0 };
  const url = new URL(opts.url);
  const agent = url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: opts.concurrency }) : new HttpAgent({ keepAlive: true, maxSockets: opts.concurrency });
  const every = opts.progressEvery ?? Math.max(1, Math.floor(opts.requests / 50));
  let done = 0;
  const ramp = opts.rampEvery ?? 4;
  const waiting: { at: number; go: () => void }[] = [];
  const startWhen = (at: number) => (done >= at ? Promise.resolve() : new Promise<void>((go) => waiting.push({ at, go })));
  const answered = () => {
    done++;
    for (let i = waiting.length - 1; i >= 0; i--) {
      if (done >= waiting[i].at) waiting.splice(i, 1)[0].go();
    }
  };
  const worker = async (n: number) => {
    await startWhen(n * ramp);
    while (split.sent < opts.requests && !opts.signal?.aborted) {
      split.sent++;
      const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
      try {
        const res = await send(url, agent, opts, opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout);
        const version = versionOf(res.headers, res.body) ?? NO_VERSION;
        split.byVersion[version] = (split.byVersion[version] ?? 0) + 1;
        split.byStatus[String(res.status)] = (split.byStatus[String(res.status)] ?? 0) + 1;
      } catch (err) {
        if (opts.signal?.aborted) {
          split.sent--;
          break;
        }
        split.errors++;
        const why = timeout.aborted ? 'timeout' : ((err as NodeJS.ErrnoException)?.code ?? 'error');
        split.unanswered ??= {};
        split.unanswered[why] = (split.unanswered[why] ?? 0) + 1;
      }
      answered();
      if (opts.onProgress && done % every === 0) opts.onProgress(split);
    }
    // the last answers may never reach a waiting worker's threshold: let it see there is no more
    for (const w of waiting.splice(0)) w.go();
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.requests) }, (_, n) => worker(n)));
  } finally {
    agent.destroy();
  }
  opts.onProgress?.(split);
  return split;
}
