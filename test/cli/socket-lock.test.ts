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
import { socketLockAddress, socketLockHolderPid, takeSocketLock } from '../../src/socket-lock.js';

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

test('the pid of a lock\'s holder, from the system (Linux): an abstract address and a socket file; none for a lock nobody holds', { skip: process.platform !== 'linux' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-lockpid-'));
  // another process holds them, as a stopped cloud would: the pid is read, not asked for
  let holder: ReturnType<typeof spawn> | undefined;
  try {
    holder = spawn(process.execPath, ['-e', `
      const net = require('node:net');
      const a = net.createServer().listen('\\0' + process.argv[1]);
      const b = net.createServer().listen(process.argv[2]);
      let n = 0;
      const up = () => { if (++n === 2) process.stdout.write('up'); };
      a.on('listening', up); b.on('listening', up);
    `, socketLockAddress('test', dir).slice(1), join(dir, 'l.sock')]);
    const ended = once(holder, 'exit').then(() => Promise.reject(new Error('the holder ended before it listened')));
    await Promise.race([once(holder.stdout!, 'data'), ended]);
    ended.catch(() => undefined);
    assert.equal(socketLockHolderPid(socketLockAddress('test', dir)), holder.pid);
    assert.equal(socketLockHolderPid(join(dir, 'l.sock')), holder.pid);
    assert.equal(socketLockHolderPid(socketLockAddress('test', join(dir, 'other'))), undefined);
  } finally {
    if (holder && holder.exitCode === null && holder.signalCode === null) {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
