import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WorkerPool } from '../../../src/emulator/services/lambda/runner/index.js';
import { CodeDirs, fnConfig, json, request } from './fixtures.js';

describe('lambda runner: context and environment', () => {
  const dirs = new CodeDirs();
  const seen: { method?: string; url?: string; headers?: IncomingHttpHeaders }[] = [];
  // Stands in for the emulator: functions' SDK calls must arrive here via AWS_ENDPOINT_URL.
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"Functions":[]}');
    });
  });
  let pool: WorkerPool;
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    pool = new WorkerPool({ region: 'eu-west-1', endpointUrl: `http://127.0.0.1:${port}` });
  });
  after(async () => {
    await pool.shutdown();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    dirs.cleanup();
  });

  it('gives the handler a real context', async () => {
    const config = fnConfig(
      dirs.write({
        'index.js': `exports.handler = async (event, context) => {
          const { getRemainingTimeInMillis, succeed, fail, done, ...fields } = context;
          return { ...fields, remaining: getRemainingTimeInMillis(), callbacks: [typeof succeed, typeof fail, typeof done] };
        };`,
      }),
      { functionName: 'ctx-fn', version: '3', memorySizeMB: 256, timeoutSeconds: 5 },
    );
    const aliasArn = `${config.functionArn}:live`;
    const req = request(config, {}, {
      invokedFunctionArn: aliasArn,
      clientContext: { custom: { a: 1 }, env: { platform: 'test' } },
      identity: { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' },
    });
    const ctx = json((await pool.invoke(config, req)).payload);
    assert.equal(ctx.awsRequestId, req.requestId);
    assert.equal(ctx.functionName, 'ctx-fn');
    assert.equal(ctx.functionVersion, '3');
    assert.equal(ctx.invokedFunctionArn, aliasArn);
    assert.equal(ctx.memoryLimitInMB, '256');
    assert.equal(ctx.logGroupName, '/aws/lambda/ctx-fn');
    assert.match(ctx.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[3\][0-9a-f]{32}$/);
    assert.equal(ctx.callbackWaitsForEmptyEventLoop, true);
    assert.deepEqual(ctx.clientContext, { custom: { a: 1 }, env: { platform: 'test' } });
    assert.deepEqual(ctx.identity, { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' });
    assert.ok(ctx.remaining > 4000 && ctx.remaining <= 5000, `remaining ${ctx.remaining}`);
    assert.deepEqual(ctx.callbacks, ['function', 'function', 'function']);
  });

  it("sets Lambda's variables and none of the host's", async () => {
    process.env.LAMBDA_RUNNER_HOST_SECRET = 'must-not-leak';
    try {
      const config = fnConfig(dirs.write({ 'index.js': 'exports.handler = async () => process.env;' }), {
        functionName: 'env-fn',
        runtime: 'nodejs22.x',
        environment: { TABLE: 'orders', TZ: 'Europe/Paris' },
      });
      const env = json((await pool.invoke(config, request(config))).payload);
      assert.equal(env.LAMBDA_RUNNER_HOST_SECRET, undefined);
      assert.equal(env.HOME, undefined);
      assert.equal(env.TABLE, 'orders');
      assert.equal(env.TZ, 'Europe/Paris', 'a function may override TZ');
      assert.equal(env.AWS_REGION, 'eu-west-1');
      assert.equal(env.AWS_DEFAULT_REGION, 'eu-west-1');
      assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'env-fn');
      assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
      assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '128');
      assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, '/aws/lambda/env-fn');
      assert.match(env.AWS_LAMBDA_LOG_STREAM_NAME, /\[\$LATEST\]/);
      assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs22.x');
      assert.equal(env.LAMBDA_TASK_ROOT, config.codeDir);
      assert.equal(env._HANDLER, 'index.handler');
      assert.ok(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY && env.AWS_SESSION_TOKEN);
      assert.match(env.AWS_ENDPOINT_URL, /^http:\/\/127\.0\.0\.1:\d+$/);
      const defaultTz = fnConfig(dirs.write({ 'index.js': 'exports.handler = async () => process.env.TZ;' }));
      assert.equal(json((await pool.invoke(defaultTz, request(defaultTz))).payload), ':UTC');
    } finally {
      delete process.env.LAMBDA_RUNNER_HOST_SECRET;
    }
  });

  it('lets CommonJS code require the AWS SDK and reach the emulator with it', async () => {
    const config = fnConfig(
      dirs.write({
        'index.js': `const { LambdaClient, ListFunctionsCommand } = require('@aws-sdk/client-lambda');
          const client = new LambdaClient({ maxAttempts: 1 });
          exports.handler = async () => {
            const out = await client.send(new ListFunctionsCommand({}));
            return { functions: out.Functions, region: await client.config.region() };
          };`,
      }),
      { timeoutSeconds: 20 },
    );
    seen.length = 0;
    const r = await pool.invoke(config, request(config, {}, { tail: true }));
    assert.equal(r.functionError, undefined, r.payload.toString());
    assert.deepEqual(json(r.payload), { functions: [], region: 'eu-west-1' });
    // the SDK's notice about the host's Node version is not the function's business
    assert.doesNotMatch(r.log!, /NodeVersionSupportWarning/);
    assert.match(r.log!, /^START RequestId/m);
    assert.equal(seen.length, 1);
    assert.match(seen[0].url!, /^\/2015-03-31\/functions\/?/);
    assert.match(String(seen[0].headers!.authorization), /Credential=ASIALOCALLAMBDAEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request/);
  });

  it('lets ESM code import the AWS SDK', async () => {
    const config = fnConfig(
      dirs.write({
        'index.mjs': `import { LambdaClient } from '@aws-sdk/client-lambda';
          import { SignatureV4 } from '@smithy/signature-v4';
          export const handler = async () => [typeof LambdaClient, typeof SignatureV4];`,
      }),
      { timeoutSeconds: 20 },
    );
    const r = await pool.invoke(config, request(config));
    assert.equal(r.functionError, undefined, r.payload.toString());
    assert.deepEqual(json(r.payload), ['function', 'function']);
  });

  it("a function's own bundled SDK comes before the runtime's, for require and import alike", async () => {
    const bundled = {
      'node_modules/@aws-sdk/client-lambda/package.json': '{"name":"@aws-sdk/client-lambda","version":"0.0.1-bundled","main":"index.js"}',
      'node_modules/@aws-sdk/client-lambda/index.js': "exports.whose = 'bundled';",
    };
    const cjs = fnConfig(dirs.write({ ...bundled, 'index.js': "exports.handler = async () => require('@aws-sdk/client-lambda').whose;" }));
    const esm = fnConfig(dirs.write({ ...bundled, 'index.mjs': "import { whose } from '@aws-sdk/client-lambda'; export const handler = async () => whose;" }));
    for (const config of [cjs, esm]) {
      const r = await pool.invoke(config, request(config));
      assert.equal(r.functionError, undefined, r.payload.toString());
      assert.equal(json(r.payload), 'bundled');
    }
  });

  it('does not expose the lab\'s other dependencies', async () => {
    const config = fnConfig(dirs.write({ 'index.js': "exports.handler = async () => require('commander');" }));
    const r = await pool.invoke(config, request(config));
    assert.equal(r.functionError, 'Unhandled');
    assert.match(json(r.payload).errorMessage, /Cannot find module 'commander'/);
  });
});
