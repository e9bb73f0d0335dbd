/**
 * The lock behind the workspace and the emulator (src/socket-lock.ts), at a socket file (how it
 * works where there are no abstract sockets, macOS): a file nobody listens on is a leftover and is
 * taken over; one whose holder is slow to answer (stopped with Ctrl-Z, its event loop busy) is not.
 */
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { takeSocketLock } from '../../src/socket-lock.js';

const me = () => ({ pid: process.pid, command: 'test' });

test('a socket file whose holder listens but does not answer in time is still held: not removed, not taken', { skip: process.platform === 'win32' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-socket-lock-'));
  const address = join(dir, 'lock.sock');
  // a holder that accepts and never answers
  const held: Socket[] = [];
  const holder = createServer((s) => void held.push(s));
  await new Promise<void>((r) => holder.listen(address, r));
  t.after(async () => {
    for (const s of held) s.destroy();
    await new Promise((r) => holder.close(r));
    rmSync(dir, { recursive: true, force: true });
  });
  const got = await takeSocketLock(address, me);
  assert.ok('heldBy' in got, 'the lock was taken from a live holder');
  assert.equal(got.heldBy, undefined);
  assert.ok(existsSync(address), 'the holder\'s socket file was removed');
});

test('a socket file nobody listens on (its holder ended without closing it) is taken over', { skip: process.platform === 'win32' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-socket-lock-'));
  const address = join(dir, 'lock.sock');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // a socket file left behind: its holder killed (SIGKILL runs no exit handler)
  const holder = spawn(process.execPath, ['-e', "require('node:net').createServer().listen(process.argv[1], () => console.log('up'))", address], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(holder.stdout!, 'data');
  holder.kill('SIGKILL');
  await once(holder, 'exit');
  assert.ok(existsSync(address));
  const got = await takeSocketLock(address, me);
  assert.ok(!('heldBy' in got), 'a leftover socket file kept the lock');
  await got.release();
});
