/**
 * The report face (io/report.ts): the words of a command that asks nothing (emulator start's
 * notes, loadtest's, deploy's progress and warnings) and the CLI's last words on stderr. Piped, the
 * same bytes as when they were written to stderr directly; on a terminal, fitted to its width and
 * coloured unless NO_COLOR; the other faces say them too (the recording face for the tests).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { reportHost } from '../../src/io/index.js';
import { PlainIoHost } from '../../src/io/plain.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { hintCommand } from '../../src/invocation.js';

/** a stream that keeps what is written; a terminal of `columns` when given */
function stream(columns?: number): NodeJS.WritableStream & { isTTY?: boolean; columns?: number; text: string } {
  const s = new PassThrough() as unknown as NodeJS.WritableStream & { isTTY?: boolean; columns?: number; text: string };
  s.text = '';
  s.write = ((chunk: string) => ((s.text += chunk), true)) as typeof s.write;
  if (columns !== undefined) Object.assign(s, { isTTY: true, columns });
  return s;
}

const WS = '/tmp/a-lab-workspace-with-a-rather-long-name-as-temp-folders-have';
const STOP = `node dist/src/cli.js emulator stop --workspace ${WS}`;
const SPEED = `it runs at speed 10, not 1; run this first to change it:${hintCommand(STOP)}`;
const LOST = `start it again with its saved state, then run this again:${hintCommand(`node dist/src/cli.js emulator start --workspace ${WS}`)}\nthis says whether it runs:${hintCommand(`node dist/src/cli.js emulator status --workspace ${WS}`)}`;

test('piped: the words as they were written to stderr, a line a line, no clock and no colour; the result on stdout as is', () => {
  const out = stream();
  const err = stream();
  const io = reportHost(out, err, {});
  io.note('it listens on port 4567, not 4566');
  io.warn('the stage calls Lambda version 5');
  io.say('stopping: waiting for 3 requests in flight (Ctrl-C again to stop now)');
  io.error('nothing deployed from /w yet', 'run `deploy --workspace /w` first');
  io.error('Interrupted', undefined, { stopped: true });
  io.note(SPEED);
  io.result('stopped the emulator (pid 1)\n');
  assert.equal(
    err.text,
    [
      'note: it listens on port 4567, not 4566',
      'warning: the stage calls Lambda version 5',
      'stopping: waiting for 3 requests in flight (Ctrl-C again to stop now)',
      'error: nothing deployed from /w yet',
      '  run `deploy --workspace /w` first',
      'Interrupted',
      'note: it runs at speed 10, not 1; run this first to change it:',
      `  $ ${STOP}`,
      '',
    ].join('\n'),
  );
  assert.equal(out.text, 'stopped the emulator (pid 1)\n');
  assert.equal(io.terminal, false);
});

test('on a terminal of 80 columns: each line fits, a command is on lines of its own to paste, the marks coloured; NO_COLOR: the same lines without colour', () => {
  const said = (env: NodeJS.ProcessEnv) => {
    const err = stream(80);
    const io = reportHost(stream(), err, env);
    io.note(SPEED);
    io.warn(`the embedded cloud listens on every network interface of this machine (http://0.0.0.0:4566): anyone who can reach that address can run code in it`);
    io.error('the local cloud stopped while this command talked to it (ECONNREFUSED)', LOST);
    io.say('');
    return err.text;
  };
  const coloured = said({});
  const plain = said({ NO_COLOR: '1' });
  assert.equal(stripVTControlCharacters(coloured), plain);
  assert.ok(!plain.includes('\u001b['), plain);
  assert.ok(coloured.includes('\u001b[31merror:\u001b[39m') && coloured.includes('\u001b[33mwarning:\u001b[39m'), JSON.stringify(coloured));
  for (const line of plain.split('\n')) assert.ok(line.length <= 80, `${line.length}: ${line}`);
  assert.match(plain, /^note: it runs at speed 10, not 1; run this first to change it:\n {2}\$ node dist\/src\/cli\.js emulator stop --workspace \\\n {6}\/tmp\/a-lab-workspace-with-a-rather-long-name-as-temp-folders-have\n/);
  assert.match(plain, /\nerror: the local cloud stopped while this command talked to it \(ECONNREFUSED\)\n {2}start it again with its saved state, then run this again:\n {4}\$ node dist\/src\/cli\.js emulator start --workspace \\\n {8}\/tmp\/a-lab-\S+\n {2}this says whether it runs:\n {4}\$ node dist\/src\/cli\.js emulator status --workspace \\\n/);
  // a blank line when asked for one (after the ^C a terminal echoed: interrupt.ts)
  assert.ok(plain.endsWith('\n\n'), JSON.stringify(plain.slice(-40)));
  assert.equal(reportHost(stream(), stream(80), {}).terminal, true);
});

test('the plain face (a log) says notes and errors on its stamped lines; the recording face keeps them as events', () => {
  const log = stream();
  const plain = new PlainIoHost({ out: log, now: () => new Date(2026, 0, 2, 10, 5, 59) });
  plain.note('it listens on port 4567, not 4566');
  plain.error('nothing deployed from /w yet', 'run `deploy --workspace /w` first');
  assert.equal(log.text, '10:05:59 note: it listens on port 4567, not 4566\n10:05:59 error: nothing deployed from /w yet\n10:05:59   run `deploy --workspace /w` first\n');

  const rec = new RecordingIoHost();
  rec.note('the cloud listens on 4567');
  rec.error('Interrupted', undefined, { stopped: true });
  rec.error('no response', 'first error: ECONNREFUSED');
  assert.deepEqual(rec.of('note').map((e) => e.text), ['note: the cloud listens on 4567']);
  assert.deepEqual(rec.of('error').map((e) => e.text), ['Interrupted', 'error: no response\n  first error: ECONNREFUSED']);
  assert.deepEqual(rec.of('error')[1].data, { what: 'no response', hint: 'first error: ECONNREFUSED', stopped: false });
});

test("a running log on stdout: its reader going away (EPIPE) ends it quietly; another error ends it, said once on stderr", () => {
  for (const [code, said] of [['EPIPE', ''], ['EIO', 'emulator: the request log stopped: write EIO\n']] as const) {
    const out = stream();
    const err = stream();
    const line = reportHost(out, err, {}).logLines('emulator: the request log');
    line('GET /_lab/health 200');
    out.emit('error', Object.assign(new Error(`write ${code}`), { code }));
    line('GET /_lab/health 200');
    assert.equal(out.text, 'GET /_lab/health 200\n');
    assert.equal(err.text, said);
  }
});
