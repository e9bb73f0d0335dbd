/**
 * The concurrency steps' load test: the workshop's `hey -n 1000 -c 50 -m POST …` (our hey-
 * compatible load test, run in the CLI's process against the API), with a live chart of answers
 * per second by status and, on the local target, the function's executions at once beside its limit.
 */
import { runLoadTest, type LoadTestOptions, type LoadTestProgress, type LoadTestResult } from '../../loadtest/index.js';
import type { LabContext } from '../../lab/context.js';
import { bar } from '../../io/format.js';
import { briefLines } from '../../loadtest/format.js';
import { summarize } from '../../loadtest/summarize.js';
import { cliCommand, shellLine } from '../../invocation.js';
import { apiUrl, requestBody } from './app.js';
import { readLocalConcurrency, type LocalConcurrency } from './concurrency.js';
import { resetConcurrencyPeaks } from '../../targets/lab-paths.js';
import { localCloudLog } from '../../targets/cloud-log.js';

export interface LoadSize {
  requests: number;
  concurrency: number;
}

/** the workshop's `hey -n 1000 -c 50` */
export const WORKSHOP_SIZE: Readonly<LoadSize> = { requests: 1000, concurrency: 50 };

/**
 * The workshop's size; --ci runs a shorter one (said in the report): fewer cold starts at once
 * (each execution environment loads the SDK), and for the throttled run still more connections
 * (30) than the 25 reserved. A catch-up runs the short one too (`start --from concurrency-reserve`
 * on a fresh workspace): the learner came for a later step, and the workshop's 1000 requests there
 * were the same load test as the throttled step's, twice in a row but for one command.
 */
export function loadSize(ctx: LabContext, phase: 'baseline' | 'throttled'): LoadSize {
  if (!ctx.ci && !ctx.catchingUp) return { ...WORKSHOP_SIZE };
  return phase === 'baseline' ? { requests: 40, concurrency: 20 } : { requests: 90, concurrency: 30 };
}

/**
 * API Gateway's integration timeout for REST APIs: 29 s, the default of a method's timeoutInMillis
 * ("Amazon API Gateway quotas", https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
 * The local cloud's front door keeps it too: past it, `504 Endpoint request timed out`.
 */
export const API_INTEGRATION_TIMEOUT_S = 29;

/**
 * The lab's load tests wait longer for an answer than the API itself does, so every request ends
 * with the API's own answer (a 200, a throttle, a 504 when the integration timed out) and none is
 * given up by the lab's client. The first burst pays a cold start per connection (50 inits on AWS
 * too), and on the local cloud those 50 environments share this machine's cores: on a busy 2-core
 * host they took more than hey's default 20 s (`-t`), the client gave up on requests the cloud
 * then answered 200, and the baseline failed on requests "without an answer" the lab had cut off
 * itself. The emulator bounds a cold invocation by its scaled init limit (at most 60 s) plus the
 * function's Timeout, but the front door answers within the integration timeout whatever Lambda
 * takes; so that, not the init limit, is what the client has to outwait. It is printed as `-t` in
 * the command, so the learner's own run waits as long.
 */
export const LOAD_TEST_TIMEOUT_S = API_INTEGRATION_TIMEOUT_S + 1;

/**
 * The line beside the load test the lab shows, for a learner who runs the workshop's own `hey -n
 * 1000 -c 50 …` instead: hey gives up on a request after 20 s (its `-t` default), shorter than the
 * first burst's cold starts can take (a reviewer's hey on a fresh cloud, busy 2-core host: 31 of
 * 1000 timed out), so it needs the -t the lab's command has. The command follows it
 * (workshopHeyCommand), ready to paste.
 */
export const HEY_TIMEOUT_LINE = `with the workshop's own hey, add -t ${LOAD_TEST_TIMEOUT_S} (it gives up after 20 s):`;

/**
 * The words above the workshop's hey, beside a run of `size`. A run of another size (--ci's 40 × 20
 * and 90 × 30) was followed by "with the workshop's own hey, add -t 30", which read as this run's
 * load test in hey's words, over a hey of -n 1000 -c 50: that hey is the workshop's, at its size,
 * and said so. Each line within 80 columns of a log (a time stamp before it).
 */
export function heyTimeoutLines(size: LoadSize): string[] {
  if (size.requests === WORKSHOP_SIZE.requests && size.concurrency === WORKSHOP_SIZE.concurrency) return [HEY_TIMEOUT_LINE];
  return [`the workshop's own hey, at its size (-n ${WORKSHOP_SIZE.requests} -c ${WORKSHOP_SIZE.concurrency}, not this run's),`, `with -t ${LOAD_TEST_TIMEOUT_S} added (it gives up after 20 s):`];
}

