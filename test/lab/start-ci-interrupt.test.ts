/**
 * End to end, as an instructor runs it: `start --ci` interrupted by SIGINT mid-lab exits 130 with
 * progress saved, and `start --ci` again finishes with exit 0. (The uninterrupted run is
 * start-ci.test.ts.)
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, removeWorkspace, runCli } from '../helpers/cli.js';
import type { LabProgress } from '../../src/lab/progress.js';
import { labWorkspace, readJson } from './helpers.js';

const made: string[] = [];
after(async () => {
  for (const d of made) await removeWorkspace(d);
});

test('start --ci interrupted by SIGINT mid-lab exits 130 with progress saved; start --ci again exits 0', async () => {
  const ws = await labWorkspace('sol-lab-sigint-');
  made.push(ws);
  const progressFile = join(ws, '.lab', 'progress.json');
  // as `npm start -- --ci --workspace WS` in a clone runs it (npm's variables): the resume line must
  // be one that runs there, where no `serverless-ops-lab` is on PATH
  const env = { ...process.env, npm_lifecycle_event: 'start', npm_package_name: 'serverless-ops-lab' };
  const child = spawn(process.execPath, [CLI, 'start', '--ci', '--workspace', ws], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  let sent = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d;
    // mid-lab: once the first step is done and the second has begun
    if (!sent && /== Step 2 of/.test(out)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.on('data', (d: Buffer) => (err += d));
  const code = await exited;
  clearTimeout(killer);
  assert.equal(code, 130, `${out.slice(-2000)}\n${err}`);
  assert.match(out, /stopping at the next safe point/);
  assert.match(err, /interrupted after [\d.]+ s/);
  // the resume line as q prints it: `$ ` and the command on a line of its own
  const resume = /progress saved; this goes on from here:\n\S+ \$ npm start -- --ci --workspace (\S+)\n/.exec(out);
  assert.equal(resume?.[1], ws, out.slice(-2000));
  assert.doesNotMatch(err, /    at /);
  assert.ok(existsSync(progressFile));
  const progress = readJson<LabProgress>(progressFile);
  assert.equal(progress.steps.deploy?.status, 'done');
  assert.notEqual(progress.steps['wrap-up']?.status, 'done');

  const again = await runCli(['start', '--ci', '--workspace', ws], { timeoutMs: 600_000 });
  assert.equal(again.code, 0, again.stderr.slice(-3000));
  // blue-green had begun: deploy stays done without a re-check, and blue-green goes on
  assert.doesNotMatch(again.stdout, /resuming after deploy|cloud disagrees|doing deploy again/);
  assert.match(again.stdout, /== Step 2 of/);
  assert.equal(readJson<LabProgress>(progressFile).steps['wrap-up']?.status, 'done');
});
