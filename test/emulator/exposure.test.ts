/**
 * The cloud checks no credentials and runs the code it is given with the user's rights: by
 * default it listens on 127.0.0.1 only, and any other --host is said to be open to others.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exposureWarning, isLoopback } from '../../src/emulator/exposure.js';
import { createEmulatorServer } from '../../src/emulator/server.js';
import { ensureEmulator, stopEmulator } from '../../src/emulator/daemon.js';
import { CLI } from '../helpers/cli.js';

test('loopback addresses are this machine; others are open to whoever reaches them', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.equal(isLoopback(h), true, h);
  for (const h of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) assert.equal(isLoopback(h), false, h);
  assert.equal(exposureWarning('127.0.0.1', 'http://127.0.0.1:4566'), undefined);
  assert.match(exposureWarning('0.0.0.0', 'http://0.0.0.0:4566') ?? '', /^warning: the embedded cloud listens on every network interface of this machine \(http:\/\/0\.0\.0\.0:4566\): anyone who can reach that address can run code in it/);
});

test('the server binds 127.0.0.1 when no host is given', async () => {
  const server = await createEmulatorServer({ port: 0, app: { services: [], frontDoors: [] } });
  try {
    assert.match(server.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  } finally {
    await server.close();
  }
});

test('the background cloud (deploy, status, emulator start) binds 127.0.0.1 by default', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-exposure-'));
  try {
    const emu = await ensureEmulator({ stateDir: dir, port: 0 });
    assert.equal(emu.record.host, '127.0.0.1');
    assert.match(emu.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  } finally {
    await stopEmulator(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

async function foreground(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sol-exposure-'));
  const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', '--state-dir', dir, ...args]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    // the second line comes once the cloud listens and has said everything it says at start
    for (let i = 0; i < 600 && !/Ctrl-C to stop/.test(stdout) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
    return { stdout, stderr };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

test('emulator: 127.0.0.1 unless --host says otherwise, and no warning then', async () => {
  const r = await foreground([]);
  assert.match(r.stdout, /listening on http:\/\/127\.0\.0\.1:\d+\n/);
  assert.doesNotMatch(r.stderr, /warning/);
});

test('emulator --host 0.0.0.0: warns that anyone who can reach it can run code in it', async () => {
  const r = await foreground(['--host', '0.0.0.0']);
  assert.match(r.stdout, /listening on http:\/\/0\.0\.0\.0:\d+\n/);
  assert.match(r.stderr, /warning: the embedded cloud listens on every network interface of this machine .*anyone who can reach that address can run code in it.*it checks no credentials/);
});
