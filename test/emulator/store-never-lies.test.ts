/**
 * A change that cannot be stored does not take effect: with the state dir failing (read-only, full)
 * while the cloud runs, every change answers the service's own 5xx, the cloud goes on reporting
 * what it had, and a restart shows the same.
 *
 * Two disks: one that fails on demand at the store (every machine), and a real one when this
 * process may mount a small tmpfs (root with CAP_SYS_ADMIN): remounted read-only, then filled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
  ListFunctionsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { APIGatewayClient, CreateRestApiCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { atomicWrite } from '../../src/files.js';
import { StateStore } from '../../src/emulator/core/store.js';
import { clientConfig, startTestEmulator } from '../helpers/emulator.js';
import { createInput, handlers, zip } from './lambda/harness.js';

async function failure(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to fail');
}

interface Disk {
  /** from now on, state writes fail */
  fail(): void;
  /** and now they work again */
  heal(): void;
}

/**
 * What the learner did: a function with reserved concurrency 5, an alias, a bucket and an API; then
 * the disk fails and every change is refused; then it heals. Returns what must hold after a restart.
 */
async function changesWhileTheDiskFails(endpoint: string, disk: Disk, expectedCause: RegExp): Promise<string> {
  const lambda = new LambdaClient(clientConfig(endpoint));
  const apigw = new APIGatewayClient(clientConfig(endpoint));
  const s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
  try {
    await lambda.send(new CreateFunctionCommand(createInput('kept', handlers.version, { Timeout: 3 })));
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'kept', ReservedConcurrentExecutions: 5 }));
    await lambda.send(new PublishVersionCommand({ FunctionName: 'kept' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'kept-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'kept-bucket', Key: 'k', Body: 'v1' }));
    const api = await apigw.send(new CreateRestApiCommand({ name: 'kept-api' }));

    disk.fail();
    // Lambda: ServiceException (500), and nothing changed
    let e = await failure(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'kept', ReservedConcurrentExecutions: 10 })));
    assert.equal(e.name, 'ServiceException');
    assert.equal(e.$metadata.httpStatusCode, 500);
    assert.match(e.message, expectedCause);
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'kept' }))).ReservedConcurrentExecutions, 5);
    e = await failure(lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'kept' })));
    assert.equal(e.name, 'ServiceException');
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'kept' }))).ReservedConcurrentExecutions, 5);
    e = await failure(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'kept', Timeout: 9 })));
    assert.equal(e.name, 'ServiceException');
    assert.equal((await lambda.send(new GetFunctionCommand({ FunctionName: 'kept' }))).Configuration?.Timeout, 3);
    e = await failure(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'kept', ZipFile: zip({ 'index.js': handlers.echo }) })));
    assert.equal(e.name, 'ServiceException');
    e = await failure(lambda.send(new CreateAliasCommand({ FunctionName: 'kept', Name: 'live', FunctionVersion: '1' })));
    assert.equal(e.name, 'ServiceException');
    assert.equal((await failure(lambda.send(new GetAliasCommand({ FunctionName: 'kept', Name: 'live' })))).name, 'ResourceNotFoundException');
    e = await failure(lambda.send(new CreateFunctionCommand(createInput('refused', handlers.echo))));
    assert.equal(e.name, 'ServiceException');
    assert.deepEqual((await lambda.send(new ListFunctionsCommand({}))).Functions?.map((f) => f.FunctionName), ['kept']);
    // API Gateway: ServiceUnavailableException (503)
    e = await failure(apigw.send(new CreateRestApiCommand({ name: 'refused-api' })));
    assert.equal(e.name, 'ServiceUnavailableException');
    assert.equal(e.$metadata.httpStatusCode, 503);
    assert.deepEqual((await apigw.send(new GetRestApisCommand({}))).items?.map((a) => a.name), ['kept-api']);
    // S3: InternalError (500); the old object is still there, whole
    e = await failure(s3.send(new PutObjectCommand({ Bucket: 'kept-bucket', Key: 'k', Body: 'v2' })));
    assert.equal(e.$metadata.httpStatusCode, 500);
    assert.equal(e.name, 'InternalError');
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'kept-bucket', Key: 'k' }))).Body?.transformToString(), 'v1');
    e = await failure(s3.send(new CreateBucketCommand({ Bucket: 'refused-bucket' })));
    assert.equal(e.name, 'InternalError');
    assert.equal((await failure(s3.send(new HeadBucketCommand({ Bucket: 'refused-bucket' })))).$metadata.httpStatusCode, 404);

    disk.heal();
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'kept', ReservedConcurrentExecutions: 7 }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'kept', Name: 'live', FunctionVersion: '1' }));
    return api.id!;
  } finally {
    lambda.destroy();
    apigw.destroy();
    s3.destroy();
  }
}

