/**
 * The entry of one execution environment's worker thread: the counterpart of Lambda's Node.js
 * runtime bootstrap. Loads the handler once (the init phase), then serves one invocation at a
 * time from the main thread.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, WorkerBoot } from '../messages.js';
import { CompileCache } from './compile-cache.js';
import { patchConsole, type LogCapture } from './console-capture.js';
import { RuntimeError, formattedForLog, toErrorDocument } from './errors.js';
import { loadEventBuilder } from './event-builders.js';
import { Invoker } from './invocation.js';
import { loadHandler } from './load-handler.js';
import { yieldToPlatform } from '../../../../core/thread-priority.js';

yieldToPlatform();

const port = parentPort!;
const boot = workerData as WorkerBoot;
const post = (msg: FromWorker) => port.postMessage(msg);

const capture: LogCapture = { requestId: undefined, collect: boot.collectInitLogs };
patchConsole(capture, (text) => post({ t: 'log', text }));

let invoker: Invoker | undefined;
const MB = 1024 * 1024;
let maxHeapMB = 0;
/**
 * Max Memory Used (a high-water mark, shown in the REPORT line), read from this isolate's heap
 * statistics: a walk of every heap space, about 7 µs of a cold worker's time. The Invoker reads it
 * for every invocation whose log is collected (the REPORT line is written then), otherwise only now
 * and then.
 */
function heapUsedMB(): number {
  const h = getHeapStatistics();
  const mb = Math.ceil((h.total_heap_size + h.external_memory) / MB);
  if (mb > maxHeapMB) maxHeapMB = mb;
  return maxHeapMB;
}

// Errors outside the handler's call stack end the environment, as the runtime exits with 129
// (uncaught exception) or 128 (unhandled rejection) after reporting them (index.mjs, Runtime.js).
function fatal(error: unknown, label: string, exitCode: number): void {
  console.error(label, formattedForLog(error));
  const current = invoker?.current;
  if (current) {
    invoker!.current = undefined;
    post([current.requestId, JSON.stringify(toErrorDocument(error)), true, true, heapUsedMB()]);
  }
  process.exit(exitCode);
}
process.on('uncaughtException', (err) => fatal(err, 'Uncaught Exception', 129));
process.on('unhandledRejection', (reason) => {
  const err = new RuntimeError('UnhandledPromiseRejection', String(reason));
  fatal(err, 'Unhandled Promise Rejection', 128);
});

const compileCache = boot.compileCache && new CompileCache(boot.compileCache);
compileCache?.install();

try {
  // the event builders load beside the handler; one that cannot be loaded fails only the events
  // that name it (event-builders.ts)
  const [handler] = await Promise.all([loadHandler(boot.codeDir, boot.handler), ...boot.eventBuilders.map(loadEventBuilder)]);
  const env = process.env;
  invoker = new Invoker(
    handler,
    {
      functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
      functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '',
      memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '',
      logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
      logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    },
    capture,
    port,
    heapUsedMB,
    // after the first answer, the code cache is written (once the answer is on its way): it then
    // holds the SDK functions a call runs too, not only those the import ran
    compileCache ? () => setImmediate(() => compileCache.write()) : undefined,
  );
  // The listener is `run` bound to the invoker, not an arrow calling it: TurboFan compiled such an
  // arrow on its own with all of `run` inlined into it (2.6 MB of its working memory, as much as
  // `run` itself), in each environment's isolate; a bound function is never compiled.
  port.on('message', invoker.run.bind(invoker));
  post({ t: 'ready' });
} catch (err) {
  // Lambda logs the init error as an uncaught exception and reports it as the invocation's error.
  const collect = capture.collect;
  capture.collect = true;
  let logged = '';
  patchConsole(capture, (text) => (logged += text));
  console.error('Uncaught Exception', formattedForLog(err));
  capture.collect = collect;
  post({ t: 'init-error', error: JSON.stringify(toErrorDocument(err)), log: logged });
}
