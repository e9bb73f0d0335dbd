import { format } from 'node:util';

/**
 * Function logs in the Node.js runtime's text format
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html):
 * `<ISO timestamp>\t<request id>\t<LEVEL>\t<message>`. console.log and console.info are INFO,
 * console.warn WARN, console.error ERROR, console.debug DEBUG, console.trace TRACE (no stack, as
 * the runtime patches it). Writes straight to process.stdout/stderr are kept as they are.
 * Lines are only built and sent while someone listens (a tail or the pool's log sink).
 */
export interface LogCapture {
  /** the request id written in each line; `undefined` during init, as on Lambda */
  requestId: string | undefined;
  collect: boolean;
}

type Level = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

export function patchConsole(state: LogCapture, emit: (text: string) => void): void {
  const log = (level: Level) =>
    function (...args: unknown[]) {
      if (!state.collect) return;
      emit(`${new Date().toISOString()}\t${state.requestId}\t${level}\t${format(...args)}\n`);
    };
  const c = console as unknown as Record<string, unknown>;
  c.trace = log('TRACE');
  c.debug = log('DEBUG');
  c.info = log('INFO');
  c.log = c.info;
  c.warn = log('WARN');
  c.error = log('ERROR');
  c.fatal = log('FATAL');

  const rawWrite = function (chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    const done = typeof encoding === 'function' ? encoding : cb;
    if (state.collect) {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      if (text.length > 0) emit(text.endsWith('\n') ? text : text + '\n');
    }
    if (typeof done === 'function') queueMicrotask(done as () => void);
    return true;
  };
  process.stdout.write = rawWrite as typeof process.stdout.write;
  process.stderr.write = rawWrite as typeof process.stderr.write;
}
