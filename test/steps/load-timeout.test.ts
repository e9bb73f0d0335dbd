/**
 * The lab's load test waits longer than the API does: every request ends with the API's own
 * answer (200, a throttle, a 504 past the integration timeout), none given up by the lab's client
 * while a burst of cold starts shares the host's cores. The printed command waits as long as the
 * run, and a 504 in the baseline is explained as the API's timeout, not the lab's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INTEGRATION_TIMEOUT_MS } from '../../src/emulator/services/apigateway/responses.js';
import { parseFlags } from '../../src/loadtest/index.js';
import { baselineStep } from '../../src/steps/concurrency.js';
import { API_INTEGRATION_TIMEOUT_S, chartedLoadTest, heyCommand, heyTimeoutLines, loadSize, loadTestOptions, LOAD_TEST_TIMEOUT_S } from '../../src/steps/shared/load.js';
import { fakeContext, plainLoadContext } from '../helpers/lab-context.js';
import { startCountingServer } from '../loadtest/counting-server.js';
import { execFileSync } from 'node:child_process';
import { paintedCommand, stripAnsi } from '../../src/io/format.js';
import { paint } from '../../src/io/terminal.js';
import { workspacePaths } from '../../src/lab/workspace.js';

const deployed = () => ({ target: 'local', outputs: { ApiUrl: 'http://127.0.0.1:4566/restapis/abc/Prod/_user_request_/getinfo', ImagesBucket: 'images' }, changes: [], warnings: [] }) as never;

test("the load test's client timeout is derived from API Gateway's integration timeout, the one the local cloud's front door keeps, and outlasts it", () => {
  assert.equal(API_INTEGRATION_TIMEOUT_S * 1000, INTEGRATION_TIMEOUT_MS, "the steps' figure is the emulator's");
  assert.ok(LOAD_TEST_TIMEOUT_S > API_INTEGRATION_TIMEOUT_S, `the client (${LOAD_TEST_TIMEOUT_S} s) gives up before the API answers (${API_INTEGRATION_TIMEOUT_S} s)`);
  for (const ci of [false, true]) {
    const ctx = fakeContext({ ci, deployment: deployed });
    const size = loadSize(ctx, 'baseline');
    const sent = loadTestOptions(ctx, size);
    assert.equal(sent.timeoutSec, LOAD_TEST_TIMEOUT_S, 'the run uses hey\'s 20 s default, shorter than the API\'s own timeout');
    assert.deepEqual([sent.requests, sent.concurrency], [size.requests, size.concurrency]);
    // the printed command, run by the learner, waits as long: its -t, as loadtest parses it
    const printed = heyCommand(ctx, size);
    const t = /\s-t (\d+)\s/.exec(printed);
    assert.ok(t, printed);
    const parsed = parseFlags(sent.url, { t: t[1], n: String(size.requests), c: String(size.concurrency) });
    assert.equal(parsed.options.timeoutSec, sent.timeoutSec, printed);
  }
});

test('a baseline with 504s says it is the API\'s integration timeout after cold starts, not a throttle, and to run it again', async () => {
  const check = baselineStep.liveChecks.find((c) => /every answer 200/.test(c.name))!;
  const ctx = fakeContext({ ci: false, deployment: deployed });
  ctx.figuresOf['concurrency-baseline'] = { requests: 1000, concurrency: 50, statusCounts: { '200': 980, '504': 20 }, stoppedEarly: false };
  const outcome = await check.run(ctx, new AbortController().signal);
  assert.equal(outcome.status, 'not-yet');
  const hint = outcome.status === 'not-yet' ? outcome.hint ?? '' : '';
  assert.match(hint, /^504 is API Gateway's integration timeout \(29 s\), not a throttle/);
  assert.match(hint, /cold starts, which on the local cloud share this machine's cores/);
  assert.match(hint, /run the load test again \(x\)/);
});

test("the load test shown says, on the line under it, that the workshop's own hey needs the same -t, then gives that hey for this cloud, ready to paste", async (t) => {
  // the workshop's `hey -n 1000 -c 50` on a fresh cloud, busy host: 31 of 1000 given up at hey's 20 s.
  // Its text ends a line with `\ ` (breaks when pasted) and names https://<your-api-endpoint>/Prod/getinfo:
  // on the local cloud https gives `server gave HTTP response to HTTPS client`, and a URL without
  // /execute-api/<id> reaches S3's 405
  const server = await startCountingServer(() => ({ status: 200 }));
  t.after(() => server.close());
  const apiUrl = `${new URL(server.url).origin}/execute-api/abc123/Prod/getinfo`;
  const { ctx, out } = plainLoadContext(apiUrl);
  await chartedLoadTest(ctx, 'fn', { requests: 4, concurrency: 2 }, 'answers per second');
  const lines = out.text.split('\n');
  const at = lines.findIndex((l) => /loadtest -n 4 -c 2 -t 30 /.test(l));
  assert.ok(at >= 0, out.text);
  // a run of another size than the workshop's (--ci's): the hey under it is the workshop's, at its
  // size, and said so (it read "with the workshop's own hey, add -t 30", as if this run's)
  assert.match(lines[at + 1]!, /the workshop's own hey, at its size \(-n 1000 -c 50, not this run's\),$/, out.text);
  assert.match(lines[at + 2]!, /with -t 30 added \(it gives up after 20 s\):$/, out.text);
  for (const l of lines.slice(at + 1, at + 3)) assert.ok(l.length <= 80, l);
  // a run of the workshop's size: one line, add -t 30
  assert.deepEqual(heyTimeoutLines({ requests: 1000, concurrency: 50 }), ["with the workshop's own hey, add -t 30 (it gives up after 20 s):"]);
  // the next line is that hey, whole: the workshop's flags, -t 30, this cloud's ApiUrl, the app's body
  const hey = /^\S+ \$ (hey .*)$/.exec(lines[at + 3]!)?.[1];
  assert.ok(hey, out.text);
  // pasted in a shell, hey gets exactly these arguments
  const heyGets = (pasted: string) => execFileSync('bash', ['-c', `hey() { printf '%s\\n' "$@"; }; ${pasted}`], { encoding: 'utf8' }).trimEnd().split('\n');
  const want = ['-n', '1000', '-c', '50', '-t', '30', '-d', '{"bucket":"images","key":"someguy.jpg"}', '-H', 'Content-Type: application/json', '-m', 'POST', apiUrl];
  assert.deepEqual(heyGets(hey), want);
  // on a terminal it is laid out as every printed command, within 80 columns, continued with ` \`
  // (no space after it): its lines pasted give hey the same arguments
  for (const color of [false, true]) {
    const shown: string[] = paintedCommand(hey, 80, paint(color)).map(stripAnsi);
    assert.ok(shown.length > 1, shown.join('\n'));
    for (const l of shown) assert.ok(l.length <= 80 && !l.endsWith('\\ '), `${l.length}: ${l}`);
    assert.deepEqual(heyGets(shown.map((l) => l.replace(/^ *\$ /, '')).join('\n')), want, shown.join('\n'));
  }
  // and the hint that names hey says it too
  assert.ok(baselineStep.hints.some((h) => typeof h === 'string' && /under it the workshop's own hey, ready for this cloud, with -t 30 \(hey gives up after 20 s/.test(h)), String(baselineStep.hints));
});

test('catching up on the baseline (start --from concurrency-reserve on a fresh workspace) runs a short load test, said, not the workshop\'s 1000 requests; the throttled step says what it is set beside', async (t) => {
  const { throttledStep } = await import('../../src/steps/concurrency.js');
  const { explainOf } = await import('../../src/lab/step.js');
  const server = await startCountingServer(() => ({ status: 200 }));
  t.after(() => server.close());
  const apiUrl = `${new URL(server.url).origin}/execute-api/abc123/Prod/getinfo`;
  const deployment = () => ({ target: 'local', outputs: { ApiUrl: apiUrl, ImagesBucket: 'images' }, functions: [{ logicalId: 'GetInfoFunction', name: 'fn', alias: 'live' }], apis: [], changes: [], warnings: [] }) as never;
  const { ctx, out } = plainLoadContext(apiUrl, { ci: false, catchingUp: true, deployment, ws: workspacePaths('/tmp/ws') });
  await baselineStep.solve.apply(ctx);
  // --ci's short baseline, not the workshop's -n 1000 -c 50 (the throttled step's, next but one)
  assert.equal(server.received, 40, out.text);
  assert.match(out.text, /catching up, the lab runs a short load test, -n 40 -c 20 \(the workshop's is -n 1000 -c 50\): enough to set the throttled run beside\. `.*step (-- )?concurrency-baseline --workspace \/tmp\/ws` runs the workshop's\./);
  assert.deepEqual([ctx.figuresOf.current!.requests, ctx.figuresOf.current!.concurrency], [40, 20]);
  // a learner's own step: the workshop's size
  assert.deepEqual(loadSize({ ...ctx, catchingUp: false }, 'baseline'), { requests: 1000, concurrency: 50 });
  // the throttled step (taught, 50 connections) says what its run is set beside
  const taught = { ...ctx, catchingUp: false };
  const explain = () => explainOf(throttledStep, taught).join(' ');
  ctx.figuresOf['concurrency-baseline'] = { requests: 40, concurrency: 20 };
  assert.match(explain(), /^Now 50 connections \(the baseline, caught up short, ran 20\) meet a limit of 25\./);
  ctx.figuresOf['concurrency-baseline'] = { requests: 1000, concurrency: 50 };
  assert.match(explain(), /^The same 50 connections now meet a limit of 25\./);
  ctx.figuresOf['concurrency-baseline'] = { requests: 1000, statusCounts: { '200': 1000 } };
  assert.match(explain(), /^The same 50 connections now meet a limit of 25\./, 'a run kept before its size was');
  delete ctx.figuresOf['concurrency-baseline'];
  assert.match(explain(), /^Now 50 connections \(no baseline ran in this workspace to set them beside: `.*step (-- )?concurrency-baseline --workspace \/tmp\/ws` runs it\) meet/);
});
