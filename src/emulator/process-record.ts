/**
 * The record an emulator process keeps in its state dir while it runs (`emulator-process.json`),
 * so that later commands find it, reuse it, or stop it. One emulator per state dir.
 */
import { readFileSync, rmSync } from 'node:fs';
import { get as httpGet, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { atomicWrite } from '../files.js';
import { RECORD_FILE } from './config.js';

export { LOG_FILE, RECORD_FILE } from './config.js';

export interface ProcessRecord {
  pid: number;
  endpoint: string;
  port: number;
  host: string;
  stateDir: string;
  speed: number;
  throttleStatus: 500 | 502;
  accountConcurrency: number;
  mode: 'foreground' | 'background';
  version: string;
  startedAt: string;
}

/**
 * The port the state dir's cloud last listened on. It outlives the process record (removed at
 * every stop), so a cloud that had to take another port because 4566 was taken takes the same one
 * again at its next start, and the URLs printed earlier keep working.
 */
export const LAST_PORT_FILE = 'emulator-port.json';

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
    const rec = JSON.parse(readFileSync(recordPath(stateDir), 'utf8')) as ProcessRecord;
    return Number.isInteger(rec.pid) && typeof rec.endpoint === 'string' ? rec : undefined;
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
 */
export async function liveRecord(stateDir: string): Promise<{ record?: ProcessRecord; stale?: ProcessRecord }> {
  const record = readRecord(stateDir);
  if (!record) return {};
  if (!pidAlive(record.pid)) return { stale: record };
  const health = await fetchHealth(record.endpoint);
  if (health?.pid !== record.pid) return { stale: record };
  return { record };
}
