/**
 * Lambda Invoke of a no-op handler at 50 concurrent clients through the emulator's Lambda API
 * (`POST /2015-03-31/functions/noop/invocations`, the request the SDK sends, unsigned), beside the
 * reference design (one worker thread per request in flight, by postMessage) and a bare node http
 * server calling the handler in-process, each in its own child process, interleaved rounds.
 * Goals (issue 11): ≥ 0.85x of the reference; 0.5x of the bare server is where we want to end up.
 */
import {
  CONNECTIONS,
  NOOP_HANDLER,
  compareInterleaved,
  createFunction,
  line,
  pairedRatioText,
  startBareServer,
  startEmulator,
  startWorkerPerRequestServer,
} from './harness.js';

const SECONDS = 3;
const ROUNDS = 5;

export async function run(): Promise<void> {
  const bare = await startBareServer();
  const reference = await startWorkerPerRequestServer();
  const emu = await startEmulator();
  try {
    await createFunction(emu.url, 'noop', NOOP_HANDLER);
    const r = await compareInterleaved(
      [
        { name: 'bare', pid: bare.pid, url: bare.url, body: '{}' },
        { name: 'reference', pid: reference.pid, url: reference.url, body: '{}' },
        { name: 'ours', pid: emu.pid, url: `${emu.url}/2015-03-31/functions/noop/invocations`, body: '{}' },
      ],
      { rounds: ROUNDS, seconds: SECONDS },
    );
    console.log(`${CONNECTIONS} concurrent clients, keep-alive, median of ${ROUNDS} interleaved runs of ${SECONDS} s (servers in child processes, each in a session of its own)`);
    console.log(line('bare http server + handler', r.get('bare')!));
    console.log(line('reference: worker per request', r.get('reference')!, r.get('bare')));
    console.log(line('Lambda Invoke → worker thread', r.get('ours')!, r.get('bare')));
    console.log(`  ${pairedRatioText(r.ratio('ours', 'reference'), 'of the reference')}`);
    console.log('goal: ≥ 0.85x of the reference; 0.50x of the bare server');
  } finally {
    await bare.stop();
    await reference.stop();
    await emu.stop();
  }
}
