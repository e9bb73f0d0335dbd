/**
 * The record an emulator process keeps in its state dir while it runs (`emulator-process.json`),
 * so that later commands find it, reuse it, or stop it. One emulator per state dir.
 */
import { readFileSync, rmSync } from 'node:fs';
import { get as httpGet, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { atomicWrite } from '../files.js';
import { LAST_PORT_FILE, RECORD_FILE } from './config.js';
import { holderOf, silentHolderPid, type LockOwner } from './state-lock.js';

export { LOG_FILE, RECORD_FILE } from './config.js';

export interface ProcessRecord {
  pid: number;
  endpoint: string;
  port: number;
  host: string;
  stateDir: string;
  speed: number;
  /** someone chose the speed (config.ts EmulatorProcessOptions); absent: a command's default */
  speedChosen?: boolean;
  throttleStatus: 500 | 502;
  accountConcurrency: number;
  /**
   * the port was given (`--port`, a restart on the port it had), not taken because 4566 was in use
   * (portFallback); absent: the default, or a free port taken instead of it
   */
  portChosen?: boolean;
  mode: 'foreground' | 'background';
  version: string;
  startedAt: string;
  /**
   * When the cloud began to stop (SIGTERM from `emulator stop`, Ctrl-C in the foreground): written
   * before it stops listening, so a command that finds it holding its state dir while its workers
   * end and its state is flushed says that it is stopping, not that it hangs (daemon.ts
   * unresponsiveEmulator). Absent while it runs.
   */
  stoppingSince?: string;
}

/**
 * The port the state dir's cloud last listened on. It outlives the process record (removed at
 * every stop), so a cloud that had to take another port because 4566 was taken takes the same one
 * again at its next start, and the URLs printed earlier keep working.
 */
export { LAST_PORT_FILE };

export function readLastPort(stateDir: string, host: string): number | undefined {
  try {
    const v = JSON.parse(readFileSync(join(stateDir, LAST_PORT_FILE), 'utf8')) as { host?: unknown; port?: unknown };
    return v.host === host && Number.isInteger(v.port) && (v.port as number) > 0 && (v.port as number) < 65536 ? (v.port as number) : undefined;
  } catch {
    return undefined;
  }
}

export function writeLastPort(stateDir: string, host: string, port: number): void {
  atomicWrite(join(stateDir, LAST_PORT_FILE), JSON.stringify({ host, port }));
}

export function recordPath(stateDir: string): string {
  return join(stateDir, RECORD_FILE);
}

export function readRecord(stateDir: string): ProcessRecord | undefined {
  try {
    return asRecord(JSON.parse(readFileSync(recordPath(stateDir), 'utf8')));
  } catch {
    return undefined;
  }
}

export function writeRecord(stateDir: string, record: ProcessRecord): void {
  atomicWrite(recordPath(stateDir), JSON.stringify(record, null, 1));
}

/** remove the record, but only if it is still the one of `pid` (a newer emulator may have replaced it) */
export function removeRecord(stateDir: string, pid?: number): void {
  if (pid !== undefined && readRecord(stateDir)?.pid !== pid) return;
  rmSync(recordPath(stateDir), { force: true });
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Health {
  status: string;
  version: string;
  pid: number;
  endpoint: string;
  services: string[];
}

/**
 * GET /_lab/health, or undefined if nothing healthy answers within `timeoutMs`. With node:http,
 * not fetch: every lab command asks this first, and fetch's first call loads and compiles undici
 * (about 25 ms of CPU) for one small request on a fresh connection.
 */
export function fetchHealth(endpoint: string, timeoutMs = 1500): Promise<Health | undefined> {
  return new Promise((resolve) => {
    let req: ClientRequest;
    try {
      req = httpGet(`${endpoint}/_lab/health`, { agent: false, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', () => resolve(undefined));
        res.on('end', () => {
          try {
            resolve(res.statusCode === 200 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Health) : undefined);
          } catch {
            resolve(undefined);
          }
        });
      });
    } catch {
      resolve(undefined); // a malformed endpoint in a hand-edited record
      return;
    }
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/**
 * The running emulator of this state dir, checked twice: its pid is alive and its health URL
 * answers with that pid (a pid reused by another program, or a port taken over, is a stale record).
 * When the record is missing, damaged or stale, the process that holds the state dir's lock
 * (state-lock.ts) is asked for its own record: a running emulator is found however its file fared,
 * and its record file is written again. `owner`: a process holds the lock but gave no healthy
 * record (starting, or stuck); it is an emulator of this state dir all the same. A holder that
 * answers nothing at all (stopped with Ctrl-Z or SIGSTOP, its event loop stuck) while the record's
 * process lives is that process: the owner, not a cloud that stopped unexpectedly. With no live
 * record to name it, the owner is the process the system says listens on the lock (Linux), and
 * `heldSilently` when the system does not say: something holds the lock, pid unknown.
 */
export async function liveRecord(stateDir: string): Promise<{ record?: ProcessRecord; stale?: ProcessRecord; owner?: LockOwner; heldSilently?: true }> {
  const record = readRecord(stateDir);
  if (record && pidAlive(record.pid) && (await fetchHealth(record.endpoint))?.pid === record.pid) return { record };
  const { owner, held } = await holderOf(stateDir);
  if (!owner && held && record && pidAlive(record.pid)) return { stale: record, owner: { pid: record.pid } };
  if (!owner && held) {
    // no record names it (stopped before it wrote one, or the file went): the system may
    const pid = silentHolderPid(stateDir);
    if (pid !== undefined) return record ? { stale: record, owner: { pid } } : { owner: { pid } };
    return record ? { stale: record, heldSilently: true } : { heldSilently: true };
  }
  if (owner) {
    const held = asRecord(owner.record);
    if (held?.pid === owner.pid && (await fetchHealth(held.endpoint))?.pid === held.pid) {
      try {
        writeRecord(stateDir, held);
      } catch {
        // a read-only state dir: the lock still finds it next time
      }
      return { record: held };
    }
    return record ? { stale: record, owner } : { owner };
  }
  return record ? { stale: record } : {};
}

function asRecord(value: unknown): ProcessRecord | undefined {
  const rec = value as ProcessRecord | undefined;
  return typeof rec === 'object' && rec !== null && Number.isInteger(rec.pid) && rec.pid > 0 && typeof rec.endpoint === 'string' ? rec : undefined;
}
