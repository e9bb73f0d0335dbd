/**
 * The front door in front of real functions: the full emulator (wiring.ts), the Lambda and API
 * Gateway SDK clients, requests with fetch through the printed short URL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  LambdaClient,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { frontDoorUrl } from '../../../src/emulator/services/apigateway/index.js';
import { formatRequest } from '../../../src/emulator/request-log.js';
import type { RequestLogEntry } from '../../../src/emulator/server.js';
import { clientConfig, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { lambdaUri } from './fixture.js';

const SOURCES: Record<string, string> = {
  echo: `exports.handler = async (event, context) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'x-version': context.functionVersion },
    multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] },
    body: JSON.stringify(event),
  });`,
  throws: 'exports.handler = async () => { throw new Error("boom"); };',
  sleeps: 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 5000)); return { statusCode: 200, body: "late" }; };',
  malformed: 'exports.handler = async () => "just a string";',
  notBase64: 'exports.handler = async () => ({ statusCode: 200, isBase64Encoded: true, body: "<p>not base64</p>" });',
  statusText: 'exports.handler = async () => ({ statusCode: "201 Created", body: "made" });',
  // answers the maps as it got them, then changes them (a handler may: the event is its own)
  mutates: `exports.handler = async (event) => {
    const seen = JSON.stringify([event.headers, event.multiValueHeaders, event.stageVariables]);
    event.headers['X-Changed'] = 'yes';
    delete event.headers['content-type'];
    event.multiValueHeaders['content-type'].push('more');
    event.stageVariables.alias = 'changed';
    return { statusCode: 200, body: seen };
  };`,
};

async function deployFunctions(lambda: LambdaClient): Promise<void> {
  for (const [name, source] of Object.entries(SOURCES)) {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::000000000000:role/lambda-role',
        Handler: 'index.handler',
        Timeout: name === 'sleeps' ? 1 : 10,
        Code: { ZipFile: Buffer.from(zipSync({ 'index.js': strToU8(source) })) },
      }),
    );
  }
  const v = await lambda.send(new PublishVersionCommand({ FunctionName: 'echo' }));
  await lambda.send(new CreateAliasCommand({ FunctionName: 'echo', Name: 'live', FunctionVersion: v.Version }));
}

/** POST /{fn} → function fn (the echo one through its alias), on stage prod */
async function deployApi(apigw: APIGatewayClient): Promise<string> {
  const api = await apigw.send(new CreateRestApiCommand({ name: 'lab' }));
  for (const name of Object.keys(SOURCES)) {
    const res = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: name }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'POST', authorizationType: 'NONE' }));
    const fn = `arn:aws:lambda:us-east-1:000000000000:function:${name}${name === 'echo' ? ':${stageVariables.alias}' : ''}`;
    await apigw.send(
      new PutIntegrationCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'POST', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(fn) }),
    );
  }
  await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod', variables: { alias: 'live' } }));
  return api.id!;
}

for (const throttleStatus of [500, 502] as const) {
  describe(`API Gateway + Lambda (throttleStatus ${throttleStatus})`, () => {
    let emu: TestEmulator;
    let lambda: LambdaClient;
    let apigw: APIGatewayClient;
    let apiId: string;
    const logged: RequestLogEntry[] = [];
    const post = (fn: string, body = '{}') => fetch(frontDoorUrl(emu.endpoint, apiId, 'prod', `/${fn}`), { method: 'POST', body, headers: { 'content-type': 'application/json' } });

    before(async () => {
      emu = await startTestEmulator({ throttleStatus, onRequest: (e) => logged.push(e) });
      lambda = new LambdaClient(clientConfig(emu.endpoint));
      apigw = new APIGatewayClient(clientConfig(emu.endpoint));
      await deployFunctions(lambda);
      apiId = await deployApi(apigw);
    });
    after(async () => {
      lambda.destroy();
      apigw.destroy();
      await emu.close();
    });

    it('invokes the alias named by a stage variable and maps its proxy result', async () => {
      const res = await post('echo', '{"bucket":"b"}');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-version'), '1');
      assert.deepEqual(res.headers.getSetCookie(), ['a=1', 'b=2']);
      const event: any = await res.json();
      assert.equal(event.resource, '/echo');
      assert.equal(event.body, '{"bucket":"b"}');
      assert.deepEqual(event.stageVariables, { alias: 'live' });
      assert.equal(event.requestContext.requestId, res.headers.get('x-amzn-requestid'));
    });

    it('gives each invocation maps of its own: what a handler changed is not in the next event of the same headers', async () => {
      // the same headers each time: the cloud posts the maps to the environment once, and the
      // environment copies what it kept for the next invocation (event-payload.ts, invocation.ts)
      const first = (await (await post('mutates')).json()) as unknown[];
      const second = (await (await post('mutates')).json()) as unknown[];
      const third = (await (await post('mutates')).json()) as unknown[];
      assert.deepEqual((first[0] as Record<string, string>)['content-type'], 'application/json');
      assert.deepEqual(first[1] && (first[1] as Record<string, string[]>)['content-type'], ['application/json']);
      assert.deepEqual(first[2], { alias: 'live' });
      assert.deepEqual(second, first);
      assert.deepEqual(third, first);
    });

    it('answers 502 for a function that throws, times out or returns a malformed result', async () => {
      for (const fn of ['throws', 'sleeps', 'malformed']) {
        const res = await post(fn);
        assert.equal(res.status, 502, fn);
        assert.equal(await res.text(), '{"message": "Internal server error"}');
      }
      // the cloud's log says why, where the client sees only "Internal server error"
      const lines = logged.slice(-3).map((e) => formatRequest(e));
      assert.match(lines[0], /\/throws +502 InternalServerErrorException .* \(the function failed \(Unhandled: Error\)\)$/);
      assert.match(lines[1], /\(the function failed \(Unhandled: Sandbox\.Timedout\)\)$/);
      assert.match(lines[2], /\(malformed Lambda proxy response\)$/);
    });

    it('answers 502 for a body marked base64 that is not, and a statusCode that is no number', async () => {
      for (const fn of ['notBase64', 'statusText']) {
        const res = await post(fn);
        assert.equal(res.status, 502, fn);
        assert.equal(await res.text(), '{"message": "Internal server error"}');
        assert.match(formatRequest(logged[logged.length - 1]!), new RegExp(`/${fn} +502 InternalServerErrorException .* \\(malformed Lambda proxy response\\)$`));
      }
    });

    it(`answers ${throttleStatus} when reserved concurrency 0 throttles every call`, async () => {
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'echo', ReservedConcurrentExecutions: 0 }));
      try {
        const res = await post('echo');
        assert.equal(res.status, throttleStatus);
        assert.equal(await res.text(), '{"message": "Internal server error"}');
        assert.equal(res.headers.get('x-amzn-errortype'), 'InternalServerErrorException');
        const line = formatRequest(logged[logged.length - 1]!);
        assert.match(line, new RegExp(`^front-door +POST /execute-api/${apiId}/prod/echo +${throttleStatus} InternalServerErrorException .* \\(Lambda throttled the invocation: ReservedFunctionConcurrentInvocationLimitExceeded\\)$`));
      } finally {
        await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'echo' }));
      }
      assert.equal((await post('echo')).status, 200);
    });
  });
}
