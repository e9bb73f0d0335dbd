/**
 * Lambda Invoke (issue 2): invokes per second and p50/p99 of a no-op handler at 50 concurrent
 * clients, through the emulator's Lambda API (`POST /2015-03-31/functions/noop/invocations`, the
 * same request the SDK sends, unsigned), beside a bare node http server that calls the same handler
 * in-process, measured in the same run. Goal: ratio 0.5 or better.
 */
import { CONNECTIONS, NOOP_HANDLER, createFunction, line, measure, startBareServer, startEmulator } from './harness.js';

const SECONDS = 3;

export async function run(): Promise<void> {
  const bare = await startBareServer();
  const emu = await startEmulator();
  try {
    await createFunction(emu.url, 'noop', NOOP_HANDLER);
    const invoke = `${emu.url}/2015-03-31/functions/noop/invocations`;
    await measure({ url: bare.url, seconds: 1 });
    await measure({ url: invoke, seconds: 1, body: '{}' }); // warm: start environments, JIT
    console.log(`${CONNECTIONS} concurrent clients, ${SECONDS} s each, keep-alive (servers in child processes)`);
    const base = await measure({ url: bare.url, seconds: SECONDS, body: '{}' });
    console.log(line('bare http server + handler', base));
    const lambda = await measure({ url: invoke, seconds: SECONDS, body: '{}' });
    console.log(line('Lambda Invoke → worker thread', lambda, base));
    console.log('goal: ratio ≥ 0.50x');
  } finally {
    await bare.stop();
    await emu.stop();
  }
}
