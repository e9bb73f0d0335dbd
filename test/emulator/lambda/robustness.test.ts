import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAliasCommand, GetFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand, PublishVersionCommand, CreateAliasCommand, PutFunctionConcurrencyCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { awsCli, skipWithoutAws, stopAwsCli } from '../../helpers/aws-cli.js';
import { clientConfig, scopeOnlyAuthorization, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { createFn, failure, handlers, text } from './harness.js';

// the aws CLI driver this file's calls started (see test/helpers/aws-cli.ts), ended by its PID
after(stopAwsCli);

/** a raw request, signed only by its credential scope (what the server uses to pick the service) */
async function raw(endpoint: string, method: string, path: string, body?: string) {
  const res = await fetch(endpoint + path, {
    method,
    body,
    headers: {
      'content-type': 'application/json',
      authorization: scopeOnlyAuthorization('lambda'),
    },
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: text ? JSON.parse(text) : undefined };
}

describe('bad input gets AWS-shaped 4xx and the emulator keeps serving', () => {
  let emu: TestEmulator;
  let client: LambdaClient;
  before(async () => {
    emu = await startTestEmulator();
    client = new LambdaClient(clientConfig(emu.endpoint));
    await createFn(client, 'ok', handlers.echo);
  });
  after(async () => {
    client.destroy();
    await emu.close();
  });

  test('malformed JSON, wrong types, unknown routes, `../` and over-long names', async () => {
    const bad = await raw(emu.endpoint, 'POST', '/2015-03-31/functions', '{"FunctionName": ');
    assert.ok(bad.status >= 400 && bad.status < 500, `status ${bad.status}`);
    assert.ok(bad.type);
    const wrongType = await raw(emu.endpoint, 'POST', '/2015-03-31/functions', JSON.stringify({ FunctionName: 'x', Timeout: 'abc', Role: 'r' }));
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.type, 'InvalidRequestContentException');
    assert.match(wrongType.body.message, /Timeout/);
    const wrongName = await raw(emu.endpoint, 'POST', '/2015-03-31/functions', JSON.stringify({ FunctionName: 42 }));
    assert.equal(wrongName.type, 'InvalidRequestContentException');
    const unknown = await raw(emu.endpoint, 'GET', '/2015-03-31/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.type, 'UnknownOperationException');
    const dots = await raw(emu.endpoint, 'GET', '/2015-03-31/functions/..%2F..%2Fetc');
    assert.equal(dots.status, 400);
    assert.equal(dots.type, 'ValidationException');
    let e = await failure(client.send(new GetFunctionCommand({ FunctionName: '../../etc/passwd' })));
    assert.equal(e.name, 'ValidationException');
    assert.match(e.message, /^1 validation error detected: Value '..\/..\/etc\/passwd' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    const long = 'f'.repeat(141);
    e = await failure(client.send(new GetFunctionCommand({ FunctionName: long })));
    assert.equal(e.name, 'ValidationException');
    assert.equal(e.message, `1 validation error detected: Value '${long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 140`);
    e = await failure(client.send(new GetAliasCommand({ FunctionName: 'ok', Name: 'a'.repeat(129) })));
    assert.equal(e.name, 'ValidationException');
    e = await failure(client.send(new InvokeCommand({ FunctionName: 'ok', InvocationType: 'Sometimes' as any })));
    assert.equal(e.name, 'ValidationException');
    // still serving
    const out = await client.send(new InvokeCommand({ FunctionName: 'ok', Payload: Buffer.from('{"still":"here"}') }));
    assert.deepEqual(JSON.parse(text(out.Payload)).event, { still: 'here' });
  });
});

test('stop and restart on the same state dir: functions, code, versions, aliases, concurrency are all there', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sol-lambda-restart-'));
  try {
    const first = await startTestEmulator({ stateDir });
    const c1 = new LambdaClient(clientConfig(first.endpoint));
    let created;
    try {
      created = await createFn(c1, 'keep', handlers.version);
      await c1.send(new PublishVersionCommand({ FunctionName: 'keep' }));
      await c1.send(new CreateAliasCommand({ FunctionName: 'keep', Name: 'live', FunctionVersion: '1' }));
      await c1.send(new PutFunctionConcurrencyCommand({ FunctionName: 'keep', ReservedConcurrentExecutions: 5 }));
    } finally {
      c1.destroy();
      await first.close();
    }
    const second = await startTestEmulator({ stateDir });
    const c2 = new LambdaClient(clientConfig(second.endpoint));
    try {
      const got = await c2.send(new GetFunctionCommand({ FunctionName: 'keep' }));
      assert.equal(got.Configuration?.CodeSha256, created.CodeSha256);
      assert.equal(got.Configuration?.RevisionId, created.RevisionId);
      assert.equal(got.Concurrency?.ReservedConcurrentExecutions, 5);
      const alias = await c2.send(new GetAliasCommand({ FunctionName: 'keep', Name: 'live' }));
      assert.equal(alias.FunctionVersion, '1');
      const out = await c2.send(new InvokeCommand({ FunctionName: 'keep:live' }));
      assert.equal(out.ExecutedVersion, '1');
      assert.equal(text(out.Payload), '"1"');
      const list = await c2.send(new ListFunctionsCommand({}));
      assert.deepEqual(list.Functions?.map((f) => f.FunctionName), ['keep']);
      // the next version number continues after the restart
      await c2.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'keep', Timeout: 7 }));
      assert.equal((await c2.send(new PublishVersionCommand({ FunctionName: 'keep' }))).Version, '2');
    } finally {
      c2.destroy();
      await second.close();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test('aws CLI v1: list-functions and invoke', { skip: skipWithoutAws }, async () => {
  const emu = await startTestEmulator();
  const client = new LambdaClient(clientConfig(emu.endpoint));
  const out = mkdtempSync(join(tmpdir(), 'sol-lambda-cli-'));
  try {
    await createFn(client, 'cli-fn', handlers.echo);
    // one attempt: a failing call answers at once, not after botocore's retries
    const aws = (...args: string[]) => awsCli(emu.endpoint, ['lambda', ...args], { env: { AWS_MAX_ATTEMPTS: '1' } });
    const list = await aws('list-functions');
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout).Functions.map((f: any) => f.FunctionName), ['cli-fn']);
    const outfile = join(out, 'out.json');
    const inv = await aws('invoke', '--function-name', 'cli-fn', '--payload', '{"from":"cli"}', outfile);
    assert.equal(inv.code, 0, inv.stderr);
    assert.deepEqual(JSON.parse(inv.stdout), { StatusCode: 200, ExecutedVersion: '$LATEST' });
    assert.deepEqual(JSON.parse(readFileSync(outfile, 'utf8')).event, { from: 'cli' });
    const missing = await aws('get-function', '--function-name', 'nope');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /ResourceNotFoundException.*Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope/);
  } finally {
    client.destroy();
    await emu.close();
    rmSync(out, { recursive: true, force: true });
  }
});
