/**
 * A long run (issue 12, "Long runs"): ten minutes of mixed traffic, through the API Gateway front
 * door (the load test, 40 connections) and Invoke (the SDK, 10 callers), at an alias whose routing
 * weights change every few seconds, while the function's reserved concurrency moves between 5 and
 * 50. Prints: every request answered or not; the most executions at once in each period beside the
 * limit of that period (never more); the cloud's RSS and open file descriptors after warm-up and at
 * the end (growth). Both grow with the number of warm execution environments (one thread each, up
 * to the limit per version, reaped after 5 idle minutes), so the end is compared with the first
 * moment after warm-up (a fifth of the run) when the cloud had as many threads. Figures only: it
 * never passes or fails. `SOL_SOAK_SECONDS=60` for a shorter run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import {
  CreateAliasCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { runLoadTest } from '../src/loadtest/run.js';
import { createFunction, deployProxyApi, sdkConfig, startEmulator } from './harness.js';

/** answers after 5-25 ms, so executions overlap and the limit is reached */
const HANDLER =
  'exports.handler = async (event, context) => { await new Promise((r) => setTimeout(r, 5 + Math.random() * 20)); return { statusCode: 200, body: JSON.stringify({ v: context.functionVersion }) }; };';
const CHANGE_EVERY_MS = 3000;

interface Snapshot {
  functions: { functionName: string; inFlight: number; peak: number }[];
}

interface Sample {
  atS: number;
  rssMb: number;
  fds: number;
  threads: number;
}

/** the cloud's resident memory and open descriptors, from /proc (Linux); undefined elsewhere */
function measureProcess(pid: number, atS: number): Sample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { atS, rssMb: field('VmRSS') / 1024, fds: readdirSync(`/proc/${pid}/fd`).length, threads: field('Threads') };
  } catch {
    return undefined;
  }
}

