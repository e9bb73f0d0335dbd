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

// DESIGN.md, Layers: commands and steps reach the terminal only through the I/O host in io/, so
// that fitting a terminal's width, NO_COLOR and the recording face of the tests apply to all they
// say. A command's report goes out as the host's result, its words as its say/warn/note, the CLI's
// last words as its error (io/index.ts reportHost for those that ask nothing).
const SCANNED = /^dist\/src\/((commands|steps|lab)\/|(cli|cli-main|interrupt)\.js: )/;
/** the code lines (no comment) of the scanned modules that match `what` */
function codeLines(what: RegExp): string[] {
  return builtLines('', new RegExp(`^(?!\\s*(\\*|//|/\\*)).*(${what.source})`)).filter((l) => SCANNED.test(l));
}

test('no command, step, lab module, cli.ts, cli-main.ts or interrupt.ts writes to stdout, stderr or the console itself: the I/O host does', () => {
  assert.ok(builtLines('io', /\.write\(/).length > 0 && codeLines(/process\.stderr\.isTTY/).length > 0, 'the scan reads the built code');
  // one exception: the entry's refusal of a Node too old to parse the rest (io/ among it), before anything is loaded
  const entry = 'dist/src/cli.js: process.stderr.write(`error: ${tooOld}\\n`);';
  const writes = codeLines(/\bprocess\.(stdout|stderr)\.(write|end)\b|\bconsole\.\w+/);
  assert.deepEqual(writes.map((l) => l.trim()).filter((l) => l.replace(/\s+/g, ' ') !== entry), []);
  assert.ok(writes.length === 1, 'the entry still writes its one line itself (or goes from this test)');
});

test('they read whether stdout and stderr are terminals, and hand the streams to io/ alone, with three exceptions named here', () => {
  const handed = codeLines(/\bprocess\.(stdout|stderr)\b/).filter((l) =>
    /\bprocess\.(stdout|stderr)\b/.test(
      l
        .replace(/\bprocess\.(stdout|stderr)\.(isTTY|columns)\b/g, '')
        // io/terminal.ts decides about colour and live progress; createIoHost takes the streams
        .replace(/\b(colorEnabled|progressEnabled)\(process\.(stdout|stderr)\b/g, '')
        .replace(/createIoHost\(\{.*\bstdout: process\.(stdout|stderr)\b/g, ''),
    ),
  );
  const EXCEPTIONS: [file: string, line: RegExp, why: string][] = [
    ['dist/src/cli-main.js', /^for \(const stream of \[process\.stdout, process\.stderr\]\) \{$/, "the EPIPE guard: listens for a reader that stopped early, writes nothing"],
    ['dist/src/cli.js', /^process\.stderr\.write\(`error: \$\{tooOld\}\\n`\);$/, 'the entry refuses a Node too old to load io/ (node-version.ts), in one line, before anything else loads'],
    ['dist/src/commands/loadtest.js', /progressListeners\(process\.stderr, /, "loadtest's live progress line, drawn on a terminal by loadtest/progress.ts (cleared before the host's words)"],
  ];
  assert.deepEqual(
    handed.filter((l) => !EXCEPTIONS.some(([file, line]) => l.startsWith(`${file}: `) && line.test(l.slice(file.length + 2)))),
    [],
  );
  assert.deepEqual(EXCEPTIONS.map(([file, line]) => handed.some((l) => l.startsWith(`${file}: `) && line.test(l.slice(file.length + 2)))), [true, true, true], 'each exception is still there (or goes from this list)');
});
