import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHART_ROWS, SILENT_AFTER_MS, SecondRows, SilenceWatch, chartedLoadTest, executionsLine } from '../../src/steps/shared/load.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { fakeContext, plainLoadContext } from '../helpers/lab-context.js';
import { startCountingServer } from '../loadtest/counting-server.js';

/** progress every 100 ms, as the load test sends it: answers as [ms, 2xx, 5xx] until `endMs` */
function run(total: number, answers: (ms: number) => [number, number], endMs: number, ticksAfter: number): SecondRows {
  const rows = new SecondRows();
  const at = (ms: number) => {
    const [ok, five] = answers(Math.min(ms, endMs));
    rows.add({ done: ok + five, total, elapsedMs: ms, byClass: [0, 0, ok, 0, 0, five], errors: 0 });
  };
  for (let ms = 100; ms < endMs; ms += 100) at(ms);
  at(endMs);
  // the run goes on reporting while it closes its sockets, and ends with one more (the end listener)
  for (let i = 1; i <= ticksAfter; i++) at(endMs + i * 100);
  return rows;
}

const labels = (rows: SecondRows, max = Infinity) => rows.view(max).map((r) => r.trim().split('s')[0]);
const counts = (rows: SecondRows, max = Infinity) => rows.view(max).map((r) => r.match(/2xx +(\d+) .*5xx +(\d+) /)!.slice(1).map(Number));
/** a terminal row of several seconds: its answers per second (`2xx 19/s`) */
const rates = (rows: SecondRows, max = Infinity) => rows.view(max).map((r) => r.match(/2xx +([\d.]+)\/s .*5xx +([\d.]+)\/s /)!.slice(1).map(Number));

test('one row per second and one for the last part-second, none after the last answer', () => {
  // 100 answers a second, 2xx; the last of 340 at 3.4 s; 15 more progress reports after it
  const rows = run(340, (ms) => [Math.floor(ms / 10), 0], 3400, 15);
  assert.deepEqual(labels(rows), ['1', '2', '3', '4']);
  assert.deepEqual(counts(rows), [[100, 0], [100, 0], [100, 0], [40, 0]]);
});

test('a second with no answers is a row of zeros while the run goes; the sum of the rows is every answer', () => {
  // nothing for 3 s (a function that waits 3 s), then 50 answers a second: half 2xx, half 5xx
  const answered = (ms: number): [number, number] => {
    const n = ms < 3000 ? 0 : Math.floor((ms - 3000) / 20);
    return [Math.ceil(n / 2), Math.floor(n / 2)];
  };
  const rows = run(120, answered, 5400, 25);
  assert.deepEqual(labels(rows), ['1', '2', '3', '4', '5', '6']);
  const c = counts(rows);
  assert.deepEqual(c.slice(0, 2), [[0, 0], [0, 0]]);
  assert.equal(c.reduce((s, [ok]) => s + ok, 0), 60);
  assert.equal(c.reduce((s, [, five]) => s + five, 0), 60);
});

test('a run that ends on a whole second adds no part-second row, and one under a second gets one row', () => {
  assert.deepEqual(labels(run(200, (ms) => [Math.floor(ms / 10), 0], 2000, 10)), ['1', '2']);
  assert.deepEqual(labels(run(30, (ms) => [Math.floor(ms / 10), 0], 300, 10)), ['1']);
});

