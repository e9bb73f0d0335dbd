/**
 * The local cloud going away under a command (killed, crashed): the environment's, exit 3, never
 * "a bug in serverless-ops-lab"; `emulator status` says it stopped unexpectedly; a resumed `start`
 * says how the deployment it followed ended; SIGTERM stops `start` as Ctrl-C does (exit 143).
 * Also the local deployer's conflict hint (commit 52d0473): its aws commands carry --endpoint-url.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmulatorProcess, stopEmulator } from '../../src/emulator/daemon.js';
import { readRecord, writeRecord } from '../../src/emulator/process-record.js';
import { CLI, codeDeployWorkspace, removeWorkspace, runCli } from '../helpers/cli.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await removeWorkspace(d);
});

/** the CLI in the background; `when` sees its output so far and may act once */
function runUntil(args: string[], when: (out: string) => boolean, act: (child: ChildProcess) => void): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let acted = false;
  const guard = setTimeout(() => child.kill('SIGKILL'), 240_000);
  const seen = (d: Buffer) => {
    out += d.toString('utf8');
    if (!acted && when(out)) {
      acted = true;
      act(child);
    }
  };
  child.stdout.on('data', seen);
  child.stderr.on('data', seen);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, out });
    }),
  );
}

function killCloud(stateDir: string): void {
  const rec = readRecord(stateDir);
  assert.ok(rec, 'the cloud runs');
  process.kill(rec.pid, 'SIGKILL');
}

