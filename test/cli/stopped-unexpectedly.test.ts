/**
 * A local cloud that died without a stop (kill -9, a crash, a machine restart) is said so by the
 * everyday commands, in the words `emulator status` uses (daemon.ts stoppedUnexpectedly):
 * `status` under its cloud line and in --json (exit 0: a report), `deploy` and `step` once before
 * they start it again. A cloud stopped with `emulator stop` is not said so.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecord } from '../../src/emulator/process-record.js';
import { workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { killAndWait, removeWorkspace, runCli } from '../helpers/cli.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await removeWorkspace(d);
});

function newWorkspace(prefix: string): Workspace {
  const ws = workspacePaths(mkdtempSync(join(tmpdir(), `sol-${prefix}-`)));
  dirs.push(ws.root);
  return ws;
}

/**
 * A workspace deployed, its cloud running: the one a test that passed handed on (each test ends
 * so), or a new one deployed here when run alone or after a failure. A fresh deploy costs seconds
 * of CPU (the CLI, a new cloud, the whole app), and what these tests ask of it is only that.
 */
let handed: Workspace | undefined;
async function deployedWorkspace(prefix: string): Promise<Workspace> {
  const ws = handed;
  handed = undefined;
  if (ws && readRecord(ws.stateDir)) return ws;
  const fresh = newWorkspace(prefix);
  const first = await runCli(['deploy', '--workspace', fresh.root]);
  assert.equal(first.code, 0, first.stderr);
  return fresh;
}

/** kill -9 of the workspace's cloud: its record stays, as after a crash; the pid and start it had */
function killCloud(ws: Workspace): { pid: number; startedAt: string } {
  const rec = readRecord(ws.stateDir);
  assert.ok(rec, 'the cloud runs');
  killAndWait(rec.pid);
  return rec;
}

function count(text: string, what: RegExp): number {
  return text.match(new RegExp(what.source, 'g'))?.length ?? 0;
}

const DIED = /stopped unexpectedly/;

test('status after kill -9 names it and its log (exit 0, a field in --json); deploy says so once and starts it again', { skip: process.platform !== 'linux' }, async () => {
  const ws = newWorkspace('killed');
  const first = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(first.code, 0, first.stderr);
  assert.doesNotMatch(first.stderr, DIED);
  const { pid, startedAt } = killCloud(ws);
  const log = join(ws.stateDir, 'emulator.log');

  // status, status --json and doctor read the workspace and take no lock: the three at once
  const [status, json, doctor] = await Promise.all([
    runCli(['status', '--workspace', ws.root]),
    runCli(['status', '--workspace', ws.root, '--json']),
    runCli(['doctor', '--workspace', ws.root]),
  ]);
  assert.equal(status.code, 0, status.stderr);
  const lines = status.stdout.split('\n');
  const cloud = lines.indexOf('embedded cloud: not running');
  assert.ok(cloud > 0, status.stdout);
  // just under the cloud line, in the words of `emulator status`
  assert.equal(lines[cloud + 1], `  the local cloud of ${ws.stateDir} stopped unexpectedly (pid ${pid}, started ${startedAt}: killed, crashed, or the machine restarted); its log: ${log}`);

  assert.equal(json.code, 0, json.stderr);
  const emulator = (JSON.parse(json.stdout) as { emulator: { running: boolean; stoppedUnexpectedly: { pid: number; startedAt: string | null; log: string | null } | null } }).emulator;
  assert.equal(emulator.running, false);
  assert.equal(emulator.stoppedUnexpectedly?.pid, pid);
  assert.equal(emulator.stoppedUnexpectedly?.log, log);
  assert.equal(emulator.stoppedUnexpectedly?.startedAt, startedAt);

  // status's note: how to start it again, not 'not running' a third time; --json keeps the sentence
  assert.equal(count(status.stdout, /not running/), 1, status.stdout);
  assert.match(status.stdout, /\nnote: this \(or deploy\) starts it again with its state:\n {2}\$ .*emulator start --workspace \S+\n$/);
  assert.match((JSON.parse(json.stdout) as { note: string }).note, /^the embedded cloud is not running: this \(or deploy\) starts it again with its state:\n\$ .*emulator start --workspace /);

  // doctor says it as a fact, in the same words, not a failure: start and deploy start it again
  assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
  assert.ok(doctor.stdout.includes(`local cloud: the local cloud of ${ws.stateDir} stopped unexpectedly (pid ${pid}, started ${startedAt}: killed, crashed, or the machine restarted); its log: ${log}; start and deploy start it again with its saved state`), doctor.stdout);

  const again = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(count(again.stderr, DIED), 1, again.stderr);
  assert.ok(again.stderr.includes(`stopped unexpectedly (pid ${pid}`), again.stderr);
  assert.match(again.stderr, /; starting it again with its saved state\n(?:.*\n)?embedded cloud started at /);

  // said once: the record is gone with the restart
  const running = await runCli(['status', '--workspace', ws.root]);
  assert.equal(running.code, 0, running.stderr);
  assert.match(running.stdout, /^embedded cloud: running \(pid \d+\)$/m);
  assert.doesNotMatch(running.stdout, DIED);
  const third = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(third.code, 0, third.stderr);
  assert.doesNotMatch(third.stderr, DIED);
  handed = ws;
});

test('step after kill -9 says so once, then goes on', { skip: process.platform !== 'linux' }, async () => {
  const ws = await deployedWorkspace('killed-step');
  const { pid } = killCloud(ws);
  const step = await runCli(['step', 'deploy', '--ci', '--workspace', ws.root]);
  const out = step.stdout + step.stderr;
  assert.equal(step.code, 0, out);
  // once: the step's own deploy finds the cloud running again
  assert.equal(count(out, DIED), 1, out);
  assert.ok(out.includes(`the local cloud of ${ws.stateDir} stopped unexpectedly (pid ${pid}`), out);
  // the plain face (--ci) writes its lines to stdout, in order
  assert.match(step.stdout, /starting it again with its saved state\n.*local cloud started at /);
  handed = ws;
});

test('emulator stop, then status, deploy and step: nothing stopped unexpectedly', async () => {
  const ws = await deployedWorkspace('stopped');
  const stop = await runCli(['emulator', 'stop', '--workspace', ws.root]);
  assert.equal(stop.code, 0, stop.stderr);

  const [status, json] = await Promise.all([runCli(['status', '--workspace', ws.root]), runCli(['status', '--workspace', ws.root, '--json'])]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^embedded cloud: not running$/m);
  assert.doesNotMatch(status.stdout, DIED);
  assert.equal((JSON.parse(json.stdout) as { emulator: { stoppedUnexpectedly: unknown } }).emulator.stoppedUnexpectedly, null);

  const again = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /embedded cloud started at /);
  assert.doesNotMatch(again.stderr, DIED);

  assert.equal((await runCli(['emulator', 'stop', '--workspace', ws.root])).code, 0);
  const step = await runCli(['step', 'deploy', '--ci', '--workspace', ws.root]);
  assert.equal(step.code, 0, step.stdout + step.stderr);
  assert.match(step.stdout + step.stderr, /local cloud started at /);
  assert.doesNotMatch(step.stdout + step.stderr, DIED);
});
