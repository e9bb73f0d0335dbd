/**
 * hey's command line → LoadTestOptions. Every bad value, an unreadable -D file included, becomes
 * one UsageError line (exit 2).
 * Defaults and messages follow hey (github.com/rakyll/hey, hey.go).
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { LoadTestOptions } from './types.js';

/**
 * What commander hands the command: only the flags the user gave (option values are strings; -H
 * is a list). The defaults are applied here, so an absent flag means "not given".
 */
export interface LoadTestFlags {
  n?: string;
  c?: string;
  z?: string;
  q?: string;
  t?: string;
  m?: string;
  d?: string;
  D?: string;
  H?: string[];
  T?: string;
  A?: string;
  o?: string;
  disableKeepalive?: boolean;
  json?: boolean;
}

export type OutputKind = 'summary' | 'json' | 'csv';

export interface ParsedFlags {
  readonly options: LoadTestOptions;
  readonly output: OutputKind;
}

/**
 * autocannon's methods (lib/httpMethods.js) but CONNECT, TRACE and HEAD: its response parser is not
 * told a request was HEAD, so it waits for a body that never comes.
 */
export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'] as const;

/** hey's -n and -c defaults (src/cli-main.ts shows them in --help) */
export const DEFAULT_REQUESTS = 200;
export const DEFAULT_CONCURRENCY = 50;

/**
 * The most requests a run sends, -n or -z alike (a -z run ends there: run.ts,
 * DURATION_MAX_REQUESTS): load goes bounded in count as well as in time. 100 times the workshop's
 * load tests (-n 1000 -c 50), about a second of the fastest server README's benchmark measured
 * (80,000 a second), and below hey's 1M samples, so the distributions cover every response. hey
 * has no bound.
 */
export const MAX_REQUESTS = 100_000;
/**
 * The most workers (-c), each one connection: the account allows 1000 executions at once (the
 * local cloud's default, and AWS's default quota), so more workers than that only add throttled
 * answers; the workshop runs 50. hey has no bound.
 */
export const MAX_CONCURRENCY = 1000;

/**
 * The longest a -n run at a rate (-q) may take: each worker sends its share of -n one tick (1/q s)
 * apart, so `-n 100000 -q 0.1` (50 workers, 2000 requests each, 10 s apart) would run for 5.5 h,
 * and -n at -q 0.001 for weeks, with nothing to stop it but Ctrl-C. A -z run is bounded by the time
 * it gives; a -n run at a rate is bounded by this: an hour, 60 times the workshop's longest run
 * (-z 1m), and a run that means to go longer says so with -z. hey has no bound.
 */
export const MAX_PACED_SECONDS = 3600;

const USER_AGENT = 'serverless-ops-lab-loadtest';
/** hey's header syntax: `^([\w-]+):\s*(.+)` */
const HEADER = /^([\w-]+):\s*(.+)$/;

export function parseFlags(url: string, flags: LoadTestFlags): ParsedFlags {
  const target = parseUrl(url);
  const durationMs = flags.z === undefined ? undefined : parseDuration(flags.z);
  const requests = wholeNumber('-n', flags.n ?? String(DEFAULT_REQUESTS), 1, MAX_REQUESTS);
  const concurrency = wholeNumber('-c', flags.c ?? String(DEFAULT_CONCURRENCY), 1, MAX_CONCURRENCY);
  if (durationMs === undefined && flags.c === undefined && requests < concurrency) {
    // hey's rule stays; the hidden default is what the user did not see
    throw new UsageError(
      `-n cannot be less than -c (-n ${requests}, -c ${concurrency})`,
      `-c defaults to ${DEFAULT_CONCURRENCY}; add -c ${requests} to run ${requests} request${requests === 1 ? '' : 's'}`,
    );
  }
  const ratePerWorker = flags.q === undefined ? undefined : parseRate(flags.q);
  const timeoutSec = wholeNumber('-t', flags.t ?? '20', 0);
  const method = (flags.m ?? 'GET').toUpperCase();
  if (!(METHODS as readonly string[]).includes(method)) {
    const why = method === 'HEAD' ? ' (the load generator cannot read bodiless HEAD responses)' : '';
    throw new UsageError(`-m: unsupported method "${flags.m}"${why}; use one of ${METHODS.join(', ')}`);
  }

  // hey sets Content-Type always, then -H (which may override it), then -A
  const headers: Record<string, string> = { 'User-Agent': USER_AGENT, 'Content-Type': flags.T ?? 'text/html' };
  for (const h of flags.H ?? []) {
    const m = HEADER.exec(h);
    if (!m) throw new UsageError(`-H: "${h}" is not a header; write it as "Name: value"`);
    setHeader(headers, m[1], m[2].trim());
  }
  if (flags.A !== undefined) setHeader(headers, 'Accept', flags.A);

  if (flags.d !== undefined && flags.D !== undefined) throw new UsageError('-d and -D both give the body; use one of them');
  const body = flags.D !== undefined ? readBody(flags.D) : flags.d !== undefined ? Buffer.from(flags.d) : undefined;

  if (flags.o !== undefined && flags.o !== 'csv') throw new UsageError(`-o: unknown output "${flags.o}"; the only one is csv`);
  if (flags.o === 'csv' && flags.json) throw new UsageError('--json and -o csv both choose the output; use one of them');
  const output: OutputKind = flags.json ? 'json' : flags.o === 'csv' ? 'csv' : 'summary';

  const options: LoadTestOptions = {
    url: target.href,
    requests,
    concurrency,
    durationMs,
    ratePerWorker,
    timeoutSec,
    method,
    body,
    headers,
    keepAlive: !flags.disableKeepalive,
  };
  checkOptions(options);
  return { options, output };
}

