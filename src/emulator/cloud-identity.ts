/**
 * Which local cloud a lab command meant. A command finds its workspace's cloud by the record in its
 * state dir and checks that the pid there answers (process-record.ts liveRecord); from then on it
 * talks to a port. If that cloud stops while the command runs (killed, crashed, `emulator stop` from
 * another terminal) and another workspace's cloud takes the port (4566 is every cloud's first
 * choice), the command's calls reach the other cloud: a deploy went on into it and succeeded.
 *
 * So each call of the lab's own SDK clients names the state dir it is for (`x-lab-state-dir`, the
 * same canonical path as the state dir's lock, socket-lock.ts), and a cloud of another state dir
 * refuses it with 421 Misdirected Request ("the request was directed at a server that is unable or
 * unwilling to produce an authoritative response for the target URI", RFC 9110 §15.5.20), naming
 * its own state dir and pid. A restarted cloud of the same state dir is the same cloud. The aws CLI,
 * curl and the front door's callers send no such header and are served as before.
 */
import { WrongCloudError } from '../errors.js';
import { cliCommand } from '../invocation.js';
import { canonical } from '../socket-lock.js';

export const CLOUD_HEADER = 'x-lab-state-dir';
export const CLOUD_PID_HEADER = 'x-lab-pid';
export const MISDIRECTED = 421;

/** the header's value for `stateDir`: its canonical path, percent-encoded (a header carries ASCII) */
export function cloudKey(stateDir: string): string {
  return encodeURIComponent(canonical(stateDir));
}

/** what a cloud answers a call meant for another state dir's cloud (server.ts) */
export function misdirected(ownKey: string): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: MISDIRECTED,
    headers: { 'Content-Type': 'application/json', [CLOUD_HEADER]: ownKey, [CLOUD_PID_HEADER]: String(process.pid) },
    body: JSON.stringify({ message: `this is the local cloud of ${decodeURIComponent(ownKey)} (pid ${process.pid}), not the one the call was meant for` }),
  };
}

/**
 * The error for a call of the cloud of `ours` that the cloud of `theirs` (pid) answered at
 * `endpoint`: what happened, and the two ways on as whole commands.
 */
export async function wrongCloudError(ours: string, endpoint: string, theirs: string, pid: number): Promise<WrongCloudError> {
  const { stateDirFlag } = await import('./daemon.js');
  const port = portOf(endpoint);
  const place = (dir: string) => {
    const flag = stateDirFlag(dir);
    return flag[0] === '--workspace' ? `workspace ${flag[1]}` : `state dir ${flag[1]}`;
  };
  const stop = cliCommand(['emulator', 'stop', ...stateDirFlag(theirs)]);
  return new WrongCloudError(
    `port ${port} is held by the local cloud of another ${place(theirs)} (pid ${pid}): the cloud of ${place(ours)} stopped, and the lab will not change or read another workspace's cloud`,
    `run this again: it starts this workspace's cloud with its saved state (on another port while ${port} is taken); or stop the other one first with \`${stop}\``,
    { stateDir: theirs, pid, port, stop },
  );
}

function portOf(endpoint: string): string {
  try {
    return new URL(endpoint).port || '80';
  } catch {
    return endpoint;
  }
}
