/**
 * API Gateway front door → no-op Lambda function (the real pipeline, worker threads), beside the
 * reference design (an http server handing each request to one of up to 50 worker threads by
 * postMessage: bench/fixtures/worker-per-request-server.mjs) and a bare node http server calling
 * the same handler in-process; each in its own child process, 50 connections, interleaved rounds.
 * Goals (issue 11): ≥ 0.85x of the reference; 0.5x of the bare server is where we want to end up.
 */
import {
  CONNECTIONS,
  NOOP_HANDLER,
  compareInterleaved,
  createFunction,
  deployProxyApi,
  line,
  pairedRatioText,
  startBareServer,
  startEmulator,
  startWorkerPerRequestServer,
} from './harness.js';

const SECONDS = 3;
const ROUNDS = 9;
/**
 * From this round on (0-based), most of the code the function threads run has been optimized by V8
 * in most of the 50 isolates (each tiers up on its own 1/50 of the traffic: the smallest functions
 * need thousands of calls): printed apart, beside the median of all rounds, which is the figure
 * the goal is read from.
 */
const LATER = 4;

export async function run(): Promise<void> {
  const bare = await startBareServer();
  const reference = await startWorkerPerRequestServer();
  const fullEvent = await startWorkerPerRequestServer({ event: 'rest' });
  const emu = await startEmulator();
  try {
    await createFunction(emu.url, 'noop', NOOP_HANDLER);
    const url = await deployProxyApi(emu.url, 'noop');
    const r = await compareInterleaved(
      [
        { name: 'bare', pid: bare.pid, url: bare.url },
        // ours between the two references it is read against: back to back with each, every round
        { name: 'reference', pid: reference.pid, url: reference.url },
        { name: 'ours', pid: emu.pid, url },
        { name: 'full event', pid: fullEvent.pid, url: fullEvent.url },
      ],
      { rounds: ROUNDS, seconds: SECONDS },
    );
    console.log(`${CONNECTIONS} connections, POST, keep-alive, median of ${ROUNDS} interleaved runs of ${SECONDS} s (servers in child processes, each in a session of its own)`);
    console.log(line('bare http server + handler', r.get('bare')!));
    console.log(line('reference: worker per request', r.get('reference')!, r.get('bare')));
    console.log(line('front door → no-op Lambda', r.get('ours')!, r.get('bare')));
    console.log(`  ${pairedRatioText(r.ratio('ours', 'reference'), 'of the reference')}`);
    console.log(`  rounds ${LATER + 1}–${ROUNDS} alone (the functions' code optimized in most isolates): ${pairedRatioText(r.ratio('ours', 'reference', LATER), 'of the reference')}`);
    console.log('goal: ≥ 0.85x of the reference; 0.50x of the bare server');
    // for scale, not the goal: how much of the distance is the event a REST API hands a function
    console.log(line('for scale: reference, full REST event', r.get('full event')!, r.get('bare')));
    console.log(`  the front door: ${pairedRatioText(r.ratio('ours', 'full event'), 'of the reference handing over a full REST proxy event (built with JSON.stringify)')}`);
  } finally {
    await bare.stop();
    await reference.stop();
    await fullEvent.stop();
    await emu.stop();
  }
}
