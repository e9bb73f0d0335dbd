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
import { progressListeners, stoppingLine } from '../loadtest/progress.js';
import { runLoadTest } from '../loadtest/run.js';
import { colorEnabled, progressEnabled } from '../io/terminal.js';
import { reportHost, type IoHost } from '../io/index.js';
import type { LoadTestListeners } from '../loadtest/types.js';

/** `io`: where its words and report go (a test's recording host); by default stderr and stdout */
export async function loadtestCommand(url: string, opts: Record<string, unknown>, interrupt: InterruptPolicy = new InterruptPolicy(), io: IoHost = reportHost()): Promise<void> {
  const { options, output } = parseFlags(url, opts as LoadTestFlags);

  // the first Ctrl-C stops sending (the line below says what it waits for); the second ends the
  // connections at once and the report still follows (a third quits)
  interrupt.message = null;
  const stop = interrupt;
  const abandon = new AbortController();
  interrupt.onSecond = () => abandon.abort('second Ctrl-C');
  // the live progress line (loadtest/progress.ts), drawn on stderr on a terminal only
  const bar = progressEnabled(process.stderr, output === 'json') ? progressListeners(process.stderr, { color: colorEnabled(process.stderr) }) : undefined;
  const listeners: LoadTestListeners = {
    progress: bar?.progress,
    end: bar?.end,
    // said at once, terminal or not: the requests in flight may take as long as -t; the progress
    // line is erased first, so the words stand on a line of their own
    stopping: (inFlight) => {
      bar?.clear();
      io.say(stoppingLine(inFlight));
    },
  };

  let result;
  try {
    result = await runLoadTest({ ...options, signal: stop.signal, abandon: abandon.signal }, listeners);
  } finally {
    interrupt.onSecond = null;
  }

  io.result(output === 'json' ? formatJson(result) : output === 'csv' ? formatCsv(result) : formatReport(result, { color: colorEnabled(process.stdout) }));
  // the report says it; --json and -o csv only in a field or not at all
  if (result.maxRequestsReached !== null && output !== 'summary') io.note(maxRequestsNote(result.maxRequestsReached));

  if (stop.signal.aborted) throw new InterruptedError(`interrupted after ${result.sent} requests`);
  if (result.responses === 0) {
    const first = Object.keys(result.errorCounts)[0];
    throw new LabError(`no response from ${options.url}: all ${result.sent} requests failed`, undefined, first && `first error: ${first}`);
  }
}
