/**
 * The concurrency steps' load test: the workshop's `hey -n 1000 -c 50 -m POST …` (our hey-
 * compatible load test, run in the CLI's process against the API), with a live chart of answers
 * per second by status and, on the local target, executions in flight against the limit.
 */
import { formatReport, runLoadTest, summarize, type LoadTestProgress, type LoadTestResult } from '../../loadtest/index.js';
import type { LabContext } from '../../lab/context.js';
import { bar } from '../../io/format.js';
import { apiUrl, requestBody } from './app.js';
import { readLocalConcurrency } from './concurrency.js';

export interface LoadSize {
  requests: number;
  concurrency: number;
}

/**
 * The workshop's size; --ci runs a shorter one (said in the report): fewer cold starts at once
 * (each execution environment loads the SDK), and for the throttled run still more connections
 * (30) than the 25 reserved.
 */
export function loadSize(ctx: LabContext, phase: 'baseline' | 'throttled'): LoadSize {
  if (!ctx.ci) return { requests: 1000, concurrency: 50 };
  return phase === 'baseline' ? { requests: 40, concurrency: 20 } : { requests: 90, concurrency: 30 };
}

export function heyCommand(ctx: LabContext, size: LoadSize = loadSize(ctx, 'baseline')): string {
  let url = '<ApiUrl>';
  let body = '{"bucket":"<ImagesBucket>","key":"someguy.jpg"}';
  try {
    url = apiUrl(ctx);
    body = requestBody(ctx);
  } catch {
    // shown before a deploy: placeholders
  }
  return `serverless-ops-lab loadtest -n ${size.requests} -c ${size.concurrency} -m POST -H 'Content-Type: application/json' -d '${body}' '${url}'`;
}

export interface ChartedRun {
  result: LoadTestResult;
  /** status → count, as hey's "Status code distribution" */
  statusCounts: Record<string, number>;
  /** local only: the most executions at once for the function, as the local cloud counted them */
  localPeak?: number;
}

/**
 * Runs the load test with the live chart. Ctrl-C stops sending; what was measured is still
 * returned (result.interrupted) so the step can print and keep it.
 */
export async function chartedLoadTest(ctx: LabContext, functionName: string, size: LoadSize, title: string): Promise<ChartedRun> {
  const io = ctx.io;
  const url = apiUrl(ctx);
  if (ctx.endpoint) await fetch(`${ctx.endpoint}/_lab/lambda/concurrency/reset`, { method: 'POST', signal: ctx.signal }).catch(() => undefined);
  io.command(heyCommand(ctx, size));
  const live = io.live(title, 2000);
  const rows: string[] = [];
  let prev = { done: 0, ok: 0, fivexx: 0, at: 0 };
  // bars are scaled to the busiest second so far
  let peakRate = 0;
  let inFlight = '';
  let polling = true;
  const poller = (async () => {
    while (polling && ctx.endpoint) {
      const c = await readLocalConcurrency(ctx, functionName).catch(() => undefined);
      if (c) inFlight = `executions in flight ${String(c.inFlight).padStart(3)} of ${c.limit ?? 'the account'}${c.reserved !== null ? ' (reserved)' : ''} · peak ${c.peak}`;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const draw = (p: LoadTestProgress) => {
    const ok = p.byClass[2] ?? 0;
    const fivexx = p.byClass[5] ?? 0;
    const secs = p.elapsedMs / 1000;
    if (secs - prev.at >= 1 || p.done === p.total) {
      const dOk = ok - prev.ok;
      const d5 = fivexx - prev.fivexx;
      peakRate = Math.max(peakRate, dOk, d5);
      const scale = Math.max(1, peakRate);
      rows.push(`${secs.toFixed(0).padStart(3)}s  2xx ${String(dOk).padStart(4)} ${bar(dOk / scale, 12)}  5xx ${String(d5).padStart(4)} ${bar(d5 / scale, 12)}`);
      prev = { done: p.done, ok, fivexx, at: secs };
    }
    const shown = rows.slice(-8);
    live.update([...shown, `${p.done} of ${p.total ?? '?'} answered: ${ok} 2xx, ${fivexx} 5xx, ${p.errors} errors`, ...(inFlight ? [inFlight] : [])]);
  };
  let result: LoadTestResult;
  try {
    result = await runLoadTest(
      {
        url,
        requests: size.requests,
        concurrency: size.concurrency,
        timeoutSec: 20,
        method: 'POST',
        body: Buffer.from(requestBody(ctx)),
        headers: { 'Content-Type': 'application/json' },
        keepAlive: true,
        signal: ctx.signal,
      },
      { progress: draw, end: draw },
    );
  } finally {
    polling = false;
    await poller;
  }
  live.done();
  const local = ctx.endpoint ? await readLocalConcurrency(ctx, functionName).catch(() => undefined) : undefined;
  const statusCounts = Object.fromEntries(Object.entries(result.statusCounts).map(([k, v]) => [k, v]));
  // hey's summary and status lines, as progress (stdout may carry the --json report)
  for (const l of formatReport(result, { color: false }).split('\n').filter((x) => /Status code distribution|^\s+\[\d+\]|Summary|Total:|Requests\/sec/.test(x))) io.say(l);
  void summarize;
  return { result, statusCounts, localPeak: local?.peak };
}
