/** The backend alone, with a fake runner: admission, routing, metrics and ARN forms, no HTTP, no workers. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/emulator/core/clock.js';
import { ServiceError } from '../../../src/emulator/core/service-error.js';
import { StateStore } from '../../../src/emulator/core/store.js';
import { parseFunctionRef } from '../../../src/emulator/services/lambda/arn.js';
import { ConcurrencyController } from '../../../src/emulator/services/lambda/concurrency.js';
import { createLambdaService, pickVersion, type LambdaMetricDatum } from '../../../src/emulator/services/lambda/index.js';
import type { ExecutionEnvironments, InvokeRequest, InvokeResult } from '../../../src/emulator/services/lambda/runner/types.js';
import { ROLE, zip } from './harness.js';

/** a runner whose invocations finish when the test says so */
class FakeRunner implements ExecutionEnvironments {
  pending: { resolve: (r: InvokeResult) => void; version: string }[] = [];
  requests: InvokeRequest[] = [];
  invoke(config: { version: string }, request: InvokeRequest) {
    this.requests.push(request);
    return new Promise<InvokeResult>((resolve) => this.pending.push({ resolve, version: config.version }));
  }
  finishAll(functionError?: 'Unhandled') {
    for (const p of this.pending.splice(0)) {
      p.resolve({ payload: Buffer.from(JSON.stringify(p.version)), durationMs: 5, billedDurationMs: 5, maxMemoryUsedMB: 64, ...(functionError ? { functionError } : {}) });
    }
  }
  async retire() {}
  stats() {
    return { environments: 0, busy: this.pending.length, idle: 0 };
  }
  async shutdown() {}
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(opts: { accountConcurrencyLimit?: number; random?: () => number; payloadLimits?: { sync?: number; async?: number } } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sol-lambda-unit-'));
  dirs.push(dir);
  const runner = new FakeRunner();
  const metrics: LambdaMetricDatum[] = [];
  const clock = new ManualClock();
  const svc = createLambdaService({
    store: new StateStore(dir),
    runner,
    clock,
    region: 'us-east-1',
    accountId: '000000000000',
    codeSource: { getObject: () => undefined },
    metrics: { record: (d) => metrics.push(d) },
    ...opts,
  });
  const create = (name: string) =>
    svc.backend.createFunction({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip({ 'index.js': '' }) } });
  return { svc, runner, metrics, clock, create };
}

async function rejection(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ServiceError) return err;
    throw err;
  }
  throw new Error('expected a ServiceError');
}

