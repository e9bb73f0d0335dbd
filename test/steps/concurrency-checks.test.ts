/**
 * The load-test checks of the concurrency chapter: a pass quotes the load test whose figures it
 * read (a run kept from the workshop's size, -n 1000 -c 50, checked under --ci, is not shown beside
 * the --ci size, -n 90 -c 30, a command that did not make its figures); a not-yet, which asks the
 * learner to run it again, quotes the load test that x runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baselineStep, reserveStep, restoreStep, throttledStep } from '../../src/steps/concurrency.js';
import { fakeContext } from '../helpers/lab-context.js';
import { loadSize } from '../../src/steps/shared/load.js';
import { toResult, type LiveCheck } from '../../src/lab/check.js';
import type { LabContext } from '../../src/lab/context.js';
import { explainOf, type Step } from '../../src/lab/step.js';

const splitCheck = throttledStep.liveChecks.find((c) => /split between 200s and throttled/.test(c.name))!;
const allOkCheck = baselineStep.liveChecks.find((c) => /every answer 200/.test(c.name))!;
const size = (cmd: string) => /loadtest -n (\d+) -c (\d+) /.exec(cmd)?.slice(1).map(Number);
/** the command shown beside the check's result, as runLiveChecks builds it */
async function shown(check: LiveCheck, ctx: LabContext): Promise<{ status: string; aws?: string }> {
  return toResult(check.name, check.aws(ctx), await check.run(ctx, new AbortController().signal), 0);
}
const WINDOW = ['2026-01-01T10:00:05.000Z', '2026-01-01T10:00:40.000Z'];

/**
 * A cloud for the checks: the app's function deployed, CloudWatch's Throttles and Invocations sums
 * for the run (none: no data point), the function's reservation; what was sent to Lambda is kept.
 */
function cloudOf(over: Parameters<typeof fakeContext>[0], cloud: { throttles?: number; invocations?: number; reserved: number | null }) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const ctx = fakeContext({
    ...over,
    deployment: () => ({ target: 'local', outputs: {}, functions: [{ logicalId: 'GetInfoFunction', name: 'lab-fn', alias: 'live' }], apis: [] }) as never,
    clients: {
      cloudWatch: {
        send: async (cmd: { input: { MetricName?: string } }) => {
          const v = cmd.input.MetricName === 'Throttles' ? cloud.throttles : cmd.input.MetricName === 'Invocations' ? cloud.invocations : undefined;
          return { Datapoints: v === undefined ? [] : [{ Sum: v }] };
        },
      },
      lambda: {
        send: async (cmd: { constructor: { name: string }; input: Record<string, unknown> }) => {
          sent.push({ name: cmd.constructor.name, input: cmd.input });
          if (cmd.constructor.name === 'PutFunctionConcurrencyCommand') cloud.reserved = cmd.input.ReservedConcurrentExecutions as number;
          return cloud.reserved === null ? {} : { ReservedConcurrentExecutions: cloud.reserved };
        },
      },
    } as never,
  });
  return { ctx, sent, cloud };
}

/** the load test x runs: the step's action, shown before it runs as solve.show */
const xRuns = async (step: Step, ctx: LabContext) => size((await step.solve.show(ctx)).command ?? '');

test('a throttled run of the workshop\'s size found done under --ci: its check shows -n 1000 -c 50 beside its figures, not --ci\'s -n 90 -c 30', async () => {
  const { ctx } = cloudOf({ ci: true }, { throttles: 620, invocations: 380, reserved: 25 });
  ctx.figuresOf['concurrency-throttled'] = { requests: 1000, concurrency: 50, statusCounts: { '200': 380, '500': 620 }, stoppedEarly: false, window: WINDOW };
  const outcome = await splitCheck.run(ctx, new AbortController().signal);
  assert.equal(outcome.status, 'passed');
  assert.match(outcome.status === 'passed' ? outcome.found ?? '' : '', /380 × 200, 620 throttled by Lambda/);
  assert.deepEqual(size((await shown(splitCheck, ctx)).aws ?? ''), [1000, 50]);
  // the baseline's the same way: a --ci run of 40 × 20 checked without --ci
  const workshop = fakeContext({ ci: false });
  workshop.figuresOf['concurrency-baseline'] = { requests: 40, concurrency: 20, statusCounts: { '200': 40 }, stoppedEarly: false };
  const r = await shown(allOkCheck, workshop);
  assert.equal(r.status, 'passed');
  assert.deepEqual(size(r.aws ?? ''), [40, 20], r.aws);
});

