/**
 * A mistyped --workspace (`/tmp/ws-typo` for `/tmp/ws`) begins a second lab at step 1 with a second
 * cloud. The port note named only a pid (`port 4566 is in use (by pid N)`): it now names the lab's
 * cloud that holds the port by its workspace, with "(a typo?)" when that workspace's name is a slip
 * from this one's; and start says so where the new workspace is made.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { MAIN_SCRIPT } from '../../src/emulator/config.js';
import { workspaceTwin } from '../../src/lab/workspace.js';
import { otherPortNote, portHolder } from '../../src/port-holder.js';
import { nearlySameName, numberedSiblings } from '../../src/nearest.js';

/** a process whose command line is the lab's cloud's (its script, then its options with the state dir), listening on a port of its own */
async function fakeCloud(stateDir: string) {
  const listen = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))";
  const child = spawn(process.execPath, ['-e', listen, fileURLToPath(MAIN_SCRIPT), JSON.stringify({ stateDir })], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { port: Number(chunk.toString().trim()), pid: child.pid!, stop: () => child.kill() };
}

test("the port's holder is the lab's cloud of another workspace: named, with (a typo?) when its name is a slip from this one's", async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sol-twin-'));
  const cloud = await fakeCloud(join(root, 'ws', '.lab', 'state'));
  t.after(() => {
    cloud.stop();
    rmSync(root, { recursive: true, force: true });
  });
  const holder = await portHolder(cloud.port);
  assert.deepEqual(holder, { inUse: true, pid: cloud.pid, labStateDir: join(root, 'ws', '.lab', 'state') });
  const mine = { port: 46455, endpoint: 'http://127.0.0.1:46455' };
  assert.equal(
    otherPortNote({ ...mine, stateDir: join(root, 'ws-typo', '.lab', 'state') }, cloud.port, holder),
    `port ${cloud.port} is in use by the lab's cloud of workspace ${join(root, 'ws')} (a typo?) (pid ${cloud.pid}); the cloud listens on 46455: use the endpoint printed here, http://127.0.0.1:46455, where the workshop says http://127.0.0.1:${cloud.port}`,
  );
  // under --ci, ws-2 beside ws is a series of runs: named, no question; ws-typo still asks
  const series = { ...mine, stateDir: join(root, 'ws-2', '.lab', 'state') };
  assert.match(otherPortNote(series, cloud.port, holder), /\(a typo\?\)/);
  assert.match(otherPortNote(series, cloud.port, holder, { series: true }), new RegExp(`in use by the lab's cloud of workspace ${join(root, 'ws')} \\(pid ${cloud.pid}\\); the cloud`));
  assert.match(otherPortNote({ ...mine, stateDir: join(root, 'ws-typo', '.lab', 'state') }, cloud.port, holder, { series: true }), /\(a typo\?\)/);
  // a workspace of another name: named, no question
  assert.match(otherPortNote({ ...mine, record: { stateDir: join(root, 'other-lab', '.lab', 'state') } }, cloud.port, holder), new RegExp(`in use by the lab's cloud of workspace ${join(root, 'ws')} \\(pid ${cloud.pid}\\); the cloud`));
});

test('a program that is not the lab\'s cloud is named by its pid, as before', async () => {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  try {
    const holder = await portHolder(port);
    assert.deepEqual(holder, { inUse: true, pid: process.pid });
    assert.match(otherPortNote({ port: 1, endpoint: 'http://127.0.0.1:1' }, port, holder), new RegExp(`^port ${port} is in use \\(by pid ${process.pid}\\); the cloud listens on 1:`));
  } finally {
    await new Promise((r) => s.close(r));
  }
});

test('a new workspace beside one of a near-identical name is found as its twin; one of another name is not', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sol-twin-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const d of ['ws/.lab', 'ws/sam-app', 'lab-workspace/.lab', 'lab-workspace/sam-app', 'not-a-lab']) mkdirSync(join(root, d), { recursive: true });
  assert.equal(workspaceTwin(join(root, 'ws-typo')), join(root, 'ws'));
  assert.equal(workspaceTwin(join(root, 'lab-worksapce')), join(root, 'lab-workspace'));
  assert.equal(workspaceTwin(join(root, 'not-a-lab2')), undefined);
  assert.equal(workspaceTwin(join(root, 'elsewhere')), undefined);
  assert.equal(nearlySameName('ws', 'ws'), false);
  assert.equal(nearlySameName('ab', 'xy'), false);
});

