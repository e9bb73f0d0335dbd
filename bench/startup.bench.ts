/**
 * Start-up: median wall time of `serverless-ops-lab --help` and `--version` beside a bare commander
 * hello-world, each in a fresh node process. Goal (issue 2): within 1.5x of the bare program.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { median, ratio } from './stats.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = 15;

function wallTimes(args: string[]): number[] {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    if (i >= 2) times.push(ms); // the first two warm the file cache
  }
  return times;
}

export async function run(): Promise<void> {
  const hello = median(wallTimes([join(root, 'bench/fixtures/commander-hello.mjs'), '--help']));
  const help = median(wallTimes([join(root, 'dist/src/cli.js'), '--help']));
  const version = median(wallTimes([join(root, 'dist/src/cli.js'), '--version']));
  console.log(`runs per command: ${RUNS} (median wall time, fresh node process each)`);
  console.log(`commander hello-world --help   ${hello.toFixed(1)} ms`);
  console.log(`serverless-ops-lab --help      ${help.toFixed(1)} ms   ${ratio(help, hello)} of the bare program`);
  console.log(`serverless-ops-lab --version   ${version.toFixed(1)} ms   ${ratio(version, hello)} of the bare program`);
  console.log('goal: within 1.5x');
}
