/**
 * A cloud being stopped (`emulator stop` from another terminal) while a lab command talks to it:
 * it says so in its record before it stops listening, so a command that meets it while its workers
 * end and its state is flushed says the cloud is stopping (CloudStoppedError, exit 3, the
 * environment's), not that an emulator holds the workspace but does not answer (a hang, exit 1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudStoppedError, ExitCode } from '../../src/errors.js';
import { unresponsiveEmulator } from '../../src/emulator/daemon.js';
import { startEmulatorProcess } from '../../src/emulator/main.js';
import { readRecord } from '../../src/emulator/process-record.js';
import { cloudGoneUnder } from '../../src/commands/start.js';
import { readLabFlags } from '../../src/lab/session.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import type { LabReport } from '../../src/lab/report.js';

test('a stopping cloud marks its record first; a command that finds it holding the state dir says it is stopping (exit 3), not that it does not answer', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sol-stopping-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const stateDir = join(root, '.lab', 'state');
  const emu = await startEmulatorProcess({ stateDir, port: 0, host: '127.0.0.1', speed: 1, throttleStatus: 500, accountConcurrency: 1000, mode: 'foreground', log: () => undefined });
  let stopped: Promise<void> | undefined;
  const session = { flags: readLabFlags({ workspace: root }), ws: workspacePaths(root), cloudEndpoint: emu.record.endpoint };
  const failed = { steps: [{ id: 'blue-green', outcome: 'passed' }, { id: 'hooks-errors', outcome: 'failed' }] } as unknown as LabReport;
  try {
    // a step that failed while the cloud runs failed: start says the step's failure
    assert.equal(await cloudGoneUnder(session, failed), undefined);
    // running: no mark, and one that holds without answering is what it always was
    assert.equal(readRecord(stateDir)?.stoppingSince, undefined);
    const hung = unresponsiveEmulator(stateDir, process.pid);
    assert.ok(!(hung instanceof CloudStoppedError));
    assert.match(hung.message, /does not answer/);

    stopped = emu.stop();
    // said before the server stops listening, while the workers end
    assert.match(readRecord(stateDir)?.stoppingSince ?? '', /^\d{4}-\d\d-\d\dT/);
    const err = unresponsiveEmulator(stateDir, process.pid);
    assert.ok(err instanceof CloudStoppedError, err.message);
    assert.equal(err.exitCode, ExitCode.environment);
    assert.match(err.message, new RegExp(`the local cloud \\(pid ${process.pid}\\) is stopping`));
    assert.doesNotMatch(err.message, /does not answer/);
    // another pid than the record's is not this stop's
    assert.match(unresponsiveEmulator(stateDir, process.pid + 1).message, /does not answer/);
    // start, after a step failed meanwhile: the cloud stopping under it, exit 3
    const during = await cloudGoneUnder(session, failed);
    assert.ok(during instanceof CloudStoppedError);
    // (in this process the stop may end while the status is read: stopped, then)
    assert.match(during.message, /is stopping|stopped while the lab ran hooks-errors/);
  } finally {
    await (stopped ?? emu.stop());
  }
  assert.equal(readRecord(stateDir), undefined, 'the record goes at the end of the stop');
  // and once it has stopped: what the step saw was the cloud going away
  const after = await cloudGoneUnder(session, failed);
  assert.ok(after instanceof CloudStoppedError);
  assert.equal(after.exitCode, ExitCode.environment);
  assert.match(after.message, /the local cloud stopped while the lab ran hooks-errors/);
  assert.ok(after.hint?.includes(join(stateDir, 'emulator.log')), after.hint);
});
