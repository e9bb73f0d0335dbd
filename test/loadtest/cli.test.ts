/**
 * End to end: `node dist/src/cli.js loadtest ...` — exit codes, the one-line messages of bad input,
 * the report and --json against a counting server, the refused host, Ctrl-C.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { refusedUrl, startCountingServer } from './counting-server.js';
import { MAX_CONCURRENCY, MAX_REQUESTS } from '../../src/loadtest/flags.js';
import { DURATION_MAX_REQUESTS } from '../../src/loadtest/run.js';

const cli = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function loadtest(...args: string[]): Promise<Run> {
  return run(args, 0);
}

/**
 * Bad input is refused before any request is sent; a command that runs instead (a bound it lacks:
 * `-n 100000 -q 0.1` ran for 5.5 h) is ended after a minute, and fails its test rather than hang it.
 */
function refused(...args: string[]): Promise<Run> {
  return run(args, 60_000);
}

function run(args: string[], timeout: number): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.SOL_DEBUG;
    execFile(process.execPath, [cli, 'loadtest', ...args], { env, timeout }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

const badInput: Array<[string, string[], number, RegExp]> = [
  ['an invalid URL', ['not a url'], 2, /^error: invalid URL "not a url"$/m],
  ['a URL that is not http', ['ftp://127.0.0.1/'], 2, /only http:\/\/ and https:\/\//],
  ['-c larger than -n', ['-n', '10', '-c', '50', 'http://127.0.0.1:9/'], 2, /^error: -n cannot be less than -c \(-n 10, -c 50\)\n$/],
  ['-n below the default -c', ['-n', '5', 'http://127.0.0.1:9/'], 2, /^error: -n cannot be less than -c \(-n 5, -c 50\)\n {2}-c defaults to 50; add -c 5 to run 5 requests\n$/],
  ['a header without a colon', ['-H', 'X-Lab yes', 'http://127.0.0.1:9/'], 2, /^error: -H: "X-Lab yes" is not a header; write it as "Name: value"$/m],
  ['a missing -D file', ['-D', '/nonexistent/body.json', 'http://127.0.0.1:9/'], 2, /^error: -D: cannot read the body file "\/nonexistent\/body.json": no such file$/m],
  ['a negative -n', ['-n', '-5', 'http://127.0.0.1:9/'], 2, /^error: -n and -c cannot be smaller than 1 \(got -n -5\)$/m],
  ['a zero -c', ['-c', '0', 'http://127.0.0.1:9/'], 2, /^error: -n and -c cannot be smaller than 1 \(got -c 0\)$/m],
  ['-n over the bound', ['-n', '1000000', 'http://127.0.0.1:9/'], 2, /^error: -n must be at most 100000 requests \(got 1000000\)\n {2}a -z run stops at 100000 too: load stays bounded; for more, run it again\n$/],
  ['-c over the bound', ['-c', '2000', '-z', '1s', 'http://127.0.0.1:9/'], 2, /^error: -c must be at most 1000 workers \(got 2000\)\n {2}a worker is a connection; the account runs 1000 at once, more are throttled\n$/],
  ['-n at a rate that would run for hours', ['-n', '100000', '-q', '0.1', 'http://127.0.0.1:9/'], 2, /^error: -n 100000 at -q 0.1 with -c 50 takes at least 5 h 33 min: 2000 requests per worker, 10 s apart; a run at a rate may take at most 1 h\n {2}give fewer requests \(-n\), more workers \(-c\) or a higher rate \(-q\), or use -z\n$/],
  ['a non-numeric -n', ['-n', 'lots', 'http://127.0.0.1:9/'], 2, /^error: -n: "lots" is not a whole number$/m],
  ['a negative -t', ['-t', '-1', 'http://127.0.0.1:9/'], 2, /^error: -t cannot be smaller than 0 \(got -1\)$/m],
  ['a negative -q', ['-q', '-2', 'http://127.0.0.1:9/'], 2, /^error: -q cannot be smaller than 0 \(got -2\)$/m],
  ['a -q that is not a number', ['-q', 'fast', 'http://127.0.0.1:9/'], 2, /^error: -q: "fast" is not a number; give requests per second per worker, such as 5 or 0.5$/m],
  ['a -q too small for a timer', ['-q', '0.00001', 'http://127.0.0.1:9/'], 2, /^error: -q must be 0 \(no limit\) or at least 0.001/m],
  ['a -z without unit', ['-z', '10', 'http://127.0.0.1:9/'], 2, /^error: -z: "10" is not a duration/m],
  ['an unknown -o', ['-o', 'xml', 'http://127.0.0.1:9/'], 2, /^error: -o: unknown output "xml"; the only one is csv$/m],
  ['HEAD', ['-m', 'HEAD', 'http://127.0.0.1:9/'], 2, /^error: -m: unsupported method "HEAD"/m],
  ['no URL', [], 2, /missing required argument 'url'/],
];

for (const [what, args, code, message] of badInput) {
  test(`bad input, ${what}: one clear line, exit ${code}, no stack trace`, async () => {
    const r = await refused(...args);
    assert.equal(r.code, code);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
    assert.equal(r.stdout, '');
  });
}

test('every request refused: the report still shows what happened, exit 1', async () => {
  const url = await refusedUrl();
  const r = await loadtest('-n', '20', '-c', '3', url);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /Error distribution:\n {2}\[20\]\tconnect ECONNREFUSED 127\.0\.0\.1:\d+\n/);
  assert.match(r.stdout, /Status code distribution:\n {2}\(no responses\)/);
  assert.match(r.stderr, /^error: no response from http:\/\/127\.0\.0\.1:\d+\/: all 20 requests failed$/m);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
});

for (const [n, c] of [[100, 7], [60, 60], [45, 4]] as const) {
  test(`-n ${n} -c ${c}: the report's and --json's status counts are the server's`, async () => {
    const server = await startCountingServer();
    try {
      const text = await loadtest('-n', String(n), '-c', String(c), server.url);
      assert.equal(text.code, 0);
      assert.equal(text.stderr, '', 'no progress line on a non-TTY');
      assert.equal(server.received, n);
      const lines = [...text.stdout.matchAll(/^ {2}\[(\d+)\]\t(\d+) responses$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
      assert.deepEqual(Object.fromEntries(lines), server.statusCounts);

      const before = { ...server.statusCounts };
      const json = await loadtest('--json', '-n', String(n), '-c', String(c), server.url);
      assert.equal(json.code, 0);
      assert.equal(json.stderr, '');
      assert.equal(server.received, 2 * n);
      const j = JSON.parse(json.stdout) as { sent: number; statusCodes: Array<{ code: number; count: number }> };
      assert.equal(j.sent, n);
      const second = Object.fromEntries(Object.entries(server.statusCounts).map(([k, v]) => [k, v - (before[Number(k)] ?? 0)]));
      assert.deepEqual(Object.fromEntries(j.statusCodes.map((s) => [String(s.code), s.count])), second);
    } finally {
      await server.close();
    }
  });
}

test('-m POST -d, -D, -H, -T and -A reach the server', async () => {
  const server = await startCountingServer(() => ({ status: 200 }), { keepBodies: true });
  const dir = mkdtempSync(join(tmpdir(), 'sol-loadtest-'));
  try {
    const file = join(dir, 'body.json');
    writeFileSync(file, '{"from":"file"}');
    const a = await loadtest('-n', '2', '-c', '1', '-m', 'post', '-d', '{"a":1}', '-H', 'Content-Type: application/json', '-H', 'X-Lab: yes', server.url);
    const b = await loadtest('-n', '1', '-c', '1', '-m', 'PUT', '-D', file, '-T', 'application/json', '-A', 'text/plain', server.url);
    assert.equal(a.code, 0);
    assert.equal(b.code, 0);
    assert.deepEqual(server.bodies, ['{"a":1}', '{"a":1}', '{"from":"file"}']);
    assert.equal(server.headers[0]['content-type'], 'application/json');
    assert.equal(server.headers[0]['x-lab'], 'yes');
    assert.equal(server.headers[2]['content-type'], 'application/json');
    assert.equal(server.headers[2].accept, 'text/plain');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
});

test('-o csv: a header and one row per response', async () => {
  const server = await startCountingServer();
  try {
    const r = await loadtest('-o', 'csv', '-n', '9', '-c', '2', server.url);
    assert.equal(r.code, 0);
    const rows = r.stdout.trim().split('\n');
    assert.equal(rows[0], 'response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset');
    assert.equal(rows.length, 10);
    assert.equal(rows.filter((row) => row.includes(',502,')).length, server.statusCounts[502]);
  } finally {
    await server.close();
  }
});

test('Ctrl-C stops sending, prints the report of what was sent, exit 130', async () => {
  const server = await startCountingServer(() => ({ status: 200, delayMs: 5 }));
  try {
    const child = spawn(process.execPath, [cli, 'loadtest', '-n', '100000', '-c', '2', server.url]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    while (server.received < 5) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 130);
    assert.match(stdout, /Note: {2}stopped early: \d+ of 100000 requests sent\./);
    const [, count] = /\[200\]\t(\d+) responses/.exec(stdout) ?? [];
    assert.equal(Number(count), server.received);
    assert.match(stderr, /^stopping: waiting for [0-2] requests? in flight \(Ctrl-C again to stop now\)\ninterrupted after \d+ requests\n$/);
  } finally {
    await server.close();
  }
});

test('Ctrl-C during -z with slow answers: says what it waits for, then the report, then the closing line (no "error:")', async () => {
  const server = await startCountingServer(() => ({ status: 200, delayMs: 400 }));
  const dir = mkdtempSync(join(tmpdir(), 'sol-loadtest-'));
  // stdout and stderr into one file, so their order is the order they were written in
  const file = join(dir, 'out.txt');
  const fd = openSync(file, 'w');
  try {
    const child = spawn(process.execPath, [cli, 'loadtest', '-z', '20s', '-c', '2', server.url], { stdio: ['ignore', fd, fd] });
    while (server.received < 2) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 130);
    const out = readFileSync(file, 'utf8');
    const stopping = out.indexOf('stopping: waiting for 2 requests in flight (Ctrl-C again to stop now)\n');
    const report = out.indexOf('Summary:');
    const closing = out.indexOf('\ninterrupted after 2 requests\n');
    assert.ok(stopping === 0 && report > stopping && closing > report, out);
    assert.match(out, /Note: {2}stopped early: 2 requests sent\./);
    assert.match(out, /\[200\]\t2 responses/);
    assert.doesNotMatch(out, /error:/);
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
});

test('a second Ctrl-C stops at once: the report of what was measured, then exit 130', async () => {
  // answers that never come: only the second Ctrl-C can end the run
  const server = await startCountingServer((nth) => (nth <= 3 ? { status: 200 } : 'hang'));
  try {
    const child = spawn(process.execPath, [cli, 'loadtest', '-z', '60s', '-c', '2', server.url]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    while (server.received < 5) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    while (!stderr.includes('stopping:')) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 130);
    assert.match(stdout, /Note: {2}stopped early: 5 requests sent\./);
    assert.match(stdout, /\[200\]\t3 responses/);
    assert.match(stdout, /\[2\]\tin flight when the run was stopped at once \(second Ctrl-C\)/);
    assert.match(stderr, /^stopping: waiting for 2 requests in flight \(Ctrl-C again to stop now\)\ninterrupted after 5 requests\n$/);
  } finally {
    await server.close();
  }
});

test('-h is help, as for every other command; -q 0 is no limit', async () => {
  const r = await loadtest('-h');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: serverless-ops-lab loadtest \[options\] <url>/);
  const server = await startCountingServer(() => ({ status: 200 }));
  try {
    const q0 = await loadtest('-q', '0', '-n', '4', '-c', '2', server.url);
    assert.equal(q0.code, 0, q0.stderr);
    assert.equal(server.received, 4);
  } finally {
    await server.close();
  }
});

test('-q 0.5: a fraction is a rate, as in hey (one request every 2 s per worker): -z 1s sends one per worker', async () => {
  const server = await startCountingServer(() => ({ status: 200 }));
  try {
    const r = await loadtest('--json', '-q', '0.5', '-z', '1s', '-c', '2', server.url);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.received, 2);
    assert.equal((JSON.parse(r.stdout) as { sent: number }).sent, 2);
  } finally {
    await server.close();
  }
});

test("--json's Total covers the server's span from the first request to the last response", async () => {
  const server = await startCountingServer((nth) => ({ status: 200, delayMs: nth <= 3 ? 200 : 1 }));
  try {
    const r = await loadtest('--json', '-n', '30', '-c', '3', server.url);
    assert.equal(r.code, 0);
    const { totalMs } = JSON.parse(r.stdout) as { totalMs: number };
    // two processes, one monotonic clock rate: durations compare
    assert.ok(server.lastResponseAt - server.firstRequestAt <= totalMs, `server span ${server.lastResponseAt - server.firstRequestAt} ms > Total ${totalMs} ms`);
  } finally {
    await server.close();
  }
});

test('--help shows the defaults plainly', async () => {
  const r = await loadtest('--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /-n <requests> +number of requests to run, at most 100000 \(default: 200\)\n/);
  // commander wraps this one at 80 columns
  assert.match(r.stdout.replace(/\n\s+/g, ' '), /-c <concurrency> +number of workers to run concurrently, at most 1000 \(default: 50\) /);
  // cli.ts writes the bounds out (--help loads no loadtest code); they are flags.ts' bounds
  assert.deepEqual([MAX_REQUESTS, MAX_CONCURRENCY, DURATION_MAX_REQUESTS], [100_000, 1000, 100_000]);
  assert.match(r.stdout.replace(/\n\s+/g, ' '), /overrides -n; stops at 100000 requests/);
  assert.match(r.stdout, /-t <seconds> +timeout of each request in seconds, 0: none \(default: 20\)\n/);
  assert.doesNotMatch(r.stdout, /\(default: "\d+"\)|\) \(default/);
});

test('the Ctrl-C policy: a command that still reports takes the second Ctrl-C; a third quits', async () => {
  const { InterruptPolicy } = await import('../../src/interrupt.js');
  const exits: number[] = [];
  const policy = new InterruptPolicy({ write: () => {}, exit: (c) => void exits.push(c) });
  let seconds = 0;
  policy.onSecond = () => void seconds++;
  policy.press();
  policy.press();
  assert.deepEqual([seconds, exits], [1, []]);
  policy.press();
  assert.deepEqual([seconds, exits], [1, [130]]);
});

test("the first Ctrl-C's words and the report go through the command's I/O host (here the recording face): the stopping line, then hey's report, then exit 130", async () => {
  const { InterruptPolicy } = await import('../../src/interrupt.js');
  const { RecordingIoHost } = await import('../../src/io/recording.js');
  const { loadtestCommand } = await import('../../src/commands/loadtest.js');
  const { InterruptedError } = await import('../../src/errors.js');
  const policy = new InterruptPolicy({ write: () => {}, exit: () => {} });
  const io = new RecordingIoHost();
  // Ctrl-C when the first request arrives: no clock decides when
  const server = await startCountingServer((nth) => {
    if (nth === 1) policy.press();
    return { status: 200 };
  });
  try {
    await assert.rejects(loadtestCommand(server.url, { z: '30s', c: '2' }, policy, io), (err: unknown) => err instanceof InterruptedError && /^interrupted after \d+ requests$/.test(err.message));
    assert.deepEqual(io.events.map((e) => e.kind), ['say', 'result']);
    assert.match(io.of('say')[0].text, /^stopping: waiting for \d+ requests? in flight \(Ctrl-C again to stop now\)$/);
    assert.match(io.of('result')[0].text, /^\nSummary:\n/);
  } finally {
    await server.close();
  }
});
