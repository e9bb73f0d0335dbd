import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  DeleteFunctionConcurrencyCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFn, failure, handlers, startLambdaEmulator, until, type LambdaEmulator } from './harness.js';

describe('Lambda concurrency (reserved, unreserved pool, admission)', () => {
  let emu: LambdaEmulator;
  before(async () => {
    emu = await startLambdaEmulator();
    await createFn(emu.client, 'slow', handlers.untilReleased, { Timeout: 900 });
    await createFn(emu.client, 'other', handlers.echo);
  });
  after(() => emu.close());

  test('Put/Get/DeleteFunctionConcurrency and GetAccountSettings', async () => {
    const c = emu.client;
    const none = await c.send(new GetFunctionConcurrencyCommand({ FunctionName: 'other' }));
    assert.equal(none.ReservedConcurrentExecutions, undefined);
    const put = await c.send(new PutFunctionConcurrencyCommand({ FunctionName: 'other', ReservedConcurrentExecutions: 300 }));
    assert.equal(put.ReservedConcurrentExecutions, 300);
    assert.equal((await c.send(new GetFunctionConcurrencyCommand({ FunctionName: 'other' }))).ReservedConcurrentExecutions, 300);
    assert.equal((await c.send(new GetFunctionCommand({ FunctionName: 'other' }))).Concurrency?.ReservedConcurrentExecutions, 300);
    const settings = await c.send(new GetAccountSettingsCommand({}));
    assert.equal(settings.AccountLimit?.ConcurrentExecutions, 1000);
    assert.equal(settings.AccountLimit?.UnreservedConcurrentExecutions, 700);
    // 300 + 601 would leave 99 unreserved
    const e = await failure(c.send(new PutFunctionConcurrencyCommand({ FunctionName: 'slow', ReservedConcurrentExecutions: 601 })));
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(e.err.$metadata.httpStatusCode, 400);
    assert.equal(
      e.message,
      "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    );
    // exactly 100 left is allowed; re-reserving the same function counts its old value out
    await c.send(new PutFunctionConcurrencyCommand({ FunctionName: 'other', ReservedConcurrentExecutions: 900 }));
    const del = await c.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'other' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    assert.equal((await c.send(new GetAccountSettingsCommand({}))).AccountLimit?.UnreservedConcurrentExecutions, 1000);
    const neg = await failure(c.send(new PutFunctionConcurrencyCommand({ FunctionName: 'other', ReservedConcurrentExecutions: -1 })));
    assert.equal(neg.name, 'ValidationException');
    const missing = await failure(c.send(new PutFunctionConcurrencyCommand({ FunctionName: 'ghost', ReservedConcurrentExecutions: 1 })));
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  test('reserved 0 throttles every invocation', async () => {
    const c = emu.client;
    await c.send(new PutFunctionConcurrencyCommand({ FunctionName: 'other', ReservedConcurrentExecutions: 0 }));
    const e = await failure(c.send(new InvokeCommand({ FunctionName: 'other' })));
    assert.equal(e.name, 'TooManyRequestsException');
    assert.equal(e.err.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    await c.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'other' }));
    assert.equal((await c.send(new InvokeCommand({ FunctionName: 'other' }))).StatusCode, 200);
  });

  test('reserved 25, 50 simultaneous invokes held open: exactly 25 run, 25 throttled, peak exactly 25', async () => {
    const c = emu.client;
    await c.send(new PutFunctionConcurrencyCommand({ FunctionName: 'slow', ReservedConcurrentExecutions: 25 }));
    emu.lambda.backend.resetPeakConcurrency();
    // every admitted execution runs until the release file exists, so the outcome does not depend on
    // how fast a loaded machine sends the 50 calls
    const release = join(emu.stateDir, 'release-25');
    const Payload = Buffer.from(JSON.stringify({ release }));
    let refused = 0;
    const calls = Array.from({ length: 50 }, () =>
      c.send(new InvokeCommand({ FunctionName: 'slow', Payload })).then(
        (value) => ({ status: 'fulfilled' as const, value }),
        (reason) => (refused++, { status: 'rejected' as const, reason }),
      ),
    );
    await until(() => refused + emu.lambda.backend.inFlight('slow') >= 50);
    assert.equal(emu.lambda.backend.inFlight('slow'), 25);
    writeFileSync(release, '');
    const results = await Promise.all(calls);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const throttled = results.filter((r) => r.status === 'rejected');
    assert.equal(ok.length, 25);
    assert.equal(throttled.length, 25);
    for (const r of ok) assert.equal(r.value.FunctionError, undefined);
    for (const { reason } of throttled) {
      assert.equal(reason.name, 'TooManyRequestsException');
      assert.equal(reason.message, 'Rate Exceeded.');
      assert.equal(reason.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
      assert.equal(reason.Type, 'User');
      assert.equal(reason.retryAfterSeconds, '1');
      assert.equal(reason.$metadata.httpStatusCode, 429);
    }
    assert.equal(emu.lambda.backend.peakConcurrency('slow'), 25);
    assert.equal(emu.lambda.backend.peakConcurrencyTotal(), 25);
    assert.equal(emu.lambda.backend.inFlight('slow'), 0);
  });

  test('the reservation is shared by every version and alias of the function', async () => {
    const c = emu.client;
    await c.send(new PublishVersionCommand({ FunctionName: 'slow' }));
    await c.send(new CreateAliasCommand({ FunctionName: 'slow', Name: 'live', FunctionVersion: '1' }));
    await c.send(new PutFunctionConcurrencyCommand({ FunctionName: 'slow', ReservedConcurrentExecutions: 2 }));
    const release = join(emu.stateDir, 'release-shared');
    const Payload = Buffer.from(JSON.stringify({ release }));
    const running = [
      c.send(new InvokeCommand({ FunctionName: 'slow', Qualifier: '1', Payload })),
      c.send(new InvokeCommand({ FunctionName: 'slow:live', Payload })),
    ];
    assert.ok(await until(() => emu.lambda.backend.inFlight('slow') === 2), 'both executions started');
    for (const call of [{ FunctionName: 'slow' }, { FunctionName: 'slow', Qualifier: 'live' }, { FunctionName: 'slow', Qualifier: '1' }]) {
      const e = await failure(c.send(new InvokeCommand({ ...call, Payload })));
      assert.equal(e.err.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    writeFileSync(release, '');
    const done = await Promise.all(running);
    assert.deepEqual(done.map((d) => d.ExecutedVersion), ['1', '1']);
    await c.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'slow' }));
  });
});
