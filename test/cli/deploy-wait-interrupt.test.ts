/**
 * Ctrl-C to `deploy --wait` on a terminal, as a learner presses it: the CLI runs in a pseudo-terminal
 * (util-linux `script`) and the test types ^C into it, so the pty's line discipline sends the SIGINT.
 * The first Ctrl-C stops following: the spinner ends, the command says the deployment goes on and
 * how to look at it, and the process exits 130. Once on a pty of a known size and once on one that
 * reports 0 columns (what `script` gives with no terminal around it: ora's row count became
 * Infinity there and the process spun, deaf to signals). SIGTERM ends it too.
 *
 * The cloud runs at speed 1, so Linear10PercentEvery1Minute takes ten minutes: every run below
 * finds the same deployment in progress (a deploy run again joins it) and interrupts it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { Workspace } from '../../src/lab/workspace.js';
import { CLI, codeDeployWorkspace, ptySkip, removeWorkspace, runCli } from '../helpers/cli.js';

const skip = ptySkip();

let ws: Workspace;
let deploymentId: string | undefined;

before(async () => {
  if (skip) return;
  ({ ws } = await codeDeployWorkspace('wait-int', 1));
  const first = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(first.code, 0, first.stderr);
  // a code change: the next deploy publishes version 2 and starts a CodeDeploy deployment
  const app = join(ws.samApp, 'src', 'app.mjs');
  writeFileSync(app, `${readFileSync(app, 'utf8')}\n// v2\n`);
});

after(async () => {
  if (ws) await removeWorkspace(ws.root);
});

interface PtyRun {
  /** script's -e: the CLI's exit code, 128 + the signal's number when a signal ended it */
  code: number | null;
  /** what the terminal showed, control sequences removed, CR LF as LF */
  screen: string;
}

/**
 * `deploy --wait` in a pty; once it follows the deployment (its spinner's first line), `press`
 * gets the CLI's PID and the pty's input. A guard kills a CLI that never ends (the old spin).
 */
async function deployWaitInPty(opts: { columns?: number }, press: (pid: number, typed: (s: string) => void) => void): Promise<PtyRun> {
  const pidFile = join(ws.root, 'cli.pid');
  const size = opts.columns !== undefined ? `stty cols ${opts.columns} rows 30; ` : '';
  const cmd = `${size}echo $$ > '${pidFile}'; exec '${process.execPath}' '${CLI}' deploy --wait --workspace '${ws.root}'`;
  const child = spawn('script', ['-qefc', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const cliPid = () => Number(readFileSync(pidFile, 'utf8'));
  let raw = '';
  let pressed = false;
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const guard = setTimeout(() => {
    try {
      process.kill(cliPid(), 'SIGKILL');
    } catch {
      // gone already
    }
    child.kill('SIGKILL');
  }, 90_000);
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    // the old spin wrote megabytes a second: keep the tail only
    raw = (raw + d).slice(-200_000);
    if (!pressed && / following \S+:live to Lambda version 2/.test(raw)) {
      pressed = true;
      press(cliPid(), (s) => child.stdin.write(s));
    }
  });
  const code = await exited;
  clearTimeout(guard);
  child.stdin.destroy();
  return { code, screen: stripVTControlCharacters(raw).replace(/\r\n/g, '\n') };
}

function assertStoppedFollowing(r: PtyRun): void {
  assert.equal(r.code, 130, r.screen.slice(-2000));
  // on a terminal narrower than the line (a pty of 0 columns is laid out at 80) the rest goes on under it
  const id = /^CodeDeploy deployment (?:started|in progress): (d-[A-Z0-9]{9})\s/m.exec(r.screen)?.[1];
  assert.ok(id, r.screen.slice(-2000));
  if (deploymentId) assert.equal(id, deploymentId, 'a deploy run again joins the deployment in progress');
  deploymentId = id;
  // what the lab's live view says on Ctrl-C: it goes on in the cloud, and how to look at it
  assert.match(r.screen, new RegExp(`stopped following; deployment ${id} goes on in the cloud`));
  assert.match(r.screen, new RegExp(`aws deploy get-deployment --deployment-id ${id}\\b`));
  // the last thing on the screen is the boundary's word: no spinner frame drawn after it
  assert.match(r.screen, /\nInterrupted\n$/, r.screen.slice(-2000));
  assert.doesNotMatch(r.screen, /    at /);
}

test('Ctrl-C in a terminal while deploy --wait follows: the spinner ends, it says how to look again, exit 130', { skip }, async () => {
  const r = await deployWaitInPty({ columns: 100 }, (_pid, typed) => typed('\u0003'));
  assertStoppedFollowing(r);
});

test('Ctrl-C in a pty that reports 0 columns: no spin, the same message, exit 130', { skip }, async () => {
  const r = await deployWaitInPty({}, (_pid, typed) => typed('\u0003'));
  assertStoppedFollowing(r);
});

test('SIGTERM while deploy --wait follows ends it, on a pty of either kind', { skip }, async () => {
  for (const columns of [100, undefined]) {
    const r = await deployWaitInPty({ columns }, (pid) => process.kill(pid, 'SIGTERM'));
    // script -e: 128 + 15, the CLI ended by SIGTERM
    assert.equal(r.code, 143, `${columns ?? 0} columns: ${r.screen.slice(-2000)}`);
  }
});
