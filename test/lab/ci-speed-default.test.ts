/**
 * A cloud `deploy` started runs at 1x, which nobody chose. `start --ci` (or `step … --ci`) without
 * --speed kept it: the run waited out every shift in real time, tens of minutes, where the README
 * and --help say --ci runs at 100. Now a speed nobody chose gives way to the run's (--ci's 100,
 * the lab's 10): the cloud is restarted at it, said in one line, unless a CodeDeploy deployment is
 * in flight (a restart rolls it back): then --ci goes on at 1x, saying what a shift costs there and
 * the command that runs at 100x; on a terminal the learner is asked, as for --speed N. A speed
 * given with --speed is kept (ci-speed-back.test.ts, workspace-lock.test.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorStatus } from '../../src/emulator/daemon.js';
import { readRecord } from '../../src/emulator/process-record.js';
import { DEFAULT, RecordingIoHost } from '../../src/io/recording.js';
import { localCloud, readLabFlags } from '../../src/lab/session.js';
import { scaffoldWorkspace, workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { removeWorkspace, runCli } from '../helpers/cli.js';

const made: string[] = [];
after(async () => {
  for (const dir of made) await removeWorkspace(dir);
});

test('--ci after deploy: the cloud deploy started at 1x is restarted at 100x, said in one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-ci-default-'));
  made.push(dir);
  const deployed = await runCli(['deploy', '--workspace', dir]);
  assert.equal(deployed.code, 0, deployed.stderr);
  const stateDir = join(dir, '.lab', 'state');
  assert.equal(readRecord(stateDir)?.speed, 1, 'deploy starts the cloud at 1x');

  const ci = await runCli(['step', 'deploy', '--ci', '--workspace', dir]);
  const out = `${ci.stdout}${ci.stderr}`;
  assert.equal(ci.code, 0, out);
  assert.match(out, /restarting the local cloud at speed 100x, --ci's speed \(it ran at 1x, which no --speed chose\)/);
  assert.doesNotMatch(out, /runs at speed 1x \(--speed N restarts it at another\)/);
});

test('a speed given with --speed is kept by a --ci run without one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-ci-chosen-'));
  made.push(dir);
  const started = await runCli(['emulator', 'start', '--workspace', dir, '--speed', '1', '--json']);
  assert.equal(started.code, 0, started.stderr);
  const pid = (JSON.parse(started.stdout) as { pid: number }).pid;
  const io = new RecordingIoHost({});
  const got = await localCloud(workspacePaths(dir), readLabFlags({ workspace: dir }), true, io);
  assert.equal(got.speed, 1);
  assert.ok(io.events.some((e) => /the local cloud runs at speed 1x \(--speed N restarts it at another\)/.test(e.text)), JSON.stringify(io.events));
  const after = await emulatorStatus(join(dir, '.lab', 'state'));
  assert.ok(after.running);
  assert.equal(after.pid, pid, 'not restarted');
});

test("a bare emulator start's speed (its default, 1) is nobody's choice; --speed 1 is one", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-ci-bare-'));
  made.push(dir);
  const stateDir = join(dir, '.lab', 'state');
  const bare = await runCli(['emulator', 'start', '--workspace', dir]);
  assert.equal(bare.code, 0, bare.stderr);
  assert.deepEqual([readRecord(stateDir)?.speed, readRecord(stateDir)?.speedChosen], [1, undefined]);
  assert.equal((await runCli(['emulator', 'stop', '--workspace', dir])).code, 0);
  const given = await runCli(['emulator', 'start', '--workspace', dir, '--speed', '1']);
  assert.equal(given.code, 0, given.stderr);
  assert.deepEqual([readRecord(stateDir)?.speed, readRecord(stateDir)?.speedChosen], [1, true]);
});

let ws: Workspace;
let deploymentId: string;

before(async () => {
  // deploy starts the cloud at 1x; a second deploy of a code change starts a ten-minute shift there
  ws = workspacePaths(mkdtempSync(join(tmpdir(), 'sol-ci-inflight-')));
  made.push(ws.root);
  await scaffoldWorkspace(ws);
  const text = readFileSync(ws.template, 'utf8');
  const enabled = text.replace(/# (DeploymentPreference:\n\s+)# ( {2}Type: Linear10PercentEvery1Minute)/, '$1$2');
  assert.notEqual(enabled, text);
  writeFileSync(ws.template, enabled);
  const first = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(first.code, 0, first.stderr);
  const app = join(ws.samApp, 'src', 'app.mjs');
  writeFileSync(app, `${readFileSync(app, 'utf8')}\n// v2\n`);
  const second = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(second.code, 0, second.stderr);
  const id = /^CodeDeploy deployment started: (d-[A-Z0-9]{9}) /m.exec(second.stdout)?.[1];
  assert.ok(id, second.stdout);
  deploymentId = id;
});

test('--ci without --speed, a deployment in flight on a 1x cloud nobody chose: goes on at 1x, saying the cost and the command for 100x', async () => {
  const before = await emulatorStatus(ws.stateDir);
  assert.ok(before.running);
  const io = new RecordingIoHost({});
  const got = await localCloud(ws, readLabFlags({ workspace: ws.root }), true, io);
  assert.equal(got.speed, 1);
  const warned = io.events.find((e) => e.kind === 'warn');
  assert.ok(warned, JSON.stringify(io.events));
  assert.match(warned.text, new RegExp(`CodeDeploy deployment ${deploymentId} is in progress on the local cloud \\(1x\\); restarting it at 100x would stop it and roll it back: this run goes on at 1x, which no --speed chose, where a 10-minute linear shift takes about 9 minutes \\(about 5 s at 100x\\)\\. To run at 100x: stop this run \\(Ctrl-C\\), wait for the deployment to end \\(\`aws deploy get-deployment --deployment-id ${deploymentId} `));
  const cmd = io.events.find((e) => e.kind === 'command');
  assert.ok(cmd);
  assert.match(cmd.text, /start (-- )?--ci --workspace /); // `npm start -- --ci` when the suite runs under npm
  const after = await emulatorStatus(ws.stateDir);
  assert.ok(after.running);
  assert.equal(after.pid, before.pid, 'the cloud was not restarted');
});

test('interactive without --speed, the same deployment in flight: the learner is asked, Enter keeps 1x', async () => {
  const before = await emulatorStatus(ws.stateDir);
  assert.ok(before.running);
  const io = new RecordingIoHost({ answers: [DEFAULT] });
  const got = await localCloud(ws, readLabFlags({ workspace: ws.root }), false, io);
  assert.equal(got.speed, 1);
  const asked = io.events.find((e) => e.kind === 'choose');
  assert.ok(asked, JSON.stringify(io.events));
  assert.match(asked.text, new RegExp(`CodeDeploy deployment ${deploymentId} is in progress on the local cloud \\(1x\\); restarting it at 10x`));
  const after = await emulatorStatus(ws.stateDir);
  assert.ok(after.running);
  assert.equal(after.pid, before.pid, 'the cloud was not restarted');
});
