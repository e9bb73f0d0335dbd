/**
 * A local cloud that holds its workspace but does not answer (stopped with Ctrl-Z or SIGSTOP, or
 * stuck) is alive: `status` says so, in the words of `emulator status` (daemon.ts
 * unresponsiveEmulator), not 'not running' nor 'stopped unexpectedly'; exit 0 (a report), and
 * `emulator.unresponsive` in --json; `doctor` fails on it (exit 1), in the same words. `emulator
 * stop` ends it cleanly.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidAlive, readRecord } from '../../src/emulator/process-record.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { killAndWait, removeWorkspace, runCli } from '../helpers/cli.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await removeWorkspace(d);
});

/** a deployed workspace whose cloud is then stopped (SIGSTOP): it holds its state dir and answers nothing */
async function stoppedCloud(): Promise<{ ws: ReturnType<typeof workspacePaths>; pid: number }> {
  const ws = workspacePaths(mkdtempSync(join(tmpdir(), 'sol-unresponsive-')));
  dirs.push(ws.root);
  const first = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(first.code, 0, first.stderr);
  const rec = readRecord(ws.stateDir);
  assert.ok(rec, 'the cloud runs');
  process.kill(rec.pid, 'SIGSTOP');
  return { ws, pid: rec.pid };
}

