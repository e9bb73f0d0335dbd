/**
 * What `start --ci` tells an instructor (not a learner): the app copied into the workspace is the
 * lab's to change, and a run stopped with Ctrl-C (130) says, as the learner's stop does, that the
 * local cloud keeps running, where (port, pid) and how to stop it, before the resume line.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeWorkspace } from '../helpers/cli.js';
import { startCommand } from '../../src/commands/start.js';
import { InterruptedError } from '../../src/errors.js';
import { InterruptPolicy } from '../../src/interrupt.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { readRecord } from '../../src/emulator/process-record.js';
import { workspacePaths } from '../../src/lab/workspace.js';

const made: string[] = [];
after(async () => {
  for (const d of made.reverse()) await removeWorkspace(d);
});

test('start --ci: the copy is the lab\'s to change, not "your copy to edit"; Ctrl-C says the cloud keeps running (port, pid) and how to stop it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-ci-words-'));
  made.push(dir);
  const ws = join(dir, 'ws');
  made.push(ws);
  const policy = new InterruptPolicy({ write: () => {}, exit: () => {} });
  // the instructor presses Ctrl-C as the first step begins
  class CtrlCAtFirstStep extends RecordingIoHost {
    override heading(text: string): void {
      super.heading(text);
      if (text.startsWith('Step 1 of')) policy.press();
    }
  }
  const io = new CtrlCAtFirstStep();
  const err = await startCommand({ workspace: ws, ci: true }, policy, undefined, { io }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof InterruptedError, `${String(err)}\n${io.text.slice(-1500)}`);
  assert.match(io.text, /copied the lab's app into \S+sam-app \(the lab's changes go there\)/);
  assert.doesNotMatch(io.text, /your copy to edit/);
  const rec = readRecord(workspacePaths(ws).stateDir);
  assert.ok(rec, 'the cloud runs on');
  assert.ok(io.text.includes(`the local cloud keeps running at ${rec.endpoint} (port ${rec.port}, pid ${rec.pid}); this stops it:`), io.text.slice(-1500));
  assert.match(io.text, /emulator stop --workspace \S+ws\n.*progress saved; this goes on from here:/s);
});

test('Ctrl-C in `step deploy --ci`: the line that goes on is `step deploy` again, the command that was running, not `start` (which goes on past it)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-step-resume-'));
  made.push(dir);
  const ws = join(dir, 'ws');
  made.push(ws);
  const policy = new InterruptPolicy({ write: () => {}, exit: () => {} });
  class CtrlCAtTheStep extends RecordingIoHost {
    override heading(text: string): void {
      super.heading(text);
      if (/^Step \d+ of/.test(text)) policy.press();
    }
  }
  const io = new CtrlCAtTheStep();
  const err = await startCommand({ workspace: ws, ci: true }, policy, 'deploy', { io }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof InterruptedError, `${String(err)}\n${io.text.slice(-1500)}`);
  const resume = /progress saved; this goes on from here:\n(.*)/.exec(io.text);
  assert.ok(resume, io.text.slice(-1500));
  assert.match(resume[1]!, /^\$ .* step deploy --ci --workspace \S+ws$/, io.text.slice(-1500));
});
