/**
 * Chapter 4.3 · reserved concurrency. A load test with no limit (every answer 200); reserve 25
 * executions for the function; the same load test again, now split between 200s and throttled
 * answers, with never more than 25 executions at once; then give the reservation back.
 */
import { InterruptedError } from '../errors.js';
import { couldNotCheck, hintCommand, notYet, passed, showing, type LiveCheck } from '../lab/check.js';
import { sleep } from '../lab/solver.js';
import { cliCommand } from '../invocation.js';
import { labCommand } from '../lab/outside.js';
import type { LabContext } from '../lab/context.js';
import type { Step } from '../lab/step.js';
import { appFunction, functionName, NotDeployed, whenDeployed } from './shared/app.js';
import { cloudNow } from './shared/cloud-time.js';
import { cloudWatchPeak, cloudWatchPeakCommand, cloudWatchThrottles, cloudWatchThrottlesCommand, planReservation, reservedConcurrency, WORKSHOP_RESERVATION } from './shared/concurrency.js';
import { API_INTEGRATION_TIMEOUT_S, chartedLoadTest, heyCommand, LOAD_TEST_TIMEOUT_S, loadSize, type LoadSize } from './shared/load.js';
import { answersInWords, countsOf, refusedOf, unansweredInWords } from './shared/words.js';
import { commandSolve } from './shared/solve.js';
import { lambdaCommands } from '../targets/clients.js';
import { localCloudLog } from '../targets/cloud-log.js';

const { DeleteFunctionConcurrencyCommand, PutFunctionConcurrencyCommand } = lambdaCommands;

export const concurrencyChapter = { id: 'concurrency', title: 'Reserved concurrency', section: '4.3' };

