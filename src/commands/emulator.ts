/**
 * `serverless-ops-lab emulator [start|stop|status]`: the embedded cloud in the foreground with a
 * request log, or the background one that lab commands share.
 */
import { LabError, UsageError } from '../errors.js';
import { emulatorStatus, ensureEmulator, stopEmulator } from '../emulator/daemon.js';
import { DEFAULT_PORT, defaultStateDir, serveUntilSignal } from '../emulator/main.js';
import type { RequestLogEntry } from '../emulator/server.js';
import { labVersion } from '../emulator/version.js';

interface EmulatorFlags {
  port?: number;
  host: string;
  stateDir: string;
  speed: number;
  throttleStatus: 500 | 502;
  accountConcurrency: number;
  quiet: boolean;
}

export async function emulatorCommand(action: string | undefined, opts: Record<string, unknown>): Promise<void> {
  const flags = readFlags(opts);
  switch (action) {
    case undefined:
      return foreground(flags);
    case 'start': {
      const emu = await ensureEmulator({
        stateDir: flags.stateDir,
        port: flags.port,
        host: flags.host,
        speed: flags.speed,
        throttleStatus: flags.throttleStatus,
        accountConcurrency: flags.accountConcurrency,
      });
      const how = emu.reused ? 'reused the running emulator' : 'started the emulator';
      process.stdout.write(`${emu.endpoint}\n`);
      process.stderr.write(`${how} (pid ${emu.pid}, state ${emu.record.stateDir}, log ${emu.record.stateDir}/emulator.log)\n`);
      if (emu.reused && flags.port !== undefined && flags.port !== 0 && flags.port !== emu.port) {
        process.stderr.write(`note: it listens on port ${emu.port}, not ${flags.port}; run 'emulator stop' first to move it\n`);
      }
      return;
    }
    case 'status': {
      const status = await emulatorStatus(flags.stateDir);
      if (!status.running) {
        const why = status.stale ? ` (a stale record of pid ${status.stale.pid} was found)` : '';
        throw new LabError(`no emulator is running for ${flags.stateDir}${why}`);
      }
      process.stdout.write(`${status.endpoint} pid ${status.pid} (${status.record.mode}, speed ${status.record.speed}, since ${status.record.startedAt})\n`);
      return;
    }
    case 'stop': {
      const result = await stopEmulator(flags.stateDir);
      if (result.stopped) process.stdout.write(`stopped the emulator (pid ${result.pid})\n`);
      else if (result.stale) process.stdout.write(`no emulator was running; removed a stale record (pid ${result.pid})\n`);
      else process.stdout.write(`no emulator is running for ${flags.stateDir}\n`);
      return;
    }
    default:
      throw new UsageError(`unknown emulator action '${action}': use start, stop or status (or none to run in the foreground)`);
  }
}

async function foreground(flags: EmulatorFlags): Promise<void> {
  const paint = colours(process.stdout.isTTY === true && !process.env.NO_COLOR);
  await serveUntilSignal(
    {
      stateDir: flags.stateDir,
      port: flags.port ?? DEFAULT_PORT,
      host: flags.host,
      speed: flags.speed,
      throttleStatus: flags.throttleStatus,
      accountConcurrency: flags.accountConcurrency,
      mode: 'foreground',
      onRequest: flags.quiet ? undefined : (e) => process.stdout.write(`${formatRequest(e, paint)}\n`),
    },
    (emu) => {
      process.stdout.write(`serverless-ops-lab emulator ${labVersion} listening on ${emu.server.endpoint}\n`);
      process.stderr.write(`state ${emu.record.stateDir}, speed ${flags.speed}x; Ctrl-C to stop\n`);
    },
  );
  process.stderr.write('emulator stopped\n');
}

/** `service operation status ms`, aligned */
export function formatRequest(e: RequestLogEntry, paint = colours(false)): string {
  const status = String(e.status);
  const coloured = e.status >= 500 ? paint.red(status) : e.status >= 400 ? paint.yellow(status) : paint.green(status);
  const operation = e.operation === '-' && e.service !== 'health' ? `${e.method} ${e.path}` : e.operation;
  return `${e.service.padEnd(11)} ${operation.padEnd(34)} ${coloured} ${paint.dim(`${e.ms.toFixed(0)}ms`)}`;
}

function colours(on: boolean) {
  const wrap = (code: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[39m` : s);
  return { red: wrap(31), green: wrap(32), yellow: wrap(33), dim: on ? (s: string) => `\u001b[2m${s}\u001b[22m` : (s: string) => s };
}

function readFlags(opts: Record<string, unknown>): EmulatorFlags {
  const workspace = opts.workspace === undefined ? undefined : String(opts.workspace);
  const stateDir = opts.stateDir === undefined ? defaultStateDir(workspace) : String(opts.stateDir);
  if (opts.stateDir !== undefined && workspace !== undefined) {
    throw new UsageError('use either --state-dir or --workspace, not both');
  }
  return {
    port: opts.port === undefined ? undefined : integer('--port', opts.port, 0, 65535),
    host: String(opts.host ?? '127.0.0.1'),
    stateDir,
    speed: positive('--speed', opts.speed ?? '1'),
    throttleStatus: throttle(opts.throttleStatus ?? '500'),
    accountConcurrency: integer('--account-concurrency', opts.accountConcurrency ?? '1000', 1, 1_000_000),
    quiet: opts.quiet === true,
  };
}

function integer(flag: string, raw: unknown, min: number, max: number): number {
  const text = String(raw).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got '${String(raw)}'`);
  return n;
}

function positive(flag: string, raw: unknown): number {
  const n = Number(String(raw).trim());
  if (String(raw).trim() === '' || !Number.isFinite(n) || n <= 0 || n > 10_000) {
    throw new UsageError(`${flag} must be a number above 0 (at most 10000), got '${String(raw)}'`);
  }
  return n;
}

function throttle(raw: unknown): 500 | 502 {
  const s = String(raw);
  if (s === '500' || s === '502') return Number(s) as 500 | 502;
  throw new UsageError(`--throttle-status must be 500 or 502, got '${s}'`);
}
