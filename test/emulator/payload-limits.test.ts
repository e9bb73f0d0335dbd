/**
 * Payload quotas as AWS documents them, with AWS's answers:
 *   - API Gateway REST APIs: 10 MB body → 413 `HTTP content length exceeded 10485760 bytes.`;
 *     a body that makes the proxy event larger than Lambda's 6 MB → 413 `{"message": "Request Too Long"}`
 *   - Lambda Invoke: 6 MB sync, 1 MB Event, 6 MB response (test/emulator/lambda/invoke.test.ts)
 *   - the embedded cloud reads no request over 128 MB: 413 before reading it, the connection kept
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { APIGatewayClient, CreateDeploymentCommand, CreateRestApiCommand, PutIntegrationCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway';
import { MAX_REQUEST_BYTES } from '../../src/emulator/server.js';
import { clientConfig, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { lambdaUri } from './apigateway/fixture.js';
import { createInput } from './lambda/harness.js';

let emu: TestEmulator;
let url: string;

before(async () => {
  emu = await startTestEmulator();
  const lambda = new LambdaClient(clientConfig(emu.endpoint));
  const apigw = new APIGatewayClient(clientConfig(emu.endpoint));
  try {
    await lambda.send(new CreateFunctionCommand(createInput('size', 'exports.handler = async (e) => ({ statusCode: 200, body: String((e.body || "").length) });')));
    const api = await apigw.send(new CreateRestApiCommand({ name: 'limits' }));
    const root = api.rootResourceId!;
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'POST', authorizationType: 'NONE' }));
    await apigw.send(
      new PutIntegrationCommand({ restApiId: api.id, resourceId: root, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri('size') }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    url = `${emu.endpoint}/restapis/${api.id}/prod/_user_request_/`;
  } finally {
    lambda.destroy();
    apigw.destroy();
  }
});
after(async () => {
  await emu.close();
});

test('API Gateway: a body under both quotas reaches the function', async () => {
  const res = await fetch(url, { method: 'POST', body: 'x'.repeat(1024 * 1024) });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), String(1024 * 1024));
});

test("API Gateway: a body whose proxy event is over Lambda's 6 MB answers 413 Request Too Long", async () => {
  const res = await fetch(url, { method: 'POST', body: 'x'.repeat(7 * 1024 * 1024) });
  assert.equal(res.status, 413);
  assert.deepEqual(await res.json(), { message: 'Request Too Long' });
  assert.ok(res.headers.get('x-amzn-requestid'));
});

test('API Gateway: a body over the 10 MB payload quota answers 413 before routing', async () => {
  for (const target of [url, `${emu.endpoint}/restapis/nope/prod/_user_request_/`]) {
    const res = await fetch(target, { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x61) });
    assert.equal(res.status, 413);
    assert.equal(await res.text(), 'HTTP content length exceeded 10485760 bytes.');
  }
  // exactly 10 MB is not over the quota (it is over Lambda's, so the function is not reached)
  const at = await fetch(url, { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024, 0x61) });
  assert.equal(at.status, 413);
  assert.deepEqual(await at.json(), { message: 'Request Too Long' });
});

test('a request declaring more than the cloud reads is refused with 413 before its body, and the connection serves on', async () => {
  const socket = connect(emu.port, '127.0.0.1');
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let received = '';
    // the whole answer: its head and its JSON body (bounded by the test runner's timeout, not a clock)
    const answered = new Promise<void>((resolve) =>
      socket.on('data', (d) => {
        received += d;
        if (/\r\n\r\n\{[^]*\}$/.test(received)) resolve();
      }),
    );
    socket.write(
      'POST /2015-03-31/functions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00\r\n' +
        `Content-Length: ${MAX_REQUEST_BYTES + 1}\r\n\r\n`,
    );
    await answered;
    assert.match(received, /^HTTP\/1\.1 413 /);
    assert.match(received, /x-amzn-ErrorType: RequestEntityTooLargeException/);
  } finally {
    socket.destroy();
  }
  const health = await fetch(`${emu.endpoint}/_lab/health`);
  assert.equal(health.status, 200);
});
