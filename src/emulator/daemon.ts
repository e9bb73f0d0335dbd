/**
 * The background emulator: one detached process per state dir, found again through the record it
 * keeps there, so the URL a lab command printed keeps working for the next command.
 * The deployer and the lab use `ensureEmulator`; `emulator start|stop|status` too.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudStoppedError, ExitCode, LabError } from '../errors.js';
import { cliCommand } from '../invocation.js';
import { DEFAULT_PORT, LOG_FILE, MAIN_SCRIPT, RECORD_FILE, START_LOCK_FILE, type EmulatorProcessOptions } from './config.js';
import { fetchHealth, liveRecord, pidAlive, readRecord, removeRecord, type ProcessRecord } from './process-record.js';
import { prepareStateDir, stateDirError } from './state-dir.js';
import { findHolderCommand } from './state-lock.js';

export interface EnsureEmulatorOptions {
  stateDir: string;
  /** default 4566, or any free port when 4566 is taken; an explicit port must be free */
  port?: number;
  /** with `port`: whether that port was someone's choice (default: yes), as the record keeps it */
  portChosen?: boolean;
  host?: string;
  speed?: number;
  /** the speed was someone's choice, not a default (config.ts EmulatorProcessOptions) */
  speedChosen?: boolean;
  throttleStatus?: 500 | 502;
  accountConcurrency?: number;
  /** how long to wait for the child to answer its health URL (default 20 s) */
  startTimeoutMs?: number;
  /** log every request to emulator.log, not only the failed ones */
  logRequests?: boolean;
  /**
   * Called before a new cloud is started when the last one of this state dir left its record
   * behind, so did not stop cleanly (killed, crashed, the machine restarted): the fact, for the
   * command to say (`startingAgain` words it), with the log that holds its last lines (null: none),
   * emulator.log.1 when this start rotated it. Never called when a running cloud is reused.
   */
  onStoppedUnexpectedly?: (stale: ProcessRecord, log: string | null) => void;
}

export interface EnsuredEmulator {
  endpoint: string;
  pid: number;
  port: number;
  /** true when an emulator was already running for this state dir (its own speed etc. are kept) */
  reused: boolean;
  record: ProcessRecord;
}

export type EmulatorStatus =
  | { running: true; endpoint: string; pid: number; port: number; record: ProcessRecord }
  /**
   * `unresponsive`: the pid of an emulator that holds the state dir but does not answer; null when
   * something holds it and neither a record nor the system names its pid
   */
  | { running: false; stale?: ProcessRecord; unresponsive?: number | null };

/** at a start, a log over this size becomes emulator.log.1 (replacing the previous one) */
const MAX_LOG_BYTES = 2 * 1024 * 1024;

/** The running emulator of `stateDir`, or a new detached one. */
export async function ensureEmulator(opts: EnsureEmulatorOptions): Promise<EnsuredEmulator> {
  // bounded mkdir and a write probe, never a recursive mkdir that can spin (see state-dir.ts)
  const stateDir = prepareStateDir(opts.stateDir);
  const existing = await liveRecord(stateDir);
  if (existing.record) return reused(existing.record);

  // two lab commands starting at once must not start two emulators on one state dir
  const release = await acquireStartLock(stateDir);
  try {
    const again = await liveRecord(stateDir);
    if (again.record) return reused(again.record);
    if (again.owner) throw unresponsiveEmulator(stateDir, again.owner.pid);
    if (again.heldSilently) throw unresponsiveEmulator(stateDir, null);
    // rotated before the dead cloud is said, so that the log named is the one holding its last lines
    const logPath = join(stateDir, LOG_FILE);
    const logStart = rotateLog(logPath);
    if (again.stale) {
      opts.onStoppedUnexpectedly?.(again.stale, logStart.rotated ?? existingLog(stateDir));
      removeRecord(stateDir, again.stale.pid);
    }
    return await spawnEmulator(stateDir, opts, logPath, logStart.from);
  } finally {
    release();
  }
}

function reused(record: ProcessRecord): EnsuredEmulator {
  return { endpoint: record.endpoint, pid: record.pid, port: record.port, reused: true, record };
}

