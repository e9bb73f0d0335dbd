/**
 * Port 4566 taken: the background emulator listens elsewhere, and `deploy` and `status` say so
 * plainly, with an `Endpoint:` line among the outputs for `aws --endpoint-url`; after a stop it
 * takes the same port again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeWorkspace, runCli } from '../helpers/cli.js';
import { startCommand } from '../../src/commands/start.js';
import { InterruptPolicy } from '../../src/interrupt.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { listenerPid, portHolder } from '../../src/port-holder.js';

let ws: string;
let blocker: Server | undefined;

/** Holds 4566 for the test, or undefined when something else already holds it (busy all the same). */
function hold4566(): Promise<Server | undefined> {
  return new Promise<Server | undefined>((resolve, reject) => {
    const s = createServer();
    s.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(undefined) : reject(err)));
    s.listen(4566, '127.0.0.1', () => resolve(s));
  });
}

/**
 * `deploy` while 4566 is taken. When another holds it (a learner's own cloud, or the cloud of a
 * test file running beside this one) it may let it go before the deploy's cloud starts, which then
 * takes 4566: that cloud is stopped and the deploy runs again, until 4566 was busy for it.
 */
async function deployWith4566Busy() {
  for (;;) {
    blocker ??= await hold4566();
    const r = await runCli(['deploy', '--workspace', ws]);
    if (blocker || r.code !== 0 || !/^Endpoint: http:\/\/127\.0\.0\.1:4566$/m.test(r.stdout)) return r;
    const stop = await runCli(['emulator', 'stop', '--workspace', ws]);
    assert.equal(stop.code, 0, stop.stderr);
  }
}

before(() => {
  ws = mkdtempSync(join(tmpdir(), 'sol-port-'));
});
after(async () => {
  await removeWorkspace(ws);
  await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
});

test('deploy with 4566 busy: says which port the cloud took, and prints Endpoint with the outputs; status too', async () => {
  const r = await deployWith4566Busy();
  assert.equal(r.code, 0, r.stderr);
  const m = /^warning: port 4566 is in use( \(by pid (\d+)\)| by the lab's cloud of workspace [^;]* \(pid \d+\))?; the cloud listens on (\d+): use the endpoint printed here, (http:\/\/127\.0\.0\.1:\d+), where the workshop says http:\/\/127\.0\.0\.1:4566$/m.exec(r.stderr);
  assert.ok(m, r.stderr);
  // this test holds 4566 (unless something else did already): it is named
  if (blocker) assert.equal(m[2], String(process.pid), r.stderr);
  m.splice(1, 2);
  assert.notEqual(m[1], '4566');
  assert.equal(m[2], `http://127.0.0.1:${m[1]}`);
  assert.match(r.stdout, new RegExp(`^Endpoint: http://127\\.0\\.0\\.1:${m[1]}$`, 'm'));
  assert.match(r.stdout, new RegExp(`^ApiUrl: http://127\\.0\\.0\\.1:${m[1]}/`, 'm'));
  assert.doesNotMatch(r.stdout, /\x1b\[/); // not a terminal: no colour

  const again = await runCli(['deploy', '--workspace', ws]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, new RegExp(`on port ${m[1]}, not 4566: use --endpoint-url`));

  const s = await runCli(['status', '--workspace', ws]);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, new RegExp(`^Endpoint: http://127\\.0\\.0\\.1:${m[1]}$`, 'm'));
  assert.match(s.stdout, /^ {2}reserved concurrency: none \(uses the unreserved pool\)$/m);

  // start says it too, where the lab begins: the workshop's commands name 4566
  const io = new RecordingIoHost({ otherwise: () => 'q' });
  await startCommand({ workspace: ws }, new InterruptPolicy({ write: () => undefined, exit: () => undefined }), undefined, { io });
  // (held by this test: named with its pid; held by another program that may have let go since: either line)
  const said = blocker ? `port 4566 is in use \\(by pid ${process.pid}\\); the cloud listens on ${m[1]}` : `the cloud listens on ${m[1]}`;
  assert.match(io.text, new RegExp(`${said}.*: use the endpoint printed here, http://127\\.0\\.0\\.1:${m[1]}`), io.text.slice(0, 2000));

  // stopped and started again: the same port while it is free, so the printed URLs keep working
  const stop = await runCli(['emulator', 'stop', '--workspace', ws]);
  assert.equal(stop.code, 0, stop.stderr);
  const restarted = await runCli(['deploy', '--workspace', ws]);
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.match(restarted.stdout, new RegExp(`^ApiUrl: http://127\\.0\\.0\\.1:${m[1]}/`, 'm'));
});

test('portHolder: a port something listens on is in use, by this process; a closed one is free', async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  try {
    assert.deepEqual(await portHolder(port), { inUse: true, pid: process.pid });
    assert.equal(listenerPid(port), process.pid);
  } finally {
    await new Promise((r) => s.close(r));
  }
  assert.deepEqual(await portHolder(port), { inUse: false });
});
