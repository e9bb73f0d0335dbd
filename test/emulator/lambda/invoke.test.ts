import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { createFn, failure, handlers, startLambdaEmulator, text, type LambdaEmulator } from './harness.js';

describe('Invoke: types, logs, limits and faults', () => {
  let emu: LambdaEmulator;
  before(async () => {
    emu = await startLambdaEmulator();
    await createFn(emu.client, 'echo', handlers.echo);
    await createFn(emu.client, 'logs', handlers.logs);
    await createFn(emu.client, 'throws', handlers.throws);
    await createFn(emu.client, 'sleeps', handlers.sleeps, { Timeout: 1 });
    await createFn(emu.client, 'exits', handlers.exits);
    await createFn(emu.client, 'oom', handlers.oom, { MemorySize: 128, Timeout: 30 });
    await createFn(emu.client, 'big', handlers.big);
  });
  after(() => emu.close());

  const invoke = (over: Partial<ConstructorParameters<typeof InvokeCommand>[0]>) =>
    emu.client.send(new InvokeCommand({ FunctionName: 'echo', ...over }));

  test('RequestResponse 200 with the result and X-Amz-Executed-Version', async () => {
    const out = await invoke({ Payload: Buffer.from('{"k":"v"}') });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.equal(out.FunctionError, undefined);
    const body = JSON.parse(text(out.Payload));
    assert.deepEqual(body.event, { k: 'v' });
    assert.equal(body.arn, 'arn:aws:lambda:us-east-1:000000000000:function:echo');
  });

  test('Event 202, DryRun 204', async () => {
    const ev = await invoke({ InvocationType: 'Event', Payload: Buffer.from('{}') });
    assert.equal(ev.StatusCode, 202);
    const dry = await invoke({ InvocationType: 'DryRun' });
    assert.equal(dry.StatusCode, 204);
    await emu.lambda.backend.events.idle();
    assert.equal(emu.lambda.backend.events.completed >= 1, true);
  });

  test('LogType Tail: base64 of the last 4 KB of the log', async () => {
    const out = await invoke({ FunctionName: 'logs', LogType: 'Tail' });
    assert.ok(out.LogResult);
    const log = Buffer.from(out.LogResult!, 'base64');
    assert.ok(log.length <= 4096 && log.length > 3000, `tail of ${log.length} bytes`);
    assert.match(log.toString('utf8'), /line 199/);
    assert.match(log.toString('utf8'), /REPORT RequestId/);
    const none = await invoke({ FunctionName: 'logs' });
    assert.equal(none.LogResult, undefined);
  });

  test('payload limits: 6 MB sync, 1 MB Event, 6 MB response, and JSON only', async () => {
    const big = Buffer.from(JSON.stringify('x'.repeat(6 * 1024 * 1024)));
    let e = await failure(invoke({ Payload: big }));
    assert.equal(e.name, 'RequestEntityTooLargeException');
    assert.equal(e.err.$metadata.httpStatusCode, 413);
    assert.equal(e.message, 'Request must be smaller than 6291456 bytes for the InvokeFunction operation');
    // 1 MB since October 2025 (was 256 KB): a 300 KB event is taken, one over 1 MB refused
    const taken = await invoke({ InvocationType: 'Event', Payload: Buffer.from(JSON.stringify('x'.repeat(300 * 1024))) });
    assert.equal(taken.StatusCode, 202);
    const event = Buffer.from(JSON.stringify('x'.repeat(1024 * 1024)));
    e = await failure(invoke({ InvocationType: 'Event', Payload: event }));
    assert.equal(e.name, 'RequestEntityTooLargeException');
    assert.equal(e.err.$metadata.httpStatusCode, 413);
    assert.equal(e.message, `${event.length} byte payload is too large for the Event invocation type (limit 1048576 bytes)`);
    e = await failure(invoke({ Payload: Buffer.from('{not json') }));
    assert.equal(e.name, 'InvalidRequestContentException');
    assert.match(e.message, /^Could not parse request body into json: Could not parse payload into json/);
    const out = await invoke({ FunctionName: 'big' });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(JSON.parse(text(out.Payload)), {
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
  });

  function assertFunctionError(out: InvokeCommandOutput, errorType: RegExp, message?: RegExp) {
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const body = JSON.parse(text(out.Payload));
    assert.match(body.errorType, errorType);
    if (message) assert.match(body.errorMessage, message);
  }

  test('faults: throw, timeout, process.exit, out of memory give AWS error shapes; the emulator keeps serving', async () => {
    const thrown = await invoke({ FunctionName: 'throws' });
    assertFunctionError(thrown, /^TypeError$/, /^boom$/);
    assert.ok(Array.isArray(JSON.parse(text(thrown.Payload)).trace));
    assertFunctionError(await invoke({ FunctionName: 'sleeps' }), /^Sandbox\.Timedout$/, /Task timed out after 1\.00 seconds/);
    assertFunctionError(await invoke({ FunctionName: 'exits' }), /^Runtime\.ExitError$/, /exit status 3/);
    assertFunctionError(await invoke({ FunctionName: 'oom' }), /^Runtime\.OutOfMemory$/);
    // each failure discarded only its own environment: the next call succeeds
    for (const name of ['throws', 'sleeps', 'exits', 'oom']) assert.equal(emu.lambda.backend.inFlight(name), 0);
    const ok = await invoke({ Payload: Buffer.from('{"after":"faults"}') });
    assert.deepEqual(JSON.parse(text(ok.Payload)).event, { after: 'faults' });
    const stats = emu.runner.stats();
    assert.equal(stats.busy, 0);
    // crashed and timed-out environments are gone; only warm idle ones remain
    assert.equal(stats.environments, stats.idle);
  });

  test('the names Invoke is called with are checked on every call, however often they came before', async () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:echo';
    for (let i = 0; i < 2; i++) {
      assert.equal((await invoke({ FunctionName: arn })).StatusCode, 200);
      assert.equal((await invoke({ FunctionName: 'echo', Qualifier: '$LATEST' })).StatusCode, 200);
      const bad = await failure(invoke({ FunctionName: 'echo!' }));
      assert.equal(bad.name, 'ValidationException');
      const mismatch = await failure(invoke({ FunctionName: 'echo:1', Qualifier: '2' }));
      assert.equal(mismatch.name, 'InvalidParameterValueException');
      const elsewhere = await failure(invoke({ FunctionName: arn.replace('us-east-1', 'eu-west-1') }));
      assert.equal(elsewhere.name, 'ResourceNotFoundException');
      assert.match(elsewhere.message, /not reachable in this region/);
      assert.equal((await failure(invoke({ FunctionName: 'echo', Qualifier: '9' }))).name, 'ResourceNotFoundException');
    }
  });

  test('no worker left behind after shutdown', async () => {
    const own = await startLambdaEmulator();
    await createFn(own.client, 'w', handlers.echo);
    await Promise.all(Array.from({ length: 3 }, () => own.client.send(new InvokeCommand({ FunctionName: 'w' }))));
    assert.ok(own.runner.liveWorkers >= 1);
    await own.close();
    assert.equal(own.runner.liveWorkers, 0);
    assert.equal(own.runner.stats().environments, 0);
  });
});