/** after a restart: what was acknowledged is there, nothing that was refused is */
async function afterRestart(endpoint: string): Promise<void> {
  const lambda = new LambdaClient(clientConfig(endpoint));
  const apigw = new APIGatewayClient(clientConfig(endpoint));
  const s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
  try {
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'kept' }))).ReservedConcurrentExecutions, 7);
    assert.equal((await lambda.send(new GetFunctionCommand({ FunctionName: 'kept' }))).Configuration?.Timeout, 3);
    assert.equal((await lambda.send(new GetAliasCommand({ FunctionName: 'kept', Name: 'live' }))).FunctionVersion, '1');
    assert.deepEqual((await lambda.send(new ListFunctionsCommand({}))).Functions?.map((f) => f.FunctionName), ['kept']);
    assert.deepEqual((await apigw.send(new GetRestApisCommand({}))).items?.map((a) => a.name), ['kept-api']);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'kept-bucket', Key: 'k' }))).Body?.transformToString(), 'v1');
    assert.equal((await failure(s3.send(new HeadBucketCommand({ Bucket: 'refused-bucket' })))).$metadata.httpStatusCode, 404);
  } finally {
    lambda.destroy();
    apigw.destroy();
    s3.destroy();
  }
}

test('a disk that refuses writes (at the store): refused changes do not take effect, before and after a restart', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sol-never-lies-'));
  let failing: string | undefined;
  const store = new StateStore(stateDir, {
    writeFile: (path, data, beforeRename) => {
      if (failing) throw Object.assign(new Error(`${failing}: cannot write ${path}`), { code: failing });
      atomicWrite(path, data, beforeRename);
    },
  });
  try {
    const emu = await startTestEmulator({ stateDir, store });
    try {
      await changesWhileTheDiskFails(emu.endpoint, { fail: () => (failing = 'ENOSPC'), heal: () => (failing = undefined) }, /ENOSPC/);
    } finally {
      await emu.close();
    }
    const again = await startTestEmulator({ stateDir });
    try {
      await afterRestart(again.endpoint);
    } finally {
      await again.close();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

/** a tmpfs of `size` at a fresh folder, or undefined when this process may not mount */
function mountTmpfs(size: string): { dir: string; run(...args: string[]): void; unmount(): void } | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'sol-tmpfs-'));
  const run = (...args: string[]) => execFileSync('mount', args, { stdio: 'pipe' });
  try {
    run('-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    dir,
    run,
    unmount() {
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

const canMount = (() => {
  const probe = mountTmpfs('64k');
  probe?.unmount();
  return probe !== undefined;
})();

test('a real state dir remounted read-only, then full, while the cloud runs', { skip: canMount ? false : 'needs root and mount (tmpfs)' }, async () => {
  const fs = mountTmpfs('16m')!;
  try {
    const stateDir = join(fs.dir, 'state');
    // read-only
    const emu = await startTestEmulator({ stateDir });
    try {
      await changesWhileTheDiskFails(
        emu.endpoint,
        { fail: () => fs.run('-o', 'remount,ro', fs.dir), heal: () => fs.run('-o', 'remount,rw', fs.dir) },
        /EROFS/,
      );
    } finally {
      await emu.close();
    }
    const again = await startTestEmulator({ stateDir });
    try {
      await afterRestart(again.endpoint);
    } finally {
      await again.close();
    }
    // full: a filler takes every free byte, and goes again
    rmSync(stateDir, { recursive: true, force: true });
    const filler = join(fs.dir, 'filler');
    const fill = () => {
      try {
        for (let i = 0; ; i++) writeFileSync(`${filler}${i}`, Buffer.alloc(256 * 1024), { flag: 'w' });
      } catch (err) {
        assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
      }
      // the last few bytes too
      try {
        for (let i = 0; ; i++) writeFileSync(`${filler}-small${i}`, Buffer.alloc(512));
      } catch {
        // full
      }
    };
    const empty = () => execFileSync('sh', ['-c', `rm -f '${filler}'*`]);
    const full = await startTestEmulator({ stateDir });
    try {
      await changesWhileTheDiskFails(full.endpoint, { fail: fill, heal: empty }, /ENOSPC/);
    } finally {
      await full.close();
    }
    const afterFull = await startTestEmulator({ stateDir });
    try {
      await afterRestart(afterFull.endpoint);
    } finally {
      await afterFull.close();
    }
  } finally {
    fs.unmount();
  }
});