const DOCS = [
  { title: 'Lambda reserved concurrency', url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html' },
  { title: 'Handling Lambda errors with an API Gateway API', url: 'https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html' },
];

type Counts = Record<string, number>;

function lastRun(ctx: LabContext, stepId: string): { statusCounts?: Counts; requests?: number } {
  return (ctx.allFigures()[stepId] ?? {}) as { statusCounts?: Counts; requests?: number };
}

/** the reservation the throttled load test starts from: what the reserve step reserved (25, or less on a small account) */
function labReservation(ctx: LabContext): number {
  const v = ctx.allFigures()['concurrency-reserve']?.reserved;
  return typeof v === 'number' && v > 0 ? v : WORKSHOP_RESERVATION;
}

/** the put-function-concurrency that sets the lab's reservation */
const putReservation = (ctx: LabContext, fn: string) => ctx.aws(`lambda put-function-concurrency --function-name ${fn} --reserved-concurrent-executions ${labReservation(ctx)}`);

/**
 * When the function's reservation is not the one the throttled load test starts from: what it is,
 * and the command that puts the lab's back. Undefined when it is, or cannot be read.
 */
async function reservationOff(ctx: LabContext, fn: string, signal?: AbortSignal): Promise<string | undefined> {
  const want = labReservation(ctx);
  const r = await reservedConcurrency(ctx, fn, signal).catch(() => undefined);
  if (r === undefined || r === want) return undefined;
  const has = r === null ? 'the function has no reservation now' : `the function has ${r} reserved now`;
  return `${has}, and this step's load test wants ${want}: put ${want} back:${hintCommand(putReservation(ctx, fn))}\nthen run the load test again (x)`;
}

/**
 * The load-test checks show one of two commands beside what they say:
 * - passed: the load test whose figures they read, the size the step's last whole run had
 *   (`requests` and `concurrency`, as loadAndKeep keeps them). A run kept from a run of the
 *   workshop's size (1000 × 50) and checked under --ci (90 × 30) was shown beside
 *   `loadtest -n 90 -c 30`, a command that did not make its figures.
 * - not yet (and the check's own command, before a run): the load test x runs, loadSize, the
 *   chapter's 50 connections when interactive. A not-yet asks for a run ("press x to run it
 *   again"): a --ci run's figures, read interactively, were shown beside `loadtest -n 40 -c 20`
 *   and x ran -n 1000 -c 50. (x running the quoted size instead would have given an interactive
 *   learner --ci's short run, not the workshop's, and --ci the workshop's size.)
 */
function measuredSize(ctx: LabContext, stepId: string, phase: 'baseline' | 'throttled'): LoadSize {
  const { requests, concurrency } = (ctx.allFigures()[stepId] ?? {}) as { requests?: unknown; concurrency?: unknown };
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;
  if (!whole(requests) || !whole(concurrency)) return loadSize(ctx, phase);
  return { requests, concurrency };
}

/** a check's pass, beside the load test that made its figures */
const passedRun = (ctx: LabContext, stepId: string, phase: 'baseline' | 'throttled', found: string, also?: string) =>
  showing(passed(found), heyCommand(ctx, measuredSize(ctx, stepId, phase)) + (also ? `\n${also}` : ''));

/** the throttles of the throttled run as CloudWatch counts them, to paste: the figure the split check reports */
const throttlesCommand = (ctx: LabContext) => cloudWatchThrottlesCommand(ctx, functionName(ctx), loadWindow(ctx, 'concurrency-throttled'));

const sum = (c: Counts, pred: (status: number) => boolean) => Object.entries(c).reduce((n, [k, v]) => n + (pred(Number(k)) ? v : 0), 0);

/** runs the workshop's load test as the step's action, keeping its figures */
async function loadAndKeep(ctx: LabContext, phase: 'baseline' | 'throttled', title: string): Promise<void> {
  const fn = appFunction(ctx).name;
  const size = loadSize(ctx, phase);
  if (ctx.ci) ctx.instructorNote(`concurrency (${phase}): --ci runs -n ${size.requests} -c ${size.concurrency} instead of the workshop's -n 1000 -c 50`);
  else if (ctx.catchingUp) {
    const step = phase === 'baseline' ? baselineStep.id : throttledStep.id;
    ctx.io.say(`catching up, the lab runs a short load test, -n ${size.requests} -c ${size.concurrency} (the workshop's is -n 1000 -c 50): enough ${phase === 'baseline' ? 'to set the throttled run beside' : 'to show the split and the peak'}. \`${labCommand(['step', step], { workspace: ctx.ws.root, target: ctx.target })}\` runs the workshop's.`);
  }
  if (phase === 'throttled') await freshMinuteAfter(ctx, 'concurrency-baseline');
  const started = await cloudNow(ctx);
  const run = await chartedLoadTest(ctx, fn, size, title);
  const ended = await cloudNow(ctx);
  ctx.figure('requests', run.result.sent);
  ctx.figure('concurrency', size.concurrency);
  ctx.figure('statusCounts', run.statusCounts);
  // the requests without an answer, by why (`connect ECONNREFUSED …`, `request timed out after 30 s (-t)`)
  ctx.figure('unanswered', { ...run.result.errorCounts });
  ctx.figure('durationMs', Math.round(run.result.durationMs));
  ctx.figure('window', [started.toISOString(), ended.toISOString()]);
  ctx.figure('stoppedEarly', run.result.interrupted);
  if (run.localPeak !== undefined) ctx.figure('localPeak', run.localPeak);
  // Ctrl-C: what was measured is kept and shown; the step stops here
  if (run.result.interrupted) throw new InterruptedError(`load test stopped after ${run.result.sent} requests`);
}

/**
 * CloudWatch keeps ConcurrentExecutions per minute: a throttled run begun in the minute the
 * baseline ended would share that minute's data point, and the baseline's peak (up to 50) would
 * read as the throttled run's. So it starts in the next minute of cloud time: at most 6 s at the
 * interactive speed, a minute on AWS (a learner reading the last step has usually let it pass).
 */
async function freshMinuteAfter(ctx: LabContext, stepId: string): Promise<void> {
  const window = loadWindow(ctx, stepId);
  if (!window) return;
  const next = (Math.floor(window[1].getTime() / 60_000) + 1) * 60_000;
  let now = (await cloudNow(ctx)).getTime();
  if (now >= next) return;
  const wait = ctx.io.progress("waiting for CloudWatch's next minute (this run's own peak)");
  try {
    while (now < next) {
      await sleep(Math.min(1000, Math.max(50, (next - now) / ctx.speed)), ctx.signal);
      now = (await cloudNow(ctx)).getTime();
    }
  } finally {
    wait.stop();
  }
}

/** when a step's load test ran, in cloud time (loadAndKeep keeps it so); undefined before a run */
function loadWindow(ctx: LabContext, stepId: string): [Date, Date] | undefined {
  const w = ctx.allFigures()[stepId]?.window;
  if (!Array.isArray(w) || w.length !== 2) return undefined;
  const [from, to] = w.map((t) => new Date(t));
  return from && to && Number.isFinite(from.getTime()) && Number.isFinite(to.getTime()) ? [from, to] : undefined;
}

/**
 * Said with a not-yet that asks for a run: the command beside it is the load test x runs, shown to
 * read, not to paste. The checks read the figures the lab kept of its own run (statusCounts, the
 * run's window for CloudWatch); a run from a shell leaves none of them, so it is not counted.
 */
const xRunsIt = (ctx: LabContext): string =>
  ctx.ci
    ? // --ci presses no key: the lab runs it next, and the instructor reads why a shell's run would not count
      'the lab runs the load test shown below and counts its answers. A run from a shell (that command pasted) is not counted: the lab sees only the runs it makes.'
    : 'press x: the lab runs the load test shown below and counts its answers. A run of your own (that command pasted in a shell) is not counted: the lab sees only the runs it makes.';

/** a run stopped by Ctrl-C, found: run it again (x on a terminal; --ci's next run does) */
const stoppedEarlyFound = (ctx: LabContext): string => (ctx.ci ? 'the last one was stopped early' : 'the last one was stopped early: press x to run it again');

/** the cloud's log, by its path on the local cloud (emulator.log in the workspace's state dir) */
function cloudLog(ctx: LabContext): string {
  return ctx.target === 'local' ? `the cloud's log (${localCloudLog(ctx.ws.stateDir)})` : "the cloud's log";
}

/** a run stopped by Ctrl-C proves nothing either way */
function stoppedEarly(ctx: LabContext, stepId: string): boolean {
  return ctx.allFigures()[stepId]?.stoppedEarly === true;
}

/**
 * Why the last run's requests without an answer got none, as the run kept it: refused
 * (ECONNREFUSED, within a fraction of a second: nothing listened at the API's address, a cloud
 * stopped) is said as that, with the way to bring the cloud back; timed out as the -t timeout.
 * It said "timed out (30 s …)" of 1000 requests refused within 0.3 s.
 */
function withoutAnswerHint(ctx: LabContext, stepId: string): string {
  const by = countsOf(ctx.allFigures()[stepId]?.unanswered);
  if (refusedOf(by) > 0) return `the requests without an answer were ${unansweredInWords(by)}: nothing listened at the API's address, so no answer was a throttle or a timeout; ${ctx.environmentFix}, then run the load test again (x).`;
  return `requests without an answer timed out (${LOAD_TEST_TIMEOUT_S} s, longer than the API's own ${API_INTEGRATION_TIMEOUT_S} s): the API did not answer at all; look at ${cloudLog(ctx)}, then run the load test again (x).`;
}

const baselineChecks: LiveCheck[] = [
  {
    name: 'the load test with no limit: every answer 200',
    aws: (ctx) => heyCommand(ctx, loadSize(ctx, 'baseline')),
    run: async (ctx) => {
      const c = lastRun(ctx, 'concurrency-baseline').statusCounts;
      if (!c) return notYet('a load test run', 'none yet', xRunsIt(ctx));
      if (stoppedEarly(ctx, 'concurrency-baseline')) return notYet('a whole load test run', stoppedEarlyFound(ctx), xRunsIt(ctx));
      const ok = sum(c, (s) => s === 200);
      // requests that got no answer at all (timed out, refused) count against it too
      const all = Math.max(sum(c, () => true), lastRun(ctx, 'concurrency-baseline').requests ?? 0);
      if (ok === all && all > 0) return passedRun(ctx, 'concurrency-baseline', 'baseline', `${ok} of ${all} answered 200`);
      const lost = all - sum(c, () => true);
      const hint =
        sum(c, (s) => s === 502) > 0
          ? `502 is a function that failed or timed out, not a throttle: look at the function's Timeout, and at ${cloudLog(ctx)} for the cause; then run the load test again (x).`
          : sum(c, (s) => s === 504) > 0
            ? `504 is API Gateway's integration timeout (${API_INTEGRATION_TIMEOUT_S} s), not a throttle: the function did not answer in time, most often the first burst's cold starts${ctx.target === 'local' ? ", which on the local cloud share this machine's cores" : ''}; run the load test again (x), on environments now warm.`
            : lost
              ? withoutAnswerHint(ctx, 'concurrency-baseline')
              : undefined;
      return notYet(`all ${all} answers 200`, `${answersInWords(c)}${lost ? `, and ${lost} without an answer` : ''}`, hint);
    },
  },
];

export const baselineStep: Step = {
  id: 'concurrency-baseline',
  chapter: concurrencyChapter,
  title: 'load test with no limit',
  // the size said is the size x (or --ci) runs: --ci's is shorter than the workshop's (loadSize)
  explain: (ctx) => {
    const { requests, concurrency } = loadSize(ctx, 'baseline');
    const size = ctx.ci ? `${concurrency} connections, ${requests} requests (--ci's short run; the workshop's hey: 50 connections, 1000 requests)` : `${concurrency} connections, as the workshop's hey`;
    return [`Since its version 2 the app waits 3 s per request, so under load many executions run at once, drawn from the account's pool (1000 by default). First, no limit: ${size}.`];
  },
  goal: 'a load test in which every answer is 200',
  action: { kind: 'run', label: 'run the load test' },
  staticChecks: [],
  liveChecks: baselineChecks,
  hints: ['Press x: the lab runs the load test and charts the answers per second.', `The same load test from a terminal is printed above the chart, and under it the workshop's own hey, ready for this cloud, with -t ${LOAD_TEST_TIMEOUT_S} (hey gives up after 20 s, and the first 50 cold starts can take longer).`],
  docs: DOCS,
  // the chart prints the load test it runs (chartedLoadTest)
  solve: { show: async (ctx) => ({ command: heyCommand(ctx) }), apply: (ctx) => loadAndKeep(ctx, 'baseline', 'answers per second (no limit)'), showsCommand: true },
};

const reservationIs = (want: (ctx: LabContext) => Promise<number>): LiveCheck => ({
  name: 'the function has reserved concurrency',
  aws: (ctx) => ctx.aws(`lambda get-function-concurrency --function-name ${functionName(ctx)}`),
  run: (ctx, signal) =>
    whenDeployed(async () => {
      const fn = appFunction(ctx).name;
      const expected = await want(ctx);
      if (expected <= 0) return couldNotCheck('reserve any concurrency in this account', 'ask AWS Support for a higher "Concurrent executions" quota');
      const r = await reservedConcurrency(ctx, fn, signal);
      if (r === expected) return passed(`${r} reserved`);
      const elsewhere = r === null ? await reservedElsewhere(ctx, fn, signal) : undefined;
      if (elsewhere) {
        return notYet(
          `${expected} reserved`,
          `no reservation on ${fn}; ${elsewhere.reserved} on ${elsewhere.name}`,
          `the reservation went to ${elsewhere.name}, not the app's function: give it back, then reserve on ${fn}:${hintCommand(ctx.aws(`lambda delete-function-concurrency --function-name ${elsewhere.name}`))}`,
        );
      }
      const hint =
        wrongReservation(ctx, fn, r, expected) ??
        (r === null ? 'run put-function-concurrency with --reserved-concurrent-executions (the Lambda console calls it "Reserve concurrency").' : undefined);
      return notYet(`${expected} reserved`, r === null ? 'no reservation' : r === 0 ? '0 reserved: every call is throttled' : `${r} reserved`, hint);
    }),
});

/**
 * A reservation the learner made that is not the lab's, said with the command that puts the lab's
 * in its place, as each mistake's hint gives its way out: 0 (zeroReserved), or more than the
 * lab's (900 read as "plenty": never throttled). Undefined for none, the lab's, or one below it.
 */
function wrongReservation(ctx: LabContext, fn: string, r: number | null, expected: number): string | undefined {
  if (r === 0) return zeroReserved(ctx, fn, expected);
  if (r === null || r <= expected) return undefined;
  return `${r} is more than the lab's ${expected}: the load test would never be throttled, and a reservation takes executions away from every other function in the account (it must leave ${100} unreserved). Reserve ${expected} in its place:${hintCommand(reserveCommand(ctx, fn, expected))}`;
}

const reserveCommand = (ctx: LabContext, fn: string, amount: number) => ctx.aws(`lambda put-function-concurrency --function-name ${fn} --reserved-concurrent-executions ${amount}`);

/**
 * A reservation of 0 stops the function: "To throttle a function, set the reserved concurrency to
 * zero. This stops any events from being processed until you remove the limit"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html). The reserve step
 * said nothing then: neither more than the lab's nor none.
 */
function zeroReserved(ctx: LabContext, fn: string, expected: number): string {
  return `a reservation of 0 stops the function: Lambda throttles every call to it (ReservedFunctionConcurrentInvocationLimitExceeded), and the API answers each with a 5xx. Reserve ${expected} in its place:${hintCommand(reserveCommand(ctx, fn, expected))}`;
}

/**
 * Another function of the stack with a reservation, when the app's has none: a learner who ran
 * put-function-concurrency on the hook (list-functions shows it first) was told only to run
 * put-function-concurrency, and the hook's reservation stayed taken from the account's pool.
 */
async function reservedElsewhere(ctx: LabContext, fn: string, signal?: AbortSignal): Promise<{ name: string; reserved: number } | undefined> {
  for (const other of ctx.deployment().functions) {
    if (other.name === fn) continue;
    const reserved = await reservedConcurrency(ctx, other.name, signal).catch(() => null);
    if (reserved !== null) return { name: other.name, reserved };
  }
  return undefined;
}

const reserveAmount = async (ctx: LabContext) => (await planReservation(ctx, appFunction(ctx).name)).amount;

export const reserveStep: Step = {
  id: 'concurrency-reserve',
  chapter: concurrencyChapter,
  title: `reserve ${WORKSHOP_RESERVATION} executions`,
  explain: [
    `Reserved concurrency caps a function at N executions at once and guarantees it those N: a runaway function cannot starve the others. Every version and alias of the function shares them. Reserve ${WORKSHOP_RESERVATION}.`,
  ],
  goal: `GetFunctionConcurrency says ${WORKSHOP_RESERVATION}`,
  action: { kind: 'command', command: (ctx) => ctx.aws(`lambda put-function-concurrency --function-name ${functionName(ctx)} --reserved-concurrent-executions ${WORKSHOP_RESERVATION}`) },
  staticChecks: [],
  liveChecks: [reservationIs(reserveAmount)],
  hints: [
    {
      // the h key, as the check's own hint: a reservation of 0 (it stops every call) or more than the lab's
      fromState: async (ctx, signal) => {
        const fn = appFunction(ctx).name;
        const r = await reservedConcurrency(ctx, fn, signal);
        return r === null ? undefined : wrongReservation(ctx, fn, r, await reserveAmount(ctx));
      },
    },
    'The command is printed above; on the console it is Configuration → Concurrency → Edit → Reserve concurrency.',
    'In a template, the same setting is the function property ReservedConcurrentExecutions.',
  ],
  docs: DOCS,
  async prepare(ctx) {
    const plan = await planReservation(ctx, appFunction(ctx).name, ctx.signal);
    if (plan.adapted) {
      ctx.io.warn(plan.adapted);
      ctx.instructorNote(`concurrency: ${plan.adapted}`);
    }
    ctx.figure('reserved', plan.amount);
  },
  solve: commandSolve(
    (ctx) => ctx.aws(`lambda put-function-concurrency --function-name ${functionName(ctx)} --reserved-concurrent-executions ${WORKSHOP_RESERVATION}`),
    async (ctx) => {
      const fn = appFunction(ctx).name;
      const amount = (await planReservation(ctx, fn, ctx.signal)).amount;
      await ctx.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: amount }), { abortSignal: ctx.signal });
    },
  ),
};

