/**
 * Reads of a function's concurrency: the reservation (GetFunctionConcurrency), the account's
 * limits (GetAccountSettings), the peak of concurrent executions from CloudWatch's
 * ConcurrentExecutions (Maximum), and on the local target the cloud's own live count at
 * GET /_lab/lambda/concurrency, as a cross-check.
 */
import { hintCommand } from '../../lab/check.js';
import type { LabContext } from '../../lab/context.js';
import { concurrencySnapshot } from '../../targets/lab-paths.js';
import { cliTime, cloudTimeNote } from './cloud-time.js';
import { cloudWatchCommands, lambdaCommands } from '../../targets/clients.js';

const { GetMetricStatisticsCommand } = cloudWatchCommands;
const { GetAccountSettingsCommand, GetFunctionConcurrencyCommand } = lambdaCommands;

/** the workshop reserves 25 */
export const WORKSHOP_RESERVATION = 25;
/** Lambda keeps at least this many executions unreserved for the account (GetAccountSettings) */
export const MIN_UNRESERVED = 100;

export async function reservedConcurrency(ctx: LabContext, fn: string, signal?: AbortSignal): Promise<number | null> {
  const r = await ctx.clients.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: fn }), { abortSignal: signal });
  return r.ReservedConcurrentExecutions ?? null;
}

/**
 * A reservation of 0 stops the function: "To throttle a function, set the reserved concurrency to
 * zero. This stops any events from being processed until you remove the limit"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html). Every call through
 * the API is then throttled, and the API answers it `status`, a 5xx that says nothing of why. The
 * words for it, with the command that ends it: inside the concurrency chapter, from its reserve
 * step until the throttled load test has passed, the steps start from the lab's reservation, so the
 * command sets that back; anywhere else, the reservation is removed. Undefined when the function's
 * reservation is not 0 (or cannot be read).
 */
export async function zeroReservationHint(ctx: LabContext, fn: string, status: number, signal?: AbortSignal): Promise<string | undefined> {
  const reserved = await reservedConcurrency(ctx, fn, signal).catch(() => undefined);
  if (reserved !== 0) return undefined;
  const said = `the function's reserved concurrency is 0, so Lambda throttles every call to it (ReservedFunctionConcurrentInvocationLimitExceeded) and the API answers HTTP ${status}`;
  const reserving = ctx.stepProgress('concurrency-reserve').status === 'done' && ctx.stepProgress('concurrency-throttled').status !== 'done';
  if (reserving) {
    const amount = Number(ctx.allFigures()['concurrency-reserve']?.reserved) || WORKSHOP_RESERVATION;
    return `${said}. The throttled load test starts from ${amount} reserved; put them back:${hintCommand(ctx.aws(`lambda put-function-concurrency --function-name ${fn} --reserved-concurrent-executions ${amount}`))}`;
  }
  return `${said}. Remove the reservation (delete, not 0):${hintCommand(ctx.aws(`lambda delete-function-concurrency --function-name ${fn}`))}`;
}

export interface Reservation {
  /** what this lab reserves: 25, or less when the account cannot spare 25 */
  amount: number;
  accountLimit: number;
  unreserved: number;
  /** why it is not 25 */
  adapted?: string;
}

/**
 * The amount to reserve. New AWS accounts can have a concurrency quota as low as 10, so that
 * reserving 25 while keeping 100 unreserved is impossible; the step then says so and reserves
 * what the account allows (at least 1), or cannot go on.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
 */
export async function planReservation(ctx: LabContext, fn: string, signal?: AbortSignal): Promise<Reservation> {
  const s = await ctx.clients.lambda.send(new GetAccountSettingsCommand({}), { abortSignal: signal });
  const accountLimit = s.AccountLimit?.ConcurrentExecutions ?? 1000;
  let unreserved = s.AccountLimit?.UnreservedConcurrentExecutions ?? accountLimit;
  // a reservation this function already holds is given back before a new one
  const mine = await reservedConcurrency(ctx, fn, signal).catch(() => null);
  if (mine !== null) unreserved += mine;
  const room = unreserved - MIN_UNRESERVED;
  if (room >= WORKSHOP_RESERVATION) return { amount: WORKSHOP_RESERVATION, accountLimit, unreserved };
  const amount = Math.max(0, Math.min(WORKSHOP_RESERVATION, room));
  return {
    amount,
    accountLimit,
    unreserved,
    adapted: `the account allows ${accountLimit} concurrent executions with ${unreserved} unreserved, and Lambda keeps ${MIN_UNRESERVED} unreserved: ${amount > 0 ? `the lab reserves ${amount} instead of ${WORKSHOP_RESERVATION}` : 'nothing can be reserved (ask AWS Support for a higher "Concurrent executions" quota)'}`,
  };
}

export interface LocalConcurrency {
  inFlight: number;
  peak: number;
  reserved: number | null;
  /** the function's limit: its reservation, else the unreserved pool */
  limit: number | null;
  /** the account's concurrency limit (GetAccountSettings' ConcurrentExecutions) */
  accountLimit: number | null;
}