/** The invariants of LoadTestOptions, for the CLI and for programmatic callers alike. */
export function checkOptions(o: LoadTestOptions): void {
  parseUrl(o.url);
  for (const [flag, v, min] of [['-n', o.requests, 1], ['-c', o.concurrency, 1], ['-t', o.timeoutSec, 0]] as const) {
    if (!Number.isSafeInteger(v) || v < min) throw new UsageError(`${flag} must be a whole number of at least ${min} (got ${v})`);
  }
  if (o.requests > MAX_REQUESTS) throw tooMany('-n', String(o.requests));
  if (o.concurrency > MAX_CONCURRENCY) throw tooMany('-c', String(o.concurrency));
  if (o.ratePerWorker !== undefined && !(o.ratePerWorker >= MIN_RATE && o.ratePerWorker <= MAX_RATE)) {
    throw new UsageError(`-q must be from ${MIN_RATE} to ${MAX_RATE} requests per second per worker (got ${o.ratePerWorker})`);
  }
  if (o.durationMs !== undefined && !(o.durationMs > 0 && Number.isFinite(o.durationMs))) {
    throw new UsageError(`-z must be a positive duration (got ${o.durationMs} ms)`);
  }
  if (o.durationMaxRequests !== undefined && !(Number.isSafeInteger(o.durationMaxRequests) && o.durationMaxRequests >= 1)) {
    throw new UsageError(`the most requests of a -z run must be a whole number of at least 1 (got ${o.durationMaxRequests})`);
  }
  // hey: "-n cannot be less than -c." (it would leave workers with nothing to send)
  if (o.durationMs === undefined && o.requests < o.concurrency) {
    throw new UsageError(`-n cannot be less than -c (-n ${o.requests}, -c ${o.concurrency})`);
  }
  if (o.durationMs === undefined && o.ratePerWorker !== undefined) checkPacedLength(o.requests, o.concurrency, o.ratePerWorker);
  if (!(METHODS as readonly string[]).includes(o.method)) throw new UsageError(`unsupported method "${o.method}"`);
}

function parseUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`invalid URL "${url}"`, 'give a full URL such as http://127.0.0.1:3000/hello');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new UsageError(`invalid URL "${url}": only http:// and https:// are supported`);
  }
  if (!u.hostname) throw new UsageError(`invalid URL "${url}": no host`);
  return u;
}

