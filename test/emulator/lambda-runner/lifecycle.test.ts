import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import {
  isSupportedRuntime,
  UnsupportedRuntimeError,
  WorkerPool,
  type LogEntry,
} from '../../../src/emulator/services/lambda/runner/index.js';
import { eventually } from '../../helpers/eventually.js';
import { CodeDirs, fnConfig, json, request } from './fixtures.js';

/** Threads of this process (Linux only), to check that workers really end. */
async function osThreads(): Promise<number | undefined> {
  try {
    const status = await readFile('/proc/self/status', 'utf8');
    return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1]);
  } catch {
    return undefined;
  }
}

const SLOW = `exports.handler = async (event, context) => {
  await new Promise((r) => setTimeout(r, event.ms ?? 0));
  return context.logStreamName;
};`;

describe('lambda runner: environment lifecycle', () => {
  const dirs = new CodeDirs();
  const slowCode = dirs.write({ 'index.js': SLOW });
  const pools: WorkerPool[] = [];
  function newPool(options: ConstructorParameters<typeof WorkerPool>[0] = {}) {
    const pool = new WorkerPool(options);
    pools.push(pool);
    return pool;
  }
  after(async () => {
    await Promise.all(pools.map((p) => p.shutdown()));
    dirs.cleanup();
  });

  it('reports init duration on the cold start only and reuses the warm environment', async () => {
    const pool = newPool();
    const config = fnConfig(slowCode);
    const cold = await pool.invoke(config, request(config, {}, { tail: true }));
    const warm = await pool.invoke(config, request(config, {}, { tail: true }));
    assert.ok(typeof cold.initDurationMs === 'number' && cold.initDurationMs >= 0);
    assert.match(cold.log!, /\tInit Duration: \d+\.\d\d ms\t/);
    assert.equal(warm.initDurationMs, undefined);
    assert.doesNotMatch(warm.log!, /Init Duration/);
    assert.equal(json(warm.payload), json(cold.payload), 'same log stream = same environment');
    assert.deepEqual(pool.stats(), { environments: 1, busy: 0, idle: 1 });
  });

  it('starts a new environment for new code or configuration', async () => {
    const pool = newPool();
    const config = fnConfig(slowCode);
    await pool.invoke(config, request(config));
    const updated = { ...config, codeSha256: 'other', environment: { A: '1' } };
    const r = await pool.invoke(updated, request(updated));
    assert.ok(r.initDurationMs !== undefined);
    assert.equal(pool.stats().environments, 2);
  });

  it('serves concurrent invocations from separate environments', async () => {
    const pool = newPool();
    const config = fnConfig(slowCode);
    const running = [1, 2, 3].map(() => pool.invoke(config, request(config, { ms: 150 })));
    await sleep(50);
    assert.equal(pool.stats().environments, 3);
    const streams = (await Promise.all(running)).map((r) => json(r.payload));
    assert.equal(new Set(streams).size, 3);
    assert.deepEqual(pool.stats(), { environments: 3, busy: 0, idle: 3 });
  });

  it('reaps idle environments after the idle timeout', async () => {
    const pool = newPool({ idleTimeoutMs: 100 });
    const config = fnConfig(slowCode);
    await pool.invoke(config, request(config));
    assert.equal(pool.stats().idle, 1);
    // reaped once idle for 100 ms, its worker ended: a state, waited on (a busy machine runs the
    // reaper's timer and the thread's exit late; a fixed 300 ms was once too short)
    await eventually('the idle environment reaped and its worker ended', async () => pool.liveWorkers, (n) => n === 0);
    const again = await pool.invoke(config, request(config));
    assert.ok(again.initDurationMs !== undefined, 'cold again');
  });

  it('retires the environments of a function or of one version', async () => {
    const pool = newPool();
    const v1 = fnConfig(slowCode, { functionName: 'retire-me', version: '1' });
    const v2 = { ...v1, version: '2' };
    const other = fnConfig(slowCode);
    await Promise.all([pool.invoke(v1, request(v1)), pool.invoke(v2, request(v2)), pool.invoke(other, request(other))]);
    assert.equal(pool.stats().environments, 3);
    await pool.retire('retire-me', '1');
    assert.equal(pool.stats().environments, 2);
    // a busy environment finishes its invocation, then ends
    const busy = pool.invoke(v2, request(v2, { ms: 100 }));
    await sleep(20);
    await pool.retire('retire-me');
    assert.equal(typeof json((await busy).payload), 'string');
    await eventually('the retired environment ended after its invocation', async () => pool.stats().environments, (n) => n === 1);
  });

  it('captures logs in the runtime format, for the tail and the log sink', async () => {
    const entries: LogEntry[] = [];
    const pool = newPool({ logSink: (e) => entries.push(e) });
    const config = fnConfig(
      dirs.write({
        'index.js': `console.log('loading');
          exports.handler = async (event) => {
            console.log('hello', { n: 1 });
            console.info('info');
            console.warn('careful');
            console.error('broken');
            process.stdout.write('raw line');
            return 'ok';
          };`,
      }),
      { functionName: 'logger', memorySizeMB: 256 },
    );
    const req = request(config, {}, { tail: true });
    const r = await pool.invoke(config, req);
    const id = req.requestId;
    const lines = r.log!.split('\n');
    assert.equal(lines.at(-1), '');
    assert.match(lines[0], /^\S+Z\tundefined\tINFO\tloading$/);
    assert.equal(lines[1], `START RequestId: ${id} Version: $LATEST`);
    assert.match(lines[2], new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${id}\\tINFO\\thello { n: 1 }$`));
    assert.match(lines[3], new RegExp(`\\t${id}\\tINFO\\tinfo$`));
    assert.match(lines[4], new RegExp(`\\t${id}\\tWARN\\tcareful$`));
    assert.match(lines[5], new RegExp(`\\t${id}\\tERROR\\tbroken$`));
    assert.equal(lines[6], 'raw line');
    assert.equal(lines[7], `END RequestId: ${id}`);
    assert.match(
      lines[8],
      new RegExp(`^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms\\t$`),
    );
    const sunk = entries.map((e) => e.text).join('');
    assert.equal(sunk, r.log);
    assert.ok(entries.every((e) => e.functionName === 'logger' && e.version === '$LATEST' && e.logStreamName.includes('[$LATEST]')));

    const quiet = newPool();
    const noTail = await quiet.invoke(config, request(config));
    assert.equal(noTail.log, undefined);
  });

  it('refuses runtimes it cannot run', async () => {
    assert.ok(isSupportedRuntime('nodejs18.x') && isSupportedRuntime('nodejs20.x') && isSupportedRuntime('nodejs22.x'));
    assert.ok(!isSupportedRuntime('python3.12'));
    const pool = newPool();
    const config = fnConfig(slowCode, { runtime: 'python3.12' });
    await assert.rejects(pool.invoke(config, request(config)), (err: Error) => {
      assert.ok(err instanceof UnsupportedRuntimeError);
      assert.match(err.message, /python3\.12 is not supported/);
      return true;
    });
  });

  it('ends every worker thread on shutdown', async () => {
    await readFile(new URL(import.meta.url)); // warm libuv's thread pool before counting threads
    const threadsBefore = await osThreads();
    const pool = newPool();
    const config = fnConfig(slowCode);
    // an ESM function's environment also runs a module-hooks thread: it must end too
    const esm = fnConfig(dirs.write({ 'index.mjs': 'export const handler = async () => 1;' }));
    const configs = [config, fnConfig(slowCode), esm];
    const busy = pool.invoke(config, request(config, { ms: 5000 }));
    await Promise.all(configs.slice(1).map((c) => pool.invoke(c, request(c))));
    assert.equal(pool.liveWorkers, 3);
    await pool.shutdown();
    assert.equal(pool.liveWorkers, 0);
    assert.deepEqual(pool.stats(), { environments: 0, busy: 0, idle: 0 });
    assert.equal((await busy).functionError, 'Unhandled', 'the invocation in flight fails');
    await assert.rejects(pool.invoke(config, request(config)), /shut down/);
    const threadsAfter = await osThreads();
    if (threadsBefore !== undefined) assert.ok(threadsAfter! <= threadsBefore, `threads ${threadsBefore} → ${threadsAfter}`);
  });
});