describe('Lambda backend', () => {
  test('the unreserved pool: ConcurrentInvocationLimitExceeded once limit - reservations are in flight', async () => {
    const { svc, runner, create } = setup({ accountConcurrencyLimit: 150 });
    await create('a');
    await create('b');
    await create('r');
    svc.backend.putFunctionConcurrency('r', 50); // unreserved pool: 100
    const calls = [];
    for (let i = 0; i < 100; i++) calls.push(svc.invokeFunction({ functionName: i % 2 ? 'a' : 'b' }));
    const err = await rejection(svc.invokeFunction({ functionName: 'a' }));
    assert.equal(err.code, 'TooManyRequestsException');
    assert.equal(err.status, 429);
    assert.deepEqual(err.fields, { Reason: 'ConcurrentInvocationLimitExceeded', Type: 'User' });
    assert.deepEqual(err.headers, { 'Retry-After': '1' });
    // the reserved function still has its own 50
    const reserved = svc.invokeFunction({ functionName: 'r' });
    assert.equal(svc.backend.inFlight('r'), 1);
    assert.equal(svc.backend.peakConcurrencyTotal(), 101);
    runner.finishAll();
    await Promise.all([...calls, reserved]);
    assert.equal(svc.backend.inFlight(), 0);
  });

  test('admission never lets more than N in, even when calls arrive in one tick', async () => {
    const { svc, runner, create } = setup();
    await create('f');
    svc.backend.putFunctionConcurrency('f', 3);
    const settled = Promise.allSettled(Array.from({ length: 10 }, () => svc.invokeFunction({ functionName: 'f' })));
    assert.equal(svc.backend.inFlight('f'), 3);
    runner.finishAll();
    const results = await settled;
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    assert.equal(svc.backend.peakConcurrency('f'), 3);
  });

  test('metrics: Invocations, ConcurrentExecutions, Duration, Throttles with FunctionName / Resource / ExecutedVersion', async () => {
    const { svc, runner, metrics, create } = setup({ random: () => 0.05 });
    await create('m');
    svc.backend.publishVersion({ FunctionName: 'm' });
    svc.backend.updateFunctionConfiguration({ FunctionName: 'm', Timeout: 5 });
    await svc.backend.updateFunctionConfiguration({ FunctionName: 'm', Timeout: 6 });
    svc.backend.publishVersion({ FunctionName: 'm' });
    svc.backend.createAlias({ FunctionName: 'm', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } });
    const call = svc.invokeFunction({ functionName: 'm', qualifier: 'live' });
    runner.finishAll();
    const out = await call;
    assert.equal(out.executedVersion, '2'); // random 0.05 < weight 0.1
    const names = metrics.map((m) => m.metricName);
    assert.deepEqual(names, ['ConcurrentExecutions', 'ConcurrentExecutions', 'Invocations', 'Duration', 'Errors']);
    assert.equal(metrics[4].value, 0, 'Errors 0 for an invocation that succeeded');
    assert.deepEqual(metrics[1].dimensions, {}, 'the account-wide ConcurrentExecutions');
    assert.deepEqual(metrics[2].dimensions, { FunctionName: 'm', Resource: 'm:live', ExecutedVersion: '2' });
    assert.equal(metrics[3].unit, 'Milliseconds');
    svc.backend.putFunctionConcurrency('m', 0);
    await rejection(svc.invokeFunction({ functionName: 'm' }));
    assert.deepEqual(metrics.at(-1), { metricName: 'Throttles', value: 1, unit: 'Count', timestamp: metrics.at(-1)!.timestamp, dimensions: { FunctionName: 'm' } });
  });

  test('an in-process text event counts its UTF-8 bytes against the payload limits', async () => {
    const { svc, runner, create } = setup({ payloadLimits: { sync: 100, async: 50 } });
    await create('t');
    const fits = JSON.stringify('é'.repeat(40)); // 42 characters, 82 bytes
    const call = svc.invokeFunction({ functionName: 't', payload: fits });
    runner.finishAll();
    assert.equal((await call).statusCode, 200);
    const tooLarge = await rejection(svc.invokeFunction({ functionName: 't', payload: JSON.stringify('é'.repeat(60)) }));
    assert.equal(tooLarge.code, 'RequestEntityTooLargeException', '62 characters but 122 bytes: within 100 only if counted in characters');
    const event = await rejection(svc.invokeFunction({ functionName: 't', payload: fits, invocationType: 'Event' }));
    assert.match(event.message, /^82 byte payload is too large for the Event invocation type/);
  });

  test('an event built in the function\'s thread is measured by its byteLength against the limit that applies, and handed to the runner as it is', async () => {
    const { svc, runner, create } = setup({ payloadLimits: { sync: 100, async: 50 } });
    await create('b');
    const asked: number[] = [];
    const built = (bytes: number) => ({ builder: 'file:///builder.mjs', parts: ['p'], byteLength: (limit: number) => (asked.push(limit), bytes) });
    const fits = built(100);
    const call = svc.invokeFunction({ functionName: 'b', event: fits });
    assert.equal(runner.pending.length, 1);
    assert.equal(runner.requests[0].payload, fits, 'the runner gets the built event itself');
    runner.finishAll();
    assert.equal((await call).statusCode, 200);
    const tooLarge = await rejection(svc.invokeFunction({ functionName: 'b', event: built(101) }));
    assert.equal(tooLarge.code, 'RequestEntityTooLargeException');
    const event = await rejection(svc.invokeFunction({ functionName: 'b', event: built(51), invocationType: 'Event' }));
    assert.match(event.message, /^51 byte payload is too large for the Event invocation type/);
    assert.deepEqual(asked, [100, 100, 50], 'RequestResponse against the sync limit, Event against the smaller one');
  });

  test('Event invocations wait out throttling and run later (retried internally, as AWS does)', async () => {
    const { svc, runner, clock, create } = setup();
    await create('ev');
    svc.backend.putFunctionConcurrency('ev', 0);
    const out = await svc.invokeFunction({ functionName: 'ev', invocationType: 'Event', payload: { x: 1 } });
    assert.equal(out.statusCode, 202);
    await new Promise((r) => setImmediate(r));
    assert.equal(runner.pending.length, 0);
    svc.backend.deleteFunctionConcurrency('ev');
    clock.advance(1000);
    assert.equal(runner.pending.length, 1);
    runner.finishAll();
    await svc.backend.events.idle();
    assert.equal(svc.backend.events.completed, 1);
  });

  test('an Event invocation whose function fails runs twice more: one minute, then two minutes later (cloud time)', async () => {
    const { svc, runner, clock, create } = setup();
    await create('flaky');
    await svc.invokeFunction({ functionName: 'flaky', invocationType: 'Event', payload: {} });
    await new Promise((r) => setImmediate(r));
    assert.equal(runner.pending.length, 1);
    runner.finishAll('Unhandled');
    await new Promise((r) => setImmediate(r));
    clock.advance(59_999);
    assert.equal(runner.pending.length, 0);
    clock.advance(1);
    assert.equal(runner.pending.length, 1, 'second attempt after one minute');
    runner.finishAll('Unhandled');
    await new Promise((r) => setImmediate(r));
    clock.advance(119_999);
    assert.equal(runner.pending.length, 0);
    clock.advance(1);
    assert.equal(runner.pending.length, 1, 'third attempt two minutes later');
    runner.finishAll('Unhandled');
    await svc.backend.events.idle();
    clock.advance(3600_000);
    assert.equal(runner.pending.length, 0, 'no fourth attempt');
    assert.equal(svc.backend.events.attempts, 3);
    assert.equal(svc.backend.events.completed, 1);

    // a success ends it at once
    await svc.invokeFunction({ functionName: 'flaky', invocationType: 'Event', payload: {} });
    await new Promise((r) => setImmediate(r));
    runner.finishAll();
    await svc.backend.events.idle();
    assert.equal(svc.backend.events.attempts, 4);
  });

  test('pickVersion follows the weight', () => {
    const alias = { FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } };
    assert.equal(pickVersion(alias, () => 0.0999), '2');
    assert.equal(pickVersion(alias, () => 0.1), '1');
    assert.equal(pickVersion({ FunctionVersion: '3' }, () => 0), '3');
  });

  test('function reference forms', () => {
    assert.deepEqual(parseFunctionRef('fn'), { name: 'fn', qualifier: undefined });
    assert.deepEqual(parseFunctionRef('fn:live'), { name: 'fn', qualifier: 'live' });
    assert.deepEqual(parseFunctionRef('000000000000:function:fn'), { name: 'fn', qualifier: undefined });
    assert.deepEqual(parseFunctionRef('arn:aws:lambda:us-east-1:000000000000:function:fn:7'), { name: 'fn', qualifier: '7', region: 'us-east-1' });
    assert.deepEqual(parseFunctionRef('arn:aws:lambda:us-east-1:000000000000:function:fn', '$LATEST'), { name: 'fn', qualifier: '$LATEST', region: 'us-east-1' });
    assert.throws(() => parseFunctionRef('../etc'), (e: ServiceError) => e.code === 'ValidationException');
    assert.throws(() => parseFunctionRef('a'.repeat(141)), (e: ServiceError) => /length less than or equal to 140/.test(e.message));
  });

  test('ConcurrencyController refuses an account limit below the unreserved minimum', () => {
    assert.throws(() => new ConcurrencyController(50, () => new Map()), RangeError);
  });
});
