import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { WorkerPool } from '../../../src/emulator/services/lambda/runner/index.js';
import { CodeDirs, fnConfig, json, request } from './fixtures.js';

describe('lambda runner: handlers', () => {
  const dirs = new CodeDirs();
  const pool = new WorkerPool();
  after(async () => {
    await pool.shutdown();
    dirs.cleanup();
  });

  async function run(files: Record<string, string>, handler = 'index.handler', event: unknown = { n: 1 }) {
    const config = fnConfig(dirs.write(files), { handler });
    return pool.invoke(config, request(config, event));
  }

  it('runs a CommonJS async handler', async () => {
    const r = await run({ 'index.js': 'exports.handler = async (event) => ({ got: event.n + 1 });' });
    assert.equal(r.functionError, undefined);
    assert.deepEqual(json(r.payload), { got: 2 });
  });

  it('runs an ESM handler from .mjs', async () => {
    const r = await run({ 'index.mjs': 'export const handler = async (event) => ({ esm: true, n: event.n });' });
    assert.deepEqual(json(r.payload), { esm: true, n: 1 });
  });

  it('loads .js as ESM when the nearest package.json says "type": "module"', async () => {
    const r = await run({
      'package.json': '{"type":"module"}',
      'src/app.js': 'export const handler = async () => typeof require;',
    }, 'src/app.handler');
    assert.deepEqual(json(r.payload), 'undefined');
  });

  it('loads .cjs and nested export paths', async () => {
    const r = await run({ 'lib/mod.cjs': 'module.exports = { api: { v1: { handler: async () => "nested" } } };' }, 'lib/mod.api.v1.handler');
    assert.deepEqual(json(r.payload), 'nested');
  });

  it('runs a callback handler and honours callbackWaitsForEmptyEventLoop', async () => {
    const waits = await run({
      'index.js': `let late = 0;
        exports.handler = (event, context, callback) => {
          if (event.check) return callback(null, late);
          setTimeout(() => { late++; }, 50);
          callback(null, 'waited');
        };`,
    });
    assert.deepEqual(json(waits.payload), 'waited');
    assert.ok(waits.durationMs >= 40, `waited for the timer, took ${waits.durationMs} ms`);

    const config = fnConfig(
      dirs.write({
        'index.js': `exports.handler = (event, context, callback) => {
          context.callbackWaitsForEmptyEventLoop = false;
          setTimeout(() => {}, 2000);
          callback(null, 'now');
        };`,
      }),
    );
    const quick = await pool.invoke(config, request(config));
    assert.deepEqual(json(quick.payload), 'now');
    assert.ok(quick.durationMs < 1500, `did not wait for the 2 s timer, took ${quick.durationMs} ms`);
  });

  it('answers null for undefined results and for a sync handler that never calls back', async () => {
    assert.equal((await run({ 'index.js': 'exports.handler = async () => undefined;' })).payload.toString(), 'null');
    assert.equal((await run({ 'index.js': 'exports.handler = () => {};' })).payload.toString(), 'null');
  });

  it('supports context.succeed and callback errors', async () => {
    assert.deepEqual(json((await run({ 'index.js': 'exports.handler = (e, ctx) => ctx.succeed({ ok: 1 });' })).payload), { ok: 1 });
    const r = await run({ 'index.js': 'exports.handler = (e, ctx, cb) => cb(new TypeError("bad input"));' });
    assert.equal(r.functionError, 'Unhandled');
    const doc = json(r.payload);
    assert.equal(doc.errorType, 'TypeError');
    assert.equal(doc.errorMessage, 'bad input');
    assert.equal(doc.trace[0], 'TypeError: bad input');
    const s = await run({ 'index.js': 'exports.handler = (e, ctx, cb) => cb("plain string");' });
    assert.deepEqual(json(s.payload), { errorType: 'string', errorMessage: 'plain string', trace: [] });
  });

  it('counts only the first answer of an async handler that succeeds and then rejects, and serves on', async () => {
    // the runtime's .catch(fail) after the promise's reactions: the rejection counts for nothing,
    // and it is not an unhandled rejection (that would end the environment: n would start again)
    const config = fnConfig(
      dirs.write({ 'index.js': 'let n = 0; exports.handler = async (e, ctx) => { n++; ctx.succeed({ n }); throw new Error("after"); };' }),
    );
    const first = await pool.invoke(config, request(config, {}));
    assert.deepEqual(json(first.payload), { n: 1 });
    assert.equal(first.functionError, undefined);
    assert.ok(first.maxMemoryUsedMB > 0, 'the first invocation reads Max Memory Used');
    assert.deepEqual(json((await pool.invoke(config, request(config, {}))).payload), { n: 2 });
  });

  it("settles an async handler's promise through the context's succeed and fail as the handler left them", async () => {
    // the runtime reads them from the context once the handler has returned (Runtime.js), so a
    // wrapper that replaces them is honoured
    const wrapped = await run({
      'index.js': 'exports.handler = async (e, ctx) => { const orig = ctx.succeed; ctx.succeed = (r) => orig({ wrapped: r }); return { a: 1 }; };',
    });
    assert.deepEqual(json(wrapped.payload), { wrapped: { a: 1 } });
    const failed = await run({
      'index.js': 'exports.handler = async (e, ctx) => { const orig = ctx.fail; ctx.fail = (err) => orig(new Error("wrapped: " + err.message)); throw new Error("inner"); };',
    });
    assert.equal(failed.functionError, 'Unhandled');
    assert.equal(json(failed.payload).errorMessage, 'wrapped: inner');
  });

  it('ends a throw from a replaced succeed with fail, and serves on', async () => {
    const config = fnConfig(
      dirs.write({ 'index.js': 'let n = 0; exports.handler = async (e, ctx) => { n++; ctx.succeed = () => { throw new Error("succeed broke " + n); }; return 1; };' }),
    );
    const first = await pool.invoke(config, request(config, {}));
    assert.equal(first.functionError, 'Unhandled');
    assert.equal(json(first.payload).errorMessage, 'succeed broke 1');
    assert.equal(json((await pool.invoke(config, request(config, {}))).payload).errorMessage, 'succeed broke 2');
  });

  it('reports a missing export as Runtime.HandlerNotFound', async () => {
    const r = await run({ 'index.js': 'exports.other = async () => 1;' });
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(json(r.payload).errorType, 'Runtime.HandlerNotFound');
    assert.equal(json(r.payload).errorMessage, 'index.handler is undefined or not exported');
  });

  it('reports an export that is not a function as Runtime.HandlerNotFound', async () => {
    const r = await run({ 'index.js': 'exports.handler = 42;' });
    assert.equal(json(r.payload).errorType, 'Runtime.HandlerNotFound');
    assert.equal(json(r.payload).errorMessage, 'index.handler is not a function');
  });

  it('reports a missing module as Runtime.ImportModuleError', async () => {
    const r = await run({ 'other.js': '' }, 'app.handler');
    assert.equal(r.functionError, 'Unhandled');
    const doc = json(r.payload);
    assert.equal(doc.errorType, 'Runtime.ImportModuleError');
    assert.equal(doc.errorMessage, "Error: Cannot find module 'app'\nRequire stack:\n- /var/runtime/index.mjs");
    assert.ok(r.initDurationMs !== undefined);
  });

  it('reports a syntax error as Runtime.UserCodeSyntaxError', async () => {
    const r = await run({ 'index.js': 'exports.handler = async () => {' });
    assert.equal(json(r.payload).errorType, 'Runtime.UserCodeSyntaxError');
  });

  it("an init that fails writes Lambda's INIT_REPORT (Phase: init, Status: error, the error's type) once, after the init's own lines and before START", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'index.mjs': "console.log('loading');\nthrow new Error('boom at load');\nexport const handler = async () => 1;" }, 'Error'],
      [{ 'index.js': "console.log('loading');\nprocess.exit(3);" }, 'Runtime.ExitError'],
    ];
    for (const [files, errorType] of cases) {
      const config = fnConfig(dirs.write(files));
      const r = await pool.invoke(config, request(config, {}, { tail: true }));
      assert.equal(r.functionError, 'Unhandled');
      const lines = r.log!.split('\n');
      const report = lines.filter((l) => l.startsWith('INIT_REPORT'));
      assert.equal(report.length, 1, r.log);
      assert.match(report[0]!, new RegExp(`^INIT_REPORT Init Duration: \\d+\\.\\d{2} ms\\tPhase: init\\tStatus: error\\tError Type: ${errorType.replace('.', '\\.')}$`));
      const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
      assert.ok(at(/loading/) < at(/^INIT_REPORT/) && at(/^INIT_REPORT/) < at(/^START /), r.log);
      assert.match(r.log!, new RegExp(`Status: error\\tError Type: ${errorType.replace('.', '\\.')}\\t\\n$`), 'the REPORT line names the same type');
    }
  });

  it('ends environments whose init failed', async () => {
    const before = pool.stats().environments;
    await run({ 'index.js': 'exports.nope = 1;' });
    assert.equal(pool.stats().environments, before);
  });

  it('hands the handler an event built in its own thread from posted parts, its builder loaded once', async () => {
    const dir = dirs.write({
      'builder.mjs': 'let loads = (globalThis.builderLoads ?? 0) + 1; globalThis.builderLoads = loads;\nexport const buildEvent = (parts) => ({ sum: parts[0] + parts[1], nested: parts[2], loads });',
      'index.js': 'exports.handler = async (event) => event;',
    });
    const config = fnConfig(dir);
    const built = (parts: unknown[]) => ({ builder: pathToFileURL(join(dir, 'builder.mjs')).href, parts, byteLength: () => 0 });
    const first = await pool.invoke(config, request(config, {}, { payload: built([1, 2, { a: ['x'] }]) }));
    assert.deepEqual(json(first.payload), { sum: 3, nested: { a: ['x'] }, loads: 1 });
    const second = await pool.invoke(config, request(config, {}, { payload: built([40, 2, null]) }));
    // `loads` is 1 in any isolate (import() evaluates a module once), so the same warm environment
    // is checked on its own: its builder, loaded by the first event, built the second one
    assert.equal(second.initDurationMs, undefined, 'the same warm environment');
    assert.deepEqual(json(second.payload), { sum: 42, nested: null, loads: 1 });
    const text = await pool.invoke(config, request(config, { n: 7 }));
    assert.deepEqual(json(text.payload), { n: 7 }, 'a JSON event still arrives parsed');
  });

  it('sends an environment only what its last built event did not have, and every event arrives whole', async () => {
    const dir = dirs.write({
      'parts.mjs': 'export const buildEvent = (parts) => ({ parts });',
      'other.mjs': 'export const buildEvent = (parts) => ({ other: parts });',
      'index.js': 'exports.handler = async (event, context) => ({ event, arn: context.invokedFunctionArn });',
    });
    const config = fnConfig(dir);
    const builder = (name: string) => pathToFileURL(join(dir, name)).href;
    const call = async (name: string, parts: unknown[], arn = config.functionArn) => {
      const r = await pool.invoke(config, request(config, {}, { payload: { builder: builder(name), parts, byteLength: () => 0 }, invokedFunctionArn: arn }));
      cold += r.initDurationMs === undefined ? 0 : 1;
      return json(r.payload);
    };
    let cold = 0;
    assert.deepEqual(await call('parts.mjs', ['stage', 'api', { h: 'x' }, 'a']), { event: { parts: ['stage', 'api', { h: 'x' }, 'a'] }, arn: config.functionArn });
    // the same strings at the same places, others changed, a string where an object was and back,
    // fewer and more parts, another ARN and back
    assert.deepEqual((await call('parts.mjs', ['stage', 'API', 'h', 'a'])).event, { parts: ['stage', 'API', 'h', 'a'] });
    assert.deepEqual((await call('parts.mjs', ['stage', 'API', { h: 'y' }, null])).event, { parts: ['stage', 'API', { h: 'y' }, null] });
    assert.deepEqual((await call('parts.mjs', ['stage'], `${config.functionArn}:live`)), { event: { parts: ['stage'] }, arn: `${config.functionArn}:live` });
    assert.deepEqual((await call('parts.mjs', ['stage', 'API', 'h', 'a', 'e'])), { event: { parts: ['stage', 'API', 'h', 'a', 'e'] }, arn: config.functionArn });
    // a JSON event between two built ones, then another builder with the same strings
    assert.deepEqual(json((await pool.invoke(config, request(config, { n: 1 }))).payload).event, { n: 1 });
    assert.deepEqual((await call('parts.mjs', ['stage', 'API', 'h', 'a', 'e'])).event, { parts: ['stage', 'API', 'h', 'a', 'e'] });
    assert.deepEqual((await call('other.mjs', ['stage', 'API', 'h'])).event, { other: ['stage', 'API', 'h'] });
    assert.deepEqual((await call('parts.mjs', ['stage', 'API', 'h'])).event, { parts: ['stage', 'API', 'h'] });
    // an event that could not be posted leaves the worker with the last one it got
    const uncloneable = { builder: builder('parts.mjs'), parts: ['x', 'API', () => 1], byteLength: () => 0 };
    await assert.rejects(pool.invoke(config, request(config, {}, { payload: uncloneable })), { name: 'DataCloneError' });
    assert.deepEqual((await call('parts.mjs', ['x', 'API', 'h'])).event, { parts: ['x', 'API', 'h'] });
    assert.equal(cold, 1, 'one environment served them all');
  });

  it('fails the invocation, not the environment, when an event builder cannot be loaded', async () => {
    const dir = dirs.write({ 'index.js': 'exports.handler = async (event) => event;', 'empty.mjs': 'export const other = 1;' });
    const config = fnConfig(dir);
    const missing = await pool.invoke(config, request(config, {}, { payload: { builder: pathToFileURL(join(dir, 'nope.mjs')).href, parts: [], byteLength: () => 0 } }));
    assert.equal(missing.functionError, 'Unhandled');
    assert.match(json(missing.payload).errorMessage, /nope\.mjs/);
    const noExport = await pool.invoke(config, request(config, {}, { payload: { builder: pathToFileURL(join(dir, 'empty.mjs')).href, parts: [], byteLength: () => 0 } }));
    assert.match(json(noExport.payload).errorMessage, /has no buildEvent export/);
    const next = await pool.invoke(config, request(config, { ok: true }));
    assert.deepEqual(json(next.payload), { ok: true });
    assert.equal(next.initDurationMs, undefined, 'the same warm environment served on');
  });

  it('loads the event builders the pool names in the init phase; one that cannot be loaded fails only the events that name it', async () => {
    const dir = dirs.write({
      'builder.mjs': 'globalThis.builderLoaded = true;\nexport const buildEvent = (parts) => ({ built: parts[0] });',
      'index.js': 'exports.handler = async (event) => ({ event, builderLoaded: globalThis.builderLoaded === true });',
    });
    const builder = pathToFileURL(join(dir, 'builder.mjs')).href;
    const missing = pathToFileURL(join(dir, 'missing.mjs')).href;
    const preloading = new WorkerPool({ eventBuilders: [builder, missing] });
    try {
      const config = fnConfig(dir);
      const first = await preloading.invoke(config, request(config, { n: 1 }));
      assert.deepEqual(json(first.payload), { event: { n: 1 }, builderLoaded: true }, 'loaded before any built event arrived');
      assert.notEqual(first.initDurationMs, undefined);
      const built = await preloading.invoke(config, request(config, {}, { payload: { builder, parts: ['x'], byteLength: () => 0 } }));
      assert.deepEqual(json(built.payload), { event: { built: 'x' }, builderLoaded: true });
      const failing = await preloading.invoke(config, request(config, {}, { payload: { builder: missing, parts: [], byteLength: () => 0 } }));
      assert.equal(failing.functionError, 'Unhandled');
      assert.match(json(failing.payload).errorMessage, /missing\.mjs/);
    } finally {
      await preloading.shutdown();
    }
  });

  it('rejects an invocation whose event cannot be handed over, and the environment serves on', async () => {
    const dir = dirs.write({ 'index.js': 'exports.handler = async (event) => event;' });
    const config = fnConfig(dir);
    const warm = await pool.invoke(config, request(config, { n: 1 }));
    assert.notEqual(warm.initDurationMs, undefined);
    const uncloneable = { builder: 'file:///nowhere.mjs', parts: [() => 1], byteLength: () => 0 };
    await assert.rejects(pool.invoke(config, request(config, {}, { payload: uncloneable })), { name: 'DataCloneError' });
    const next = await pool.invoke(config, request(config, { n: 2 }));
    assert.deepEqual(json(next.payload), { n: 2 });
    assert.equal(next.initDurationMs, undefined, 'the same environment, idle again at once');
  });
});
