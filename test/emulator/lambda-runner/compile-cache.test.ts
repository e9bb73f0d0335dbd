import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { CompileCacheBoot } from '../../../src/emulator/services/lambda/runner/messages.js';
import { WorkerPool } from '../../../src/emulator/services/lambda/runner/index.js';
import { compileCacheFolder } from '../../../src/emulator/services/lambda/runner/compile-cache-folders.js';
import { CodeDirs, fnConfig, json, request } from './fixtures.js';
import { eventually } from '../../helpers/eventually.js';

/** files of a folder and its subfolders (the cache keeps one folder per Node build) */
function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath ?? e.path, e.name));
  } catch {
    return [];
  }
}

/**
 * Loads `pkg` in a new worker (a new isolate, as an execution environment is: in one isolate V8
 * would reuse its own compilation of a source seen before, whatever the cache holds) with a
 * CompileCache installed, and answers what the module exported and how many modules came from the
 * cache. `write`: the worker writes the cache afterwards; `claimed`: another environment is writing.
 */
async function loadInWorker(boot: CompileCacheBoot, from: string, id: string, opts: { write?: boolean } = {}): Promise<{ hits: number; exports?: Record<string, unknown>; error?: string }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { createRequire } = require('node:module');
    import(workerData.module).then(({ CompileCache }) => {
      const cache = new CompileCache(workerData.boot);
      cache.install();
      let exports, error;
      try {
        exports = createRequire(workerData.from)(workerData.id);
      } catch (err) {
        error = err.name;
      }
      if (workerData.write) cache.write();
      parentPort.postMessage({ hits: cache.hits, exports, error });
    });`;
  const module = new URL('../../../src/emulator/services/lambda/runner/worker/compile-cache.js', import.meta.url).href;
  const worker = new Worker(code, { eval: true, workerData: { module, boot, from, id, write: opts.write === true } });
  try {
    return (await once(worker, 'message'))[0];
  } finally {
    await worker.terminate();
  }
}

describe('lambda runner: the code cache of the runtime SDK', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'lambda-compile-cache-test-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  // only files of `modulesDir` (here a folder of this test's own) are cached
  const modulesDir = path.join(root, 'node_modules');
  const pkg = path.join(modulesDir, 'pkg');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), '{"name":"pkg","main":"index.js"}');
  writeFileSync(
    path.join(pkg, 'index.js'),
    `'use strict';
    const dep = require('./dep');
    module.exports = {
      dep: dep.value,
      filename: __filename,
      dirname: __dirname,
      resolved: require.resolve('./dep'),
      paths: Array.isArray(require.resolve.paths('x')),
      cached: require.cache[__filename] === module,
      thisIsExports: this === exports,
      where: new Error('where').stack.split('\\n')[1],
    };`,
  );
  writeFileSync(path.join(pkg, 'dep.js'), 'exports.value = 42;');
  writeFileSync(path.join(pkg, 'broken.js'), 'exports.value = ;');
  writeFileSync(path.join(root, 'outside.js'), 'exports.outside = true;');
  const from = path.join(root, 'index.js');
  const boot: CompileCacheBoot = { dir: path.join(root, 'cache'), modulesDir, claim: new SharedArrayBuffer(4) };
  const expected = {
    dep: 42,
    filename: path.join(pkg, 'index.js'),
    dirname: pkg,
    resolved: path.join(pkg, 'dep.js'),
    paths: true,
    cached: true,
    thisIsExports: true,
    // stack traces name the module's own file and line
    where: `    at Object.<anonymous> (${path.join(pkg, 'index.js')}:11:14)`,
  };

  it('compiles the modules as Node does, writes their code once asked, and the next environment starts from it', async () => {
    const first = await loadInWorker(boot, from, 'pkg', { write: true });
    assert.deepEqual(first, { hits: 0, exports: expected, error: undefined });
    assert.equal(filesIn(boot.dir).length, 2, 'one file per module of the folder: index.js and dep.js');
    assert.deepEqual(await loadInWorker(boot, from, 'pkg'), { hits: 2, exports: expected, error: undefined });
  });

  it('leaves other files, syntax errors and ESM to Node', async () => {
    assert.deepEqual(await loadInWorker(boot, from, './outside.js', { write: true }), { hits: 0, exports: { outside: true }, error: undefined });
    assert.deepEqual(await loadInWorker(boot, from, 'pkg/broken.js', { write: true }), { hits: 0, exports: undefined, error: 'SyntaxError' });
    assert.equal(filesIn(boot.dir).length, 2);
  });

  it('compiles afresh a cache V8 refuses, and writes it again', async () => {
    for (const file of filesIn(boot.dir)) writeFileSync(file, 'not V8 code');
    assert.deepEqual(await loadInWorker(boot, from, 'pkg', { write: true }), { hits: 0, exports: expected, error: undefined });
    assert.equal((await loadInWorker(boot, from, 'pkg')).hits, 2);
  });

  it('one environment writes at a time: the others skip', async () => {
    rmSync(boot.dir, { recursive: true, force: true });
    const view = new Int32Array(boot.claim);
    view[0] = 1; // another environment is writing
    assert.equal((await loadInWorker(boot, from, 'pkg', { write: true })).hits, 0);
    assert.deepEqual(filesIn(boot.dir), []);
    view[0] = 0;
  });
});

describe('lambda runner: the code cache of the SDK stays bounded', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'lambda-compile-cache-bound-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('a module whose source changed (its package updated) is compiled afresh and its file written over: one file per module', async () => {
    const modulesDir = path.join(root, 'node_modules');
    const pkg = path.join(modulesDir, 'pkg');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'index.js'), "exports.value = require('./dep').value;");
    writeFileSync(path.join(pkg, 'dep.js'), 'exports.value = 1;');
    const boot: CompileCacheBoot = { dir: path.join(root, 'cache'), modulesDir, claim: new SharedArrayBuffer(4) };
    const from = path.join(root, 'index.js');
    assert.deepEqual(await loadInWorker(boot, from, 'pkg', { write: true }), { hits: 0, exports: { value: 1 }, error: undefined });
    for (const version of [2, 3]) {
      writeFileSync(path.join(pkg, 'dep.js'), `exports.value = ${version};`);
      // index.js is unchanged and comes from the cache; dep.js is new and is not
      assert.deepEqual(await loadInWorker(boot, from, 'pkg', { write: true }), { hits: 1, exports: { value: version }, error: undefined });
      assert.equal(filesIn(boot.dir).length, 2, `version ${version}: still one file per module`);
      assert.equal((await loadInWorker(boot, from, 'pkg')).hits, 2);
    }
  });

  it("a pool drops the caches of other Node builds and of the earlier format, and keeps its own and what is not a cache's", async () => {
    const cacheDir = path.join(root, 'pool-cache');
    const stale = [`node-v0.0.1-${process.arch}`, `node-${process.version}-${process.arch}`];
    for (const name of [...stale, compileCacheFolder()]) {
      mkdirSync(path.join(cacheDir, name), { recursive: true });
      writeFileSync(path.join(cacheDir, name, 'a.bin'), 'code');
    }
    writeFileSync(path.join(cacheDir, 'other'), 'not a cache');
    const pool = new WorkerPool({ compileCacheDir: cacheDir });
    try {
      assert.deepEqual(readdirSync(cacheDir).sort(), [compileCacheFolder(), 'other'].sort());
      assert.deepEqual(readdirSync(path.join(cacheDir, compileCacheFolder())), ['a.bin']);
    } finally {
      await pool.shutdown();
    }
  });
});

describe('lambda runner: environments share the code cache of the SDK', () => {
  const dirs = new CodeDirs();
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'lambda-compile-cache-pool-'));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"Functions":[]}');
    });
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    dirs.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('the first environment to answer writes it; environments of a later pool start from it and answer the same', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = fnConfig(
      dirs.write({
        'index.mjs': `import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
          const client = new LambdaClient({ maxAttempts: 1 });
          export const handler = async () => (await client.send(new ListFunctionsCommand({}))).Functions;`,
      }),
      { timeoutSeconds: 20 },
    );
    for (const round of ['writes', 'reads']) {
      const pool = new WorkerPool({ endpointUrl, compileCacheDir: cacheDir });
      try {
        const results = await Promise.all([1, 2, 3].map(() => pool.invoke(config, request(config))));
        for (const r of results) {
          assert.equal(r.functionError, undefined, `${round}: ${r.payload.toString()}`);
          assert.deepEqual(json(r.payload), []);
        }
        // written just after the first answer, by one environment
        await eventually(`${round}: the code cache written`, async () => filesIn(cacheDir).length, (n) => n > 0);
        assert.ok(filesIn(cacheDir).every((f) => path.basename(path.dirname(f)) === compileCacheFolder()));
      } finally {
        await pool.shutdown();
      }
    }
  });
});
