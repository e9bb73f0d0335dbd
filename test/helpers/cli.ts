/**
 * Runs the built CLI (`dist/src/cli.js`) as a learner would, and cleans up the background
 * emulator a workspace started.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
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
  rmSync(dir, { recursive: true, force: true });
}
