import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WorkerPool } from '../../../src/emulator/services/lambda/runner/index.js';
import type { FunctionRunConfig } from '../../../src/emulator/services/lambda/runner/types.js';
import { CodeDirs, fnConfig, json, request } from './fixtures.js';

/**
 * One function that misbehaves on demand: each fault must fail only its own invocation, end the
 * environment, and leave the next invocation to succeed on a fresh one.
 */
const FRAGILE = `
let invocations = 0;
exports.handler = async (event) => {
  invocations++;
  switch (event.fault) {
    case 'throw': throw new RangeError('out of range');
    case 'throw-bare': throw Object.create(null);
    case 'hang': return new Promise(() => { setInterval(() => {}, 1000); });
    case 'exit': process.exit(event.code ?? 1);
    case 'oom': { const keep = []; for (;;) keep.push(new Array(100000).fill(keep.length)); }
    case 'reject': Promise.reject(new Error('nobody listens')); return new Promise((r) => setTimeout(r, 200));
    case 'uncaught': setTimeout(() => { throw new Error('from a timer'); }, 1); return new Promise((r) => setTimeout(r, 200));
  }
  return { invocations };
};`;

describe('lambda runner: faults', () => {
  const dirs = new CodeDirs();
  const pool = new WorkerPool();
  const code = dirs.write({ 'index.js': FRAGILE });
  after(async () => {
    await pool.shutdown();
    dirs.cleanup();
  });

  async function faultThenRecover(fault: Record<string, unknown>, over: Partial<FunctionRunConfig> = {}) {
    const config = fnConfig(code, { timeoutSeconds: 1, ...over });
    const warm = await pool.invoke(config, request(config));
    assert.deepEqual(json(warm.payload), { invocations: 1 });
    const failed = await pool.invoke(config, request(config, fault, { tail: true }));
    assert.equal(failed.functionError, 'Unhandled');
    assert.equal(pool.stats().busy, 0);
    const next = await pool.invoke(config, request(config));
    assert.equal(next.functionError, undefined, next.payload.toString());
    assert.deepEqual(json(next.payload), { invocations: 1 }, 'served by a fresh environment');
    assert.ok(next.initDurationMs !== undefined, 'the next invocation is a cold start');
    return failed;
  }

  it('a thrown error fails the invocation but keeps the environment', async () => {
    const config = fnConfig(code);
    await pool.invoke(config, request(config));
    const r = await pool.invoke(config, request(config, { fault: 'throw' }, { tail: true }));
    assert.equal(r.functionError, 'Unhandled');
    const doc = json(r.payload);
    assert.equal(doc.errorType, 'RangeError');
    assert.equal(doc.errorMessage, 'out of range');
    assert.ok(Array.isArray(doc.trace) && doc.trace[0] === 'RangeError: out of range');
    assert.match(r.log!, /\tERROR\tInvoke Error \t\{"errorType":"RangeError","errorMessage":"out of range"/);
    const next = await pool.invoke(config, request(config));
    assert.deepEqual(json(next.payload), { invocations: 3 }, 'same warm environment');
  });

  it('a thrown value that cannot be made a string fails the invocation with its error, not with a timeout', async () => {
    // String(Object.create(null)) throws; the runtime reports the value as a 'handled' error
    // document (its toRapidResponse fallback) and the invocation ends there
    const config = fnConfig(code, { timeoutSeconds: 3 });
    await pool.invoke(config, request(config));
    const r = await pool.invoke(config, request(config, { fault: 'throw-bare' }, { tail: true }));
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(json(r.payload).errorType, 'handled', 'not Sandbox.Timedout');
    const next = await pool.invoke(config, request(config));
    assert.equal(next.functionError, undefined, 'the environment still serves');
  });

  it('a timeout answers Sandbox.Timedout and ends the environment', async () => {
    const before = pool.stats().environments;
    const r = await faultThenRecover({ fault: 'hang' });
    const requestId = /START RequestId: (\S+)/.exec(r.log!)![1];
    assert.deepEqual(json(r.payload), {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after 1.00 seconds`,
    });
    assert.ok(r.durationMs >= 1000);
    assert.match(r.log!, new RegExp(`Z ${requestId} Task timed out after 1.00 seconds\\n`));
    assert.match(r.log!, /Status: timeout/);
    assert.equal(pool.stats().environments, before + 1, 'the timed-out environment is gone');
  });

  it('process.exit answers Runtime.ExitError', async () => {
    const r = await faultThenRecover({ fault: 'exit', code: 3 });
    const doc = json(r.payload);
    assert.equal(doc.errorType, 'Runtime.ExitError');
    assert.match(doc.errorMessage, /^RequestId: \S+ Error: Runtime exited with error: exit status 3$/);
    const zero = await faultThenRecover({ fault: 'exit', code: 0 });
    assert.match(json(zero.payload).errorMessage, /Error: Runtime exited without providing a reason$/);
  });

  it('running out of memory answers Runtime.OutOfMemory', async () => {
    const r = await faultThenRecover({ fault: 'oom' }, { memorySizeMB: 128, timeoutSeconds: 20 });
    const doc = json(r.payload);
    assert.equal(doc.errorType, 'Runtime.OutOfMemory');
    assert.match(doc.errorMessage, /^RequestId: \S+ Error: Runtime exited with error: signal: killed$/);
    assert.equal(r.maxMemoryUsedMB, 128);
    assert.match(r.log!, /Error Type: Runtime.OutOfMemory/);
  });

  it('an unhandled rejection answers Runtime.UnhandledPromiseRejection', async () => {
    const r = await faultThenRecover({ fault: 'reject' });
    const doc = json(r.payload);
    assert.equal(doc.errorType, 'Runtime.UnhandledPromiseRejection');
    assert.equal(doc.errorMessage, 'Error: nobody listens');
  });

  it('an uncaught exception outside the handler fails the invocation', async () => {
    const r = await faultThenRecover({ fault: 'uncaught' });
    const doc = json(r.payload);
    assert.equal(doc.errorType, 'Error');
    assert.equal(doc.errorMessage, 'from a timer');
    assert.match(r.log!, /\tERROR\tUncaught Exception \t/);
  });
});
