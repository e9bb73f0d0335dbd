/**
 * The workshop's concurrency exercise (issue 3, seed section 4.3): a function that waits 3 s behind
 * the API Gateway front door, reserved concurrency 25, `loadtest -n 1000 -c 50`. Prints the status
 * counts (200s and throttled answers), the peak of concurrent executions the emulator recorded
 * (must be 25, never more) and the wall time. Like hey, each of the 50 workers sends 20 requests,
 * so the 25 admitted workers take 20 x 3 s: about a minute.
 */
import { LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { runLoadTest } from '../src/loadtest/run.js';
import { summarize } from '../src/loadtest/summarize.js';
import { createFunction, deployProxyApi, sdkConfig, startEmulator } from './harness.js';

const WAIT_3S = 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 3000)); return { statusCode: 200, body: "{\\"ok\\":true}" }; };';

interface ConcurrencySnapshot {
  peak: number;
  functions: { functionName: string; peak: number; reservedConcurrentExecutions: number | null }[];
}

export async function run(): Promise<void> {
  const emu = await startEmulator();
  const lambda = new LambdaClient(sdkConfig(emu.url));
  try {
    await createFunction(emu.url, 'wait3s', WAIT_3S, { Timeout: 10 });
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'wait3s', ReservedConcurrentExecutions: 25 }));
    const url = await deployProxyApi(emu.url, 'wait3s');

    const started = process.hrtime.bigint();
    const result = await runLoadTest({
      url,
      requests: 1000,
      concurrency: 50,
      timeoutSec: 20,
      method: 'POST',
      body: Buffer.from('{"bucket":"b","key":"someguy.jpg"}'),
      headers: { 'content-type': 'application/json' },
      keepAlive: true,
    });
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    const summary = summarize(result);
    const snapshot = (await (await fetch(`${emu.url}/_lab/lambda/concurrency`)).json()) as ConcurrencySnapshot;
    const fn = snapshot.functions.find((f) => f.functionName === 'wait3s');

    console.log('function waits 3 s, reserved concurrency 25, 1000 requests at 50 connections, front door (throttled → 500)');
    for (const [status, count] of Object.entries(result.statusCounts).sort()) console.log(`  [${status}]  ${count} responses`);
    if (result.errors) console.log(`  errors: ${result.errors}`);
    console.log(`  peak concurrent executions: ${fn?.peak ?? '?'} (reserved ${fn?.reservedConcurrentExecutions ?? '?'}; must be 25)`);
    console.log(`  wall time ${wallS.toFixed(1)} s, report Total ${(summary.totalMs / 1000).toFixed(1)} s, ${summary.requestsPerSec.toFixed(1)} requests/s`);
  } finally {
    lambda.destroy();
    await emu.stop();
  }
}
