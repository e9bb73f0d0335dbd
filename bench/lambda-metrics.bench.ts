/**
 * Lambda's metrics must not slow the hot path (issue 7): Invoke of a no-op handler at 50 concurrent
 * clients with every invocation publishing its AWS/Lambda points into CloudWatch, beside the same
 * Lambda publishing nowhere (a sink that drops them). Each server is Lambda alone on the real HTTP
 * pipeline, in a child process; the two are measured alternately, three times, and the medians compared.
 * Goal: ratio ≥ 0.95x.
 */
import { CONNECTIONS, NOOP_HANDLER, createFunction, distUrl, line, measure, startModuleChild, type Figures } from './harness.js';
import { median } from './stats.js';

const SECONDS = 3;

const LAMBDA_ONLY = `
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const { createEmulatorServer } = await import(${JSON.stringify(distUrl('src/emulator/server.js'))});
const { StateStore } = await import(${JSON.stringify(distUrl('src/emulator/core/store.js'))});
const { ScaledClock } = await import(${JSON.stringify(distUrl('src/emulator/core/clock.js'))});
const { createLambdaService, noopMetricsSink } = await import(${JSON.stringify(distUrl('src/emulator/services/lambda/index.js'))});
const { WorkerPool } = await import(${JSON.stringify(distUrl('src/emulator/services/lambda/runner/index.js'))});
const { createCloudWatchService } = await import(${JSON.stringify(distUrl('src/emulator/services/cloudwatch/index.js'))});
const dir = mkdtempSync(join(tmpdir(), 'sol-bench-metrics-'));
let close = async () => {};
const server = await createEmulatorServer({
  port: 0,
  app: (endpoint) => {
    const store = new StateStore(dir);
    const clock = new ScaledClock(1);
    const cloudwatch = createCloudWatchService({ store, clock, region: 'us-east-1', accountId: '000000000000', log: () => {} });
    const runner = new WorkerPool({ region: 'us-east-1', endpointUrl: endpoint });
    const lambda = createLambdaService({
      store, runner, clock, region: 'us-east-1', accountId: '000000000000', accountConcurrencyLimit: 1000,
      codeSource: { getObject: () => undefined },
      metrics: process.env.METRICS === 'on' ? cloudwatch.lambdaMetrics : noopMetricsSink,
    });
    close = async () => { lambda.close(); await runner.shutdown(); cloudwatch.close(); };
    return { services: [lambda.definition], shutdown: () => close() };
  },
});
process.stdout.write(server.endpoint + '\\n');
process.on('disconnect', async () => { await server.close(); rmSync(dir, { recursive: true, force: true }); process.exit(0); });
`;

/**
 * The sink alone, in this process: what one invocation's points cost (ConcurrentExecutions twice,
 * Invocations, Duration, Errors through an alias: 5 records, 13 series updates), beside nothing.
 */
async function sinkCost(): Promise<void> {
  const { MetricStore } = await import('../src/emulator/services/cloudwatch/metric-store.js');
  const { LambdaMetrics } = await import('../src/emulator/services/cloudwatch/lambda-metrics.js');
  const sink = new LambdaMetrics(new MetricStore());
  const dims = { FunctionName: 'fn', Resource: 'fn:live', ExecutedVersion: '2' };
  const invocation = (t: number) => {
    sink.record({ metricName: 'ConcurrentExecutions', value: 3, unit: 'Count', timestamp: t, dimensions: { FunctionName: 'fn' } });
    sink.record({ metricName: 'ConcurrentExecutions', value: 3, unit: 'Count', timestamp: t, dimensions: {} });
    sink.record({ metricName: 'Invocations', value: 1, unit: 'Count', timestamp: t, dimensions: dims });
    sink.record({ metricName: 'Duration', value: 1.25, unit: 'Milliseconds', timestamp: t, dimensions: dims });
    sink.record({ metricName: 'Errors', value: 0, unit: 'Count', timestamp: t, dimensions: dims });
  };
  const n = 200_000;
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 20_000; i++) invocation(t0 + i); // warm the JIT
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) invocation(t0 + i * 5); // spreads over ~17 minutes of buckets
  const used = process.cpuUsage(cpu);
  // CPU time, not wall time: a figure that holds on a busy machine
  const us = (used.user + used.system) / n;
  console.log(`metrics of one invocation (5 points, 13 series), in-process: ${us.toFixed(2)} µs of CPU`);
}

export async function run(): Promise<void> {
  await sinkCost();
  const without = await startModuleChild(LAMBDA_ONLY, { METRICS: 'off' });
  const withMetrics = await startModuleChild(LAMBDA_ONLY, { METRICS: 'on' });
  try {
    const urls = { without: `${without.url}/2015-03-31/functions/noop/invocations`, with: `${withMetrics.url}/2015-03-31/functions/noop/invocations` };
    await createFunction(without.url, 'noop', NOOP_HANDLER);
    await createFunction(withMetrics.url, 'noop', NOOP_HANDLER);
    await measure({ url: urls.without, seconds: 2, body: '{}' }); // warm: environments, JIT
    await measure({ url: urls.with, seconds: 2, body: '{}' });
    console.log(`${CONNECTIONS} concurrent clients, ${SECONDS} s per run, alternated three times (servers in child processes, each in a session of its own)`);
    const runs: { without: Figures[]; with: Figures[] } = { without: [], with: [] };
    for (let i = 0; i < 3; i++) {
      runs.without.push(await measure({ url: urls.without, seconds: SECONDS, body: '{}' }));
      runs.with.push(await measure({ url: urls.with, seconds: SECONDS, body: '{}' }));
    }
    const mid = (list: Figures[]): Figures => ({
      rps: median(list.map((f) => f.rps)),
      p50Ms: median(list.map((f) => f.p50Ms)),
      p99Ms: median(list.map((f) => f.p99Ms)),
      non2xx: list.reduce((n, f) => n + f.non2xx, 0),
    });
    const base = mid(runs.without);
    console.log(line('Invoke, metrics dropped', base));
    console.log(line('Invoke, metrics to CloudWatch', mid(runs.with), base));
    console.log('goal: ratio ≥ 0.95x');
  } finally {
    await without.stop();
    await withMetrics.stop();
  }
}