const throttledChecks: LiveCheck[] = [
  {
    name: 'the load test was split between 200s and throttled 5xx answers',
    // the load test, then the Throttles it reads (once a run gave it a window)
    aws: (ctx) => heyCommand(ctx, loadSize(ctx, 'throttled')) + (loadWindow(ctx, 'concurrency-throttled') ? `\n${throttlesCommand(ctx)}` : ''),
    timeoutMs: 20_000,
    run: (ctx, signal) =>
      whenDeployed(async () => {
        const c = lastRun(ctx, 'concurrency-throttled').statusCounts;
        if (!c) return notYet('a load test run with the reservation', 'none yet', xRunsIt(ctx));
        if (stoppedEarly(ctx, 'concurrency-throttled')) return notYet('a whole load test run', stoppedEarlyFound(ctx), xRunsIt(ctx));
        const window = loadWindow(ctx, 'concurrency-throttled');
        if (!window) return notYet('a load test run with the reservation', 'none yet');
        const fn = appFunction(ctx).name;
        const ok = sum(c, (s) => s === 200);
        // a throttle is what Lambda counted as one (Throttles), not any 5xx: a 502 or 504 of a
        // function that failed or timed out on a busy host passed this check with no reservation
        const throttled = await cloudWatchThrottles(ctx, fn, window[0], window[1], signal);
        if (throttled === undefined) return notYet("Lambda's Throttles for the run", 'no data point yet (CloudWatch publishes every minute)');
        const answers = answersInWords(c);
        const fivexx = sum(c, (s) => s >= 500);
        const other = fivexx > throttled ? `; ${fivexx - throttled} other 5xx were no throttle (a function that failed or timed out)` : '';
        const found = `${ok} × 200, ${throttled} throttled by Lambda (CloudWatch Throttles); in all ${answers}${other}`;
        if (ok > 0 && throttled > 0) return passedRun(ctx, 'concurrency-throttled', 'throttled', found, throttlesCommand(ctx));
        const hint = throttled === 0 ? ((await reservationOff(ctx, fn, signal)) ?? 'Lambda throttled nothing: the reservation is in place, so more connections than it at once are needed; run the load test again (x)') : undefined;
        return notYet('some 200s and some invocations throttled by Lambda', found, hint);
      }),
  },
  {
    name: `never more executions at once than reserved (CloudWatch ConcurrentExecutions, Maximum)`,
    aws: (ctx) => cloudWatchPeakCommand(ctx, functionName(ctx), loadWindow(ctx, 'concurrency-throttled')),
    timeoutMs: 20_000,
    run: (ctx, signal) =>
      whenDeployed(async () => {
        const figures = ctx.allFigures()['concurrency-throttled'] ?? {};
        const window = loadWindow(ctx, 'concurrency-throttled');
        if (!window) return notYet('a load test run with the reservation', 'none yet');
        const fn = appFunction(ctx).name;
        const limit = (ctx.allFigures()['concurrency-reserve']?.reserved as number | undefined) ?? WORKSHOP_RESERVATION;
        let peak: number | undefined;
        let source = 'CloudWatch';
        try {
          peak = await cloudWatchPeak(ctx, fn, window[0], window[1], signal);
        } catch (err) {
          if (ctx.target === 'aws') throw err;
        }
        const local = figures.localPeak as number | undefined;
        if (peak === undefined && local !== undefined) {
          peak = local;
          source = 'the local cloud (CloudWatch had no data point)';
        }
        if (peak === undefined) return notYet('a ConcurrentExecutions data point', 'none yet (CloudWatch publishes every minute)');
        ctx.figure('peakConcurrency', peak);
        if (local !== undefined) ctx.figure('localPeak', local);
        if (peak <= limit) return passed(`peak ${peak} of ${limit}, from ${source}${local !== undefined && source === 'CloudWatch' ? `; the local cloud counted ${local}` : ''}`);
        return notYet(`at most ${limit}`, `${peak}`, await reservationOff(ctx, fn, signal));
      }),
  },
];

