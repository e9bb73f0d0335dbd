/**
 * The emulator process: opens the state dir, builds the services, serves until told to stop, and
 * shuts down cleanly (workers ended, state flushed). Used in the foreground by `emulator`, and as
 * the detached background child daemon.ts spawns, through its entry background.cts
 * (`node background.cjs '<json options>'`).
 */
import { resolve } from 'node:path';
import { ExitCode, LabError } from '../errors.js';
import { PersistedClock } from './core/clock.js';
import { StateReadError, StateStore } from './core/store.js';
import { yieldHelpersToPlatform } from './core/thread-priority.js';
import { exposureWarning } from './exposure.js';
import { readLastPort, removeRecord, writeLastPort, writeRecord, type ProcessRecord } from './process-record.js';
import { formatRequest } from './request-log.js';
import { createEmulatorServer, type EmulatorServer, type RequestLogEntry } from './server.js';
import { prepareStateDir, stateDirError } from './state-dir.js';
import { silentHolderPid, takeStateLock, type StateLock } from './state-lock.js';
import { labVersion } from '../version.js';
import { wireServices } from './wiring.js';
import { canaryDrawFromEnv } from './core/even-draw.js';
import type { EmulatorProcessOptions as ProcessOptions } from './config.js';

/** config.ts's options, plus what only an in-process caller can pass */
export interface EmulatorProcessOptions extends ProcessOptions {
  onRequest?: (entry: RequestLogEntry) => void;
  /** which requests onRequest gets (server.ts: EmulatorServerOptions) */
  logsRequest?: (status: number, service: string) => boolean;
  log?: (line: string) => void;
}

export interface RunningEmulator {
  server: EmulatorServer;
  record: ProcessRecord;
  stop(): Promise<void>;
}

/** Bind, wire, record. Throws LabError for a taken port, an unusable state dir, or a second emulator on the same dir. */
export async function startEmulatorProcess(opts: EmulatorProcessOptions): Promise<RunningEmulator> {
  const stateDir = resolve(opts.stateDir);
  const store = openStore(stateDir);
  // one emulator per state dir, whatever became of the record file (state-lock.ts); taken before
  // the services read the state, and held until the server is closed
  let record: ProcessRecord | undefined;
  const lock = await takeStateLock(stateDir, () => ({ pid: process.pid, record }));
  if ('heldBy' in lock) throw lock.heldBy ? await alreadyRunning(stateDir, lock.heldBy) : await heldSilently(stateDir);
  try {
    return await serveState(stateDir, store, opts, lock, (r) => (record = r));
  } catch (err) {
    await lock.release();
    // a damaged state file is the learner's to move away, not a bug: its message says how
    throw err instanceof StateReadError ? new LabError(err.message) : err;
  }
}

/** another emulator answers for this state dir: the stop that names it (--workspace W, as the learner would) */
async function alreadyRunning(stateDir: string, owner: { pid: number; record?: unknown }): Promise<LabError> {
  const { stateDirFlag } = await import('./daemon.js');
  const { cliCommand } = await import('../invocation.js');
  const endpoint = (owner.record as ProcessRecord | undefined)?.endpoint;
  const stop = cliCommand(['emulator', 'stop', ...stateDirFlag(stateDir)]);
  return new LabError(
    `an emulator for ${stateDir} is already running${typeof endpoint === 'string' ? ` at ${endpoint}` : ''} (pid ${owner.pid}); use it, or stop it first (\`${stop}\`, or \`kill ${owner.pid}\`)`,
  );
}

/**
 * The lock's holder took the connection but answered nothing (stopped with Ctrl-Z or SIGSTOP, or
 * stuck): the words every lab command gives for it, with its pid when the system names it, and a
 * stop that works on a stopped process.
 */
async function heldSilently(stateDir: string): Promise<LabError> {
  const { unresponsiveEmulator } = await import('./daemon.js');
  return unresponsiveEmulator(stateDir, silentHolderPid(stateDir) ?? null);
}

