/**
 * `serverless-ops-lab loadtest <url>`: hey's flags, hey's report. Results go to stdout, the live
 * progress line to stderr. Exit 1 when no request got a response (the report is printed first);
 * Ctrl-C stops sending, says how many requests it waits for, prints the report of what was sent and
 * exits 130; a second Ctrl-C stops at once (the requests still in flight count as errors), prints
 * the same report and exits 130.
 */
import { InterruptedError, LabError } from '../errors.js';
import { InterruptPolicy } from '../interrupt.js';
import { formatCsv, formatJson, formatReport, maxRequestsNote } from '../loadtest/format.js';
import { parseFlags, type LoadTestFlags } from '../loadtest/flags.js';
import { CLEAR_LINE, progressListeners, stoppingLine } from '../loadtest/progress.js';
import { runLoadTest } from '../loadtest/run.js';
import { colorEnabled, progressEnabled } from '../io/terminal.js';
import { reportHost } from '../io/index.js';
import type { LoadTestListeners } from '../loadtest/types.js';

export async function loadtestCommand(url: string, opts: Record<string, unknown>, interrupt: InterruptPolicy = new InterruptPolicy()): Promise<void> {
  const { options, output } = parseFlags(url, opts as LoadTestFlags);

  // the first Ctrl-C stops sending (the line below says what it waits for); the second ends the
  // connections at once and the report still follows (a third quits)
  interrupt.message = null;
  const stop = interrupt;
  const abandon = new AbortController();
  interrupt.onSecond = () => abandon.abort('second Ctrl-C');
  const progress = progressEnabled(process.stderr, output === 'json');
  const listeners: LoadTestListeners = {
    ...(progress ? progressListeners(process.stderr, { color: colorEnabled(process.stderr) }) : {}),
    // said at once, terminal or not: the requests in flight may take as long as -t
    stopping: (inFlight) => void process.stderr.write(`${progress ? CLEAR_LINE : ''}${stoppingLine(inFlight)}\n`),
  };

  let result;
  try {
    result = await runLoadTest({ ...options, signal: stop.signal, abandon: abandon.signal }, listeners);
  } finally {
    interrupt.onSecond = null;
  }

  reportHost().result(output === 'json' ? formatJson(result) : output === 'csv' ? formatCsv(result) : formatReport(result, { color: colorEnabled(process.stdout) }));
  // the report says it; --json and -o csv only in a field or not at all
  if (result.maxRequestsReached !== null && output !== 'summary') process.stderr.write(`note: ${maxRequestsNote(result.maxRequestsReached)}\n`);

  if (stop.signal.aborted) throw new InterruptedError(`interrupted after ${result.sent} requests`);
  if (result.responses === 0) {
    const first = Object.keys(result.errorCounts)[0];
    throw new LabError(`no response from ${options.url}: all ${result.sent} requests failed`, undefined, first && `first error: ${first}`);
  }
}