/**
 * The throttled run's connections, beside the baseline's: "the same 50" only when the baseline ran
 * 50; a catch-up's short baseline (loadSize) is said so, and a workspace with no baseline run says
 * it has none, with the command that runs one.
 */
function baselineWas(ctx: LabContext, concurrency: number): string {
  const { concurrency: before, statusCounts } = (ctx.allFigures()[baselineStep.id] ?? {}) as { concurrency?: unknown; statusCounts?: unknown };
  // a run kept before its size was (an older progress.json): the workshop's
  if (before === concurrency || (before === undefined && statusCounts !== undefined)) return `The same ${concurrency} connections now`;
  if (typeof before === 'number') return `Now ${concurrency} connections (the baseline, caught up short, ran ${before})`;
  return `Now ${concurrency} connections (no baseline ran in this workspace to set them beside: \`${labCommand(['step', baselineStep.id], { workspace: ctx.ws.root, target: ctx.target })}\` runs it)`;
}

export const throttledStep: Step = {
  id: 'concurrency-throttled',
  chapter: concurrencyChapter,
  title: 'the same load test, now throttled',
  explain: (ctx) => {
    const { requests, concurrency } = loadSize(ctx, 'throttled');
    const load = ctx.ci ? `Now ${concurrency} connections, ${requests} requests (--ci's short run; the workshop's hey: the same 50 connections again) meet` : `${baselineWas(ctx, concurrency)} meet`;
    return [
      `${load} a limit of ${WORKSHOP_RESERVATION}. Lambda refuses each invocation beyond it (429, ReservedFunctionConcurrentInvocationLimitExceeded); API Gateway answers those 500.`,
      `The workshop recorded 502, which AWS now documents for a failed function. The local cloud answers a throttle as it was started to: the lab's answers 500 (${ctx.ci ? "one started with --throttle-status 502 answers the workshop's 502" : "below: how to restart it with the workshop's 502"}).`,
    ];
  },
  goal: 'answers split between 200 and throttled 5xx; never more than 25 at once',
  action: { kind: 'run', label: 'run the load test again' },
  notes: ['Throttled requests are cheap for Lambda and expensive for the caller: a client that retries at once makes it worse. Clients should back off, or the front door should queue.'],
  staticChecks: [],
  liveChecks: throttledChecks,
  settleMs: 90_000,
  // the reservation: put back by prepare (reservationBack) when it is gone
  restoresFromPrevious: ['the function has reserved concurrency'],
  onReset: `the function's reservation stays as it is (deploying sam-app/ does not change it). When the step starts again, the lab reserves the ${WORKSHOP_RESERVATION} it starts from (or what concurrency-reserve reserved) if the function has another, and says so.`,
  hints: [
    'Press x to run the load test. If every answer is 200, the reservation is gone: the step says so, with the command that puts it back.',
    'The peak comes from CloudWatch, which publishes Lambda metrics every minute: a fresh run can take a minute to show.',
  ],
  docs: DOCS,
  async prepare(ctx) {
    await reservationBack(ctx);
    // a bare `emulator --throttle-status 502` starts a second cloud, which finds 4566 held by the
    // lab's: the lab's own cloud is restarted with it, its state (the reservation) kept
    const restart = workshopThrottleCommands(ctx);
    if (!restart || ctx.ci) return;
    ctx.io.say("For the workshop's 502, restart the lab's cloud with it in another terminal before you press x (its state stays, and the lab goes on with it):");
    ctx.io.command(restart.join('\n'));
  },
  solve: {
    show: async (ctx) => ({ command: heyCommand(ctx, loadSize(ctx, 'throttled')) }),
    showsCommand: true,
    // the chart's title says the reservation the function has, read as the run starts: it said
    // "reserved 25" over a run with none
    apply: async (ctx) => {
      const r = await reservedConcurrency(ctx, appFunction(ctx).name, ctx.signal).catch(() => undefined);
      return loadAndKeep(ctx, 'throttled', `answers per second (${r === undefined ? 'reservation unknown' : r === null ? 'no reservation' : `reserved ${r}`})`);
    },
  },
};