test('a not-yet asks for another run: it quotes the load test x runs, not the size of the run it read', async () => {
  // a --ci run's figures (40 × 20, with failed answers), read in an interactive session: the
  // hint says to run it again (x), and x runs the workshop's -n 1000 -c 50
  const workshop = fakeContext({ ci: false });
  workshop.figuresOf['concurrency-baseline'] = { requests: 40, concurrency: 20, statusCounts: { '200': 30, '502': 10 }, stoppedEarly: false };
  const r = await shown(allOkCheck, workshop);
  assert.equal(r.status, 'not-yet');
  assert.match(JSON.stringify(r), /run the load test again \(x\)/);
  assert.deepEqual(await xRuns(baselineStep, workshop), [1000, 50]);
  assert.deepEqual(size(r.aws ?? ''), [1000, 50], r.aws);
  // an interactive throttled run that was never throttled, checked under --ci: the run the solver
  // makes next is --ci's, and that is the one shown
  const { ctx: ci } = cloudOf({ ci: true }, { invocations: 1000, reserved: 25 });
  ci.figuresOf['concurrency-throttled'] = { requests: 1000, concurrency: 50, statusCounts: { '200': 1000 }, stoppedEarly: false, window: WINDOW };
  const t = await shown(splitCheck, ci);
  assert.equal(t.status, 'not-yet');
  assert.deepEqual(await xRuns(throttledStep, ci), [90, 30]);
  assert.deepEqual(size(t.aws ?? ''), [90, 30], t.aws);
});

test('before a run, or after one stopped early, the check shows the load test the lab would run', () => {
  const ctx = fakeContext({ ci: true });
  assert.deepEqual(size(splitCheck.aws(ctx)), [90, 30]);
  assert.deepEqual(size(allOkCheck.aws(ctx)), [40, 20]);
  // stopped after 312 of 1000 requests: 312 is no size to run again
  ctx.figuresOf['concurrency-throttled'] = { requests: 312, concurrency: 50, statusCounts: { '200': 300 }, stoppedEarly: true };
  assert.deepEqual(size(splitCheck.aws(ctx)), [90, 30]);
  const workshop = fakeContext({ ci: false });
  assert.deepEqual(size(splitCheck.aws(workshop)), [1000, 50]);
});

