/**
 * One command at a time changes a workspace (src/lab/workspace-lock.ts), through the built CLI:
 * while `deploy --wait` follows a CodeDeploy deployment, a second `start`, `step`, `deploy` or
 * `reset` on the same workspace exits 3 naming the holder's pid and command, and changes nothing;
 * `status` and `list` still answer. The lock goes with the holder however it ends: Ctrl-C (130)
 * and SIGKILL (a crash) both leave it free for the next command.
 *
 * Then `start --speed N` against the running cloud at another speed, with that deployment still in
 * flight: `--ci` refuses (exit 3) instead of restarting the cloud, which would roll it back; on a
 * terminal the learner chooses, keeping the current speed by default.
 *
 * The cloud runs at speed 1, so Linear10PercentEvery1Minute takes ten minutes: the deployment is
 * in flight for the whole file (a deploy run again joins it).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { emulatorStatus } from '../../src/emulator/daemon.js';
import { DEFAULT, RecordingIoHost } from '../../src/io/recording.js';
import { localCloud, readLabFlags } from '../../src/lab/session.js';
import { scaffoldWorkspace, workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { lockWorkspace } from '../../src/lab/workspace-lock.js';
import { deployCommand } from '../../src/commands/deploy.js';
import { InterruptPolicy } from '../../src/interrupt.js';
import { TargetClients } from '../../src/targets/clients.js';
import { CLI, codeDeployWorkspace, removeWorkspace, runCli } from '../helpers/cli.js';

let ws: Workspace;
let endpoint: string;
let deploymentId: string | undefined;
const children: ChildProcess[] = [];

before(async () => {
  ({ ws, endpoint } = await codeDeployWorkspace('ws-lock', 1));
  const first = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(first.code, 0, first.stderr);
  // a code change: the next deploy publishes version 2 and starts a CodeDeploy deployment
  const app = join(ws.samApp, 'src', 'app.mjs');
  writeFileSync(app, `${readFileSync(app, 'utf8')}\n// v2\n`);
});

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (ws) await removeWorkspace(ws.root);
});

interface Holder {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** `deploy --wait`, resolved once it follows the deployment (it holds the lock from before its deploy until it ends) */
async function holdWithDeployWait(): Promise<Holder> {
  const child = spawn(process.execPath, [CLI, 'deploy', '--wait', '--workspace', ws.root], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr: err })));
  const following = await Promise.race([
    new Promise<boolean>((resolve) => {
      const look = () => {
        if (/ following \S+:live to Lambda version 2/.test(err)) resolve(true);
      };
      child.stderr!.on('data', look);
      look();
    }),
    exited.then(() => false),
  ]);
  assert.ok(following, `deploy --wait ended before following: ${out}${err}`);
  const id = /^CodeDeploy deployment (?:started|in progress): (d-[A-Z0-9]{9}) /m.exec(out)?.[1];
  assert.ok(id, out);
  deploymentId ??= id;
  assert.equal(id, deploymentId, 'a deploy run again joins the deployment in progress');
  return { child, exited };
}

function assertRefused(r: { code: number; stderr: string }, holderPid: number, what: string): void {
  assert.equal(r.code, 3, `${what}: ${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^error: workspace ${escape(ws.root)} is in use by another serverless-ops-lab command: \`deploy --wait --workspace ${escape(ws.root)}\` \\(pid ${holderPid}, since `, 'm'), what);
  assert.match(r.stderr, new RegExp(`wait for it to end, or end it in its terminal \\(Ctrl-C\\) or with \`kill ${holderPid}\``), what);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('while deploy --wait holds the workspace: start, step, deploy and reset exit 3 naming it and change nothing; status and list answer', async () => {
  const holder = await holdWithDeployWait();
  const pid = holder.child.pid!;
  const template = readFileSync(ws.template, 'utf8');
  const record = readFileSync(ws.deployRecord, 'utf8');
  try {
    // each refused on its own (the lock is the holder's, so none of them takes it from another): at once
    const refused = await Promise.all([
      runCli(['start', '--ci', '--workspace', ws.root]),
      runCli(['step', 'deploy', '--ci', '--workspace', ws.root]),
      runCli(['deploy', '--workspace', ws.root]),
      runCli(['reset', '--yes', '--workspace', ws.root]),
      runCli(['reset', 'blue-green', '--yes', '--workspace', ws.root]),
    ]);
    ['start', 'step', 'deploy', 'reset', 'reset a step'].forEach((what, i) => assertRefused(refused[i]!, pid, what));
    // nothing of theirs ran: no progress file, the template, the deploy record and the cloud's state as they were
    assert.equal(existsSync(join(ws.labDir, 'progress.json')), false, 'start wrote no progress');
    assert.equal(readFileSync(ws.template, 'utf8'), template);
    assert.equal(readFileSync(ws.deployRecord, 'utf8'), record);
    assert.ok(existsSync(ws.stateDir), 'reset wiped nothing');
    const status = await runCli(['status', '--workspace', ws.root]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`latest deployment ${deploymentId}: InProgress`));
    const list = await runCli(['list', '--workspace', ws.root]);
    assert.equal(list.code, 0, list.stderr);
  } finally {
    holder.child.kill('SIGINT');
  }
  // Ctrl-C: the holder stops following (130) and its lock goes with it
  const end = await holder.exited;
  assert.equal(end.code, 130, end.stderr);
  const next = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stdout, new RegExp(`CodeDeploy deployment in progress: ${deploymentId} `));
});