/**
 * The throttled load test starts from the reserve step's reservation. After the chapter (the
 * restore step deleted it) a `reset concurrency-throttled` left none, and the step's run was never
 * throttled; a reservation of 0 throttles every call. Either way it is put back here, as the canary
 * steps put their stage where they start, and said.
 */
async function reservationBack(ctx: LabContext): Promise<void> {
  let fn: string;
  try {
    fn = appFunction(ctx).name;
  } catch (err) {
    if (err instanceof NotDeployed) return; // nothing deployed: the step's checks say so
    throw err;
  }
  const want = labReservation(ctx);
  const r = await reservedConcurrency(ctx, fn, ctx.signal);
  if (r === want) return;
  await ctx.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: want }), { abortSignal: ctx.signal });
  ctx.io.say(`this step starts from ${want} reserved executions, and the function had ${r === null ? 'none' : r}: the lab reserved ${want} again (put-function-concurrency)`);
}

/**
 * The lab's own cloud restarted to answer a throttled invocation with the workshop's 502: stopped,
 * then started on the workspace, the port and the speed the lab talks to (a cloud on another port
 * or speed would leave the lab's clients and timers behind). Undefined off the local cloud.
 */
export function workshopThrottleCommands(ctx: LabContext): string[] | undefined {
  if (ctx.target !== 'local' || !ctx.endpoint) return undefined;
  const port = new URL(ctx.endpoint).port;
  const ws = ['--workspace', ctx.ws.root];
  return [cliCommand(['emulator', 'stop', ...ws]), cliCommand(['emulator', 'start', ...ws, '--port', port, '--speed', String(ctx.speed), '--throttle-status', '502'])];
}

