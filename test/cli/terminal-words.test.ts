/**
 * The CLI's last words go through the I/O host (io/report.ts) as a command's other words do: on a
 * terminal they fit its width and the `error:` mark is coloured, unless NO_COLOR; piped, the same
 * bytes as before (wait-spinner.test.ts, startup.test.ts). The terminal is a pseudo-terminal from
 * util-linux `script`, as in wait-spinner.test.ts; no cloud is needed (status of a workspace with
 * no deploy answers with its error).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { CLI, ptySkip } from '../helpers/cli.js';

const skip = ptySkip();

// a temp workspace with a long name: the hint's command is wider than 80 columns
const dir = mkdtempSync(join(tmpdir(), 'sol-terminal-words-a-workspace-with-a-rather-long-name-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** the CLI in a pty of `columns` columns: its exit code and the raw bytes the terminal got */
function inPty(args: readonly string[], columns: number, env: NodeJS.ProcessEnv): Promise<{ code: number | null; raw: string }> {
  const cmd = `stty cols ${columns} rows 30; exec '${process.execPath}' '${CLI}' ${args.map((a) => `'${a}'`).join(' ')}`;
  return new Promise((resolve) => {
    execFile('script', ['-qefc', cmd, '/dev/null'], { env, timeout: 120_000, maxBuffer: 10_000_000 }, (err, stdout) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, raw: stdout });
    });
  });
}

test("the boundary's error on a terminal of 80 columns: its lines fit, `error:` in red; with NO_COLOR, no colour", { skip }, async () => {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  for (const noColor of [false, true]) {
    const r = await inPty(['status', '--workspace', dir], 80, noColor ? { ...env, NO_COLOR: '1' } : env);
    assert.equal(r.code, 1, r.raw);
    // the answer, after the spinner: its line cleared and the cursor shown again (wait-spinner.test.ts)
    const cleared = r.raw.indexOf('\u001b[?25h', r.raw.lastIndexOf('reading what is deployed'));
    assert.ok(cleared > 0, r.raw);
    const answer = r.raw.slice(cleared + '\u001b[?25h'.length);
    if (noColor) assert.doesNotMatch(answer, /\u001b\[3\dm/, JSON.stringify(answer));
    else assert.ok(answer.includes('\u001b[31merror:\u001b[39m'), JSON.stringify(answer));
    const lines = stripVTControlCharacters(answer).replace(/\r\n/g, '\n').trimEnd().split('\n');
    assert.equal(lines[0], 'error: nothing deployed from');
    for (const line of lines) assert.ok(line.length <= 80, `${line.length}: ${line}`);
    assert.match(lines.join('\n'), /^error: nothing deployed from\n {2}\/tmp\/\S+ yet\n {2}run this first:\n {4}\$ .*deploy --workspace \\\n {8}\/tmp\/\S+$/);
  }
});