function wholeNumber(flag: '-n' | '-c' | '-t', value: string, min: number, max?: number): number {
  const v = value.trim();
  if (!/^-?\d+$/.test(v)) throw new UsageError(`${flag}: "${value}" is not a whole number`);
  const n = Number(v);
  // before the safe-integer check: -n 1e30 written out is over the bound, not "too large"
  if (max !== undefined && n > max) throw tooMany(flag as '-n' | '-c', v);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag}: ${value} is too large`);
  if (n < min) {
    // hey's wording for -n and -c
    if (flag === '-n' || flag === '-c') throw new UsageError(`-n and -c cannot be smaller than 1 (got ${flag} ${value})`);
    throw new UsageError(`${flag} cannot be smaller than ${min} (got ${value})`);
  }
  return n;
}

/**
 * -n at a rate: the busiest worker sends ceil(n/c) requests (run.ts shares -n exactly among the
 * workers), its first at once and each next one 1/q s later, so the run takes at least
 * (ceil(n/c) − 1)/q s however fast the server answers. Over MAX_PACED_SECONDS it is refused.
 */
function checkPacedLength(requests: number, concurrency: number, rate: number): void {
  const perWorker = Math.ceil(requests / concurrency);
  const seconds = (perWorker - 1) / rate;
  if (seconds <= MAX_PACED_SECONDS) return;
  const apart = Number((1 / rate).toPrecision(3));
  throw new UsageError(
    `-n ${requests} at -q ${rate} with -c ${concurrency} takes at least ${spokenDuration(seconds)}: ${perWorker} requests per worker, ` +
      `${apart} s apart; a run at a rate may take at most ${spokenDuration(MAX_PACED_SECONDS)}`,
    'give fewer requests (-n), more workers (-c) or a higher rate (-q), or use -z',
  );
}

/** 19990 → "5 h 33 min", 150 → "2 min 30 s", 3600 → "1 h" (whole seconds, rounded down) */
function spokenDuration(seconds: number): string {
  const s = Math.floor(seconds);
  const [h, m, rest] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return rest > 0 ? `${m} min ${rest} s` : `${m} min`;
  return `${rest} s`;
}

/** -n over MAX_REQUESTS, -c over MAX_CONCURRENCY: what the bound is, and what to do instead */
function tooMany(flag: '-n' | '-c', value: string): UsageError {
  if (flag === '-n') {
    return new UsageError(
      `-n must be at most ${MAX_REQUESTS} requests (got ${value})`,
      `a -z run stops at ${MAX_REQUESTS} too: load stays bounded; for more, run it again`,
    );
  }
  return new UsageError(
    `-c must be at most ${MAX_CONCURRENCY} workers (got ${value})`,
    `a worker is a connection; the account runs ${MAX_CONCURRENCY} at once, more are throttled`,
  );
}

/**
 * -q bounds: each worker's ticker is a Node timer (run.ts, pace), which waits at least 1 ms, so
 * at most 1000 a second; the slowest rate is one request every 1000 s (Node's longest wait is
 * 24.8 days; a load test slower than that is no load test).
 */
export const MIN_RATE = 0.001;
export const MAX_RATE = 1000;

/**
 * hey's -q is a float64 (hey.go: `flag.Float64("q", 0, "")`): "Rate limit, in queries per second
 * (QPS) per worker". 0, its default, is no limit; 0.5 is one request every 2 s per worker. Go's
 * flag package reads it with strconv.ParseFloat, which takes a sign and an exponent (`1e3`, `5e-1`,
 * `+5`), so they are numbers here too: `-q 1e9` is too fast, not "not a number". (ParseFloat's
 * hexadecimal floats, Inf and NaN are no rate a learner means; they stay refused.)
 */
function parseRate(value: string): number | undefined {
  const v = value.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v)) {
    throw new UsageError(`-q: "${value}" is not a number; give requests per second per worker, such as 5 or 0.5`);
  }
  const q = Number(v);
  if (q < 0) throw new UsageError(`-q cannot be smaller than 0 (got ${value})`);
  if (q === 0) return undefined;
  if (q < MIN_RATE) {
    throw new UsageError(`-q must be 0 (no limit) or at least ${MIN_RATE}, one request every ${1 / MIN_RATE} s per worker (got ${value})`);
  }
  if (q > MAX_RATE) {
    throw new UsageError(`-q must be at most ${MAX_RATE} requests per second per worker (got ${value})`, 'the rate is per worker: for more, add workers (-c)');
  }
  return q;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, which hey's -z uses: "10s", "3m", "1m30s", "500ms". */
export function parseDuration(value: string): number {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  const s = value.trim();
  let ms = 0;
  let at = 0;
  let m: RegExpExecArray | null;
  while (at < s.length && (m = re.exec(s))) {
    ms += Number(m[1]) * UNIT_MS[m[2]];
    at = re.lastIndex;
  }
  if (s.length === 0 || at !== s.length) throw new UsageError(`-z: "${value}" is not a duration; write it as 10s, 500ms, 3m or 1m30s`);
  if (!(ms > 0)) throw new UsageError(`-z must be longer than 0 (got ${value})`);
  return ms;
}

function readBody(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new UsageError(`-D: cannot read the body file "${file}": ${why}`);
  }
}

function setHeader(headers: Record<string, string>, name: string, value: string): void {
  // like Go's Header.Set: one value per name, whatever the case it was given in
  for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
  headers[name] = value;
}
