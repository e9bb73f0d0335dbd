import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { clientConfig, startTestEmulator } from '../../helpers/emulator.js';
import { createInput, handlers } from './harness.js';

interface Snapshot {
  accountLimit: number;
  unreservedLimit: number;
  inFlight: number;
  peak: number;
  functions: { functionName: string; reservedConcurrentExecutions: number | null; inFlight: number; peak: number }[];
}

test('GET /_lab/lambda/concurrency reports in-flight and peak executions beside the limits; reset starts the peaks again', async () => {
  const emu = await startTestEmulator();
  const client = new LambdaClient(clientConfig(emu.endpoint));
  const snapshot = async (path = '', method = 'GET'): Promise<Snapshot> => {
    const res = await fetch(`${emu.endpoint}/_lab/lambda/concurrency${path}`, { method });
    assert.equal(res.status, 200);
    return (await res.json()) as Snapshot;
  };
  try {
    await client.send(new CreateFunctionCommand(createInput('door-wait', handlers.wait1s)));
    await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'door-wait', ReservedConcurrentExecutions: 3 }));
    const calls = Array.from({ length: 5 }, () => client.send(new InvokeCommand({ FunctionName: 'door-wait' })).then(() => 'ok', (e: Error) => e.name));
    const outcomes = await Promise.all(calls);
    assert.equal(outcomes.filter((o) => o === 'ok').length, 3);

    const after = await snapshot();
    assert.equal(after.accountLimit, 1000);
    assert.equal(after.unreservedLimit, 997);
    assert.equal(after.inFlight, 0);
    assert.deepEqual(after.functions, [{ functionName: 'door-wait', reservedConcurrentExecutions: 3, inFlight: 0, peak: 3 }]);
    assert.equal(after.peak, 3);

    const reset = await snapshot('/reset', 'POST');
    assert.equal(reset.peak, 0);
    assert.equal(reset.functions[0].peak, 0);
    const wrong = await fetch(`${emu.endpoint}/_lab/lambda/concurrency/reset`);
    assert.equal(wrong.status, 405);
    await wrong.arrayBuffer();
  } finally {
    client.destroy();
    await emu.close();
  }
});
