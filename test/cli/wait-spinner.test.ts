/**
 * `status` says nothing until its answer, which took 6–8 s on a loaded host: on a terminal a
 * spinner turns meanwhile (io/wait.ts) and is cleared before the answer; piped, its output is what
 * it was. (`list` had one too, while it loaded every step's code; it reads the lab's outline now,
 * steps/outline.ts, and answers at once: no spinner.) The terminal is a pseudo-terminal from util-linux `script`, as in
 * deploy-wait-interrupt.test.ts; no cloud is needed (status of a workspace with no deploy answers
 * with its error, after the spinner).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { CLI, ptySkip, runCli } from '../helpers/cli.js';

const skip = ptySkip();

const dir = mkdtempSync(join(tmpdir(), 'sol-wait-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** the CLI in a pty of `columns` columns: its exit code and the raw bytes the terminal got */
function inPty(args: readonly string[], columns: number): Promise<{ code: number | null; raw: string }> {
  const cmd = `stty cols ${columns} rows 30; exec '${process.execPath}' '${CLI}' ${args.map((a) => `'${a}'`).join(' ')}`;
  return new Promise((resolve) => {
    execFile('script', ['-qefc', cmd, '/dev/null'], { timeout: 120_000, maxBuffer: 10_000_000 }, (err, stdout) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, raw: stdout });
    });
  });
}

for (const [name, args, text, answer] of [
  ['status', ['status', '--workspace', dir], `reading what is deployed from ${dir}`, new RegExp(`^error: nothing deployed from ${dir} yet`, 'm')],
] as const) {
  test(`${name}: a spinner on a terminal while it loads, cleared before the answer; none when piped`, { skip }, async () => {
    const r = await inPty(args, 100);
    assert.equal(r.code, 1, r.raw);
    assert.ok(r.raw.includes(text), r.raw.slice(0, 2000));
    // ora clears its line (erase line) and shows the cursor again before the answer's first line
    const cleared = r.raw.indexOf('\x1b[?25h', r.raw.lastIndexOf(text));
    assert.ok(cleared > 0, 'the cursor is shown again after the spinner');
    const screen = stripVTControlCharacters(r.raw.slice(cleared)).replace(/\r\n/g, '\n');
    assert.match(screen, answer);
    assert.ok(!screen.includes(text), 'the answer comes after the spinner, not beside it');

    // a terminal that reports 0 columns: no spinner (ora would clear Infinity rows), the answer as usual
    const narrow = await inPty(args, 0);
    assert.ok(!narrow.raw.includes(text), narrow.raw.slice(0, 2000));
    assert.match(stripVTControlCharacters(narrow.raw).replace(/\r\n/g, '\n'), answer);

    // piped: no spinner, nothing changed
    const piped = await runCli([...args]);
    assert.ok(!`${piped.stdout}${piped.stderr}`.includes(text));
    assert.match(`${piped.stdout}${piped.stderr}`, answer);
  });
}
