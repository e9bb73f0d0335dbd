/**
 * The local cloud killed (kill -9) while the lab does a step for the learner ("do it for me"): the
 * lab printed the commands, then "progress saved; this goes on from here: $ npm start", and only
 * after it `error: the local cloud stopped while the lab talked to it (ECONNREFUSED)`. Now the
 * error comes first, names the step (README: `the local cloud stopped while the lab ran STEP`,
 * exit 3) and says that the lab cannot tell which of the commands ran and the next start checks;
 * the line that goes on ends it (the error's hint's last lines). A cloud killed in a test as the lab
 * does a step for the learner is started again by the step's deploy (ensureEmulator), so the
 * order is checked on the error start throws.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudStopped, goOnAfter } from '../../src/commands/start.js';
import { CloudStoppedError, ExitCode } from '../../src/errors.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { teachStep } from '../../src/lab/teach.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import type { RunnerContext } from '../../src/lab/context.js';
import type { Step } from '../../src/lab/step.js';
import { fakeContext } from '../helpers/lab-context.js';
import { removeWorkspace } from '../helpers/cli.js';
import { notYet } from '../../src/lab/check.js';

const made: string[] = [];
after(async () => {
  for (const d of made.reverse()) await removeWorkspace(d);
});

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });

test('do it for me, the cloud gone after the first of three commands: the error names the step and says the next start checks', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sol-apply-gone-'));
  made.push(root);
  const ws = workspacePaths(join(root, 'ws'));
  const io = new RecordingIoHost({ answers: ['apply'] });
  const progress = ProgressStore.load(ws, 'local');
  const ctx = Object.assign(fakeContext({ io, ws, ci: false }), { stepId: '', notes: [] as string[] }) as unknown as RunnerContext;
  let ran = 0;
  const step: Step = {
    id: 'canary-stage-variable',
    chapter: { id: 'canary', title: 'Canary' },
    title: 'call the function through a stage variable',
    explain: ['why'],
    goal: 'the stage variable',
    action: { kind: 'command', command: () => 'one\ntwo\nthree' },
    staticChecks: [],
    liveChecks: [{ name: 'the stage sets it', aws: () => 'aws x', run: async () => notYet('set', 'unset') }],
    hints: [],
    docs: [],
    solve: {
      show: async () => ({ command: 'aws one\naws two\naws three' }),
      apply: async () => {
        ran++;
        throw refused();
      },
    },
  };
  const err = await teachStep(step, { steps: [step], ctx, progress, reference: new ReferenceBook([]), assisted: false, index: 0, total: 1 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.equal(ran, 1);
  assert.ok(err instanceof CloudStoppedError, String(err));
  assert.equal(err.exitCode, ExitCode.environment);
  assert.equal(
    err.message,
    'the local cloud stopped while the lab ran canary-stage-variable, doing it for you (ECONNREFUSED): the lab cannot tell which of the commands above ran; the next start checks the step and goes on from what holds',
  );
  assert.equal(progress.step(step.id).status, 'started', 'the step is begun: the next start checks it');
});

test('start: the cloud gone under a step is said with the step, and the line that goes on comes after the error', () => {
  const ws = workspacePaths('/tmp/sol-not-made/ws');
  const err = cloudStopped(refused(), ws, 'canary-stage-variable');
  assert.ok(err instanceof CloudStoppedError);
  assert.equal(err.message, 'the local cloud stopped while the lab ran canary-stage-variable (ECONNREFUSED)');
  // the step's own words (teach: "doing it for you") are kept
  const own = new CloudStoppedError('the local cloud stopped while the lab ran canary-stage-variable, doing it for you (ECONNREFUSED): …');
  assert.equal(cloudStopped(own, ws, 'canary-stage-variable')?.message, own.message);

  const said = goOnAfter(err, 'npm start -- --workspace /tmp/sol-not-made/ws');
  assert.equal(said.exitCode, ExitCode.environment);
  assert.equal(said.message, err.message);
  assert.equal(said.hint, `the cloud's log: ${join(ws.stateDir, 'emulator.log')}\nprogress saved; this goes on from here:\n$ npm start -- --workspace /tmp/sol-not-made/ws`);
});
