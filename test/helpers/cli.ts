/**
 * Runs the built CLI (`dist/src/cli.js`) as a learner would, and cleans up the background
 * emulator a workspace started.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { scaffoldWorkspace, workspacePaths, type Workspace } from '../../src/lab/workspace.js';

export const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

/**
 * Why a test that needs a pseudo-terminal is skipped, or false when it can run: util-linux
 * `script` (`-c`, `-e`, `-f`) makes the pty; BSD's has other flags. Asked once, when a test asks.
 */
let ptyReason: string | false | undefined;
export function ptySkip(): string | false {
  if (ptyReason === undefined) {
    let utilLinux = false;
    try {
      utilLinux = /util-linux/.test(execFileSync('script', ['--version'], { encoding: 'utf8' }));
    } catch {
      // no script(1) at all
    }
    ptyReason = utilLinux ? false : 'needs util-linux script(1) for a pseudo-terminal';
  }
  return ptyReason;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `timeoutMs` (default 120 s, eventually()'s deadline) only ends a broken run: a deploy takes a few
 * seconds, and 60 s under three test files at once and two CPU burners.
 */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * SIGKILLs every process whose command line names a path under `dir` (a background cloud's JSON
 * options carry its state dir), and answers their pids. For a test's last clean-up: a cloud a test
 * started and lost track of (it failed before its stop, or its record is gone) is found by the dir
 * it was given, not by a record. Linux only (/proc); elsewhere none.
 */
export function killProcessesUnder(dir: string): number[] {
  if (process.platform !== 'linux') return [];
  const killed: number[] = [];
  const needle = dir.endsWith('/') ? dir : `${dir}/`;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    if (!cmdline.split('\0').some((arg) => arg === dir || arg.includes(needle) || arg.includes(`"${dir}"`))) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // already gone
    }
  }
  return killed;
}

/** Stops the workspace's background emulator (by the PID in its record), then removes the folder. */
export async function removeWorkspace(dir: string): Promise<void> {
  const { stopEmulator, emulatorStatus } = await import('../../src/emulator/daemon.js');
  const stateDir = join(dir, '.lab', 'state');
  const st = await emulatorStatus(stateDir).catch(() => undefined);
  await stopEmulator(stateDir).catch(() => undefined);
  if (st?.running) {
    try {
      process.kill(st.pid, 'SIGKILL');
    } catch {
      // already gone, as it should be
    }
  }
  killProcessesUnder(dir); // one the record no longer names
  rmSync(dir, { recursive: true, force: true });
}

/**
 * SIGKILL, then wait (bounded) until the kernel has torn the process down: gone or a zombie.
 * Linux only (/proc); a cloud killed so leaves its record behind, as after a crash.
 */
export function killAndWait(pid: number): void {
  process.kill(pid, 'SIGKILL');
  const until = Date.now() + 20_000;
  while (Date.now() < until) if (processGone(pid)) return;
  throw new Error(`pid ${pid} still alive`);
}

/**
 * The process has ended: no such process, or a zombie no one has reaped yet (a detached cloud's
 * parent is gone, and a container's init may not reap it). Linux only (/proc).
 */
export function processGone(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? 'X';
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

/**
 * A new workspace (a temp dir named `sol-<prefix>-…`) scaffolded as the lab makes it, and its cloud
 * started at `speed` in the background as the lab's own commands start it (daemon.ts
 * ensureEmulator). removeWorkspace(dir) ends both; a set-up that fails removes the dir itself.
 */
export async function labCloudWorkspace(prefix: string, speed: number): Promise<{ dir: string; ws: Workspace; endpoint: string }> {
  const dir = mkdtempSync(join(tmpdir(), `sol-${prefix}-`));
  try {
    const ws = workspacePaths(dir);
    await scaffoldWorkspace(ws);
    const { ensureEmulator } = await import('../../src/emulator/daemon.js');
    return { dir, ws, endpoint: (await ensureEmulator({ stateDir: ws.stateDir, speed })).endpoint };
  } catch (err) {
    await removeWorkspace(dir);
    throw err;
  }
}

/**
 * A new workspace (a temp dir named `sol-<prefix>-…`) whose template has the bundled
 * DeploymentPreference (Linear10PercentEvery1Minute) switched on, and its cloud started at
 * `speed`: a deploy of a new version then starts a CodeDeploy deployment. removeWorkspace ends it.
 */
export async function codeDeployWorkspace(prefix: string, speed: number): Promise<{ ws: Workspace; endpoint: string }> {
  const ws = workspacePaths(mkdtempSync(join(tmpdir(), `sol-${prefix}-`)));
  await scaffoldWorkspace(ws);
  const text = readFileSync(ws.template, 'utf8');
  const enabled = text.replace(/# (DeploymentPreference:\n\s+)# ( {2}Type: Linear10PercentEvery1Minute)/, '$1$2');
  assert.notEqual(enabled, text, 'the bundled template has the commented DeploymentPreference');
  writeFileSync(ws.template, enabled);
  const started = await runCli(['emulator', 'start', '--workspace', ws.root, '--speed', String(speed), '--json']);
  assert.equal(started.code, 0, started.stderr);
  return { ws, endpoint: (JSON.parse(started.stdout) as { endpoint: string }).endpoint };
}