test('a holder killed with SIGKILL (a crash) leaves no stale lock', async () => {
  const holder = await holdWithDeployWait();
  const refused = await runCli(['deploy', '--workspace', ws.root]);
  assertRefused(refused, holder.child.pid!, 'deploy');
  holder.child.kill('SIGKILL');
  const end = await holder.exited;
  assert.equal(end.signal, 'SIGKILL');
  const next = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(next.code, 0, next.stderr);
});

test('a command that fails releases the lock in its own process (the error path)', async () => {
  const broken = workspacePaths(mkdtempSync(join(tmpdir(), 'sol-ws-lock-broken-')));
  try {
    await assert.rejects(deployCommand({ workspace: broken.root, target: 'local', stackName: 'bad name' }, new InterruptPolicy()), /invalid --stack-name/);
    await scaffoldWorkspace(broken);
    writeFileSync(broken.template, 'Resources: [not, a, map\n');
    await assert.rejects(deployCommand({ workspace: broken.root, target: 'local' }, new InterruptPolicy()));
    const lock = await lockWorkspace(broken, ['test']);
    await lock.release();
  } finally {
    await removeWorkspace(broken.root);
  }
});

test('start --ci --speed N with a deployment in flight: exit 3, the cloud not restarted, the deployment goes on', async () => {
  assert.ok(deploymentId, 'the earlier tests started a deployment');
  const before = await emulatorStatus(ws.stateDir);
  assert.ok(before.running);
  const r = await runCli(['start', '--ci', '--speed', '100', '--workspace', ws.root], { timeoutMs: 120_000 });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`error: CodeDeploy deployment ${deploymentId} is in progress on the local cloud \\(1x\\); restarting it at 100x would stop it and roll it back`));
  assert.match(r.stderr, new RegExp(`wait for it to end \\(\`aws deploy get-deployment --deployment-id ${deploymentId} --endpoint-url ${escape(endpoint)}\`\\), or run without --speed to go on at 1x`));
  const after = await emulatorStatus(ws.stateDir);
  assert.ok(after.running);
  assert.equal(after.pid, before.pid, 'the cloud was not restarted');
  const c = new TargetClients({ kind: 'local', endpoint });
  try {
    const d = (await c.codeDeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!;
    assert.equal(d.status, 'InProgress');
  } finally {
    c.destroy();
  }
});

test('on a terminal the learner chooses: Enter keeps the current speed and the deployment', async () => {
  const before = await emulatorStatus(ws.stateDir);
  assert.ok(before.running);
  const io = new RecordingIoHost({ answers: [DEFAULT] });
  const got = await localCloud(ws, readLabFlags({ speed: '100', workspace: ws.root }), false, io);
  assert.deepEqual(got, { endpoint, speed: 1 });
  const asked = io.events.find((e) => e.kind === 'choose');
  assert.ok(asked, 'the learner was asked');
  assert.match(asked.text, new RegExp(`CodeDeploy deployment ${deploymentId} is in progress`));
  assert.equal((asked.data as { def: string }).def, 'keep');
  const after = await emulatorStatus(ws.stateDir);
  assert.ok(after.running);
  assert.equal(after.pid, before.pid, 'the cloud was not restarted');
});
