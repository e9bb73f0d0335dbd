import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { ReadStream, WriteStream } from 'node:tty';
import { InteractiveIoHost } from '../../src/io/interactive.js';
import { waitSpinner } from '../../src/io/wait.js';
import { InterruptPolicy } from '../../src/interrupt.js';

/** a fake terminal ora draws on; `raw()` keeps the control codes, to see where a line was cleared */
function terminal(columns = 80) {
  let text = '';
  const stream = Object.assign(new PassThrough(), {
    isTTY: true,
    columns,
    rows: 30,
    cursorTo: (x: number) => stream.write(`\u001B[${x + 1}G`),
    moveCursor: (dx: number, dy: number) => stream.write(dy < 0 ? `\u001B[${-dy}A` : ''),
    clearLine: () => stream.write('\u001B[0K'),
  });
  stream.setEncoding('utf8');
  stream.on('data', (c: string) => (text += c));
  return { stream: stream as unknown as WriteStream, raw: () => text };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const STOPPING = 'stopping at the next safe point… (Ctrl-C again to quit at once)\n';

test("Ctrl-C during a step's spinner: the spinner ends (its text kept, marked !) before the interrupt's words, not left as a frame above them", async () => {
  const t = terminal();
  const policy = new InterruptPolicy({ write: (s) => void t.stream.write(s), exit: () => undefined });
  const io = new InteractiveIoHost({ stdin: new PassThrough() as unknown as ReadStream, stdout: t.stream, env: { NO_COLOR: '1' }, onCtrlC: policy.press, signal: policy.signal });
  const p = io.progress('deploying sam-app');
  try {
    await settle();
    policy.press();
    await settle();
    const text = t.raw();
    assert.ok(text.endsWith(`! deploying sam-app\n${STOPPING}`), JSON.stringify(text.slice(-200)));
    // nothing of the spinner is drawn or cleared after the words
    assert.equal(text.indexOf('\u001B[', text.indexOf('stopping at')), -1);
  } finally {
    p.stop();
  }
});

test("Ctrl-C during status's wait: the spinner's line is cleared before the interrupt's words, which stand alone", async () => {
  const t = terminal();
  const policy = new InterruptPolicy({ write: (s) => void t.stream.write(s), exit: () => undefined });
  const waiting = await waitSpinner('reading the cloud', { stdout: t.stream, stderr: t.stream, signal: policy.signal });
  try {
    await settle();
    policy.press();
    await settle();
    const text = t.raw();
    assert.ok(text.endsWith(STOPPING), JSON.stringify(text.slice(-200)));
    // the last clear of the spinner's line comes before the words: none after them
    const words = text.lastIndexOf('stopping at');
    assert.ok(text.lastIndexOf('\u001B[0K') < words && text.lastIndexOf('\u001B[0K') > -1, JSON.stringify(text.slice(-200)));
    assert.equal(text.indexOf('reading the cloud', words), -1);
  } finally {
    waiting.stop();
  }
});

/** the rows a terminal of `columns` shows for what was written: control codes out, each row's text */
function rows(raw: string): string[] {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/\u001B\[[0-9;]*m/g, '').replace(/\u001B\[[?0-9;]*[A-Za-z]/g, '\n').split(/\r?\n/).filter((r) => r.trim());
}

const NOTE = '(the embedded cloud is on port 37747, not 4566: use --endpoint-url http://127.0.0.1:37747)';

for (const env of [{ NO_COLOR: '1' }, {} as Record<string, string>]) {
  test(`a spinner's text wider than the terminal turns on one row of 80 columns (cut at a word, with …); after Ctrl-C its whole text stays, wrapped under the !, the URL whole${env.NO_COLOR ? ' (NO_COLOR)' : ''}`, async () => {
    const t = terminal(80);
    const policy = new InterruptPolicy({ write: (s) => void t.stream.write(s), exit: () => undefined });
    const io = new InteractiveIoHost({ stdin: new PassThrough() as unknown as ReadStream, stdout: t.stream, env, onCtrlC: policy.press, signal: policy.signal });
    const p = io.progress(NOTE);
    try {
      await settle();
      const drawn = rows(t.raw()).map((r) => r.replace(/\u001B\[[0-9;]*m/g, ''));
      assert.ok(drawn.length > 0);
      for (const r of drawn) assert.ok(r.length < 80, `${r.length}: ${r}`);
      assert.ok(drawn.some((r) => r.endsWith('use --endpoint-url…')), drawn.join('\n'));
      const before = t.raw().length;
      policy.press();
      await settle();
      const stayed = rows(t.raw().slice(before)).map((r) => r.replace(/\u001B\[[0-9;]*m/g, ''));
      for (const r of stayed) assert.ok(r.length <= 80, `${r.length}: ${r}`);
      assert.equal(stayed[0], '! (the embedded cloud is on port 37747, not 4566: use --endpoint-url');
      assert.equal(stayed[1], '  http://127.0.0.1:37747)');
    } finally {
      p.stop();
    }
  });
}

test("a spinner's text updated wider than the terminal: its ✔ line says it whole, wrapped", async () => {
  const t = terminal(80);
  const policy = new InterruptPolicy({ write: (s) => void t.stream.write(s), exit: () => undefined });
  const io = new InteractiveIoHost({ stdin: new PassThrough() as unknown as ReadStream, stdout: t.stream, env: { NO_COLOR: '1' }, onCtrlC: policy.press, signal: policy.signal });
  const p = io.progress('deploying sam-app/');
  await settle();
  p.update(NOTE);
  const before = t.raw().length;
  p.succeed();
  const stayed = rows(t.raw().slice(before));
  assert.deepEqual(stayed.slice(-2), ['✔ (the embedded cloud is on port 37747, not 4566: use --endpoint-url', '  http://127.0.0.1:37747)']);
});