test("concurrency-throttled gives the workshop's 502 as a restart of the lab's own cloud (its workspace, port and speed), not a bare `emulator --throttle-status 502` that starts a second cloud on a taken port", async () => {
  const { workspacePaths } = await import('../../src/lab/workspace.js');
  assert.doesNotMatch(explainOf(throttledStep, fakeContext({ ci: false })).join('\n'), /`emulator --throttle-status 502`/);
  const { ctx } = cloudOf({ ci: false, target: 'local', endpoint: 'http://127.0.0.1:4599', speed: 10, ws: workspacePaths('/tmp/my lab') }, { reserved: 25 });
  await throttledStep.prepare!(ctx);
  assert.match(ctx.io.of('say').map((e) => e.text).join('\n'), /restart the lab's cloud/);
  const commands = ctx.io.of('command').map((e) => e.text).join('\n');
  assert.match(commands, /^\$ node \S+ emulator stop --workspace '\/tmp\/my lab'\n\$ node \S+ emulator start --workspace '\/tmp\/my lab' --port 4599 --speed 10 --throttle-status 502$/, commands);
  // --ci says nothing of it; on AWS there is no cloud of the lab's to restart
  const { ctx: ci } = cloudOf({ ci: true, target: 'local', endpoint: 'http://127.0.0.1:4599' }, { reserved: 25 });
  await throttledStep.prepare!(ci);
  assert.equal(ci.io.of('say').length + ci.io.of('command').length, 0);
});

test('the chapter says the load test that runs: the workshop\'s 50 connections when taught, --ci\'s own smaller runs under --ci (it said "50 connections" while --ci ran -c 20 and -c 30)', () => {
  for (const ci of [false, true]) {
    const ctx = fakeContext({ ci });
    // taught, the throttled step comes after the learner's baseline run
    if (!ci) ctx.figuresOf['concurrency-baseline'] = { requests: 1000, concurrency: 50, statusCounts: { '200': 1000 } };
    const [base, throttled] = [baselineStep, throttledStep].map((s) => explainOf(s, ctx).join('\n'));
    const b = loadSize(ctx, 'baseline');
    const t = loadSize(ctx, 'throttled');
    assert.match(base!, new RegExp(`no limit: ${b.concurrency} connections`));
    assert.match(throttled!, new RegExp(`${t.concurrency} connections(, ${t.requests} requests)?.* meet a limit of 25`));
    if (ci) {
      assert.deepEqual([b.concurrency, t.concurrency], [20, 30]);
      assert.doesNotMatch(throttled!, /The same \d+ connections/, 'the --ci runs differ in size');
      assert.match(base!, /the workshop's hey: 50 connections/);
    } else {
      assert.match(base!, /no limit: 50 connections, as the workshop's hey/);
      assert.match(throttled!, /The same 50 connections now meet/);
    }
  }
});

test('a load test that did not come out as the step wants is found in words (`980 answered 200, 20 answered 504`), not as its counts\' JSON', async () => {
  const ctx = fakeContext({ ci: false });
  ctx.figuresOf['concurrency-baseline'] = { requests: 1000, concurrency: 50, statusCounts: { '200': 980, '504': 20 }, stoppedEarly: false };
  const base = await allOkCheck.run(ctx, new AbortController().signal);
  assert.equal(base.status, 'not-yet');
  assert.equal(base.status === 'not-yet' ? base.found : '', '980 answered 200, 20 answered 504');
});

test('a throttle is what Lambda counted as one, not any 5xx: 502s and 504s of a busy host with no reservation are no pass, and the step says the reservation is missing with the command', async () => {
  // reset concurrency-throttled after the chapter: no reservation, and the old check passed on
  // "957 × 200, 2 throttled ([200] 957, [502] 2, [504] 22)" on a cloud that throttles with 500
  const { ctx } = cloudOf({ ci: false }, { invocations: 981, reserved: null });
  ctx.figuresOf['concurrency-reserve'] = { reserved: 25 };
  ctx.figuresOf['concurrency-throttled'] = { requests: 1000, concurrency: 50, statusCounts: { '200': 957, '502': 2, '504': 22 }, stoppedEarly: false, window: WINDOW };
  const r = await shown(splitCheck, ctx);
  assert.equal(r.status, 'not-yet');
  const v = r as { found?: string; hint?: string };
  assert.match(v.found!, /^957 × 200, 0 throttled by Lambda \(CloudWatch Throttles\); in all 957 answered 200, 22 answered 504, 2 answered 502; 24 other 5xx were no throttle/);
  assert.match(v.hint!, /^the function has no reservation now, and this step's load test wants 25: put 25 back:\n\$ aws lambda put-function-concurrency --function-name lab-fn --reserved-concurrent-executions 25 --endpoint-url \S+\nthen run the load test again \(x\)$/);
  // with the reservation, Lambda's own count: 500s that were throttles, beside a 502 that was not
  const { ctx: throttledCtx } = cloudOf({ ci: false }, { throttles: 600, invocations: 400, reserved: 25 });
  throttledCtx.figuresOf['concurrency-throttled'] = { requests: 1000, concurrency: 50, statusCounts: { '200': 399, '500': 600, '502': 1 }, stoppedEarly: false, window: WINDOW };
  const ok = await splitCheck.run(throttledCtx, new AbortController().signal);
  assert.equal(ok.status, 'passed');
  assert.match(ok.status === 'passed' ? ok.found ?? '' : '', /^399 × 200, 600 throttled by Lambda .*; 1 other 5xx were no throttle/);
});

test('concurrency-throttled starts from the reserve step\'s reservation: gone (reset after the chapter) or 0, the lab puts it back and says so', async () => {
  for (const had of [null, 0]) {
    const { ctx, sent, cloud } = cloudOf({ ci: true }, { reserved: had });
    ctx.figuresOf['concurrency-reserve'] = { reserved: 25 };
    await throttledStep.prepare!(ctx);
    assert.equal(cloud.reserved, 25);
    assert.deepEqual(sent.filter((c) => c.name === 'PutFunctionConcurrencyCommand').map((c) => c.input), [{ FunctionName: 'lab-fn', ReservedConcurrentExecutions: 25 }]);
    assert.match(ctx.io.of('say').map((e) => e.text).join('\n'), new RegExp(`this step starts from 25 reserved executions, and the function had ${had === null ? 'none' : 0}: the lab reserved 25 again`));
  }
  // in place: nothing sent, nothing said
  const { ctx, sent } = cloudOf({ ci: true }, { reserved: 25 });
  await throttledStep.prepare!(ctx);
  assert.equal(sent.filter((c) => c.name === 'PutFunctionConcurrencyCommand').length, 0);
  assert.equal(ctx.io.of('say').length, 0);
  // the resume leaves the reserve step's check out: the lab puts it back as the step begins
  assert.deepEqual(throttledStep.restoresFromPrevious, ['the function has reserved concurrency']);
});

test("concurrency-reserve with 0 reserved (every call throttled) says so, with the command that reserves the lab's 25 in its place, in the check and in the h key's hint", async () => {
  const { ctx } = cloudOf({ ci: false }, { reserved: 0 });
  const check = reserveStep.liveChecks[0]!;
  const r = (await check.run(ctx, new AbortController().signal)) as { status: string; found?: string; hint?: string };
  assert.equal(r.status, 'not-yet');
  assert.equal(r.found, '0 reserved: every call is throttled');
  const put = /\n\$ aws lambda put-function-concurrency --function-name lab-fn --reserved-concurrent-executions 25 --endpoint-url \S+$/;
  assert.match(r.hint ?? '', /^a reservation of 0 stops the function: Lambda throttles every call to it/);
  assert.match(r.hint ?? '', put);
  const fromState = reserveStep.hints.find((h) => typeof h !== 'string') as { fromState: (c: LabContext, s: AbortSignal) => Promise<string | undefined> };
  assert.match((await fromState.fromState(ctx, new AbortController().signal)) ?? '', put);
  // any other reservation: no word of 0 from the cloud
  const { ctx: none } = cloudOf({ ci: false }, { reserved: null });
  assert.equal(await fromState.fromState(none, new AbortController().signal), undefined);
});

test("concurrency-reserve with more than the lab's 25 (900) says so with the command that reserves 25 in its place, in the check and in the h key's hint, as 0 does", async () => {
  const { ctx } = cloudOf({ ci: false }, { reserved: 900 });
  const r = (await reserveStep.liveChecks[0]!.run(ctx, new AbortController().signal)) as { status: string; found?: string; hint?: string };
  assert.equal(r.status, 'not-yet');
  assert.equal(r.found, '900 reserved');
  const put = /\n\$ aws lambda put-function-concurrency --function-name lab-fn --reserved-concurrent-executions 25 --endpoint-url \S+$/;
  assert.match(r.hint ?? '', /^900 is more than the lab's 25: the load test would never be throttled/);
  assert.match(r.hint ?? '', /Reserve 25 in its place:/);
  assert.match(r.hint ?? '', put);
  const fromState = reserveStep.hints.find((h) => typeof h !== 'string') as { fromState: (c: LabContext, s: AbortSignal) => Promise<string | undefined> };
  assert.equal(await fromState.fromState(ctx, new AbortController().signal), r.hint);
  // the lab's own, or fewer: no word of a mistake
  for (const reserved of [25, 10]) assert.equal(await fromState.fromState(cloudOf({ ci: false }, { reserved }).ctx, new AbortController().signal), undefined);
});

test('concurrency-restore with 0 reserved (not none) says it stops the function, with the delete-function-concurrency that gives it back on a line of its own', async () => {
  const { ctx } = cloudOf({ ci: false }, { reserved: 0 });
  const r = (await restoreStep.liveChecks[0]!.run(ctx, new AbortController().signal)) as { status: string; found?: string; hint?: string };
  assert.equal(r.status, 'not-yet');
  assert.equal(r.found, '0 reserved');
  assert.match(r.hint ?? '', /^a reservation of 0 stops the function altogether; delete the reservation instead:\n\$ aws lambda delete-function-concurrency --function-name lab-fn --endpoint-url \S+$/);
});

test("the throttles the split check reports come with the get-metric-statistics that shows them: Lambda's Throttles over the run's minutes", async () => {
  const { ctx } = cloudOf({ ci: false, speed: 10 }, { throttles: 620, invocations: 380, reserved: 25 });
  ctx.figuresOf['concurrency-throttled'] = { requests: 1000, concurrency: 50, statusCounts: { '200': 380, '500': 620 }, stoppedEarly: false, window: WINDOW };
  const r = await shown(splitCheck, ctx);
  assert.equal(r.status, 'passed');
  const lines = (r.aws ?? '').split('\n');
  assert.deepEqual(size(lines[0]!), [1000, 50]);
  assert.equal(lines[1], "# cloud time: the local cloud's clock runs 10x faster than yours");
  assert.equal(
    lines[2],
    'aws cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name Throttles --dimensions Name=FunctionName,Value=lab-fn --statistics Sum --period 60 --start-time 2026-01-01T10:00:00Z --end-time 2026-01-01T10:01:00Z --endpoint-url http://127.0.0.1:1',
  );
  // not yet (no Throttles counted): the check's own command carries it too, once a run has a window
  const { ctx: zero } = cloudOf({ ci: false }, { invocations: 1000, throttles: 0, reserved: 25 });
  zero.figuresOf['concurrency-throttled'] = { requests: 1000, concurrency: 50, statusCounts: { '200': 1000 }, stoppedEarly: false, window: WINDOW };
  assert.match((await shown(splitCheck, zero)).aws ?? '', /--metric-name Throttles .*--statistics Sum/);
});

test('under --ci the same not-yet names no key: the lab runs the load test next (it said "press x" to an instructor with no key to press)', async () => {
  for (const [check, stepId] of [[allOkCheck, 'concurrency-baseline'], [splitCheck, 'concurrency-throttled']] as const) {
    const { ctx } = cloudOf({ ci: true }, { reserved: 25 });
    const none = await check.run(ctx, new AbortController().signal);
    ctx.figuresOf[stepId] = { requests: 312, concurrency: 50, statusCounts: { '200': 300 }, stoppedEarly: true, window: WINDOW };
    const early = await check.run(ctx, new AbortController().signal);
    for (const o of [none, early]) {
      assert.equal(o.status, 'not-yet');
      assert.equal(o.status === 'not-yet' && o.hint, 'the lab runs the load test shown below and counts its answers. A run from a shell (that command pasted) is not counted: the lab sees only the runs it makes.', check.name);
      assert.doesNotMatch(`${o.status === 'not-yet' ? o.found : ''}`, /press/);
    }
  }
  // the throttled step's words say what stands for the restart commands --ci does not print
  const ci = explainOf(throttledStep, cloudOf({ ci: true }, { reserved: 25 }).ctx).join('\n');
  assert.doesNotMatch(ci, /below: how to restart/);
  assert.match(ci, /the lab's answers 500 \(one started with --throttle-status 502 answers the workshop's 502\)/);
  assert.match(explainOf(throttledStep, cloudOf({ ci: false }, { reserved: 25 }).ctx).join('\n'), /\(below: how to restart it with the workshop's 502\)/);
});

test('a not-yet that asks for a run says x runs the load test shown, and that a run of the learner\'s own (that command pasted) is not counted', async () => {
  for (const [check, stepId] of [[allOkCheck, 'concurrency-baseline'], [splitCheck, 'concurrency-throttled']] as const) {
    const { ctx } = cloudOf({ ci: false }, { reserved: 25 });
    const none = await check.run(ctx, new AbortController().signal);
    assert.equal(none.status, 'not-yet');
    ctx.figuresOf[stepId] = { requests: 312, concurrency: 50, statusCounts: { '200': 300 }, stoppedEarly: true, window: WINDOW };
    const early = await check.run(ctx, new AbortController().signal);
    assert.equal(early.status, 'not-yet');
    for (const o of [none, early]) {
      assert.equal(o.status === 'not-yet' && o.hint, 'press x: the lab runs the load test shown below and counts its answers. A run of your own (that command pasted in a shell) is not counted: the lab sees only the runs it makes.', check.name);
    }
  }
});

test("a load test whose requests got no answer (the cloud stopped, kill -STOP) names the cloud's log by its path, as does a 502's hint", async () => {
  const ctx = fakeContext({ ci: false });
  const log = `${ctx.ws.stateDir}/emulator.log`;
  ctx.figuresOf['concurrency-baseline'] = { requests: 1000, concurrency: 50, statusCounts: { '200': 950 }, stoppedEarly: false };
  const lost = await allOkCheck.run(ctx, new AbortController().signal);
  assert.equal(lost.status, 'not-yet');
  assert.equal(lost.status === 'not-yet' ? lost.found : '', '950 answered 200, and 50 without an answer');
  assert.ok(lost.status === 'not-yet' && lost.hint?.includes(`the API did not answer at all; look at the cloud's log (${log}), then run the load test again (x)`), JSON.stringify(lost));
  ctx.figuresOf['concurrency-baseline'] = { requests: 1000, concurrency: 50, statusCounts: { '200': 950, '502': 50 }, stoppedEarly: false };
  const failed = await allOkCheck.run(ctx, new AbortController().signal);
  assert.ok(failed.status === 'not-yet' && failed.hint?.includes(`at the cloud's log (${log}) for the cause`), JSON.stringify(failed));
});
