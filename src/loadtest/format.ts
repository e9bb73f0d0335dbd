/**
 * Renders a load test result: hey's text report (requester/print.go's layout, without its
 * "Details" section, whose per-phase timings autocannon does not expose), JSON, or hey's CSV.
 * Pure: the caller decides about colour (terminal.ts) and writes the string.
 */
import { chalkFor, type ChalkInstance } from '../io/terminal.js';
import { summarize, type LoadTestSummary } from './summarize.js';
import type { LoadTestResult } from './types.js';
import { ABANDONED } from './run.js';

export interface FormatOptions {
  readonly color: boolean;
}

const BAR = '∎';
const BAR_WIDTH = 40;

export function formatReport(result: LoadTestResult, opts: FormatOptions): string {
  return renderSummary(summarize(result), opts);
}

export function renderSummary(s: LoadTestSummary, { color }: FormatOptions): string {
  const c = chalkFor(color);
  const out: string[] = ['', c.bold('Summary:')];
  out.push(`  Total:\t${secs(s.totalMs)} secs`);
  if (s.responses > 0) {
    out.push(`  Slowest:\t${secs(s.slowestMs)} secs`);
    out.push(`  Fastest:\t${secs(s.fastestMs)} secs`);
    out.push(`  Average:\t${secs(s.averageMs)} secs`);
  }
  out.push(`  Requests/sec:\t${s.requestsPerSec.toFixed(4)}`);
  if (s.totalDataBytes > 0) {
    out.push('', `  Total data:\t${s.totalDataBytes} bytes`, `  Size/request:\t${s.sizePerRequestBytes} bytes`);
  }
  if (s.interrupted) {
    const sent = s.requested === null ? `${s.sent} requests sent` : `${s.sent} of ${s.requested} requests sent`;
    out.push('', c.yellow(`Note:  stopped early: ${sent}.`));
  }
  if (s.maxRequestsReached !== null) out.push('', c.yellow(`Note:  ${maxRequestsNote(s.maxRequestsReached)}`));
  if (s.sampled < s.responses) out.push('', `Note:  Distributions are for first ${s.sampled} results.`);

  if (s.histogram.length > 0) {
    out.push('', c.bold('Response time histogram:'));
    const max = Math.max(...s.histogram.map((b) => b.count));
    for (const b of s.histogram) {
      // hey rounds to the nearest bar: (count*40 + max/2) / max in integers
      const len = max > 0 ? Math.floor((b.count * BAR_WIDTH + Math.floor(max / 2)) / max) : 0;
      out.push(`  ${(b.markMs / 1000).toFixed(3)} [${b.count}]\t|${c.cyan(BAR.repeat(len))}`);
    }
    out.push('', c.bold('Latency distribution:'));
    for (const p of s.latencyDistribution) out.push(`  ${p.percentage}% in ${secs(p.latencyMs)} secs`);
  }

  out.push('', c.bold('Status code distribution:'));
  for (const { code, count } of s.statusCodes) out.push(`  ${statusColor(c, code)(`[${code}]`)}\t${count} responses`);
  if (s.statusCodes.length === 0) out.push('  (no responses)');

  if (s.errorDistribution.length > 0) {
    out.push('', c.bold('Error distribution:'));
    for (const { message, count } of s.errorDistribution) out.push(`  ${c.red(`[${count}]`)}\t${message}`);
  }
  return out.join('\n') + '\n\n';
}

/** why a -z run ended before its duration */
export function maxRequestsNote(count: number): string {
  // -n has the same bound (flags.ts, MAX_REQUESTS), so a rate is what makes the run fill its -z
  return `stopped at ${count} requests, before the end of -z: a load test sends at most ${count}; to spread them over the whole duration, give a rate with -q.`;
}

/**
 * The report's head and tail for a lab step's progress lines: Summary (Total, Requests/sec), the
 * status codes under "Status code distribution:" and the errors apart under "Error
 * distribution:", as hey prints them. A filter on the full report's `[n]` lines took the errors'
 * counts (`[88] request timed out…`) for status codes.
 */
export function briefLines(s: LoadTestSummary): string[] {
  const out = ['Summary:', `  Total:\t${secs(s.totalMs)} secs`, `  Requests/sec:\t${s.requestsPerSec.toFixed(4)}`, 'Status code distribution:'];
  for (const { code, count } of s.statusCodes) out.push(`  [${code}]\t${count} responses`);
  if (s.statusCodes.length === 0) out.push('  (no responses)');
  if (s.errorDistribution.length > 0) {
    out.push('Error distribution:');
    for (const { message, count } of s.errorDistribution) out.push(`  ${errorInWords(count, message)}`);
  }
  return out;
}

/**
 * One line of the lab's error distribution, in words: `50 requests were in flight when the run
 * was stopped at once (cancelled)`, `3 requests: request timed out after 30 s (-t)`. hey's `[50]`
 * beside a message read as a status code after a Ctrl-C; the loadtest command keeps hey's layout.
 */
export function errorInWords(count: number, message: string): string {
  const requests = `${count} request${count === 1 ? '' : 's'}`;
  if (message.startsWith(ABANDONED)) return `${requests} ${count === 1 ? 'was' : 'were'} ${message.replace(ABANDONED, 'in flight when the run was stopped, and cancelled')}`;
  return `${requests}: ${message}`;
}

/**
 * The whole result but the per-request samples (those are -o csv), as one JSON document. Times are
 * rounded to the microsecond (3 decimals of ms) and rates to 2 decimals, here only: the measurement
 * goes no finer, and the programmatic result and summary stay exact.
 */
export function formatJson(result: LoadTestResult): string {
  const s = summarize(result);
  const rounded: LoadTestSummary = {
    ...s,
    totalMs: round(s.totalMs, 3),
    requestsPerSec: round(s.requestsPerSec, 2),
    slowestMs: s.slowestMs === null ? null : round(s.slowestMs, 3),
    fastestMs: s.fastestMs === null ? null : round(s.fastestMs, 3),
    averageMs: s.averageMs === null ? null : round(s.averageMs, 3),
    histogram: s.histogram.map((b) => ({ ...b, markMs: round(b.markMs, 3) })),
    latencyDistribution: s.latencyDistribution.map((p) => ({ ...p, latencyMs: round(p.latencyMs, 3) })),
  };
  return JSON.stringify(rounded, null, 2) + '\n';
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/**
 * hey's CSV columns. The DNS/dial-up, write, wait and read phases are left empty: autocannon
 * measures only the whole request.
 */
export function formatCsv(result: LoadTestResult): string {
  const { count, latencyMs, status, offsetMs } = result.samples;
  const lines = ['response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset'];
  for (let i = 0; i < count; i++) lines.push(`${secs(latencyMs[i])},,,,,,${status[i]},${secs(offsetMs[i])}`);
  return lines.join('\n') + '\n';
}

/** hey's %4.4f of seconds */
function secs(ms: number | null): string {
  return ((ms ?? 0) / 1000).toFixed(4);
}

function statusColor(c: ChalkInstance, code: number): ChalkInstance {
  if (code >= 500) return c.red;
  if (code >= 400) return c.yellow;
  if (code >= 300) return c.cyan;
  return c.green;
}
