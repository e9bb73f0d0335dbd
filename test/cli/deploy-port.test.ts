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
  const m = /^warning: port 4566 is in use; the embedded cloud listens on (\d+): use --endpoint-url (http:\/\/127\.0\.0\.1:\d+)$/m.exec(r.stderr);
  assert.ok(m, r.stderr);
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

  // stopped and started again: the same port while it is free, so the printed URLs keep working
  const stop = await runCli(['emulator', 'stop', '--workspace', ws]);
  assert.equal(stop.code, 0, stop.stderr);
  const restarted = await runCli(['deploy', '--workspace', ws]);
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.match(restarted.stdout, new RegExp(`^ApiUrl: http://127\\.0\\.0\\.1:${m[1]}/`, 'm'));
});
