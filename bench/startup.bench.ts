/**
 * Start-up of every command: median wall time of `--help`, `--version`, `status` and `deploy` with
 * no change (the bundled app, its cloud already running) beside a bare commander hello-world, each
 * in a fresh node process, the commands interleaved round by round so a busy moment of the shared
 * machine falls on all of them alike. Then the cloud's own start: spawn of the background emulator
 * (`emulator/background.cjs`) until its health URL answers, as `deploy` waits for it.
 * Goals: --help within 1.5x of the bare program; status and deploy load only what they use.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ensureEmulator, stopEmulator } from '../src/emulator/daemon.js';
import { removeWorkspace } from '../test/helpers/cli.js';
import { median, ratio } from './stats.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/src/cli.js');
const RUNS = 11;
const SPAWNS = 5;

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return ms;
}

export async function run(): Promise<void> {
  const ws = mkdtempSync(join(tmpdir(), 'sol-bench-startup-'));
  try {
    const first = spawnSync(process.execPath, [cli, 'deploy', '--workspace', ws], { encoding: 'utf8' });
    if (first.status !== 0) throw new Error(`deploy failed: ${first.stderr}`);
    const commands: Array<[string, string[]]> = [
      ['commander hello-world --help', [join(root, 'bench/fixtures/commander-hello.mjs'), '--help']],
      ['serverless-ops-lab --help', [cli, '--help']],
      ['serverless-ops-lab --version', [cli, '--version']],
      ['status', [cli, 'status', '--workspace', ws]],
      ['deploy (no change)', [cli, 'deploy', '--workspace', ws]],
    ];
    const times = new Map<string, number[]>(commands.map(([name]) => [name, []]));
    for (let round = 0; round < RUNS + 1; round++) {
      for (const [name, args] of commands) {
        const ms = wallMs(args);
        if (round > 0) times.get(name)!.push(ms); // the first round warms the file cache
      }
    }
    const hello = median(times.get(commands[0][0])!);
    console.log(`median wall time of ${RUNS} interleaved rounds, a fresh node process each`);
    for (const [name] of commands) {
      const ms = median(times.get(name)!);
      console.log(`${name.padEnd(30)} ${ms.toFixed(0).padStart(6)} ms${name === commands[0][0] ? '' : `   ${ratio(ms, hello)} of the bare program`}`);
    }
    console.log('goal: --help within 1.5x');

    await stopEmulator(join(ws, '.lab', 'state'));
    const spawnToHealthy: number[] = [];
    for (let i = 0; i < SPAWNS; i++) {
      const stateDir = join(ws, '.lab', 'state');
      const t = performance.now();
      await ensureEmulator({ stateDir, port: 0 });
      spawnToHealthy.push(performance.now() - t);
      await stopEmulator(stateDir);
    }
    console.log(`the cloud, spawn to healthy (its state: the bundled app), median of ${SPAWNS}: ${median(spawnToHealthy).toFixed(0)} ms`);
  } finally {
    await removeWorkspace(ws);
  }
}
