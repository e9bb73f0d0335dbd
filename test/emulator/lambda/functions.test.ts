import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  DeleteFunctionCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2, UpdateFunctionConfigurationCommand as UpdateConfig } from '@aws-sdk/client-lambda';
import { clientConfig, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { createFn, createInput, failure, handlers, zip } from './harness.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

describe('Lambda functions and versions (SDK against the wired emulator)', () => {
  let emu: TestEmulator;
  let client: LambdaClient;
  before(async () => {
    emu = await startTestEmulator();
    client = new LambdaClient(clientConfig(emu.endpoint));
  });
  after(async () => {
    client.destroy();
    await emu.close();
  });

  test('CreateFunction returns the configuration as AWS does', async () => {
    const input = createInput('fn-create', handlers.echo, { Environment: { Variables: { A: '1' } }, Timeout: 10, MemorySize: 256 });
    const zipBytes = input.Code!.ZipFile!;
    const out = await createFn(client, 'fn-create', handlers.echo, {
      Code: { ZipFile: zipBytes },
      Environment: { Variables: { A: '1' } },
      Timeout: 10,
      MemorySize: 256,
    });
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.equal(out.FunctionArn, `${ARN}:fn-create`);
    assert.equal(out.CodeSha256, createHash('sha256').update(zipBytes).digest('base64'));
    assert.equal(out.CodeSize, zipBytes.length);
    assert.equal(out.Version, '$LATEST');
    assert.match(out.RevisionId!, /^[0-9a-f-]{36}$/);
    assert.match(out.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    // created asynchronously on AWS: Pending in this answer, Active once read (test/parity/)
    assert.equal(out.State, 'Pending');
    assert.equal(out.StateReasonCode, 'Creating');
    assert.equal(out.LastUpdateStatus, undefined);
    const read = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-create' }));
    assert.equal(read.State, 'Active');
    assert.equal(read.LastUpdateStatus, 'Successful');
    assert.equal(out.PackageType, 'Zip');
    assert.deepEqual(out.Architectures, ['x86_64']);
    assert.deepEqual(out.Environment?.Variables, { A: '1' });
    assert.equal(out.Timeout, 10);
    assert.equal(out.MemorySize, 256);
    assert.equal(out.Handler, 'index.handler');
  });

  test("Pending, then Active; InProgress, then Successful: the SDK's waiters see the function ready", async () => {
    const created = await createFn(client, 'fn-states', handlers.echo);
    assert.equal(created.State, 'Pending');
    const active = await waitUntilFunctionActiveV2({ client, maxWaitTime: 60 }, { FunctionName: 'fn-states' });
    assert.equal(active.state, 'SUCCESS');
    const updated = await client.send(new UpdateConfig({ FunctionName: 'fn-states', Timeout: 9 }));
    assert.equal(updated.LastUpdateStatus, 'InProgress');
    const done = await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 60 }, { FunctionName: 'fn-states' });
    assert.equal(done.state, 'SUCCESS');
  });

  test('defaults: Timeout 3, MemorySize 128', async () => {
    const out = await createFn(client, 'fn-defaults', handlers.echo);
    assert.equal(out.Timeout, 3);
    assert.equal(out.MemorySize, 128);
  });

  test('CreateFunction of an existing name: ResourceConflictException', async () => {
    await createFn(client, 'fn-dup', handlers.echo);
    const e = await failure(createFn(client, 'fn-dup', handlers.echo));
    assert.equal(e.name, 'ResourceConflictException');
    assert.equal(e.message, 'Function already exist: fn-dup');
    assert.equal(e.err.$metadata.httpStatusCode, 409);
    assert.equal(e.err.Type, 'User');
  });

  test('CreateFunction validation: runtime, timeout, memory, handler, name', async () => {
    let e = await failure(createFn(client, 'fn-bad', handlers.echo, { Runtime: 'nodejs14.x' }));
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(
      e.message,
      'The runtime parameter of nodejs14.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.',
    );
    e = await failure(createFn(client, 'fn-bad', handlers.echo, { Runtime: 'python3.12' }));
    assert.equal(e.name, 'InvalidParameterValueException');
    e = await failure(createFn(client, 'fn-bad', handlers.echo, { Runtime: 'cobol' as any }));
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.match(e.message, /^Value cobol at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[.*\] or be a valid ARN$/);
    e = await failure(createFn(client, 'fn-bad', handlers.echo, { Timeout: 901 }));
    assert.equal(e.name, 'ValidationException');
    assert.equal(e.message, "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900");
    e = await failure(createFn(client, 'fn-bad', handlers.echo, { Timeout: 0 }));
    assert.equal(e.message, "1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1");
    e = await failure(createFn(client, 'fn-bad', handlers.echo, { MemorySize: 64 }));
    assert.equal(e.message, "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128");
    e = await failure(createFn(client, 'fn-bad', handlers.echo, { MemorySize: 20000 }));
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(e.message, "'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to 10240");
    e = await failure(createFn(client, 'fn-bad', handlers.echo, { Handler: undefined }));
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(e.message, 'Runtime and Handler are mandatory parameters for functions created with deployment packages.');
    const long = 'a'.repeat(65);
    e = await failure(createFn(client, long, handlers.echo));
    // AWS's own mix: InvalidParameterValueException in the validation wording (test/parity/)
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(e.message, `1 validation error detected: Value '${long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`);
    e = await failure(createFn(client, 'bad name!', handlers.echo));
    assert.equal(e.name, 'ValidationException');
    assert.match(e.message, /Value 'bad name!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });

  test('CreateFunction with a bad zip: InvalidParameterValueException', async () => {
    const e = await failure(createFn(client, 'fn-badzip', handlers.echo, { Code: { ZipFile: Buffer.from('not a zip') } }));
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(e.message, 'Could not unzip uploaded file. Please check your file, then try to upload again.');
    const slip = await failure(createFn(client, 'fn-slip', handlers.echo, { Code: { ZipFile: zip({ '../evil.js': 'x' }) } }));
    assert.equal(slip.name, 'InvalidParameterValueException');
  });

  test('GetFunction and GetFunctionConfiguration by name, partial ARN, full ARN and qualifier', async () => {
    await createFn(client, 'fn-get', handlers.echo);
    for (const ref of ['fn-get', '000000000000:function:fn-get', `${ARN}:fn-get`]) {
      const conf = await client.send(new GetFunctionConfigurationCommand({ FunctionName: ref }));
      assert.equal(conf.FunctionName, 'fn-get');
      assert.equal(conf.FunctionArn, `${ARN}:fn-get`);
    }
    const full = await client.send(new GetFunctionCommand({ FunctionName: 'fn-get' }));
    assert.equal(full.Configuration?.FunctionName, 'fn-get');
    assert.equal(full.Code?.RepositoryType, 'S3');
    assert.equal(full.Concurrency, undefined);
    const latest = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-get', Qualifier: '$LATEST' }));
    assert.equal(latest.FunctionArn, `${ARN}:fn-get:$LATEST`);
    const e = await failure(client.send(new GetFunctionCommand({ FunctionName: 'fn-get:1', Qualifier: '2' })));
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(e.message, 'The derived qualifier from the function name does not match the specified qualifier.');
  });

  test('unknown function or version: ResourceNotFoundException with the ARN', async () => {
    let e = await failure(client.send(new GetFunctionCommand({ FunctionName: 'nope' })));
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.message, `Function not found: ${ARN}:nope`);
    assert.equal(e.err.$metadata.httpStatusCode, 404);
    await createFn(client, 'fn-nov', handlers.echo);
    e = await failure(client.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-nov', Qualifier: '7' })));
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.message, `Function not found: ${ARN}:fn-nov:7`);
  });

  test('UpdateFunctionCode / UpdateFunctionConfiguration change RevisionId; RevisionId precondition', async () => {
    const created = await createFn(client, 'fn-upd', handlers.echo);
    const code = await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn-upd', ZipFile: zip({ 'index.js': handlers.version }) }));
    assert.notEqual(code.CodeSha256, created.CodeSha256);
    assert.notEqual(code.RevisionId, created.RevisionId);
    const conf = await client.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-upd', Timeout: 30, Description: 'd', Environment: { Variables: { X: 'y' } } }),
    );
    assert.equal(conf.Timeout, 30);
    assert.equal(conf.Description, 'd');
    assert.deepEqual(conf.Environment?.Variables, { X: 'y' });
    assert.notEqual(conf.RevisionId, code.RevisionId);
    const e = await failure(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-upd', Timeout: 5, RevisionId: created.RevisionId })));
    assert.equal(e.name, 'PreconditionFailedException');
    assert.equal(e.err.$metadata.httpStatusCode, 412);
    assert.equal(
      e.message,
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  });

  test('PublishVersion: 1, 2 ...; unchanged $LATEST returns the last version; CodeSha256 precondition', async () => {
    const created = await createFn(client, 'fn-pub', handlers.echo);
    const v1 = await client.send(new PublishVersionCommand({ FunctionName: 'fn-pub', Description: 'first' }));
    assert.equal(v1.$metadata.httpStatusCode, 201);
    assert.equal(v1.Version, '1');
    assert.equal(v1.FunctionArn, `${ARN}:fn-pub:1`);
    assert.equal(v1.Description, 'first');
    assert.equal(v1.CodeSha256, created.CodeSha256);
    const again = await client.send(new PublishVersionCommand({ FunctionName: 'fn-pub' }));
    assert.equal(again.Version, '1');
    const e = await failure(client.send(new PublishVersionCommand({ FunctionName: 'fn-pub', CodeSha256: 'abc' })));
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(
      e.message,
      `CodeSHA256 (abc) is different from current CodeSHA256 in $LATEST (${created.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
    const p = await failure(client.send(new PublishVersionCommand({ FunctionName: 'fn-pub', RevisionId: 'stale' })));
    assert.equal(p.name, 'PreconditionFailedException');
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-pub', Timeout: 9 }));
    const v2 = await client.send(new PublishVersionCommand({ FunctionName: 'fn-pub' }));
    assert.equal(v2.Version, '2');
    assert.equal(v2.Timeout, 9);
    // a version is a snapshot: later changes of $LATEST do not touch it
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-pub', Timeout: 20 }));
    const v2conf = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-pub', Qualifier: '2' }));
    assert.equal(v2conf.Timeout, 9);
    // numbers are never reused after a delete
    await client.send(new DeleteFunctionCommand({ FunctionName: 'fn-pub', Qualifier: '2' }));
    const v3 = await client.send(new PublishVersionCommand({ FunctionName: 'fn-pub' }));
    assert.equal(v3.Version, '3');
    const list = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn-pub' }));
    assert.deepEqual(list.Versions?.map((v) => v.Version), ['$LATEST', '1', '3']);
    assert.equal(list.Versions?.[0].FunctionArn, `${ARN}:fn-pub:$LATEST`);
  });

  test('CreateFunction with Publish returns version 1', async () => {
    const out = await createFn(client, 'fn-publish-on-create', handlers.echo, { Publish: true });
    assert.equal(out.Version, '1');
  });

  test('ListVersionsByFunction paging', async () => {
    await createFn(client, 'fn-vpage', handlers.echo);
    for (let t = 4; t <= 6; t++) {
      await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-vpage', Timeout: t }));
      await client.send(new PublishVersionCommand({ FunctionName: 'fn-vpage' }));
    }
    const p1 = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn-vpage', MaxItems: 2 }));
    assert.deepEqual(p1.Versions?.map((v) => v.Version), ['$LATEST', '1']);
    assert.ok(p1.NextMarker);
    const p2 = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn-vpage', MaxItems: 2, Marker: p1.NextMarker }));
    assert.deepEqual(p2.Versions?.map((v) => v.Version), ['2', '3']);
    assert.equal(p2.NextMarker, undefined);
  });

  test('ListFunctions with Marker/MaxItems walks every function once', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new ListFunctionsCommand({ MaxItems: 3, Marker: marker }));
      assert.ok((page.Functions?.length ?? 0) <= 3);
      seen.push(...page.Functions!.map((f) => f.FunctionName!));
      marker = page.NextMarker;
    } while (marker);
    assert.deepEqual(seen, [...seen].sort());
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.includes('fn-create') && seen.includes('fn-get'));
    const e = await failure(client.send(new ListFunctionsCommand({ MaxItems: 0 })));
    assert.equal(e.name, 'ValidationException');
  });

  test('DeleteFunction: a version, $LATEST refused, then the whole function', async () => {
    await createFn(client, 'fn-del', handlers.echo);
    await client.send(new PublishVersionCommand({ FunctionName: 'fn-del' }));
    let e = await failure(client.send(new DeleteFunctionCommand({ FunctionName: 'fn-del', Qualifier: '$LATEST' })));
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(e.message, '$LATEST version cannot be deleted without deleting the function.');
    await client.send(new DeleteFunctionCommand({ FunctionName: 'fn-del', Qualifier: '1' }));
    e = await failure(client.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-del', Qualifier: '1' })));
    assert.equal(e.name, 'ResourceNotFoundException');
    const out = await client.send(new DeleteFunctionCommand({ FunctionName: `${ARN}:fn-del` }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    e = await failure(client.send(new DeleteFunctionCommand({ FunctionName: 'fn-del' })));
    assert.equal(e.name, 'ResourceNotFoundException');
  });

  test('GetAccountSettings', async () => {
    const out = await client.send(new GetAccountSettingsCommand({}));
    assert.equal(out.AccountLimit?.ConcurrentExecutions, 1000);
    assert.equal(out.AccountLimit?.UnreservedConcurrentExecutions, 1000);
    assert.ok((out.AccountUsage?.FunctionCount ?? 0) > 5);
    assert.ok((out.AccountUsage?.TotalCodeSize ?? 0) > 0);
  });
});
