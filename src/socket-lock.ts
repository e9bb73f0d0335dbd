/**
 * A lock that no crash can leave behind: a local socket that the holder listens on, named after
 * what it locks. The operating system frees it when the process ends, however it ends (a crash,
 * SIGKILL, a second Ctrl-C), so no stale lock file has to be guessed at; and whoever finds it taken
 * can ask the holder who it is (its pid, its command).
 *
 * Linux: an abstract socket (no file at all). Windows: a named pipe (freed with the process, as on
 * Linux). Elsewhere (macOS, the BSDs): a socket file in the temp dir, removed when the holder
 * releases it or exits; one left by a killed process is found by nobody answering on it, removed
 * and taken again (a pid file checked with `process.kill(pid, 0)` would instead trust a pid that
 * the system may have given to another program since).
 *
 * Two users: the emulator's lock on its state dir (emulator/state-lock.ts) and the lab's lock on a
 * workspace (lab/workspace-lock.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** what the holder answers on its lock: at least its pid */
export interface SocketLockOwner {
  pid: number;
  [key: string]: unknown;
}

export interface SocketLock {
  release(): Promise<void>;
}

/**
 * The lock's address for `dir` (one lock for a dir however it is named: symlinks, `..`, and a dir
 * not made yet is named by its nearest existing parent's real path, so a lock taken before the
 * dir exists is the one found after it is made).
 */
export function socketLockAddress(kind: string, dir: string): string {
  const id = createHash('sha256').update(canonical(dir)).digest('hex').slice(0, 32);
  if (process.platform === 'linux') return `\0serverless-ops-lab/${kind}/${id}`;
  if (process.platform === 'win32') return `\\\\.\\pipe\\serverless-ops-lab-${kind}-${id}`;
  // macOS limits a socket's path to 104 bytes: the temp dir and a short name fit
  return join(tmpdir(), `sol-${kind}-${id}.sock`);
}

/** `dir` with its existing part's links resolved: one name for one directory (the lock's key, and the cloud's identity: emulator/cloud-identity.ts) */
export function canonical(dir: string): string {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    try {
      return join(realpathSync(at), ...missing.reverse());
    } catch {
      const up = dirname(at);
      if (up === at) return resolve(dir);
      missing.push(basename(at));
      at = up;
    }
  }
}

/** a file in the file system (not an abstract socket or a pipe): the holder removes it itself */
const isFile = (address: string): boolean => !address.startsWith('\0') && !address.startsWith('\\\\');

/**
 * Take the lock at `address`, answering `describe()` to whoever asks; or, when another process
 * holds it, `{ heldBy }` with what that process answered (undefined: it did not answer).
 */
export async function takeSocketLock<T extends SocketLockOwner>(address: string, describe: () => T): Promise<SocketLock | { heldBy: T | undefined }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(JSON.stringify(describe()));
    });
    // the lock must not keep a process alive that has nothing else to do
    server.unref();
    const err = await listen(server, address);
    if (!err) {
      // a socket file outlives a process.exit (the second Ctrl-C): removed on the way out
      const onExit = () => rmSync(address, { force: true });
      if (isFile(address)) process.once('exit', onExit);
      return {
        release: () =>
          new Promise<void>((r) => {
            process.off('exit', onExit);
            server.close(() => r());
          }),
      };
    }
    if (err.code !== 'EADDRINUSE') throw err;
    const { owner, nobody } = await probeSocketLock<T>(address);
    // a socket file is taken over only when nobody listens on it: a holder that is slow to answer
    // (stopped with Ctrl-Z, its event loop busy) still holds it
    if (owner || !isFile(address) || !nobody) return { heldBy: owner };
    // a socket file left by a process that ended without closing it (not Linux or Windows)
    rmSync(address, { force: true });
  }
  return { heldBy: undefined };
}

function listen(server: Server, address: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((done) => {
    server.once('error', (err: NodeJS.ErrnoException) => done(err));
    server.listen(address, () => done(undefined));
  });
}

/**
 * Whether a process holds `address`, and what it answered: `held` without an `owner` is a holder
 * that took the connection but did not answer in time (stopped with Ctrl-Z or SIGSTOP, its event
 * loop stuck).
 */
export async function socketLockHolder<T extends SocketLockOwner>(address: string, timeoutMs = 1500): Promise<{ owner: T | undefined; held: boolean }> {
  const { owner, connected } = await probeSocketLock<T>(address, timeoutMs);
  return { owner, held: owner !== undefined || connected };
}

/**
 * What the holder answered, whether nobody listens at all (refused, or no such socket file), and
 * whether the connection was made (someone listens, answering or not).
 */
function probeSocketLock<T extends SocketLockOwner>(address: string, timeoutMs = 1500): Promise<{ owner: T | undefined; nobody: boolean; connected: boolean }> {
  return new Promise((done) => {
    const socket = createConnection(address);
    const chunks: Buffer[] = [];
    let nobody = false;
    let connected = false;
    socket.on('connect', () => (connected = true));
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      nobody = err.code === 'ECONNREFUSED' || err.code === 'ENOENT';
    });
    // 'close' follows an error, a timeout's destroy and the holder's end alike
    socket.on('close', () => {
      let owner: T | undefined;
      try {
        const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
        owner = Number.isInteger(v?.pid) && v.pid > 0 ? v : undefined;
      } catch {
        owner = undefined;
      }
      done({ owner, nobody, connected });
    });
  });
}

/**
 * The pid of the process listening on `address`, for a holder that does not answer (stopped with
 * Ctrl-Z or SIGSTOP before it wrote its record): Linux only, as `ss -xlp` finds it: the listening
 * socket's inode in /proc/net/unix, then the process with that inode among its open files. Only
 * processes of this user can be read; undefined when none is found (or elsewhere than Linux).
 */
export function socketLockHolderPid(address: string): number | undefined {
  if (process.platform !== 'linux') return undefined;
  // an abstract address is listed with '@' for its leading NUL; a socket file by its path
  const listed = address.startsWith('\0') ? `@${address.slice(1)}` : address;
  const inodes = new Set<string>();
  try {
    for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
      // Num RefCount Protocol Flags Type St Inode Path; Flags 00010000: listening (__SO_ACCEPTCON)
      // Node binds an abstract name padded with NULs to the whole sun_path: listed as trailing '@'s
      const f = line.trim().split(/\s+/);
      const path = f.slice(7).join(' ');
      const named = path === listed || (address.startsWith('\0') && path.startsWith(listed) && /^@*$/.test(path.slice(listed.length)));
      if (f.length >= 8 && named && (Number.parseInt(f[3]!, 16) & 0x10000) !== 0) inodes.add(`socket:[${f[6]}]`);
    }
  } catch {
    return undefined;
  }
  if (inodes.size === 0) return undefined;
  for (const entry of safeList('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const fd of safeList(`/proc/${entry}/fd`)) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (inodes.has(target)) return Number(entry);
    }
  }
  return undefined;
}

/**
 * A command that lists the process holding `address`, where the lab could not name it itself: on
 * Linux that is another user's process, which only root may see (`ss -p` as `socketLockHolderPid`).
 */
export function findSocketLockHolder(address: string): string | undefined {
  if (process.platform === 'linux') return `sudo ss -xlp | grep ${address.startsWith('\0') ? address.slice(1) : address}`;
  if (process.platform === 'win32') return undefined;
  return `lsof ${address}`;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
