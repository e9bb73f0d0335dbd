/**
 * API Gateway front door (issue 3): requests per second and p50/p99 through
 * `/execute-api/{api}/{stage}/noop` to a no-op Lambda function (worker threads, the real
 * pipeline), beside a bare node http server calling the same handler in-process, both in child
 * processes, 50 connections each. Goal: front door ≥ 0.5x of the bare server.
 */
import { CONNECTIONS, NOOP_HANDLER, createFunction, deployProxyApi, line, measure, startBareServer, startEmulator } from './harness.js';

const SECONDS = 3;

export async function run(): Promise<void> {
  const bare = await startBareServer();
  const emu = await startEmulator();
  try {
    await createFunction(emu.url, 'noop', NOOP_HANDLER);
    const url = await deployProxyApi(emu.url, 'noop');
    await measure({ url: bare.url, seconds: 1 });
    await measure({ url, seconds: 1 }); // warm: start workers, JIT
    console.log(`${CONNECTIONS} connections, ${SECONDS} s each, POST, keep-alive (servers in child processes)`);
    const base = await measure({ url: bare.url, seconds: SECONDS });
    console.log(line('bare http server + handler', base));
    const front = await measure({ url, seconds: SECONDS });
    console.log(line('front door → no-op Lambda', front, base));
    console.log('goal: front door ≥ 0.50x of the bare server');
  } finally {
    await bare.stop();
    await emu.stop();
  }
}