/** the URL and body the load test sends, placeholders before a deploy */
function sent(ctx: LabContext): { url: string; body: string } {
  try {
    return { url: apiUrl(ctx), body: requestBody(ctx) };
  } catch {
    // shown before a deploy: placeholders
    return { url: '<ApiUrl>', body: '{"bucket":"<ImagesBucket>","key":"someguy.jpg"}' };
  }
}

export function heyCommand(ctx: LabContext, size: LoadSize = loadSize(ctx, 'baseline')): string {
  const { url, body } = sent(ctx);
  return cliCommand(['loadtest', '-n', String(size.requests), '-c', String(size.concurrency), '-t', String(LOAD_TEST_TIMEOUT_S), '-m', 'POST', '-H', 'Content-Type: application/json', '-d', body, url]);
}

/**
 * The workshop's own hey command, ready to paste for the cloud the lab talks to. The workshop's
 * text (`hey -n 1000 -c 50 -d '{…}' \ ` with a space after the backslash, then `-H
 * 'Content-Type: application/json' -m POST https://<your-api-endpoint>/Prod/getinfo`) breaks when
 * pasted, and its URL's form is AWS's: on the local cloud `https://` gives `server gave HTTP
 * response to HTTPS client`, and a host without `/execute-api/<id>` reaches S3 (405). So: the
 * workshop's flags and order, -t as the lab's, the deploy record's ApiUrl (the stack's output on
 * AWS, the front door's on the local cloud) and the app's own body.
 */
export function workshopHeyCommand(ctx: LabContext): string {
  const { url, body } = sent(ctx);
  return shellLine(['hey', '-n', String(WORKSHOP_SIZE.requests), '-c', String(WORKSHOP_SIZE.concurrency), '-t', String(LOAD_TEST_TIMEOUT_S), '-d', body, '-H', 'Content-Type: application/json', '-m', 'POST', url]);
}

/**
 * What the lab's load test sends: the command heyCommand prints, with its -t. Ctrl-C stops the lab:
 * the requests in flight are cancelled at once (each could take the whole timeout), counted as
 * errors, and what was measured is still printed.
 */
export function loadTestOptions(ctx: LabContext, size: LoadSize): LoadTestOptions {
  return {
    url: apiUrl(ctx),
    requests: size.requests,
    concurrency: size.concurrency,
    timeoutSec: LOAD_TEST_TIMEOUT_S,
    method: 'POST',
    body: Buffer.from(requestBody(ctx)),
    headers: { 'Content-Type': 'application/json' },
    keepAlive: true,
    signal: ctx.signal,
    abandon: ctx.signal,
  };
}

export interface ChartedRun {
  result: LoadTestResult;
  /** status → count, as hey's "Status code distribution" */
  statusCounts: Record<string, number>;
  /** local only: the most executions at once for the function, as the local cloud counted them */
  localPeak?: number;
}

/**
 * Runs the load test with the live chart. Ctrl-C stops sending and cancels the requests in
 * flight at once; what was measured is still returned (result.interrupted) so the step can print
 * and keep it.
 */