test('start in a new workspace beside a near-identical one says so where it makes it (a typo?), with the command to go on there', async (t) => {
  const { startCommand } = await import('../../src/commands/start.js');
  const { InterruptPolicy } = await import('../../src/interrupt.js');
  const { RecordingIoHost } = await import('../../src/io/recording.js');
  const { removeWorkspace } = await import('../helpers/cli.js');
  const root = mkdtempSync(join(tmpdir(), 'sol-twin-start-'));
  for (const d of ['ws/.lab', 'ws/sam-app']) mkdirSync(join(root, d), { recursive: true });
  const typo = join(root, 'ws-typo');
  t.after(async () => {
    await removeWorkspace(typo);
    rmSync(root, { recursive: true, force: true });
  });
  const io = new RecordingIoHost({ otherwise: () => 'q' });
  await startCommand({ workspace: typo }, new InterruptPolicy({ write: () => undefined, exit: () => undefined }), undefined, { io });
  assert.ok(io.text.includes(`${typo} is a new workspace, at step 1; ${join(root, 'ws')} is a workspace with a near-identical name (a typo?). To go on there, quit (q) and run:`), io.text.slice(0, 2000));
  assert.match(io.text, new RegExp(`start (-- )?--workspace ${join(root, 'ws')}\\n`));
});

test('under --ci a neighbour numbered as a series (ci-1 beside ci-2, ci beside ci-3) is no twin; a typo still is', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sol-twin-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const d of ['ci-1', 'ci', 'run-2026-12-03', 'lab-workspace']) for (const sub of ['.lab', 'sam-app']) mkdirSync(join(root, d, sub), { recursive: true });
  for (const fresh of ['ci-2', 'ci-12', 'ci_3', 'run-2026-12-04']) {
    assert.notEqual(workspaceTwin(join(root, fresh)), undefined, fresh);
    assert.equal(workspaceTwin(join(root, fresh), { series: true }), undefined, fresh);
  }
  assert.equal(workspaceTwin(join(root, 'lab-worksapce'), { series: true }), join(root, 'lab-workspace'));
  assert.equal(workspaceTwin(join(root, 'ci-typo'), { series: true }), join(root, 'ci'));
  assert.equal(numberedSiblings('lab-workspace', 'lab-worksapce'), false);
  assert.equal(numberedSiblings('7', '8'), false);
});

test('start --ci in a fresh /tmp/ci-2 beside /tmp/ci-1 says nothing of a twin; in lab-worksapce beside lab-workspace it does', async (t) => {
  const { startCommand } = await import('../../src/commands/start.js');
  const { InterruptPolicy } = await import('../../src/interrupt.js');
  const { RecordingIoHost } = await import('../../src/io/recording.js');
  const { removeWorkspace } = await import('../helpers/cli.js');
  const root = mkdtempSync(join(tmpdir(), 'sol-twin-ci-'));
  for (const d of ['ci-1', 'lab-workspace']) for (const sub of ['.lab', 'sam-app']) mkdirSync(join(root, d, sub), { recursive: true });
  const fresh = [join(root, 'ci-2'), join(root, 'lab-worksapce')];
  t.after(async () => {
    for (const ws of fresh) await removeWorkspace(ws);
    rmSync(root, { recursive: true, force: true });
  });
  const said: string[] = [];
  for (const ws of fresh) {
    const policy = new InterruptPolicy({ write: () => undefined, exit: () => undefined });
    // stopped (Ctrl-C) as the first step begins: the warning, if any, is said before it
    class CtrlCAtFirstStep extends RecordingIoHost {
      override heading(text: string): void {
        super.heading(text);
        if (text.startsWith('Step 1 of')) policy.press();
      }
    }
    const io = new CtrlCAtFirstStep();
    await startCommand({ workspace: ws, ci: true }, policy, undefined, { io }).catch(() => undefined);
    assert.match(io.text, /copied the lab's app into/, io.text.slice(0, 2000));
    said.push(io.text);
  }
  assert.doesNotMatch(said[0]!, /near-identical/);
  assert.ok(said[1]!.includes(`${fresh[1]} is a new workspace, at step 1; ${join(root, 'lab-workspace')} is a workspace with a near-identical name (a typo?). To go on there instead:`), said[1]!.slice(0, 2000));
});

test('deploy into a new workspace beside a near-identical one says, after the deploy, what it did and the commands meant', async (t) => {
  const { removeWorkspace, runCli } = await import('../helpers/cli.js');
  const root = mkdtempSync(join(tmpdir(), 'sol-twin-deploy-'));
  for (const d of ['ws/.lab', 'ws/sam-app']) mkdirSync(join(root, d), { recursive: true });
  const typo = join(root, 'ws-typo');
  t.after(async () => {
    await removeWorkspace(typo);
    rmSync(root, { recursive: true, force: true });
  });
  const r = await runCli(['deploy', '--workspace', typo]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(
    r.stderr.includes(`warning: ${typo} is a new workspace: this deploy copied the lab's app there and deployed it as bundled, into a cloud of its own. ${join(root, 'ws')} is a workspace with a near-identical name (a typo?). To deploy that one:`),
    r.stderr,
  );
  assert.match(r.stderr, new RegExp(`deploy (-- )?--workspace ${join(root, 'ws')}\\nand to stop the new workspace's cloud:\\n.*emulator stop (-- )?--workspace ${typo}\\n`));
  // a second deploy into it (no longer new) says nothing more
  const again = await runCli(['deploy', '--workspace', typo]);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /near-identical/);
});