// the two stopped clouds at once (a workspace each): their commands mostly wait out probes
describe('a stopped cloud', { concurrency: true }, () => {
  test('status of a workspace whose cloud is stopped (SIGSTOP): not answering (pid), what to do, exit 0, emulator.unresponsive in --json; doctor fails on it; emulator stop ends it cleanly', { skip: process.platform === 'win32' }, async () => {
    const { ws, pid } = await stoppedCloud();
    try {
      const said = `an emulator (pid ${pid}) holds ${ws.stateDir} but does not answer`;
      // at once: each waits out its probes of the stopped cloud (its health URL, then its lock),
      // about 3 s, which one after the other made most of this test's time. The four that only read
      // take no lock; deploy takes the workspace's, which none of them looks at, and refuses before
      // it changes anything
      const [status, json, doctor, emu, deploy] = await Promise.all([
        runCli(['status', '--workspace', ws.root]),
        runCli(['status', '--workspace', ws.root, '--json']),
        runCli(['doctor', '--workspace', ws.root]),
        runCli(['emulator', 'status', '--workspace', ws.root]),
        runCli(['deploy', '--workspace', ws.root]),
      ]);
      assert.equal(status.code, 0, status.stderr);
      const lines = status.stdout.split('\n');
      const cloud = lines.indexOf(`embedded cloud: not answering (pid ${pid})`);
      assert.ok(cloud > 0, status.stdout);
      // just under the cloud line: emulator status's message and its way out, said once
      // the lab's stop names the workspace, as the learner named it; by hand, a stopped process acts
      // on its SIGTERM only once continued (it said `kill N`, which left it stopped)
      assert.match(lines[cloud + 1]!, new RegExp(`^ {2}${escape(said)}; stop it with \`.*emulator stop --workspace ${escape(ws.root)}\` \\(or \`kill -CONT ${pid}; kill ${pid}\`\\), then run this again$`));
      assert.equal(status.stdout.split(said).length, 2, status.stdout);
      assert.doesNotMatch(status.stdout, /not running|stopped unexpectedly/);

      assert.equal(json.code, 0, json.stderr);
      const s = JSON.parse(json.stdout) as { emulator: { running: boolean; stoppedUnexpectedly: unknown; unresponsive: { pid: number } | null }; note: string };
      assert.equal(s.emulator.running, false);
      assert.deepEqual(s.emulator.unresponsive, { pid });
      assert.equal(s.emulator.stoppedUnexpectedly, null);
      assert.ok(s.note.startsWith(`${said}; stop it with`), s.note);

      // doctor: the same words, a failure of a thing the lab needs (exit 1) with its way out; it said
      // 'not running (start and deploy start it)', passed
      assert.equal(doctor.code, 1, doctor.stdout + doctor.stderr);
      assert.ok(doctor.stdout.includes(`local cloud: ${said}`), doctor.stdout);
      assert.doesNotMatch(doctor.stdout + doctor.stderr, /not running/);
      assert.match(doctor.stderr, /^error: 1 thing\(s\) the lab needs: local cloud\n/);
      assert.ok(doctor.stderr.includes(`emulator stop --workspace ${ws.root}\` (or \`kill -CONT ${pid}; kill ${pid}\`), then run this again`), doctor.stderr);

      // emulator status gives the same message (it said 'stopped unexpectedly' of a live process), and
      // deploy the same, before it would start a second cloud
      assert.equal(emu.code, 1, emu.stderr);
      assert.ok(emu.stderr.startsWith(`error: ${said}\n`), emu.stderr);
      assert.equal(deploy.code, 1, deploy.stderr);
      assert.ok(deploy.stderr.includes(`${said}\n`), deploy.stderr);
      assert.ok(deploy.stderr.includes(`(or \`kill -CONT ${pid}; kill ${pid}\`), then run this again`), deploy.stderr);

      // the stop its hint names: continued, it gets its SIGTERM and stops cleanly (not SIGKILL)
      const stop = await runCli(['emulator', 'stop', '--workspace', ws.root]);
      assert.equal(stop.code, 0, stop.stderr);
      assert.equal(stop.stdout, `stopped the emulator (pid ${pid})\n`);
      assert.match(readFileSync(join(ws.stateDir, 'emulator.log'), 'utf8'), /emulator stopped\n$/);
    } finally {
      // never leave a stopped process behind
      if (pidAlive(pid)) {
        process.kill(pid, 'SIGCONT');
        killAndWait(pid);
      }
    }
  });

  test('a stopped cloud whose record is gone: status names it by the pid the system gives (not \'not running\'), deploy refuses, and the hint\'s kill ends it', { skip: process.platform !== 'linux' }, async () => {
    const { ws, pid } = await stoppedCloud();
    // as a cloud stopped before it wrote its record: only its lock says it is there
    rmSync(join(ws.stateDir, 'emulator-process.json'));
    try {
      const said = `an emulator (pid ${pid}) holds ${ws.stateDir} but does not answer`;
      // at once, as in the test above: the two status commands only read, deploy refuses
      const [status, statusJson, deploy] = await Promise.all([
        runCli(['status', '--workspace', ws.root]),
        runCli(['status', '--workspace', ws.root, '--json']),
        runCli(['deploy', '--workspace', ws.root]),
      ]);
      assert.equal(status.code, 0, status.stderr);
      assert.ok(status.stdout.includes(`embedded cloud: not answering (pid ${pid})\n  ${said}; stop it with`), status.stdout);
      assert.doesNotMatch(status.stdout, /not running/);
      const json = JSON.parse(statusJson.stdout) as { emulator: { unresponsive: unknown } };
      assert.deepEqual(json.emulator.unresponsive, { pid });

      // deploy does not start a second cloud over it: one message, the same as status's
      assert.equal(deploy.code, 1, deploy.stderr);
      assert.ok(deploy.stderr.includes(`error: ${said}\n`), deploy.stderr);
      // the foreground cloud finds the lock taken: the same words, not a bare `emulator stop`
      const foreground = await runCli(['emulator', '--workspace', ws.root, '--port', '0']);
      assert.equal(foreground.code, 1, foreground.stdout + foreground.stderr);
      assert.ok(foreground.stderr.startsWith(`error: ${said}\n`), foreground.stderr);

      // the hint's command by hand, as a learner pastes it into a shell: the cloud ends, cleanly
      const byHand = /\(or `([^`]+)`\)/.exec(deploy.stderr)?.[1];
      assert.equal(byHand, `kill -CONT ${pid}; kill ${pid}`);
      const sh = spawnSync('sh', ['-c', byHand!]);
      assert.equal(sh.status, 0, String(sh.stderr));
      for (let i = 0; i < 200 && !ended(pid); i++) await sleep(50);
      assert.ok(ended(pid), 'the hint ends the stopped cloud');
      assert.match(readFileSync(join(ws.stateDir, 'emulator.log'), 'utf8'), /emulator stopped\n$/);
    } finally {
      if (pidAlive(pid)) {
        process.kill(pid, 'SIGCONT');
        killAndWait(pid);
      }
    }
  });
});

test('the not-answering message: the lab\'s stop by the workspace (or the state dir), kill -CONT before kill; with no pid, the command that finds the holder', async () => {
  const { unresponsiveEmulator } = await import('../../src/emulator/daemon.js');
  const inWorkspace = unresponsiveEmulator('/w/.lab/state', 9);
  assert.equal(inWorkspace.message, 'an emulator (pid 9) holds /w/.lab/state but does not answer');
  assert.match(inWorkspace.hint!, /^stop it with `.* emulator stop --workspace \/w` \(or `kill -CONT 9; kill 9`\), then run this again$/);
  assert.match(unresponsiveEmulator('/x/state', 9).hint!, /emulator stop --state-dir \/x\/state` \(or `kill -CONT 9; kill 9`\)/);
  const unknown = unresponsiveEmulator('/w/.lab/state', null);
  assert.equal(unknown.message, 'a process holds the lock of /w/.lab/state but does not answer, and no record names its pid');
  const find = process.platform === 'linux' ? /^find it with `sudo ss -xlp \| grep serverless-ops-lab\/emulator\/[0-9a-f]{32}` \(pid=N\), then end it/ : /end it/;
  assert.match(unknown.hint!, find);
  assert.match(unknown.hint!, /`kill -CONT N; kill N`, then run this again$/);
});

/** gone, or a zombie (ended, not yet reaped by whoever adopted it) */
function ended(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] === 'Z';
  } catch {
    return true;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
