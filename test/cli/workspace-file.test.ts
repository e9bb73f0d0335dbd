/** `--workspace` naming a file: one plain line saying so (not EEXIST or ENOTDIR), exit 2, nothing made. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

for (const args of [['deploy'], ['status'], ['emulator', 'start'], ['emulator', 'status'], ['emulator', '--port', '0']]) {
  test(`${args.join(' ')} --workspace <a file>: "is a file, not a folder", exit 2, the file untouched`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sol-wsfile-'));
    try {
      const file = join(dir, 'notes.txt');
      writeFileSync(file, 'my notes\n');
      const r = await runCli([...args, '--workspace', file]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `error: --workspace ${file} is a file, not a folder\n  name a folder (it is made if missing), e.g. --workspace lab-workspace\n`);
      assert.equal(readFileSync(file, 'utf8'), 'my notes\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