async function serveState(
  stateDir: string,
  store: StateStore,
  opts: EmulatorProcessOptions,
  lock: StateLock,
  recorded: (record: ProcessRecord) => void,
): Promise<RunningEmulator> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const listenOn = (port: number) =>
    createEmulatorServer({
      port,
      host: opts.host,
      stateDir,
      onRequest: opts.onRequest,
      logsRequest: opts.logsRequest,
      app: (endpoint) =>
        wireServices({
          store,
          // cloud time resumes where this state dir left it (core/clock.ts)
          clock: PersistedClock.open(store, opts.speed, log),
          endpoint,
          speed: opts.speed,
          accountConcurrency: opts.accountConcurrency,
          throttleStatus: opts.throttleStatus,
          log,
          canaryRandom: canaryDrawFromEnv(),
        }),
    });

  let server: EmulatorServer | undefined;
  const fallback = opts.portFallback && opts.port !== 0;
  const last = fallback ? readLastPort(stateDir, opts.host) : undefined;
  for (const port of last !== undefined && last !== opts.port ? [last, opts.port] : [opts.port]) {
    try {
      server = await listenOn(port);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !fallback) bindError(err, opts);
    }
  }
  server ??= await listenOn(0).catch((e) => bindError(e, opts));
  if (fallback) {
    try {
      writeLastPort(stateDir, opts.host, server.port);
    } catch (err) {
      await server.close();
      throw stateDirError(stateDir, err);
    }
  }

  // said where the cloud's own lines go: the terminal in the foreground, emulator.log in the background
  const exposed = exposureWarning(opts.host, server.endpoint);
  if (exposed) log(exposed);

  const record: ProcessRecord = {
    pid: process.pid,
    endpoint: server.endpoint,
    port: server.port,
    host: opts.host,
    stateDir,
    speed: opts.speed,
    ...(opts.speedChosen ? { speedChosen: true } : {}),
    throttleStatus: opts.throttleStatus,
    accountConcurrency: opts.accountConcurrency,
    ...((opts.portChosen ?? !opts.portFallback) ? { portChosen: true } : {}),
    mode: opts.mode,
    version: labVersion,
    startedAt: new Date().toISOString(),
  };
  try {
    writeRecord(stateDir, record);
  } catch (err) {
    await server.close();
    throw stateDirError(stateDir, err);
  }
  recorded(record);
  let stopping: Promise<void> | undefined;
  return {
    server,
    record,
    stop() {
      if (!stopping) {
        // said first: a lab command that meets this cloud while it ends its workers reads it as stopping
        const said = { ...record, stoppingSince: new Date().toISOString() };
        recorded(said);
        try {
          writeRecord(stateDir, said);
        } catch {
          // the stop goes on; a command that finds it meanwhile says it does not answer
        }
      }
      stopping ??= server.close().finally(() => {
        removeRecord(stateDir, process.pid);
        return lock.release();
      });
      return stopping;
    },
  };
}

function openStore(stateDir: string): StateStore {
  // made here, with a bound, before StateStore's own recursive mkdir sees it (see state-dir.ts)
  prepareStateDir(stateDir);
  try {
    return new StateStore(stateDir);
  } catch (err) {
    throw stateDirError(stateDir, err);
  }
}

function bindError(err: unknown, opts: EmulatorProcessOptions): never {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    throw new LabError(`port ${opts.port} on ${opts.host} is already in use (choose another with --port, or --port 0 for any free port)`);
  }
  if (e.code === 'EACCES') throw new LabError(`not allowed to listen on ${opts.host}:${opts.port} (choose a port above 1023)`);
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') throw new LabError(`cannot bind to ${opts.host}: no such local address`);
  throw err;
}

/**
 * Serve until SIGINT or SIGTERM, then shut down. `onListening` gets the endpoint first thing.
 * The signal handlers are in place before the port is bound, so a signal that arrives right after
 * the endpoint is printed still shuts down cleanly. A second signal ends the process at once.
 * Resolves with the signal that stopped it; the caller exits 0, since stopping was what was asked.
 */
export async function serveUntilSignal(
  opts: EmulatorProcessOptions,
  onListening: (emu: RunningEmulator) => void,
): Promise<NodeJS.Signals | undefined> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let signalled: NodeJS.Signals | undefined;
  let wake: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (wake = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      // the user insists: do not wait for a stuck shutdown hook
      process.exit(signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.failed);
    }
    signalled = signal;
    wake();
  };
  // a bug in one service must not take the whole cloud down with it; the request pipeline already
  // answers 500 for what it sees, this catches what escapes it (timers, workers)
  const onUncaught = (err: unknown) => log(`emulator: unexpected error: ${(err as Error)?.stack ?? String(err)}`);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  try {
    const emu = await startEmulatorProcess(opts);
    if (!signalled) onListening(emu);
    await stopRequested;
    await emu.stop().catch((err) => log(`emulator: shutdown failed: ${(err as Error)?.message ?? String(err)}`));
    return signalled;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }
}

/**
 * The detached background child (background.cts is its entry): options as JSON in argv[2], output
 * to the log file daemon.ts opened. It logs its lifecycle and the failed requests (5xx) only, so a
 * load test of thousands of requests does not grow the log by megabytes; `emulator start
 * --log-requests` logs them all. `helpers` are the threads Node started the process with, V8's
 * background compiler and garbage collector among them: they run below the cloud's own thread
 * (core/thread-priority.ts).
 */
export async function runAsBackgroundChild(json: string, helpers: readonly number[]): Promise<void> {
  yieldHelpersToPlatform(helpers);
  try {
    const opts = JSON.parse(json) as EmulatorProcessOptions;
    const line = (text: string) => process.stdout.write(`${new Date().toISOString()} ${text}\n`);
    const everything = opts.logRequests === true;
    await serveUntilSignal(
      {
        ...opts,
        mode: 'background',
        log: line,
        onRequest: (e) => line(formatRequest(e)),
        // the health checks of ensureEmulator/status would drown the log
        logsRequest: (status, service) => service !== 'health' && (everything || status >= 500),
      },
      (emu) => line(`serverless-ops-lab emulator ${labVersion} listening on ${emu.server.endpoint} (pid ${process.pid}, state ${emu.record.stateDir}${everything ? '' : '; logs failed requests only'})`),
    );
    line('emulator stopped');
  } catch (err) {
    process.stderr.write(`error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = err instanceof LabError ? err.exitCode : ExitCode.failed;
  }
}
