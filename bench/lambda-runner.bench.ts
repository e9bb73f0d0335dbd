/**
 * The Lambda runner alone (no HTTP): invocations per second of a no-op handler through
 * WorkerPool.invoke, at concurrency 1 (one warm environment, pure message-passing round trip) and
 * 50 (50 environments), beside calling the same handler in-process.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkerPool } from '../src/emulator/services/lambda/runner/index.js';
import type { FunctionRunConfig } from '../src/emulator/services/lambda/runner/types.js';
import { percentile } from './stats.js';

const MS = 2000;

async function drive(concurrency: number, call: () => Promise<unknown>): Promise<{ perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const end = performance.now() + MS;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await call();
        latencies.push(performance.now() - t);
        count++;
      }
    }),
  );
  return { perSecond: (count * 1000) / MS, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

function show(label: string, r: { perSecond: number; p50: number; p99: number }): string {
  return `${label.padEnd(40)} ${Math.round(r.perSecond).toString().padStart(8)} /s   p50 ${(r.p50 * 1000).toFixed(0).padStart(5)} µs   p99 ${(r.p99 * 1000).toFixed(0).padStart(6)} µs`;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-runner-bench-'));
  writeFileSync(path.join(dir, 'index.js'), 'exports.handler = async () => ({ statusCode: 200, body: "ok" });');
  const config: FunctionRunConfig = {
    functionName: 'noop',
    version: '$LATEST',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:noop',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    codeDir: dir,
    codeSha256: 'bench',
    timeoutSeconds: 30,
    memorySizeMB: 128,
    environment: {},
  };
  const payload = Buffer.from('{"path":"/","httpMethod":"GET"}');
  const pool = new WorkerPool();
  const invoke = () =>
    pool.invoke(config, { requestId: randomUUID(), payload, invokedFunctionArn: config.functionArn, tail: false });
  const handler = async (_e: unknown) => ({ statusCode: 200, body: 'ok' });
  const inProcess = async () => JSON.stringify(await handler(JSON.parse(payload.toString())));
  try {
    await drive(50, invoke); // start 50 environments, warm the JIT
    for (const c of [1, 50]) {
      console.log(show(`in-process call, concurrency ${c}`, await drive(c, inProcess)));
      console.log(show(`WorkerPool.invoke, concurrency ${c}`, await drive(c, invoke)));
    }
    console.log(`environments: ${JSON.stringify(pool.stats())}`);
  } finally {
    await pool.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}