async function spawnEmulator(stateDir: string, opts: EnsureEmulatorOptions, logPath: string, logStart: number): Promise<EnsuredEmulator> {
  const childOptions: EmulatorProcessOptions = {
    stateDir,
    port: opts.port ?? DEFAULT_PORT,
    portFallback: opts.port === undefined,
    ...(opts.portChosen !== undefined ? { portChosen: opts.portChosen } : {}),
    host: opts.host ?? '127.0.0.1',
    speed: opts.speed ?? 1,
    speedChosen: opts.speedChosen === true,
    throttleStatus: opts.throttleStatus ?? 500,
    accountConcurrency: opts.accountConcurrency ?? 1000,
    mode: 'background',
    logRequests: opts.logRequests === true,
  };
  const logFd = openSync(logPath, 'a');
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let child;
  try {
    child = spawn(process.execPath, [fileURLToPath(MAIN_SCRIPT), JSON.stringify(childOptions)], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, NO_COLOR: '1' },
      windowsHide: true,
    });
  } finally {
    closeSync(logFd);
  }
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new LabError('could not start the emulator process');

  const deadline = Date.now() + (opts.startTimeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (exited) throw (await damagedStateError(stateDir)) ?? new LabError(`the emulator did not start: ${lastError(logPath, logStart) ?? `exit code ${exited.code ?? exited.signal}`}`);
    const record = readRecord(stateDir);
    if (record?.pid === pid && (await fetchHealth(record.endpoint, 1000))?.pid === pid) {
      return { endpoint: record.endpoint, pid, port: record.port, reused: false, record };
    }
    await sleep(50);
  }
  await terminate(pid);
  throw new LabError(`the emulator did not answer within ${Math.round((opts.startTimeoutMs ?? 20_000) / 1000)} s (see ${logPath})`);
}

/** Stop the emulator of `stateDir`: SIGTERM, a grace period, then SIGKILL. The record is removed. */
export async function stopEmulator(stateDir: string): Promise<{ stopped: boolean; pid?: number; stale?: boolean }> {
  const dir = resolve(stateDir);
  const { record, stale, owner, heldSilently } = await liveRecord(dir);
  // no pid to stop: said with how to find it, not 'no emulator is running'
  if (heldSilently) throw unresponsiveEmulator(dir, null);
  if (record) {
    await terminate(record.pid);
    removeRecord(dir, record.pid);
    return { stopped: true, pid: record.pid };
  }
  if (owner) {
    // it holds the state dir's lock, which only an emulator of this dir does (state-lock.ts)
    await terminate(owner.pid);
    if (stale) removeRecord(dir, stale.pid);
    removeDamagedRecord(dir);
    return { stopped: true, pid: owner.pid };
  }
  if (stale) {
    // Alive but not answering: ours only if its command line says so (never kill a reused pid)
    if (pidAlive(stale.pid) && isEmulatorProcess(stale.pid, dir)) {
      await terminate(stale.pid);
      removeRecord(dir, stale.pid);
      return { stopped: true, pid: stale.pid };
    }
    removeRecord(dir, stale.pid);
    return { stopped: false, pid: stale.pid, stale: true };
  }
  return { stopped: false };
}

/**
 * An emulator holds `stateDir`'s lock (state-lock.ts) but its health URL does not answer (stopped
 * with Ctrl-Z, its loop stuck, its record gone): the one message for every command that finds it.
 * The way out is the lab's own stop (it continues a stopped process so that its SIGTERM lands), or
 * by hand `kill -CONT` before `kill`: a process stopped with Ctrl-Z or SIGSTOP does not act on a
 * SIGTERM until it is continued. `pid` null: something holds the lock and no record nor the
 * system (another user's process, not Linux) names it: the command that finds it.
 */