test("a throttled run longer than the chart: the terminal's rows cover the whole run, so the first second's 5xx stay on screen", () => {
  // reserved concurrency: 600 connections over the limit are answered 5xx in the first second,
  // while the 25 executions answer 200s, about 28 a second, until the 950th answer at 12.3 s
  const throttled = (ms: number): [number, number] => [Math.floor((ms * 350) / 12_300), Math.min(600, Math.floor(ms * 0.6))];
  const rows = run(950, throttled, 12_300, 10);
  // a log keeps a row a second
  assert.equal(rows.view(Infinity).length, 13);
  // the terminal: at most CHART_ROWS rows, 2 s each, from the start of the run to its end
  const shown = rows.view(CHART_ROWS);
  assert.equal(CHART_ROWS, 8);
  assert.ok(shown.length <= CHART_ROWS, shown.join('\n'));
  assert.deepEqual(labels(rows, CHART_ROWS), ['0-2', '2-4', '4-6', '6-8', '8-10', '10-12', '12-13']);
  // each row at its answers per second: the first row's 600 throttled answers came in its 2 s
  const c = rates(rows, CHART_ROWS);
  assert.equal(c[0]![1], 300, 'the throttled answers are in the first row, 600 in 2 s');
  const secs = [2, 2, 2, 2, 2, 2, 1];
  // the 25 executions' 200s, about 28.5 a second in every whole row (rounded)
  assert.ok(c.slice(0, 6).every(([ok]) => ok === 28 || ok === 29), JSON.stringify(c));
  assert.equal(c.reduce((n, [, five], i) => n + five * secs[i]!, 0), 600);
  // the busiest row draws a full bar: the 5xx of the first row
  assert.match(shown[0]!, /5xx +300\/s █{12}$/);
  for (const line of shown) assert.ok(line.length <= 79, `fits an 80-column terminal: ${line}`);
});

test('the chart keeps a row a second up to CHART_ROWS seconds, then 2, 4, 8 … seconds a row', () => {
  const steady = (ms: number): [number, number] => [Math.floor(ms / 10), 0];
  assert.deepEqual(labels(run(800, steady, 8000, 5), CHART_ROWS), ['1', '2', '3', '4', '5', '6', '7', '8']);
  assert.deepEqual(labels(run(900, steady, 9000, 5), CHART_ROWS), ['0-2', '2-4', '4-6', '6-8', '8-9']);
  const long = run(4000, steady, 40_000, 5);
  assert.deepEqual(labels(long, CHART_ROWS), ['0-8', '8-16', '16-24', '24-32', '32-40']);
  assert.deepEqual(rates(long, CHART_ROWS).map(([ok]) => ok), [100, 100, 100, 100, 100]);
});

test("a terminal row of several seconds shows answers per second, as the chart's title says, not the row's total", () => {
  // 100 answers a second for 40 s: a row of 8 s holds 800 answers; on the old code it read
  // "24-32s  2xx  800", under the title "answers per second"
  const shown = run(4000, (ms) => [Math.floor(ms / 10), 0], 40_000, 5).view(CHART_ROWS);
  assert.match(shown[3]!, /^24-32s +2xx +100\/s █{12} +5xx +0\/s ░{12}$/, shown.join('\n'));
  assert.ok(shown.every((l) => !/\b800\b/.test(l)), shown.join('\n'));
  // a slow run: 1 answer in 8 s is 0.1 a second, not 0
  const slow = run(5, (ms) => [Math.floor(ms / 8000), 0], 40_000, 5).view(CHART_ROWS);
  assert.match(slow[0]!, /^ +0-8s +2xx +0\.1\/s /, slow.join('\n'));
  for (const line of shown) assert.ok(line.length <= 79, `fits an 80-column terminal: ${line}`);
});

