/**
 * One command at a time changes a workspace. `start`, `step`, `deploy` and `reset` write the
 * learner's sam-app/, progress.json and the deploy record, and deploy to the workspace's cloud:
 * two of them at once would interleave their writes and their deployments. Each takes this lock
 * first and holds it until it ends; a second one exits 3 (ExitCode.environment: not the learner's
 * work) with a message naming the holder (pid, command line) and what to do. Read-only commands
 * (`status`, `list`, `doctor`) and the cloud's own commands (`emulator …`, which has its own lock
 * on its state dir: emulator/state-lock.ts) do not take it.
 *
 * The lock is a local socket (src/socket-lock.ts): the operating system frees it when the process
 * ends, however it ends, so a crash or a second Ctrl-C never leaves a stale lock; on macOS (a
 * socket file in the temp dir) one that nobody answers on is taken again.
 */
import { ExitCode, LabError } from '../errors.js';
import { sinceText } from '../io/format.js';
import { shellWord } from '../invocation.js';
import { socketLockAddress, takeSocketLock, type SocketLock } from '../socket-lock.js';
import type { Workspace } from './workspace.js';

/** what the holder answers */
export interface WorkspaceLockOwner {
  pid: number;
  /** its command line, after the program's name: `start --ci --workspace lab` */
  command: string;
  /** ISO time it took the lock */
  since: string;
  [key: string]: unknown;
}

export type WorkspaceLock = SocketLock;

function workspaceLockAddress(ws: Pick<Workspace, 'root'>): string {
  return socketLockAddress('workspace', ws.root);
}

/**
 * Take the workspace's lock for `command` (its words, e.g. `['deploy']`: the process's own
 * arguments are named instead when they begin with it), or throw a LabError naming its holder.
 */
export async function lockWorkspace(ws: Pick<Workspace, 'root'>, command: readonly string[]): Promise<WorkspaceLock> {
  const args = withAbsoluteWorkspace(process.argv.slice(2), ws.root);
  const me: WorkspaceLockOwner = {
    pid: process.pid,
    command: (args[0] === command[0] ? args : command).map(shellWord).join(' '),
    since: new Date().toISOString(),
  };
  const lock = await takeSocketLock(workspaceLockAddress(ws), () => me);
  if ('heldBy' in lock) throw workspaceBusy(ws.root, lock.heldBy);
  return lock;
}

/**
 * The command line as another directory reads it: a refused command may run anywhere, and its
 * `start --workspace ws` named some other folder's ws; the workspace is given as the absolute path
 * this command resolved (`--workspace DIR` and `--workspace=DIR`).
 */
function withAbsoluteWorkspace(args: readonly string[], root: string): string[] {
  return args.map((a, i) => (args[i - 1] === '--workspace' ? root : a.startsWith('--workspace=') ? `--workspace=${root}` : a));
}

function workspaceBusy(root: string, owner: WorkspaceLockOwner | undefined): LabError {
  const meanwhile = 'status, list and doctor work meanwhile';
  if (!owner) {
    return new LabError(`workspace ${root} is in use by another serverless-ops-lab command (it did not say which)`, ExitCode.environment, `wait for it to end, then run this again; ${meanwhile}`);
  }
  const since = typeof owner.since === 'string' && !Number.isNaN(Date.parse(owner.since)) ? `, since ${sinceText(new Date(owner.since), new Date())}` : '';
  const lab = /^(start|step)\b/.test(String(owner.command));
  return new LabError(
    `workspace ${root} is in use by another serverless-ops-lab command: \`${String(owner.command)}\` (pid ${owner.pid}${since})`,
    ExitCode.environment,
    `one command at a time changes a workspace: wait for it to end, or end it in its terminal (${lab ? 'q, or Ctrl-C: progress is saved' : 'Ctrl-C'}) or with \`kill ${owner.pid}\`, then run this again; ${meanwhile}`,
  );
}
