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