// the three at once, a workspace and a cloud each: they mostly wait on their clouds (a shift at
// speed 1, a start at a step), one after the other about 40 s
describe('the cloud going away under a command', { concurrency: true }, () => {
  test('a conflict, the cloud killed under deploy --wait, then emulator status', { skip: process.platform !== 'linux' }, async () => {
    const { ws } = await codeDeployWorkspace('gone', 1);
    dirs.push(ws.root);
    const app = join(ws.samApp, 'src', 'app.mjs');
    const v1 = readFileSync(app, 'utf8');
    assert.equal((await runCli(['deploy', '--workspace', ws.root])).code, 0);
    writeFileSync(app, `${v1}\n// v2\n`);
    // version 2 with --wait: at speed 1 the deployment shifts for ten minutes; the cloud is killed meanwhile
    const r = await runUntil(['deploy', '--wait', '--workspace', ws.root], (out) => / following \S+:live to Lambda version 2/.test(out), () => killCloud(ws.stateDir));
    assert.equal(r.code, 3, r.out);
    assert.doesNotMatch(r.out, /this is a bug|ECONNREFUSED 127/);
    assert.match(r.out, /local cloud stopped while deploy --wait followed deployment d-\w+ .*rolls it back when it starts again/);
    assert.match(r.out, /deploy --wait --workspace \S+` again/);

    const status = await runCli(['emulator', 'status', '--workspace', ws.root]);
    assert.equal(status.code, 1, status.stderr);
    assert.match(status.stderr, /stopped unexpectedly/);
    assert.ok(status.stderr.includes(join(ws.stateDir, 'emulator.log')), status.stderr);
    assert.match(status.stderr, /emulator start --workspace /);
    assert.doesNotMatch(status.stderr, /another workspace\?/);

    // a deployment in flight, then another version: the conflict's aws commands go to the local cloud
    assert.equal((await runCli(['emulator', 'start', '--workspace', ws.root, '--speed', '1'])).code, 0);
    writeFileSync(app, `${v1}\n// v3\n`);
    const third = await runCli(['deploy', '--workspace', ws.root]);
    assert.equal(third.code, 0, third.stderr);
    writeFileSync(app, `${v1}\n// v4\n`);
    const fourth = await runCli(['deploy', '--workspace', ws.root]);
    assert.equal(fourth.code, 1, fourth.stderr);
    const id = /A conflicting deployment is in progress: (d-\w+)/.exec(fourth.stderr)?.[1];
    assert.ok(id, fourth.stderr);
    const at = readRecord(ws.stateDir)!.endpoint;
    assert.ok(fourth.stderr.includes(`aws deploy get-deployment --deployment-id ${id} --endpoint-url ${at}`), fourth.stderr);
    assert.ok(fourth.stderr.includes(`aws deploy stop-deployment --deployment-id ${id} --endpoint-url ${at}`), fourth.stderr);
    // each on a line of its own, to paste (not a code span in the sentence, which the terminal cut mid-word)
    assert.ok(fourth.stderr.includes(`\n    $ aws deploy stop-deployment --deployment-id ${id} --endpoint-url ${at}\n`), fourth.stderr);
    assert.equal((await runCli(['emulator', 'stop', '--workspace', ws.root])).code, 0);

    // a damaged state file: the cloud cannot start, exit 3, the whole reset command
    writeFileSync(join(ws.stateDir, 'lambda.json'), '{oops');
    const start = await runCli(['emulator', 'start', '--workspace', ws.root]);
    assert.equal(start.code, 3, start.stderr);
    assert.match(start.stderr, /reset --yes --workspace /);
    const st = await runCli(['status', '--workspace', ws.root]);
    assert.match(st.stdout + st.stderr, /cannot start as it is/);
    assert.doesNotMatch(st.stdout + st.stderr, /starts it again with its state/);
  });

  test('start: the cloud killed while the lab follows a deployment, exit 3; the next start says how it ended; SIGTERM exits 143 with the resume line', { skip: process.platform !== 'linux' }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'sol-gone-start-'));
    dirs.push(root);
    const stateDir = join(root, '.lab', 'state');
    const args = ['start', '--ci', '--speed', '1', '--workspace', root];
    const r = await runUntil(args, (out) => /get-deployment --deployment-id d-\w+/.test(out), () => setTimeout(() => killCloud(stateDir), 1000));
    const id = /get-deployment --deployment-id (d-\w+)/.exec(r.out)?.[1];
    assert.equal(r.code, 3, r.out);
    assert.doesNotMatch(r.out, /this is a bug|ECONNREFUSED 127/);
    assert.match(r.out, new RegExp(`local cloud stopped while the lab followed CodeDeploy deployment ${id}.*rolls ${id} back when it starts again`));
    // the command as this shell runs it (invocation.ts): `npm start -- --ci …` under npm test, `… start --ci …` under node --test
    assert.match(r.out, /progress saved; this goes on from here:\n.*start (-- )?--ci --workspace /);

    const again = await runUntil(args, (out) => out.includes(`deployment ${id}, which the lab followed`), (child) => child.kill('SIGTERM'));
    assert.equal(again.code, 143, again.out);
    assert.match(again.out, new RegExp(`CodeDeploy deployment ${id}, which the lab followed in blue-green when it stopped, ended Failed .*The local cloud stopped while this deployment was in progress`));
    assert.match(again.out, /progress saved; this goes on from here:/);
    assert.equal(JSON.parse(readFileSync(join(root, '.lab', 'progress.json'), 'utf8')).following, undefined);
  });

  test('start: a deployment the lab followed when it was stopped, still shifting on the next start, is said as such (not silently asked for again)', { skip: process.platform !== 'linux' }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'sol-still-shifting-'));
    dirs.push(root);
    // speed 1: the shift takes ten real minutes, so it is still in progress whatever the machine's load
    const args = ['start', '--ci', '--speed', '1', '--workspace', root];
    const first = await runUntil(args, (out) => /get-deployment --deployment-id d-\w+/.test(out), (child) => child.kill('SIGTERM'));
    const id = /get-deployment --deployment-id (d-\w+)/.exec(first.out)?.[1];
    assert.equal(first.code, 143, first.out);
    assert.ok(id, first.out);
    const again = await runUntil(args, (out) => out.includes(`deployment ${id}, which the lab followed`), (child) => child.kill('SIGTERM'));
    assert.match(again.out, new RegExp(`CodeDeploy deployment ${id}, which the lab followed in blue-green when it stopped, is still InProgress: it goes on in the cloud`));
    assert.equal(JSON.parse(readFileSync(join(root, '.lab', 'progress.json'), 'utf8')).following?.deploymentId, id, 'kept until it ends');
    assert.equal((await runCli(['emulator', 'stop', '--workspace', root])).code, 0);
  });
});

test('emulator stop never kills a stale record\'s pid whose command line is not this state dir\'s emulator', { skip: process.platform !== 'linux' }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'sol-gone-pid-'));
  dirs.push(root);
  const stateDir = join(root, '.lab', 'state');
  // another program (another workspace's emulator, say) that now has the recorded pid
  const decoy = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'emulator', '/elsewhere/.lab/state'], { stdio: 'ignore' });
  try {
    mkdirSync(stateDir, { recursive: true });
    writeRecord(stateDir, { pid: decoy.pid!, endpoint: 'http://127.0.0.1:1', port: 1, host: '127.0.0.1', stateDir, speed: 1, throttleStatus: 500, accountConcurrency: 1000, mode: 'background', version: '0', startedAt: new Date().toISOString() });
    assert.equal(isEmulatorProcess(decoy.pid!, stateDir), false);
    const r = await stopEmulator(stateDir);
    assert.deepEqual(r, { stopped: false, pid: decoy.pid, stale: true });
    assert.equal(decoy.exitCode, null);
    assert.equal(decoy.signalCode, null);
  } finally {
    decoy.kill('SIGKILL');
  }
});
