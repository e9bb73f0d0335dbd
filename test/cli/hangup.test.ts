/**
 * SIGHUP, the terminal closed: the lab stops as SIGTERM stops it (the signal every command watches
 * is aborted: a shift view or a load test in flight ends at its safe point), and exits 129; what it
 * still writes to the terminal that is gone (EPIPE here, EIO on a closed pty) is dropped, not
 * thrown as a stack trace. A child process with the CLI's interrupt policy, sent SIGHUP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const POLICY = new URL('../../src/interrupt.js', import.meta.url).href;

// the child: the policy installed as cli-main installs it, waiting for the stop; then it writes
// what a stopping lab says (progress saved, the command to go on) to a stdout nobody reads
const CHILD = `
import { InterruptPolicy } from ${JSON.stringify(POLICY)};
const policy = new InterruptPolicy();
policy.install();
const alive = setInterval(() => undefined, 1 << 30);
policy.signal.addEventListener('abort', () => {
  clearInterval(alive);
  let n = 0;
  const more = () => {
    process.stdout.write('progress saved; go on with: npm start -- start\\n'.repeat(200));
    if (++n < 50) setImmediate(more);
    else process.exitCode = policy.exitCode;
  };
  more();
});
process.stdout.write('ready\\n');
`;

test('SIGHUP (the terminal closed) stops as SIGTERM does: the command sees its signal aborted, exits 129, and its writes to the gone terminal (EPIPE) are no stack trace', async (t) => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = once(child, 'exit');
  const [first] = (await once(child.stdout, 'data')) as [Buffer];
  assert.equal(first.toString(), 'ready\n');
  // the terminal goes: nobody reads the child's output any more, then the hang-up
  child.stdout.destroy();
  child.kill('SIGHUP');
  const [code, signal] = (await exited) as [number | null, string | null];
  assert.deepEqual({ code, signal }, { code: 129, signal: null }, stderr);
  assert.doesNotMatch(stderr, /EPIPE|EIO|    at /);
});