test('without a terminal (the plain face) the out.text ends with the whole chart and the totals: the last state is printed even within the 2 s between prints', async (t) => {
  // half the answers throttled (500 at once), half 200 after a few ms; 127.0.0.1 only, 120 requests
  const server = await startCountingServer((nth) => (nth <= 60 ? { status: 500 } : { status: 200, delayMs: 3 }));
  t.after(() => server.close());
  const { ctx, out } = plainLoadContext(server.url);
  const run = await chartedLoadTest(ctx, 'fn', { requests: 120, concurrency: 10 }, 'answers per second');
  assert.equal(run.result.sent, 120);
  assert.match(out.text, /120 of 120 answered: 60 2xx, 60 5xx; 0 without an answer\n/);
  // the rows printed, over every print, add up to every answer
  const rows = [...out.text.matchAll(/2xx +(\d+) \S+ +5xx +(\d+) /g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.deepEqual(rows.reduce(([a, b], [ok, five]) => [a! + ok!, b! + five!], [0, 0]), [60, 60], out.text);
});

test("a log's rows never change once drawn (the plain face prints only new lines); the terminal's are scaled to the busiest row shown", () => {
  // a ramp: 10 answers in the first second, 50 in the second, 100 in the third
  const ramp = (ms: number): [number, number] => [ms <= 1000 ? Math.floor(ms / 100) : ms <= 2000 ? 10 + Math.floor((ms - 1000) / 20) : 60 + Math.floor((ms - 2000) / 10), 0];
  const early = run(160, ramp, 1500, 0).log();
  const late = run(160, ramp, 3000, 5);
  assert.equal(early[0], late.log()[0]);
  assert.deepEqual(late.log().map((r) => r.match(/2xx +(\d+) (\S+)/)!.slice(1)), [
    ['10', '████████████'],
    ['50', '████████████'],
    ['100', '████████████'],
  ]);
  assert.deepEqual(late.view(CHART_ROWS).map((r) => r.match(/2xx +(\d+) (\S+)/)!.slice(1)), [
    ['10', '█░░░░░░░░░░░'],
    ['50', '██████░░░░░░'],
    ['100', '████████████'],
  ]);
});

test("the step's report lines: status codes under the status distribution, errors apart under Error distribution with their counts", async (t) => {
  // 6 connections reset before an answer (errors), the rest 200
  const server = await startCountingServer((nth) => (nth <= 6 ? 'reset' : { status: 200 }));
  t.after(() => server.close());
  const { ctx, out } = plainLoadContext(server.url);
  const run = await chartedLoadTest(ctx, 'fn', { requests: 30, concurrency: 3 }, 'answers per second');
  assert.ok(run.result.errors > 0, out.text);
  const tail = out.text.slice(out.text.indexOf('Status code distribution:'));
  const [status, errors] = tail.split('Error distribution:');
  assert.ok(errors, `the errors are under their own heading:\n${tail}`);
  assert.deepEqual([...status!.matchAll(/\[(\d+)\]/g)].map((m) => m[1]), ['200'], `only status codes under the status distribution:\n${tail}`);
  // in words, with their counts (hey's `[6]` beside a message read as a status code)
  assert.match(errors!, new RegExp(`^\\n\\S+   ${run.result.errors} requests: \\S`));
});

test('Ctrl-C during the load test cancels the requests in flight at once and says so; what was measured is kept', async (t) => {
  // the first 5 answer, the rest never do: on the old code each waited out the 20 s timeout
  const server = await startCountingServer((nth) => (nth <= 5 ? { status: 200 } : 'hang'));
  t.after(() => server.close());
  const stop = new AbortController();
  const { ctx, out } = plainLoadContext(server.url, { signal: stop.signal });
  const running = chartedLoadTest(ctx, 'fn', { requests: 50, concurrency: 4 }, 'answers per second');
  // once 4 requests hang (every connection holds one), Ctrl-C
  while (server.hung < 4) await new Promise((r) => setTimeout(r, 20));
  stop.abort();
  const run = await running;
  assert.equal(run.result.interrupted, true);
  assert.equal(run.statusCounts['200'], 5);
  assert.match(out.text, /stopping: the 4 requests in flight are cancelled \(counted as errors\); what was measured follows/);
  assert.equal(run.result.errors, 4);
  // one Ctrl-C was pressed: the cancelled requests are not said to be a second's, nor answered
  assert.deepEqual({ ...run.result.errorCounts }, { 'in flight when the run was stopped at once': 4 });
  assert.doesNotMatch(out.text, /second Ctrl-C/);
  assert.match(out.text, /\b5 of 50 answered: 5 2xx, 0 5xx; 4 without an answer\n/);
  // the report's error line says it in words: it said `[4]\tin flight when the run was stopped at once`
  assert.match(out.text, /Error distribution:\n.*  4 requests were in flight when the run was stopped, and cancelled\n/);
  assert.doesNotMatch(out.text, /\[4\]/);
});

test("the executions line: while the run goes, how many run now and the most so far; once it ended, the most at once; beside it which limit, the account's or the reservation", () => {
  const account = { inFlight: 16, peak: 50, reserved: null, limit: 1000, accountLimit: 1000 };
  assert.equal(executionsLine(account, 'running'), 'executions at once:  16 now, at most  50 so far (the account allows 1000)');
  assert.equal(executionsLine(account, 'ended'), 'at most 50 executions at once (the account allows 1000)');
  const reserved = { inFlight: 3, peak: 25, reserved: 25, limit: 25, accountLimit: 1000 };
  assert.equal(executionsLine(reserved, 'running'), 'executions at once:   3 now, at most  25 so far (reserved concurrency: 25)');
  assert.equal(executionsLine(reserved, 'ended'), 'at most 25 executions at once (reserved concurrency: 25)');
  // another function reserves some: this one draws from what the account leaves unreserved
  assert.equal(executionsLine({ inFlight: 0, peak: 40, reserved: null, limit: 975, accountLimit: 1000 }, 'ended'), 'at most 40 executions at once (975 unreserved of 1000)');
  for (const c of [account, reserved, { inFlight: 1000, peak: 1000, reserved: null, limit: 975, accountLimit: 1000 }]) {
    for (const phase of ['running', 'ended'] as const) assert.ok(executionsLine(c, phase).length <= 79, executionsLine(c, phase));
  }
});

test('the load test\'s last frame gives the most executions at once, not what was "in flight" at the last sample', async (t) => {
  const server = await startCountingServer(() => ({ status: 200 }));
  t.after(() => server.close());
  // the local cloud's count, as GET /_lab/lambda/concurrency answers it: 16 running at the last sample, 50 at most
  const cloud = createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ accountLimit: 1000, unreservedLimit: 1000, inFlight: 16, peak: 50, functions: [{ functionName: 'fn', reservedConcurrentExecutions: null, inFlight: 16, peak: 50 }] }));
  });
  await new Promise<void>((r) => cloud.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => cloud.close(() => r())));
  const io = new RecordingIoHost();
  const ctx = fakeContext({
    io,
    endpoint: `http://127.0.0.1:${(cloud.address() as AddressInfo).port}`,
    deployment: () => ({ target: 'local', outputs: { ApiUrl: server.url, ImagesBucket: 'images' }, changes: [], warnings: [] }) as never,
  });
  const run = await chartedLoadTest(ctx, 'fn', { requests: 20, concurrency: 2 }, 'answers per second');
  assert.equal(run.localPeak, 50);
  const frames = io.of('live').map((e) => e.data as { lines: string[]; final: boolean });
  const last = frames.at(-1)!;
  assert.ok(last.final, 'the view ended with its final frame');
  assert.equal(last.lines.at(-1), 'at most 50 executions at once (the account allows 1000)');
  assert.doesNotMatch(last.lines.join('\n'), /in flight/);
});

