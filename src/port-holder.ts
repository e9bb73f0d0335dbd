/**
 * Who holds a local TCP port: whether something answers on it, and (Linux, a process this user may
 * look at) its pid, read from /proc/net/tcp{,6} (the listening socket's inode) and /proc/<pid>/fd
 * (the process holding that socket). Used to say why the local cloud is not on 4566, the port the
 * workshop's `--endpoint-url` commands name: someone else's server would answer them there.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { basename, dirname } from 'node:path';
import { emulatorStateDirOf, workspaceOf } from './emulator/daemon.js';
import { nearlySameName, numberedSiblings } from './nearest.js';

export interface PortHolder {
  inUse: boolean;
  /** when it can be found */
  pid?: number;
  /** the state dir of the lab's own cloud when that is what holds the port (another workspace's) */
  labStateDir?: string;
}

export async function portHolder(port: number, host = '127.0.0.1'): Promise<PortHolder> {
  const inUse = await answers(port, host);
  if (!inUse) return { inUse };
  const pid = listenerPid(port);
  if (pid === undefined) return { inUse };
  const labStateDir = emulatorStateDirOf(pid);
  return labStateDir === undefined ? { inUse, pid } : { inUse, pid, labStateDir };
}

/**
 * Who holds the port, in words: a pid, or the lab's own cloud of another workspace, named, with
 * "(a typo?)" when that workspace's name is a slip from this one's (`ownStateDir`'s): a mistyped
 * --workspace starts a second lab, and a second cloud beside the first. `series` (--ci): not for
 * a name that differs only by a number or date at its end, an instructor's run after run (nearest.ts).
 */
export function holderWords(holder: PortHolder, ownStateDir?: string, o: { series?: boolean } = {}): string {
  if (holder.pid === undefined) return '';
  if (holder.labStateDir === undefined) return ` (by pid ${holder.pid})`;
  const theirs = workspaceOf(holder.labStateDir);
  const own = ownStateDir === undefined ? undefined : workspaceOf(ownStateDir);
  const typo = theirs && own && dirname(theirs) === dirname(own) && nearlySameName(basename(own), basename(theirs)) && !(o.series && numberedSiblings(basename(own), basename(theirs))) ? ' (a typo?)' : '';
  return theirs ? ` by the lab's cloud of workspace ${theirs}${typo} (pid ${holder.pid})` : ` by the lab's cloud of state dir ${holder.labStateDir} (pid ${holder.pid})`;
}

function answers(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (yes: boolean) => {
      socket.destroy();
      resolve(yes);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** /proc's view; undefined off Linux, or for another user's process (its fds are not ours to read) */
export function listenerPid(port: number): number | undefined {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[1]!.endsWith(`:${hexPort}`) && f[3] === '0A') inodes.add(f[9]!);
    }
  }
  if (!inodes.size) return undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return Number(pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/**
 * The line a learner needs when the cloud is not on the default port: the workshop's
 * `--endpoint-url http://127.0.0.1:4566` would reach another server (or none). "The port it took
 * when 4566 was in use" only of a cloud that took it (its record's portChosen unset).
 */
export function otherPortNote(cloud: { port: number; endpoint: string; stateDir?: string; record?: { stateDir: string; portChosen?: boolean } }, defaultPort: number, holder: PortHolder, o: { series?: boolean } = {}): string {
  const use = `use the endpoint printed here, ${cloud.endpoint}, where the workshop says http://127.0.0.1:${defaultPort}`;
  if (holder.inUse) return `port ${defaultPort} is in use${holderWords(holder, cloud.stateDir ?? cloud.record?.stateDir, o)}; the cloud listens on ${cloud.port}: ${use}`;
  // a port it was given (emulator start --port 4599) is no port it took: it was said as one
  if (cloud.record?.portChosen) return `the cloud listens on ${cloud.port}, the port it was started on (--port), not ${defaultPort}: ${use}`;
  return `the cloud listens on ${cloud.port}, the port it took when ${defaultPort} was in use (the URLs it printed keep working): ${use}`;
}
