/**
 * Every command of the lab's own that it prints for a workspace of the aws target carries
 * `--target aws` (lab/outside.ts labCommand): a workspace deployed to AWS refuses `start`, `step`
 * and `deploy` without it, and a `start` after a whole `reset` (which forgets the progress that
 * said where the lab ran) would begin a local lab. Some of them left it out: "every step is done"'s
 * `step <id>`, the --ci way to release a hooks step again, the wrap-up's `reset`, the deploy step's
 * command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunnerContext } from '../../src/lab/context.js';
import { afterQuitting, labCommand } from '../../src/lab/outside.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { runLab } from '../../src/lab/runner.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { releaseAgain } from '../../src/steps/shared/release.js';
import { LAB_STEPS } from '../../src/steps/index.js';
import { fakeContext } from '../helpers/lab-context.js';
import { fakeStep } from '../helpers/fake-step.js';

test('labCommand: on aws, start, step, deploy, reset and doctor take --target aws (and the run\'s profile and region) before --workspace; list and local take none', () => {
  const aws = { workspace: '/ws', target: 'aws' as const };
  assert.match(labCommand(['step', 'canary'], aws), / step canary --target aws --workspace \/ws$/);
  assert.match(labCommand(['start', '--ci'], { ...aws, profile: 'lab', region: 'eu-west-1' }), / start (-- )?--ci --target aws --profile lab --region eu-west-1 --workspace \/ws$/);
  assert.match(labCommand(['reset'], aws), / reset --target aws --workspace \/ws$/);
  assert.match(labCommand(['deploy'], { target: 'aws' }), / deploy --target aws$/);
  assert.match(labCommand(['list'], aws), / list --workspace \/ws$/);
  assert.match(labCommand(['step', 'canary'], { workspace: '/ws', target: 'local' }), / step canary --workspace \/ws$/);
  assert.match(afterQuitting(aws, [['reset', 'canary-promote']]), /run `.* reset canary-promote --target aws --workspace \/ws`, then `.* start (-- )?--target aws --workspace \/ws`$/);
});

test('an aws workspace where every step is done: the runner\'s "step <id> redoes one" carries --target aws', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sol-aws-done-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ws = workspacePaths(root);
  const progress = ProgressStore.load(ws, 'aws');
  const steps = ['app', 'last'].map((id) => fakeStep(id, { app: true, last: true }));
  for (const s of steps) progress.update(s.id, (p) => void (p.status = 'done'));
  const ctx = Object.assign(fakeContext({ ws, ci: false, target: 'aws' }), { stepId: '', assisting: false }) as unknown as RunnerContext & { io: import('../../src/io/recording.js').RecordingIoHost };
  await runLab({ steps, ctx, progress, reference: new ReferenceBook([]), assisted: false, version: 'test', workspace: root });
  const text = ctx.io.events.map((e) => e.text).join('\n');
  assert.match(text, /every step is done/);
  assert.ok(text.includes(` step --target aws --workspace ${root} <id>\` redoes one`), text);
  assert.ok(text.includes(` reset --target aws --workspace ${root}\` starts over`), text);
});

test('aws: the --ci way to release a hooks step again, and the deploy step\'s command, carry --target aws', async () => {
  const ctx = fakeContext({ ci: true, target: 'aws', ws: workspacePaths('/ws') });
  const again = releaseAgain(ctx, 'hooks-alarm');
  assert.match(again, / reset hooks-alarm --target aws --workspace \/ws` puts the step back/);
  assert.match(again, / start (-- )?--ci --target aws --workspace \/ws` releases it again/);
  const deploy = LAB_STEPS.find((s) => s.id === 'deploy')!;
  const shown = await deploy.solve.show(ctx);
  assert.match(shown.command ?? '', / deploy --target aws --workspace \/ws$/);
});

test('aws, nothing deployed yet or a damaged deploy record: status\'s and the damaged file\'s deploy carry --target aws (deploy alone deploys to the local cloud)', async (t) => {
  const { noDeploymentError } = await import('../../src/targets/status.js');
  const { damagedLabFileHint } = await import('../../src/lab/workspace.js');
  const root = mkdtempSync(join(tmpdir(), 'sol-aws-undeployed-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ws = workspacePaths(root);
  // `start --target aws` whose first deploy failed: progress on aws, no deploy record
  ProgressStore.load(ws, 'aws').update('deploy', (p) => void (p.status = 'started'));
  assert.match(noDeploymentError(ws).hint ?? '', new RegExp(` deploy --target aws --workspace ${root}$`));
  assert.ok(damagedLabFileHint(join(ws.labDir, 'deploy.json')).includes(` deploy --target aws --workspace ${root}\` writes a new record`));
  // a local workspace: as before
  const local = mkdtempSync(join(tmpdir(), 'sol-local-undeployed-'));
  t.after(() => rmSync(local, { recursive: true, force: true }));
  assert.match(noDeploymentError(workspacePaths(local)).hint ?? '', new RegExp(` deploy --workspace ${local}$`));
});

test('aws: a check that could not read its answer names doctor for the aws target and this workspace (it named `doctor`, which checks the local cloud)', async () => {
  const { explainFailure } = await import('../../src/lab/check.js');
  const ctx = fakeContext({ target: 'aws', ws: workspacePaths('/ws') });
  const odd = explainFailure(Object.assign(new Error('no idea'), { name: 'WeirdException' }), ctx);
  assert.match(odd.status === 'could-not-check' ? (odd.fix ?? '') : '', / doctor --target aws --workspace \/ws`; if it passes/);
  const signIn = explainFailure(Object.assign(new Error('expired'), { name: 'ExpiredTokenException' }), ctx);
  assert.match(signIn.status === 'could-not-check' ? (signIn.fix ?? '') : '', / doctor --target aws --workspace \/ws`$/);
});