export function unresponsiveEmulator(stateDir: string, pid: number | null): LabError {
  const stop = cliCommand(['emulator', 'stop', ...stateDirFlag(stateDir)]);
  // it is stopping (its record says since when): no hang, and the command it stopped under is the
  // environment's (exit 3), as for a cloud that stopped under a command
  const record = readRecord(stateDir);
  if (pid !== null && record?.pid === pid && record.stoppingSince) {
    return new CloudStoppedError(
      `the local cloud (pid ${pid}) is stopping (since ${record.stoppingSince.slice(11, 19)} UTC: \`${stop}\`, or a signal)`,
      `once it has stopped, run this again: it starts the cloud again; its log: ${join(stateDir, LOG_FILE)}`,
    );
  }
  if (pid === null) {
    const find = findHolderCommand(stateDir);
    return new LabError(
      `a process holds the lock of ${stateDir} but does not answer, and no record names its pid`,
      undefined,
      `${find ? `find it with \`${find}\` (pid=N), then` : 'find the process (an emulator of this state dir, stopped or stuck) and'} end it with \`kill -CONT N; kill N\`, then run this again`,
    );
  }
  return new LabError(
    `an emulator (pid ${pid}) holds ${stateDir} but does not answer`,
    undefined,
    `stop it with \`${stop}\` (or \`kill -CONT ${pid}; kill ${pid}\`), then run this again`,
  );
}

/** the lab's own flag for a state dir: --workspace W for a workspace's (W/.lab/state), else --state-dir */
export function stateDirFlag(stateDir: string): string[] {
  const workspace = workspaceOf(stateDir);
  return workspace ? ['--workspace', workspace] : ['--state-dir', resolve(stateDir)];
}

/** the workspace whose state dir `stateDir` is (W/.lab/state), if it is one */
export function workspaceOf(stateDir: string): string | undefined {
  const dir = resolve(stateDir);
  return dir.endsWith(join('.lab', 'state')) ? resolve(dir, '..', '..') : undefined;
}

export async function emulatorStatus(stateDir: string): Promise<EmulatorStatus> {
  const { record, stale, owner, heldSilently } = await liveRecord(resolve(stateDir));
  if (record) return { running: true, endpoint: record.endpoint, pid: record.pid, port: record.port, record };
  if (owner) return { running: false, unresponsive: owner.pid };
  if (heldSilently) return { running: false, unresponsive: null };
  return stale ? { running: false, stale } : { running: false };
}

/** a record file that is not a record (emptied, cut short, hand-edited) names no emulator: it goes */
function removeDamagedRecord(stateDir: string): void {
  if (readRecord(stateDir) === undefined) rmSync(join(stateDir, RECORD_FILE), { force: true });
}

async function terminate(pid: number, graceMs = 5000): Promise<void> {
  if (!signal(pid, 'SIGTERM')) return;
  // one stopped with Ctrl-Z or SIGSTOP gets its SIGTERM only once it runs again: it then stops
  // cleanly (state flushed), not by SIGKILL after the grace period
  signal(pid, 'SIGCONT');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) return;
    await sleep(50);
  }
  signal(pid, 'SIGKILL');
  for (let i = 0; i < 40 && pidAlive(pid); i++) await sleep(50);
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/**
 * The background emulator of `stateDir`: its command line is main.js with its options as JSON,
 * the state dir among them (spawnEmulator). "emulator" alone is no proof: pids wrap (pid_max is
 * often 32768), and another workspace's emulator would match it.
 */
export function isEmulatorProcess(pid: number, stateDir: string): boolean {
  return emulatorStateDirOf(pid) === resolve(stateDir);
}

const MAIN_SCRIPT_NAME = fileURLToPath(MAIN_SCRIPT);

/**
 * The state dir of a background cloud of the lab, read from its command line (its options are the
 * argument after the main script, spawnEmulator's JSON); undefined for any other process, or where
 * /proc is not there to read.
 */
export function emulatorStateDirOf(pid: number): string | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const at = args.findIndex((a) => a === MAIN_SCRIPT_NAME);
    if (at < 0) return undefined;
    const stateDir = (JSON.parse(args[at + 1] ?? '') as { stateDir?: unknown }).stateDir;
    return typeof stateDir === 'string' ? stateDir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A state file the cloud cannot load (core/state-file.ts) keeps it from starting: the environment's
 * (exit 3), said with the ways out as whole commands, `reset` for this workspace among them.
 */
export async function damagedStateError(stateDir: string): Promise<LabError | undefined> {
  const { damagedStateFiles } = await import('./core/state-file.js');
  const [first] = damagedStateFiles(stateDir);
  if (!first) return undefined;
  return new LabError(`the local cloud cannot start: its state file ${first.path} cannot be loaded: ${first.why}`, ExitCode.environment, await damagedStateFix(stateDir, first.path));
}

