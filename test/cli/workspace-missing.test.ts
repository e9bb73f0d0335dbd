/**
 * A command that fails or finds nothing leaves nothing and hides nothing: `emulator --host` with no
 * such local address makes no workspace; `list` says a workspace is not there for every form of
 * path; an empty --workspace is a usage error (not the current folder).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

test('emulator --host <no local address> --workspace NEW: fails and makes nothing, in the background and the foreground', async () => {
  const dir = tempDir('sol-fsf-host-');
  for (const args of [['emulator', 'start'], ['emulator', '--port', '0']]) {
    const ws = join(dir, 'NEW', 'deeper');
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine
    const r = await runCli([...args, '--host', '192.0.2.1', '--workspace', ws]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /cannot bind to 192\.0\.2\.1: no such local address/);
    assert.ok(!existsSync(join(dir, 'NEW')), `${args.join(' ')} left ${join(dir, 'NEW')}`);
  }
});

test('list: an empty --workspace is a usage error; a workspace that is not there is said so, exit 1, for every form of path', async () => {
  const empty = await runCli(['list', '--workspace', '']);
  assert.equal(empty.code, 2, empty.stderr);
  assert.match(empty.stderr, /^error: --workspace needs a folder, got nothing\n/);
  const dir = tempDir('sol-fsf-list-');
  writeFileSync(join(dir, 'file'), '');
  for (const path of [join(dir, 'typo'), '/proc/1/nonexist', join(dir, 'file', 'x')]) {
    // exit 1, as status and reset answer a workspace that is not there: a script's `list && …` stops;
    // the steps are still listed on stdout, the lab's outline
    const r = await runCli(['list', '--workspace', path]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /wrap-up — /);
    assert.match(r.stderr, new RegExp(`^error: no workspace at ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ :]`));
    assert.doesNotMatch(r.stdout + r.stderr, /no progress yet/);
    const asJson = await runCli(['list', '--workspace', path, '--json']);
    assert.equal(asJson.code, 1, asJson.stderr);
    const json = JSON.parse(asJson.stdout) as { workspaceExists: boolean };
    assert.equal(json.workspaceExists, false);
  }
});

test('status: a workspace that is not there is said as list says it (no workspace at DIR (a typo?)), exit 1; one with nothing deployed as before', async () => {
  const dir = tempDir('sol-fsf-status-');
  writeFileSync(join(dir, 'file'), '');
  for (const path of [join(dir, 'typo'), join(dir, 'file', 'x')]) {
    for (const json of [[], ['--json']]) {
      const r = await runCli(['status', '--workspace', path, ...json]);
      assert.equal(r.code, 1, r.stderr);
      // it said `nothing deployed from DIR yet`, as if the folder were a workspace
      assert.match(r.stderr, new RegExp(`^error: no workspace at ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ :].*\\(a typo\\?\\)`), r.stderr);
      assert.doesNotMatch(r.stderr, /nothing deployed/);
      assert.ok(!existsSync(join(dir, 'typo')), 'status made no workspace');
    }
  }
  const typo = await runCli(['status', '--workspace', join(dir, 'typo')]);
  assert.match(typo.stderr, /this makes one and begins:\n\s+\$ .*start (-- )?--workspace /); // `npm start -- …` under npm test
  // a folder that is there and holds nothing deployed: as before
  const empty = await runCli(['status', '--workspace', dir]);
  assert.equal(empty.code, 1, empty.stderr);
  assert.match(empty.stderr, /^error: nothing deployed from .* yet/);
});
