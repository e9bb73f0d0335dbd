/**
 * `start --ci` in a workspace whose steps were all done before: the solver path checks only the
 * steps it runs, so it has nothing to check. It ended 0 ("no step ran in this run"), which an
 * instructor's script reading only the exit code took for a machine that passed. It is refused
 * before the cloud starts (usage, 2), naming the commands that do check.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { removeWorkspace, runCli } from '../helpers/cli.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { LAB_STEPS } from '../../src/steps/index.js';
import { labWorkspace } from './helpers.js';

const made: string[] = [];
after(async () => {
  for (const d of made) await removeWorkspace(d);
});

test('start --ci where every step is done: exit 2 before any cloud starts, with a new workspace and reset as the ways to check', async () => {
  const ws = await labWorkspace('sol-ci-all-done-');
  made.push(ws);
  const progress = ProgressStore.load(workspacePaths(ws), 'local');
  for (const s of LAB_STEPS) progress.update(s.id, (p) => void (p.status = 'done'));
  const r = await runCli(['start', '--ci', '--workspace', ws]);
  assert.equal(r.code, 2, `a run that checked nothing ended ${r.code}:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, /error: nothing to check: every step of \S+ was done before this run \(progress\.json\), and --ci checks only the steps it runs/);
  assert.match(r.stderr, /use a new workspace:\n +\$ .*start (-- )?--ci --workspace '<a new folder>'\n/);
  assert.ok(r.stderr.includes(`reset --workspace ${ws}\n`), r.stderr);
  assert.ok(r.stderr.includes(`--ci --workspace ${ws}\n`), r.stderr);
  assert.doesNotMatch(r.stderr, /    at /, 'no stack trace');
  assert.equal(existsSync(join(ws, '.lab', 'state')), false, 'no cloud was started for it');
  // nothing of the learner's lost: every step still done
  const after = ProgressStore.load(workspacePaths(ws), 'local');
  assert.ok(LAB_STEPS.every((s) => after.step(s.id).status === 'done'));
});