export async function damagedStateFix(stateDir: string, path: string): Promise<string> {
  const { afterMovingAway } = await import('./core/state-file.js');
  const dir = resolve(stateDir);
  const workspace = workspaceOf(dir);
  const wipe = workspace ? `wipe the whole local cloud with \`${cliCommand(['reset', '--yes', '--workspace', workspace])}\` (your sam-app/ is kept)` : `empty ${dir}`;
  return `move ${path} away (keep the copy to mend it by hand): ${afterMovingAway(basename(path))}; or ${wipe}, then start again`;
}

/**
 * How a cloud that is not running ended: a record left behind means it did not stop cleanly (a
 * stop removes it): killed, crashed, or the machine restarted.
 */
export function stoppedUnexpectedly(stateDir: string, stale: { pid: number; startedAt?: string | null }, log: string | null = existingLog(stateDir)): string {
  const logged = log === null ? '' : `; its log: ${log}`;
  return `the local cloud of ${stateDir} stopped unexpectedly (pid ${stale.pid}${typeof stale.startedAt === 'string' ? `, started ${stale.startedAt}` : ''}: killed, crashed, or the machine restarted)${logged}`;
}

/** the cloud's log file of `stateDir`, or null when there is none to point at */
export function existingLog(stateDir: string): string | null {
  const log = join(stateDir, LOG_FILE);
  try {
    statSync(log);
    return log;
  } catch {
    return null;
  }
}

/**
 * what `start`, `deploy` and `emulator start` say before they start such a cloud again; `log`: the
 * one ensureEmulator's onStoppedUnexpectedly names (emulator.log.1 once rotated)
 */
export function startingAgain(stateDir: string, stale: ProcessRecord, log: string | null): string {
  return `${stoppedUnexpectedly(stateDir, stale, log)}; starting it again with its saved state`;
}

/**
 * keep the log from growing without end across lab sessions: where this run's output starts, and
 * where the last run's lines went when the log was rotated
 */
function rotateLog(path: string): { from: number; rotated?: string } {
  try {
    const size = statSync(path).size;
    if (size <= MAX_LOG_BYTES) return { from: size };
    renameSync(path, `${path}.1`);
    return { from: 0, rotated: `${path}.1` };
  } catch {
    // no log yet
  }
  return { from: 0 };
}

/** the child's own error line, e.g. `error: port 4566 ... is already in use` */
function lastError(logPath: string, from: number): string | undefined {
  try {
    const text = readFileSync(logPath).subarray(from).toString('utf8');
    const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
    const err = lines.reverse().find((l) => l.startsWith('error: '));
    return err?.slice('error: '.length) ?? lines[0];
  } catch {
    return undefined;
  }
}

/**
 * One starter at a time per state dir. Bounded: a live holder is waited for up to 30 s, a dead or
 * unreadable one is taken over; every pass either sleeps or removes the lock, and the number of
 * passes is capped, so a lock that cannot be created or removed ends in an error, not a spin.
 */
async function acquireStartLock(stateDir: string): Promise<() => void> {
  const lockPath = join(stateDir, START_LOCK_FILE);
  const deadline = Date.now() + 30_000;
  for (let attempt = 0; attempt < 400; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw stateDirError(stateDir, err);
    }
    if (startLockHolder(safeRead(lockPath)) === undefined || Date.now() > deadline) {
      try {
        rmSync(lockPath, { force: true });
      } catch (err) {
        throw stateDirError(stateDir, err);
      }
      continue;
    }
    await sleep(100);
  }
  throw new LabError(`cannot take the start lock ${lockPath}; remove it if no lab command is running`);
}

/**
 * The live process that holds a start lock, from the lock file's text: undefined when the text is
 * no pid (empty, garbage, 0 or below, which would address a process group) or names a process
 * that is gone; such a lock is taken over at once, a live holder's is waited for.
 */
export function startLockHolder(text: string, alive: (pid: number) => boolean = pidAlive): number | undefined {
  const holder = Number(text);
  return Number.isInteger(holder) && holder > 0 && alive(holder) ? holder : undefined;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