export async function run(): Promise<void> {
  const seconds = Number(process.env.SOL_SOAK_SECONDS ?? 600);
  const emu = await startEmulator();
  const lambda = new LambdaClient(sdkConfig(emu.url));
  const concurrencyUrl = `${emu.url}/_lab/lambda/concurrency`;
  const snapshot = async (reset = false): Promise<Snapshot> =>
    (await (await fetch(reset ? `${concurrencyUrl}/reset` : concurrencyUrl, { method: reset ? 'POST' : 'GET' })).json()) as Snapshot;
  const fn = (s: Snapshot) => s.functions.find((f) => f.functionName === 'soak')!;

  try {
    await createFunction(emu.url, 'soak', HANDLER, { Timeout: 10 });
    await lambda.send(new PublishVersionCommand({ FunctionName: 'soak' }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'soak', Description: 'version 2' }));
    await lambda.send(new PublishVersionCommand({ FunctionName: 'soak' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'soak', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } }));
    const url = await deployProxyApi(emu.url, 'soak:live');

    const started = Date.now();
    const until = started + seconds * 1000;
    const elapsedS = () => (Date.now() - started) / 1000;

    // the limit and the weights change while traffic flows; each period's peak is read at its end
    const periods: { limit: number; peak: number }[] = [];
    const samples: Sample[] = [];
    let changes = 0;
    const controller = (async () => {
      let limit = 25;
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'soak', ReservedConcurrentExecutions: limit }));
      while (Date.now() + CHANGE_EVERY_MS < until) {
        // executions admitted under a higher limit may still run: the period starts once they ended
        for (let i = 0; i < 200 && fn(await snapshot()).inFlight > limit; i++) await new Promise((r) => setTimeout(r, 10));
        await snapshot(true);
        await new Promise((r) => setTimeout(r, CHANGE_EVERY_MS));
        periods.push({ limit, peak: fn(await snapshot()).peak });
        const m = measureProcess(emu.pid, elapsedS());
        if (m) samples.push(m);
        limit = 5 + Math.floor(Math.random() * 46);
        const weight = Math.round(Math.random() * 100) / 100;
        await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'soak', ReservedConcurrentExecutions: limit }));
        await lambda.send(new UpdateAliasCommand({ FunctionName: 'soak', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': weight } } }));
        changes++;
      }
    })();

    // Invoke callers: a 429 is an answer (throttled); anything else failing is not
    const invoke = { ok: 0, throttled: 0, failed: 0, failures: new Map<string, number>() };
    const callers = Array.from({ length: 10 }, async () => {
      while (Date.now() < until) {
        try {
          const out = await lambda.send(new InvokeCommand({ FunctionName: 'soak', Qualifier: 'live', Payload: Buffer.from('{}') }));
          if (out.FunctionError) throw new Error(`function error ${out.FunctionError}`);
          invoke.ok++;
        } catch (err) {
          const name = (err as Error).name;
          if (name === 'TooManyRequestsException') invoke.throttled++;
          else {
            invoke.failed++;
            invoke.failures.set(name, (invoke.failures.get(name) ?? 0) + 1);
          }
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    });

    const door = await runLoadTest({
      url,
      requests: 1,
      concurrency: 40,
      // paced (25 a second per connection, at most 1000/s): a long run, not a throughput test
      ratePerWorker: 25,
      durationMs: seconds * 1000,
      timeoutSec: 20,
      method: 'POST',
      body: Buffer.from('{}'),
      headers: { 'content-type': 'application/json' },
      keepAlive: true,
    });
    await Promise.all([controller, ...callers]);

    const over = periods.filter((p) => p.peak > p.limit);
    console.log(`${seconds} s of mixed traffic; reserved concurrency and alias weights changed ${changes} times`);
    console.log(`  front door: ${door.sent} requests, ${door.responses} answered (${Object.entries(door.statusCounts).map(([s, n]) => `[${s}] ${n}`).join(', ')}), ${door.errors} unanswered`);
    console.log(`  Invoke: ${invoke.ok + invoke.throttled + invoke.failed} calls, ${invoke.ok} ran, ${invoke.throttled} throttled (429), ${invoke.failed} failed otherwise ${[...invoke.failures].map(([n, c]) => `${n} ${c}`).join(', ')}`);
    console.log(`  executions at once: ${periods.length} periods, ${over.length} above their limit${over.length ? `: ${over.map((p) => `${p.peak} > ${p.limit}`).join(', ')}` : ''}; highest share of the limit used ${Math.max(0, ...periods.map((p) => p.peak / p.limit)).toFixed(2)}`);
    const end = samples[samples.length - 1];
    const after = samples.filter((x) => x.atS >= seconds / 5 && x !== end);
    // the first moment after warm-up with as many threads (environments) as at the end, else the closest
    const base = after.find((x) => x.threads === end?.threads) ?? after.sort((x, y) => Math.abs(x.threads - (end?.threads ?? 0)) - Math.abs(y.threads - (end?.threads ?? 0)))[0];
    if (end && base) {
      const growth = (x: number, y: number) => `${(((y - x) / x) * 100).toFixed(1)} %`;
      console.log(`  cloud threads (execution environments + the cloud's own): ${Math.min(...samples.map((x) => x.threads))} to ${Math.max(...samples.map((x) => x.threads))} during the run`);
      console.log(`  cloud RSS at ${base.atS.toFixed(0)} s ${base.rssMb.toFixed(1)} MB (${base.threads} threads), at the end ${end.rssMb.toFixed(1)} MB (${end.threads} threads): growth ${growth(base.rssMb, end.rssMb)}; goal < 10 %`);
      console.log(`  cloud open file descriptors then ${base.fds}, at the end ${end.fds}: growth ${growth(base.fds, end.fds)}; goal < 10 %`);
    } else {
      console.log('  RSS and file descriptors: not measured (no /proc, or a run too short)');
    }
  } finally {
    lambda.destroy();
    await emu.stop();
  }
}
