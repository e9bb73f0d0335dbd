/**
 * The whole `start --ci --target local` lab in a temporary workspace, as an instructor runs it:
 * wall time, the duration of each step from its report, and the figures it measured.
 * Goal (issue 9): the whole --ci lab under 90 s on a 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabReport } from '../src/lab/report.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/src/cli.js');

export async function run(): Promise<void> {
  const ws = mkdtempSync(join(tmpdir(), 'sol-bench-lab-'));
  const reportFile = join(ws, 'report.json');
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [cli, 'start', '--ci', '--workspace', ws, '--report', reportFile], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    let report: LabReport | undefined;
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8')) as LabReport;
    } catch {
      // no report: said below
    }
    console.log(`start --ci --target local: exit ${r.status}, ${wallS.toFixed(1)} s wall (goal: under 90 s)${report ? `, outcome ${report.outcome}, speed ${report.speed}x` : ', no report'}`);
    if (r.status !== 0) console.log(String(r.stderr).trim().split('\n').slice(-3).join('\n'));
    for (const s of report?.steps ?? []) {
      const f = s.figures;
      const extra = [
        f.statusCounts ? `status ${Object.entries(f.statusCounts as Record<string, number>).map(([k, v]) => `[${k}] ${v}`).join(' ')}` : '',
        f.peakConcurrency !== undefined ? `peak ${String(f.peakConcurrency)}` : '',
        f.weightsSeen ? `weights ${(f.weightsSeen as number[]).join(',')}` : '',
      ].filter(Boolean);
      console.log(`  ${s.id.padEnd(24)} ${(s.durationMs / 1000).toFixed(1).padStart(6)} s  ${s.outcome}${extra.length ? `  ${extra.join('  ')}` : ''}`);
    }
  } finally {
    spawnSync(process.execPath, [cli, 'emulator', 'stop', '--workspace', ws], { stdio: 'ignore' });
    rmSync(ws, { recursive: true, force: true });
  }
}