/** the local cloud's own count (GET /_lab/lambda/concurrency); undefined on aws */
export async function readLocalConcurrency(ctx: LabContext, fn: string): Promise<LocalConcurrency | undefined> {
  if (!ctx.endpoint) return undefined;
  const body = await concurrencySnapshot(ctx.endpoint);
  if (!body) return undefined;
  const f = body.functions?.find((x) => x.functionName === fn);
  if (!f) return undefined;
  return { inFlight: f.inFlight, peak: f.peak, reserved: f.reservedConcurrentExecutions, limit: f.reservedConcurrentExecutions ?? body.unreservedLimit ?? null, accountLimit: body.accountLimit ?? null };
}

/**
 * The GetMetricStatistics span [start, end) that covers the cloud times [from, to] with whole
 * one-minute periods. CloudWatch rounds a start time of less than 15 days ago down to the minute and
 * takes the end time as exclusive; it aggregates the points of each period from the start on
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html).
 * Both ends are aligned here, so the query and the printed command ask for the same minutes on
 * either target, and the last minute of the run is whole, not cut at its end. The times are cloud
 * times: a span in the learner's time would lie in the fast cloud's past and hold none of its points.
 */
export function peakSpan(from: Date, to: Date): { start: Date; end: Date } {
  return { start: new Date(Math.floor(from.getTime() / 60_000) * 60_000), end: new Date(Math.ceil((to.getTime() + 1) / 60_000) * 60_000) };
}

/**
 * The most executions at once in [from, to] (cloud time), from CloudWatch's AWS/Lambda
 * ConcurrentExecutions with the Maximum statistic, per function. Lambda sends metrics at 1-minute
 * granularity (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html);
 * undefined when CloudWatch has no data point yet.
 */
export async function cloudWatchPeak(ctx: LabContext, fn: string, from: Date, to: Date, signal?: AbortSignal): Promise<number | undefined> {
  const { start, end } = peakSpan(from, to);
  const r = await ctx.clients.cloudWatch.send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/Lambda',
      MetricName: 'ConcurrentExecutions',
      Dimensions: [{ Name: 'FunctionName', Value: fn }],
      StartTime: start,
      EndTime: end,
      Period: 60,
      Statistics: ['Maximum'],
    }),
    { abortSignal: signal },
  );
  const points = (r.Datapoints ?? []).map((d) => d.Maximum ?? 0);
  return points.length ? Math.max(...points) : undefined;
}

/**
 * How many invocations of the function Lambda throttled in [from, to] (cloud time): the Sum of
 * CloudWatch's AWS/Lambda Throttles ("the number of invocation requests that are throttled",
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), over the same whole
 * minutes as cloudWatchPeak. This, not the API's status codes, says what was a throttle: the API
 * answers a throttle 500 (or the 502 a local cloud can be started with) and a function that failed
 * or timed out 502 or 504, so a 5xx alone does not tell them apart. 0 when the function has
 * Invocations but no Throttles in the span; undefined when CloudWatch has neither yet.
 */
export async function cloudWatchThrottles(ctx: LabContext, fn: string, from: Date, to: Date, signal?: AbortSignal): Promise<number | undefined> {
  const { start, end } = peakSpan(from, to);
  const sumOf = async (metric: string) => {
    const r = await ctx.clients.cloudWatch.send(
      new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: [{ Name: 'FunctionName', Value: fn }], StartTime: start, EndTime: end, Period: 60, Statistics: ['Sum'] }),
      { abortSignal: signal },
    );
    const points = r.Datapoints ?? [];
    return points.length ? points.reduce((n, d) => n + (d.Sum ?? 0), 0) : undefined;
  };
  const throttles = await sumOf('Throttles');
  if (throttles !== undefined) return throttles;
  return (await sumOf('Invocations')) !== undefined ? 0 : undefined;
}

/**
 * The aws command of cloudWatchPeak: for the window of a load test (cloud times, as loadAndKeep
 * keeps them) the same span, runnable as printed; without one, placeholders.
 */
export function cloudWatchPeakCommand(ctx: LabContext, fn: string, window?: readonly [Date, Date]): string {
  const span = window ? peakSpan(window[0], window[1]) : undefined;
  const times = span ? `--start-time ${cliTime(span.start)} --end-time ${cliTime(span.end)}` : '--start-time <start> --end-time <end>';
  return cloudTimeNote(ctx) + ctx.aws(`cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name ConcurrentExecutions --dimensions Name=FunctionName,Value=${fn} --statistics Maximum --period 60 ${times}`);
}

/**
 * The aws command of cloudWatchThrottles: Lambda's Throttles for the function, summed per minute
 * over the load test's window (the span cloudWatchPeakCommand asks for), to see the throttles
 * themselves rather than the API's 5xx; without a window, placeholders.
 */
export function cloudWatchThrottlesCommand(ctx: LabContext, fn: string, window?: readonly [Date, Date]): string {
  const span = window ? peakSpan(window[0], window[1]) : undefined;
  const times = span ? `--start-time ${cliTime(span.start)} --end-time ${cliTime(span.end)}` : '--start-time <start> --end-time <end>';
  return cloudTimeNote(ctx) + ctx.aws(`cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name Throttles --dimensions Name=FunctionName,Value=${fn} --statistics Sum --period 60 ${times}`);
}
