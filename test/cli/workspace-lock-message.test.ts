/**
 * The workspace lock's refusal (src/lab/workspace-lock.ts) says since when the holder has held it
 * the same way on every machine: the local time as the plain face prints it (14:03:22) and how long
 * ago, never the locale's "1:28:22 PM". The holder here is this test process; the refused command
 * runs the built CLI under an en_US locale, whose toLocaleTimeString is the 12-hour clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { sinceText } from '../../src/io/format.js';
import { lockWorkspace } from '../../src/lab/workspace-lock.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { runCli } from '../helpers/cli.js';

test('since when: the local time to the second and its age, a day other than today in front', () => {
  const at = new Date(2026, 2, 14, 14, 3, 22);
  const plus = (ms: number) => new Date(at.getTime() + ms);
  assert.equal(sinceText(at, plus(40_000)), '14:03:22, 40 s ago');
  assert.equal(sinceText(at, plus(5 * 60_000 + 8_000)), '14:03:22, 5 min ago');
  assert.equal(sinceText(at, plus(2 * 3600_000 + 5 * 60_000)), '14:03:22, 2 h 5 min ago');
  assert.equal(sinceText(at, plus(3 * 86_400_000)), '2026-03-14 14:03:22, 3 d ago');
  // a clock set back between the two reads: not a negative age
  assert.equal(sinceText(at, plus(-2_000)), '14:03:22, 0 s ago');
});

test('a refused deploy names the holder since HH:MM:SS and how long ago, not in the locale format', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-ws-lock-msg-'));
  const ws = workspacePaths(dir);
  const lock = await lockWorkspace(ws, ['deploy']);
  try {
    const r = await runCli(['deploy', '--workspace', ws.root], { env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', NO_COLOR: '1' } });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`\\(pid ${process.pid}, since \\d\\d:\\d\\d:\\d\\d, \\d+ s ago\\)`), r.stderr);
    assert.doesNotMatch(r.stderr, /\b[AP]M\b/, r.stderr);
  } finally {
    await lock.release();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the holder is named with its workspace as an absolute path: `start --workspace ws` read from another folder named some other ws', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-ws-lock-rel-'));
  const ws = workspacePaths(dir);
  const argv = process.argv;
  // the holder was started as `… start --workspace <relative>` from this folder
  process.argv = [argv[0]!, argv[1]!, 'start', '--workspace', relative(process.cwd(), dir)];
  let lock;
  try {
    lock = await lockWorkspace(ws, ['start']);
  } finally {
    process.argv = argv;
  }
  try {
    const r = await runCli(['deploy', '--workspace', ws.root], { env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.code, 3, r.stderr);
    assert.ok(r.stderr.includes(`\`start --workspace ${ws.root}\` (pid ${process.pid}`), r.stderr);
  } finally {
    await lock.release();
    rmSync(dir, { recursive: true, force: true });
  }
});
