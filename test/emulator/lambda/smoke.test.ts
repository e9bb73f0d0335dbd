import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfig, startTestEmulator } from '../../helpers/emulator.js';
import { createFn, handlers, text } from './harness.js';

test('wired emulator: create and invoke through startTestEmulator', async () => {
  const emu = await startTestEmulator();
  const client = new LambdaClient(clientConfig(emu.endpoint));
  try {
    const created = await createFn(client, 'smoke', handlers.echo);
    assert.equal(created.FunctionName, 'smoke');
    const out = await client.send(new InvokeCommand({ FunctionName: 'smoke', Payload: Buffer.from('{"a":1}') }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.deepEqual(JSON.parse(text(out.Payload)).event, { a: 1 });
  } finally {
    client.destroy();
    await emu.close();
  }
});
