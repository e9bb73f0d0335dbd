/**
 * The state dir's owner lock: a local socket that the running emulator listens on, named after its
 * state dir. The operating system frees it when the process ends, however it ends, and no file in
 * the state dir can damage it: a deleted or garbled `emulator-process.json` can no longer lead to a
 * second emulator on the same state dir (the second one finds the socket taken), and any command
 * can ask the owner for its record there (`ownerOf`), to reuse, report or stop it.
 *
 * Linux: an abstract socket (no file at all). Windows: a named pipe. Elsewhere: a socket file in
 * the temp dir, which a crash leaves behind; one that nobody answers on is removed and retaken.
 */
import { createHash } from 'node:crypto';
import { realpathSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** what the owner answers on its lock: its pid, and its process record once it is listening */
export interface LockOwner {
  pid: number;
  record?: unknown;
}

export interface StateLock {
  release(): Promise<void>;
}

export function lockAddress(stateDir: string): string {
  let dir = resolve(stateDir);
  try {
    dir = realpathSync(dir); // one lock for a dir however it is named (symlinks, `..`)
  } catch {
    // not made yet: its resolved name
  }
  const id = createHash('sha256').update(dir).digest('hex').slice(0, 32);
  if (process.platform === 'linux') return `\0serverless-ops-lab/emulator/${id}`;
  if (process.platform === 'win32') return `\\\\.\\pipe\\serverless-ops-lab-emulator-${id}`;
  return join(tmpdir(), `sol-emulator-${id}.sock`);
}

/**
 * Take the lock of `stateDir`, answering `describe()` to whoever asks; or, when another process
 * holds it, `{ heldBy }` with what that process answered (undefined: it did not answer).
 */
export async function takeStateLock(stateDir: string, describe: () => LockOwner): Promise<StateLock | { heldBy: LockOwner | undefined }> {
  const address = lockAddress(stateDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(JSON.stringify(describe()));
    });
    // the lock must not keep a process alive that has nothing else to do
    server.unref();
    const err = await listen(server, address);
    if (!err) return { release: () => new Promise<void>((r) => server.close(() => r())) };
    if (err.code !== 'EADDRINUSE') throw err;
    const owner = await askOwner(address);
    if (owner || address.startsWith('\0') || address.startsWith('\\\\')) return { heldBy: owner };
    // a socket file left by a process that ended without closing it (not Linux or Windows)
    rmSync(address, { force: true });
  }
  return { heldBy: undefined };
}

/** The process holding `stateDir`'s lock, or undefined when none does (or it does not answer). */
export function ownerOf(stateDir: string, timeoutMs = 1500): Promise<LockOwner | undefined> {
  return askOwner(lockAddress(stateDir), timeoutMs);
}

function listen(server: Server, address: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((done) => {
    server.once('error', (err: NodeJS.ErrnoException) => done(err));
    server.listen(address, () => done(undefined));
  });
}

function askOwner(address: string, timeoutMs = 1500): Promise<LockOwner | undefined> {
  return new Promise((done) => {
    const socket = createConnection(address);
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => done(undefined));
    socket.on('close', () => {
      try {
        const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LockOwner;
        done(Number.isInteger(v?.pid) && v.pid > 0 ? v : undefined);
      } catch {
        done(undefined);
      }
    });
  });
}