export async function chartedLoadTest(ctx: LabContext, functionName: string, size: LoadSize, title: string): Promise<ChartedRun> {
  const io = ctx.io;
  const options = loadTestOptions(ctx, size);
  if (ctx.endpoint) await resetConcurrencyPeaks(ctx.endpoint, ctx.signal);
  io.command(heyCommand(ctx, size));
  for (const line of heyTimeoutLines(size)) io.say(line);
  io.command(workshopHeyCommand(ctx));
  const live = io.live(title, 2000);
  const rows = new SecondRows();
  let concurrency: LocalConcurrency | undefined;
  let polling = true;
  // whether the chart has drawn an answer yet
  let answered = false;
  const poller = (async () => {
    while (polling && ctx.endpoint) {
      const askedAfterAnswers = answered;
      const read = await readLocalConcurrency(ctx, functionName).catch(() => undefined);
      // a count of none, read before the first answers, is no figure of the run: the throttled
      // answers come at once, and its first frame said `at most 0 so far` beside 15 of them. The
      // line shows once a read after the first answers came back, or one that saw an execution
      if (read && (askedAfterAnswers || read.peak > 0)) concurrency = read;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  // the chart and its totals, without the executions line
  let chart: string[] = [];
  const silence = new SilenceWatch(ctx.target === 'local' ? localCloudLog(ctx.ws.stateDir) : undefined);
  const draw = (p: LoadTestProgress) => {
    rows.add(p);
    if (p.done > 0) answered = true;
    const ok = p.byClass[2] ?? 0;
    const fivexx = p.byClass[5] ?? 0;
    // a terminal redraws the chart in place, at a fixed height; a log appends, and keeps every row
    chart = [...(io.face === 'interactive' ? rows.view(CHART_ROWS) : rows.log()), `${p.done - p.errors} of ${p.total ?? '?'} answered: ${ok} 2xx, ${fivexx} 5xx; ${p.errors} without an answer`];
    const silent = silence.see(p);
    live.update([...chart, ...(concurrency ? [executionsLine(concurrency, 'running')] : []), ...(silent ? [silent] : [])]);
  };
  let result: LoadTestResult;
  try {
    result = await runLoadTest(
      options,
      {
        progress: draw,
        end: draw,
        stopping: (inFlight) => {
          if (inFlight > 0) io.warn(`stopping: the ${inFlight} request${inFlight === 1 ? '' : 's'} in flight ${inFlight === 1 ? 'is' : 'are'} cancelled (counted as errors); what was measured follows`);
        },
      },
    );
  } catch (err) {
    // the chart ends as it was last drawn: what is said next goes under it
    live.done();
    throw err;
  } finally {
    polling = false;
    await poller;
  }
  // the last state, whole: a log prints only every 2 s, and the end came after the last print; the
  // executions line gives the run's figure, the most at once, read after its end
  const local = ctx.endpoint ? await readLocalConcurrency(ctx, functionName).catch(() => undefined) : undefined;
  const last = local ?? concurrency;
  live.done([...chart, ...(last ? [executionsLine(last, 'ended')] : [])]);
  const statusCounts = Object.fromEntries(Object.entries(result.statusCounts).map(([k, v]) => [k, v]));
  // hey's summary and status lines, as progress (stdout may carry the --json report)
  for (const l of briefLines(summarize(result))) io.say(l);
  return { result, statusCounts, localPeak: local?.peak };
}

/**
 * The local cloud's count of the function's executions, under the chart. While the run goes: how
 * many run now and the most at once so far; once it ended, only the most at once (what ran "now"
 * at the last sample is no figure of the run). Beside it the limit the function draws from: its
 * reserved concurrency, else the account's (Lambda's default quota, 1000 concurrent executions in
 * a Region, as the workshop says), or what the account leaves unreserved when other functions
 * reserve some ("Managing Lambda reserved concurrency",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html; PutFunctionConcurrency,
 * https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html).
 */
export function executionsLine(c: LocalConcurrency, phase: 'running' | 'ended'): string {
  const limit =
    c.reserved !== null
      ? `reserved concurrency: ${c.reserved}`
      : c.limit === null
        ? ''
        : c.accountLimit === null || c.limit === c.accountLimit
          ? `the account allows ${c.limit}`
          : `${c.limit} unreserved of ${c.accountLimit}`;
  const counts = phase === 'running' ? `executions at once: ${String(c.inFlight).padStart(3)} now, at most ${String(c.peak).padStart(3)} so far` : `at most ${c.peak} executions at once`;
  return limit ? `${counts} (${limit})` : counts;
}

/** no answer back for this long while requests are still out: the chart says so */
export const SILENT_AFTER_MS = 10_000;

/**
 * Whether answers still come back, by the run's own clock (the progress' elapsedMs, so a test
 * drives it): a cloud that stopped answering (stopped with kill -STOP, or too busy) showed a chart
 * that kept its `50 now` and no word of it, until every request timed out. Said under the chart
 * once no answer has come for SILENT_AFTER_MS, with the local cloud's log to look at.
 */
export class SilenceWatch {
  #done = 0;
  #since = 0;
  constructor(readonly log?: string) {}

  see(p: LoadTestProgress): string | undefined {
    if (p.done !== this.#done) {
      this.#done = p.done;
      this.#since = p.elapsedMs;
    }
    const silent = p.elapsedMs - this.#since;
    if ((p.total !== null && p.done >= p.total) || silent < SILENT_AFTER_MS) return undefined;
    return `no answer for ${Math.floor(silent / 1000)} s: is the cloud answering?${this.log ? ` (its log: ${this.log})` : ''}`;
  }
}

/** the chart's height on a terminal: with its title, the totals and the executions line, 11 lines */
export const CHART_ROWS = 8;

interface Row {
  /** seconds of the run: the row's answers came after `from` and by `to` */
  from: number;
  to: number;
  ok: number;
  fivexx: number;
}

/**
 * The chart's rows: answers per second by status, one row per whole second of the run (labelled
 * by the second it reached; a second with no answer is a row of zeros), and one for the part-second
 * of the last answers, labelled by the second it ends in. Progress keeps coming after the last
 * answer (the run closes its sockets): it adds no row.
 *
 * On a terminal the chart has CHART_ROWS rows and covers the whole run: a run longer than that
 * shows 2, 4, 8 … seconds a row, each at its answers per second. Rows that scrolled away took the first second with them, and
 * that is where a throttled run's 5xx answers come (every connection over the limit is answered at
 * once): the split the lesson is about was gone by the end. A log (the plain face) keeps every row.
 */
export class SecondRows {
  readonly #rows: Row[] = [];
  #prev = { done: 0, ok: 0, fivexx: 0, second: 0 };

  add(p: LoadTestProgress): void {
    const ok = p.byClass[2] ?? 0;
    const fivexx = p.byClass[5] ?? 0;
    const secs = p.elapsedMs / 1000;
    const whole = Math.floor(secs);
    if (p.done === p.total) {
      // the last answers: a row for the part-second they came in, then none
      if (p.done > this.#prev.done) this.#push(whole > this.#prev.second ? whole : Math.ceil(secs), p.done, ok, fivexx);
    } else if (whole > this.#prev.second) this.#push(whole, p.done, ok, fivexx);
  }

  /**
   * The chart for a terminal, redrawn in place: the whole run in at most `maxRows` rows, one
   * second a row while it fits, else the seconds in groups of 2, 4, 8 … (labelled `from-to s`).
   * The chart is titled answers per second, and a row of several seconds still says answers per
   * second: its answers divided by its seconds (`19/s`), where the row's total ("24-32s 2xx 150")
   * read as 150 a second, and rows of 8 s (the baseline) could not be set beside rows of 16 s (the
   * longer throttled run). A row of one second shows its count, which is its rate. Bars are scaled
   * to the busiest row shown.
   */
  view(maxRows: number): string[] {
    let span = 1;
    while (Math.ceil(this.#rows.length / span) > Math.max(1, maxRows)) span *= 2;
    const rows: Row[] = [];
    for (let i = 0; i < this.#rows.length; i += span) {
      const group = this.#rows.slice(i, i + span);
      rows.push({
        from: group[0]!.from,
        to: group[group.length - 1]!.to,
        ok: group.reduce((n, r) => n + r.ok, 0),
        fivexx: group.reduce((n, r) => n + r.fivexx, 0),
      });
    }
    if (span === 1) {
      const countWidth = Math.max(4, ...rows.map((r) => String(Math.max(r.ok, r.fivexx)).length));
      const labelWidth = Math.max(4, ...rows.map((r) => `${r.to}s`.length));
      const scale = Math.max(1, ...rows.map(busiest));
      return rows.map((r) => chartRow(`${r.to}s`.padStart(labelWidth), r, countWidth, scale));
    }
    const rates = rows.map((r) => {
      const secs = Math.max(1, r.to - r.from);
      return { label: `${r.from}-${r.to}s`, ok: r.ok / secs, fivexx: r.fivexx / secs };
    });
    const labelWidth = Math.max(4, ...rates.map((r) => r.label.length));
    const countWidth = Math.max(4, ...rates.map((r) => Math.max(perSecond(r.ok).length, perSecond(r.fivexx).length)));
    const scale = Math.max(1e-9, ...rates.map((r) => Math.max(r.ok, r.fivexx)));
    return rates.map(
      (r) => `${r.label.padStart(labelWidth)}  2xx ${perSecond(r.ok).padStart(countWidth)} ${bar(r.ok / scale, 12)}  5xx ${perSecond(r.fivexx).padStart(countWidth)} ${bar(r.fivexx / scale, 12)}`,
    );
  }

  /**
   * The chart for a log, which only appends: every second, each row as it was first drawn (bars
   * scaled to the busiest second up to it), so a row printed once is never printed again.
   */
  log(): string[] {
    let peak = 1;
    return this.#rows.map((r) => {
      peak = Math.max(peak, busiest(r));
      return chartRow(`${String(r.to).padStart(3)}s`, r, 4, peak);
    });
  }

  #push(second: number, done: number, ok: number, fivexx: number): void {
    this.#rows.push({ from: this.#prev.second, to: second, ok: ok - this.#prev.ok, fivexx: fivexx - this.#prev.fivexx });
    this.#prev = { done, ok, fivexx, second };
  }
}

const busiest = (r: Row): number => Math.max(r.ok, r.fivexx);

/** a rate a row of several seconds shows: `19/s`, `2.5/s` under ten, `0/s` */
function perSecond(rate: number): string {
  if (rate === 0) return '0/s';
  return `${rate >= 10 ? Math.round(rate) : Math.max(0.1, Math.round(rate * 10) / 10)}/s`;
}

function chartRow(label: string, r: Row, countWidth: number, scale: number): string {
  return `${label}  2xx ${String(r.ok).padStart(countWidth)} ${bar(r.ok / scale, 12)}  5xx ${String(r.fivexx).padStart(countWidth)} ${bar(r.fivexx / scale, 12)}`;
}
