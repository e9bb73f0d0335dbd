/**
 * `start --report FILE`: a path the report cannot be written to is refused before any step runs
 * (usage, exit 2, nothing made: no workspace, no cloud), and a report that still cannot be
 * written at the end turns a run that would end 0 into exit 3.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeWorkspace, runCli } from '../helpers/cli.js';
import { startCommand } from '../../src/commands/start.js';
import { ExitCode, LabError } from '../../src/errors.js';
import { InterruptPolicy } from '../../src/interrupt.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { checkReportPath } from '../../src/lab/report.js';

const made: string[] = [];
after(async () => {
  // a workspace before the folder holding it: its cloud is stopped by the record in it
  for (const d of made.reverse()) await removeWorkspace(d);
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

for (const [what, path, message] of [
  ['in a folder that does not exist', (d: string) => join(d, 'no-such-folder', 'report.json'), /--report .*: the folder .*no-such-folder does not exist/],
  ['that is a folder', (d: string) => d, /--report .* is a folder, not a file/],
  // /sys refuses new files to root too (access(2) would say yes to root)
  ['in a folder that takes no new file', () => '/sys/report.json', /--report \/sys\/report\.json: cannot write in \/sys \(E[A-Z]+\)/],
  ['under a file', (d: string) => join(d, 'a-file', 'report.json'), /--report .*a-file\/report\.json: .*(is not a folder|does not exist)/],
] as const) {
  test(`start --ci --report FILE ${what}: refused before any step runs, exit 2, nothing made`, async () => {
    const dir = tempDir('sol-report-bad-');
    writeFileSync(join(dir, 'a-file'), 'x');
    const ws = join(dir, 'ws');
    made.push(ws);
    const r = await runCli(['start', '--ci', '--workspace', ws, '--report', path(dir)]);
    assert.equal(r.code, ExitCode.usage, r.stderr + r.stdout);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /    at /, 'no stack trace');
    assert.doesNotMatch(r.stdout, /== Step|local cloud/, 'no step ran, no cloud started');
    assert.equal(existsSync(ws), false, 'the workspace was not even made');
  });
}

test('a report path in a folder that takes a file passes the check, which leaves nothing behind', () => {
  const dir = tempDir('sol-report-ok-');
  checkReportPath(join(dir, 'report.json'));
  writeFileSync(join(dir, 'report.json'), 'an older report');
  checkReportPath(join(dir, 'report.json'));
  assert.deepEqual(readdirSync(dir), ['report.json'], 'no probe file left');
});

test('a report that cannot be written at the end: the run that would end 0 (q) exits 3, with the reason', async () => {
  const dir = tempDir('sol-report-late-');
  const ws = join(dir, 'ws');
  made.push(ws);
  const out = join(dir, 'out');
  mkdirSync(out);
  // the learner, at the first question, makes the report's folder a file (as a folder removed and
  // a file written in its place during class would), then stops with q
  const io = new RecordingIoHost({
    otherwise: () => {
      rmSync(out, { recursive: true });
      writeFileSync(out, 'not a folder');
      return 'q';
    },
  });
  const err = await startCommand({ workspace: ws, report: join(out, 'report.json') }, new InterruptPolicy({ write: () => {}, exit: () => {} }), undefined, { io }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof LabError, `exit 0 although the report was not written: ${io.text.slice(-500)}`);
  assert.equal(err.exitCode, ExitCode.environment);
  assert.match(err.message, /the report was not written to .*out\/report\.json/);
  assert.match(io.text, /progress saved; this goes on from here/, 'the stop itself is said as always');
});

test('start --json: the report is the I/O host\'s result (the plain face writes it to stdout), not a write around it', async () => {
  const dir = tempDir('sol-report-json-');
  const ws = join(dir, 'ws');
  made.push(ws);
  const io = new RecordingIoHost({ otherwise: () => 'q' });
  const report = await startCommand({ workspace: ws, json: true }, new InterruptPolicy({ write: () => {}, exit: () => {} }), undefined, { io });
  assert.equal(report.outcome, 'stopped');
  const results = io.of('result');
  assert.equal(results.length, 1, `one result: ${io.text.slice(-500)}`);
  assert.deepEqual(JSON.parse(results[0].text), JSON.parse(JSON.stringify(report)));
});
