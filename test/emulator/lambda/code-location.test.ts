import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfig, startTestEmulator } from '../../helpers/emulator.js';
import type { RequestLogEntry } from '../../../src/emulator/server.js';
import { createInput, handlers, zip } from './harness.js';

test("GetFunction's Code.Location serves the deployment package, only while a function uses it", async () => {
  const served: RequestLogEntry[] = [];
  const emu = await startTestEmulator({ onRequest: (e) => served.push(e) });
  const client = new LambdaClient(clientConfig(emu.endpoint));
  try {
    const pkg = zip({ 'index.js': handlers.echo });
    await client.send(new CreateFunctionCommand(createInput('fn-code', handlers.echo, { Code: { ZipFile: pkg } })));
    const got = await client.send(new GetFunctionCommand({ FunctionName: 'fn-code' }));
    const location = got.Code?.Location;
    assert.equal(got.Code?.RepositoryType, 'S3');
    assert.ok(location?.startsWith(`${emu.endpoint}/_lab/lambda/code/`), location);

    const res = await fetch(location!);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), pkg);
    assert.equal(served.at(-1)?.service, 'lambda-code');

    const head = await fetch(location!, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(pkg.length));

    // S3's error answer, written by the restXml codec as S3's own are: with its request id and
    // the key (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
    const unknown = await fetch(`${emu.endpoint}/_lab/lambda/code/${'0'.repeat(64)}.zip`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('content-type'), 'application/xml');
    const xml = await unknown.text();
    assert.match(xml, /<Code>NoSuchKey<\/Code>/);
    assert.match(xml, new RegExp(`<Key>${'0'.repeat(64)}\\.zip</Key>`));
    assert.ok(unknown.headers.get('x-amz-request-id') && xml.includes(`<RequestId>${unknown.headers.get('x-amz-request-id')}</RequestId>`), xml);
    assert.equal(served.at(-1)?.errorCode, 'NoSuchKey');
    const malformed = await fetch(`${emu.endpoint}/_lab/lambda/code/..%2F..%2Fstate.json`);
    assert.equal(malformed.status, 404);
    assert.match(await malformed.text(), /<Key>\.\.\/\.\.\/state\.json<\/Key>/);
    const post = await fetch(location!, { method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
    assert.match(await post.text(), /<Code>MethodNotAllowed<\/Code>.*<Method>POST<\/Method>/s);

    await client.send(new DeleteFunctionCommand({ FunctionName: 'fn-code' }));
    const gone = await fetch(location!);
    assert.equal(gone.status, 404);
    await gone.arrayBuffer();
  } finally {
    client.destroy();
    await emu.close();
  }
});