test("the executions line waits for a count read after the first answers: a count of none read before them is not shown beside throttled answers", async (t) => {
  // the local cloud: its first read, taken as the run starts, counts no execution; later ones, 25
  // running and 25 at most once the API has answered, and slowly (400 ms), so the frames after the
  // first answers are drawn while the poller waits for them
  let reads = 0;
  let answeredAny = false;
  let firstRead!: () => void;
  const firstReadDone = new Promise<void>((r) => (firstRead = r));
  const timers = new Set<NodeJS.Timeout>();
  const cloud = createServer((_req, res) => {
    const nth = ++reads;
    const n = nth === 1 || !answeredAny ? 0 : 25;
    const body = JSON.stringify({ accountLimit: 1000, unreservedLimit: 975, functions: [{ functionName: 'fn', reservedConcurrentExecutions: 25, inFlight: n, peak: n }] });
    const send = () => {
      res.setHeader('Content-Type', 'application/json');
      res.end(body);
      if (nth === 1) firstRead();
    };
    if (nth === 1) send();
    else {
      const timer = setTimeout(() => (timers.delete(timer), send()), 400);
      timers.add(timer);
    }
  });
  // the API: nothing answers before the cloud's first read; then 5 throttled at once (500) and the
  // rest 200 after 1500 ms, as the executions under a reservation of 25
  let requests = 0;
  const api = createServer((req, res) => {
    const nth = ++requests;
    req.resume();
    void firstReadDone.then(() => {
      const answer = () => {
        answeredAny = true;
        res.statusCode = nth <= 5 ? 500 : 200;
        res.end('{}');
      };
      if (nth <= 5) answer();
      else {
        const timer = setTimeout(() => (timers.delete(timer), answer()), 1500);
        timers.add(timer);
      }
    });
  });
  for (const s of [cloud, api]) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  t.after(async () => {
    for (const timer of timers) clearTimeout(timer);
    for (const s of [cloud, api]) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
  const io = new RecordingIoHost();
  const ctx = fakeContext({
    io,
    endpoint: `http://127.0.0.1:${(cloud.address() as AddressInfo).port}`,
    deployment: () => ({ target: 'local', outputs: { ApiUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}/Prod/getinfo`, ImagesBucket: 'images' }, changes: [], warnings: [] }) as never,
  });
  const run = await chartedLoadTest(ctx, 'fn', { requests: 10, concurrency: 10 }, 'answers per second (reserved 25)');
  assert.deepEqual(run.statusCounts, { '200': 5, '500': 5 });
  const frames = io.of('live').map((e) => (e.data as { lines: string[] }).lines);
  const throttledShown = frames.filter((lines) => lines.some((l) => / [1-9]\d* 5xx;/.test(l)));
  assert.ok(throttledShown.length > 1, `frames drawn beside throttled answers:\n${frames.map((f) => f.join('\n')).join('\n--\n')}`);
  for (const lines of frames) assert.ok(!lines.some((l) => /at most +0 so far/.test(l)), `a count of none read before the first answers:\n${lines.join('\n')}`);
  // a count read after them shows, and the last frame gives the run's most at once
  assert.ok(frames.some((lines) => lines.some((l) => /executions at once: +25 now, at most +25 so far \(reserved concurrency: 25\)/.test(l))), frames.map((f) => f.join('\n')).join('\n--\n'));
  assert.equal(frames.at(-1)!.at(-1), 'at most 25 executions at once (reserved concurrency: 25)');
});

test('a cloud that stops answering mid-run (kill -STOP): once no answer has come for SILENT_AFTER_MS of the run\'s clock, a line under the chart says so with the cloud\'s log; an answer clears it, and the end says nothing', () => {
  const watch = new SilenceWatch('/ws/.lab/state/emulator.log');
  const at = (elapsedMs: number, done: number, total: number | null = 1000) => watch.see({ done, total, elapsedMs, byClass: [0, 0, done, 0, 0, 0], errors: 0 });
  assert.equal(at(3_000, 50), undefined);
  assert.equal(at(3_000 + SILENT_AFTER_MS - 100, 50), undefined);
  assert.equal(at(3_000 + SILENT_AFTER_MS + 2_000, 50), 'no answer for 12 s: is the cloud answering? (its log: /ws/.lab/state/emulator.log)');
  assert.equal(at(25_000, 51), undefined, 'answers again');
  assert.equal(at(40_000, 1000), undefined, 'done: nothing is out');
  const onAws = new SilenceWatch();
  assert.equal(onAws.see({ done: 0, total: null, elapsedMs: 20_000, byClass: [], errors: 0 }), 'no answer for 20 s: is the cloud answering?');
});
