import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureSplit, namedAnswers, shareOf } from '../../src/targets/version-split.js';
import { builtLines, packageRoot } from '../helpers/built.js';

// DESIGN.md, Layers: steps reach the cloud through targets/ (SDK clients, and the lab's HTTP
// measurements beside them), so a step reads like the lab's script
test('no step module is an HTTP client of its own: the canary split and the app request are sent from targets/', () => {
  assert.ok(readFileSync(join(packageRoot, 'dist/src/targets/version-split.js'), 'utf8').includes("from 'node:http'"), 'the scan reads the built code');
  assert.deepEqual(builtLines('steps', /^import .*from 'node:(http|https|net)'|\bfetch\(/), []);
});

test('measureSplit counts the answers by the version they name, header or body, and the share among those that named one', async () => {
  let n = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n++;
      if (n % 10 === 0) return res.writeHead(502).end('{"message": "Internal server error"}');
      if (n % 2 === 0) return res.writeHead(400, { 'X-Function-Version': '7' }).end('{}');
      res.writeHead(400).end(JSON.stringify({ ServedBy: { FunctionVersion: 6 } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as { port: number }).port;
    const split = await measureSplit({ url: `http://127.0.0.1:${port}/prod/getinfo`, requests: 40, concurrency: 1, body: '{}' });
    assert.deepEqual(split, { byVersion: { '6': 20, '7': 16, '?': 4 }, byStatus: { '400': 36, '502': 4 }, errors: 0, sent: 40 });
    assert.equal(namedAnswers(split), 36);
    assert.equal(shareOf(split, ['7']), (100 * 16) / 36);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

// DESIGN.md, Layers: commands talk to the I/O host in io/, which alone writes to the terminal. A
// command's report goes out as the host's result (io/index.ts reportHost for those that ask nothing)
test("no command writes its report to stdout beside the I/O host; what is left is the foreground cloud's request log, a stream", () => {
  assert.deepEqual(builtLines('commands', /process\.stdout\.write\(/), ['dist/src/commands/emulator.js: process.stdout.write(`${line}\\n`);']);
});