export const restoreStep: Step = {
  id: 'concurrency-restore',
  chapter: concurrencyChapter,
  title: 'give the reservation back',
  explain: ["A reservation is taken from the account's pool even while the function sleeps: give it back."],
  goal: 'the function has no reserved concurrency',
  action: { kind: 'command', command: (ctx) => ctx.aws(`lambda delete-function-concurrency --function-name ${functionName(ctx)}`) },
  staticChecks: [],
  liveChecks: [
    {
      name: 'the function has no reserved concurrency',
      aws: (ctx) => ctx.aws(`lambda get-function-concurrency --function-name ${functionName(ctx)}`),
      run: (ctx, signal) =>
        whenDeployed(async () => {
          const fn = appFunction(ctx).name;
          const r = await reservedConcurrency(ctx, fn, signal);
          // 0 is a reservation too, the one that stops every call: said with the command that gives it back
          const zero = `a reservation of 0 stops the function altogether; delete the reservation instead:${hintCommand(ctx.aws(`lambda delete-function-concurrency --function-name ${fn}`))}`;
          return r === null ? passed('none reserved') : notYet('no reservation', `${r} reserved`, r === 0 ? zero : undefined);
        }),
    },
  ],
  hints: ['delete-function-concurrency removes it; put-function-concurrency with 0 would stop the function instead.'],
  docs: DOCS,
  solve: commandSolve(
    (ctx) => ctx.aws(`lambda delete-function-concurrency --function-name ${functionName(ctx)}`),
    async (ctx) => {
      await ctx.clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: appFunction(ctx).name }), { abortSignal: ctx.signal });
    },
  ),
};

export const concurrencySteps: Step[] = [baselineStep, reserveStep, throttledStep, restoreStep];
