import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { ServiceError } from '../../../src/emulator/core/service-error.js';
import { frontDoorUrl } from '../../../src/emulator/services/apigateway/index.js';
import type { ApiGatewayBackend } from '../../../src/emulator/services/apigateway/backend.js';
import { ManualClock } from '../../../src/emulator/core/clock.js';
import { buildEvent, type ProxyEventParts } from '../../../src/emulator/services/apigateway/proxy-event-builder.js';
import type { LambdaInvocation } from '../../../src/emulator/services/apigateway/invoker.js';
import { lambdaUri, startApiGateway, type ApiGatewayFixture } from './fixture.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:app';
const INTERNAL = '{"message": "Internal server error"}';

/** one API with root GET, POST /getinfo (alias from the URI), ANY /items/{id} (alias from a stage variable), GET /items, ANY /{proxy+} */
function buildApi(b: ApiGatewayBackend) {
  const api = b.createRestApi({ name: 'lab', binaryMediaTypes: ['image/png'] });
  const add = (parent: string, part: string) => b.createResource(api.id, parent, part).id;
  const route = (resourceId: string, verb: string, fnRef: string) => {
    b.putMethod(api.id, resourceId, verb, { authorizationType: 'NONE' });
    b.putIntegration(api.id, resourceId, verb, { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(fnRef) });
  };
  route(api.rootResourceId, 'GET', FN);
  route(add(api.rootResourceId, 'getinfo'), 'POST', `${FN}:live`);
  const items = add(api.rootResourceId, 'items');
  route(items, 'GET', FN);
  route(add(items, '{id}'), 'ANY', `${FN}:\${stageVariables.alias}`);
  route(add(api.rootResourceId, '{proxy+}'), 'ANY', 'app');
  const deployment = b.createDeployment(api.id, { stageName: 'prod', variables: { alias: 'live' } });
  return { api, deployment };
}

/** an API with only GET /hello: everything else is an unknown route */
function buildSmallApi(b: ApiGatewayBackend) {
  const api = b.createRestApi({ name: 'small' });
  const hello = b.createResource(api.id, api.rootResourceId, 'hello').id;
  b.putMethod(api.id, hello, 'GET', { authorizationType: 'NONE' });
  b.putIntegration(api.id, hello, 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri('hello') });
  b.createDeployment(api.id, { stageName: 'prod' });
  return api;
}

describe('API Gateway front door (fake Lambda)', () => {
  let fx: ApiGatewayFixture;
  let apiId: string;
  let smallId: string;
  let url: (path: string) => string;
  const randoms: number[] = [];

  before(async () => {
    fx = await startApiGateway({ random: () => randoms.shift() ?? 0.99 });
    apiId = buildApi(fx.service.backend).api.id;
    smallId = buildSmallApi(fx.service.backend).id;
    url = (path) => frontDoorUrl(fx.emu.endpoint, apiId, 'prod', path);
  });
  after(() => fx.close());
  beforeEach(() => {
    fx.invoker.calls = [];
    fx.invoker.next = [];
  });

  it('builds the REST proxy event as AWS documents it', async () => {
    const res = await fetch(`${url('/getinfo')}?x=1&x=2&y=a%20b`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'lab-test', 'x-forwarded-for': '10.1.2.3' },
      body: '{"bucket":"b","key":"k"}',
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ok');
    const call = fx.invoker.calls[0];
    assert.equal(call.functionName, 'app');
    assert.equal(call.qualifier, 'live');
    const e = call.event;
    assert.equal(e.resource, '/getinfo');
    assert.equal(e.path, '/getinfo');
    assert.equal(e.httpMethod, 'POST');
    assert.equal(e.headers['content-type'], 'application/json');
    assert.deepEqual(e.multiValueHeaders['user-agent'], ['lab-test']);
    assert.equal(e.headers['content-length'], undefined);
    assert.deepEqual(e.queryStringParameters, { x: '2', y: 'a b' });
    assert.deepEqual(e.multiValueQueryStringParameters, { x: ['1', '2'], y: ['a b'] });
    assert.equal(e.pathParameters, null);
    assert.deepEqual(e.stageVariables, { alias: 'live' });
    assert.equal(e.body, '{"bucket":"b","key":"k"}');
    assert.equal(e.isBase64Encoded, false);
    const rc = e.requestContext;
    assert.equal(rc.apiId, apiId);
    assert.equal(rc.stage, 'prod');
    assert.equal(rc.path, '/prod/getinfo');
    assert.equal(rc.resourcePath, '/getinfo');
    assert.equal(rc.httpMethod, 'POST');
    assert.equal(rc.accountId, '000000000000');
    assert.equal(rc.protocol, 'HTTP/1.1');
    assert.equal(rc.requestId, res.headers.get('x-amzn-requestid'));
    assert.equal(rc.extendedRequestId, res.headers.get('x-amz-apigw-id'));
    assert.match(rc.resourceId, /^[a-z0-9]{10}$/);
    assert.equal(typeof rc.requestTimeEpoch, 'number');
    assert.match(rc.requestTime, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.equal(rc.identity.sourceIp, '10.1.2.3');
    assert.equal(rc.identity.userAgent, 'lab-test');
    assert.equal(rc.identity.user, null);
    assert.equal(rc.domainName, '127.0.0.1');
  });

  it("keeps header names as the client sent them (event.headers['Content-Type']), each repeat one multiValueHeaders value", async () => {
    const u = new URL(url('/getinfo'));
    const raw = ['Content-Type', 'application/json', 'X-Lab-Thing', 'a', 'x-lab-thing', 'b', 'Host', u.host, 'Content-Length', '2'];
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: fx.emu.port, method: 'POST', path: u.pathname, headers: raw }, (r) => {
        r.resume();
        r.on('end', () => resolve(r.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end('{}');
    });
    assert.equal(status, 200);
    const e = fx.invoker.calls[0].event;
    assert.equal(e.headers['Content-Type'], 'application/json');
    assert.equal(e.headers['content-type'], undefined);
    assert.equal(e.headers['X-Lab-Thing'], 'b');
    assert.deepEqual(e.multiValueHeaders['X-Lab-Thing'], ['a', 'b']);
    assert.deepEqual(e.multiValueHeaders['Content-Type'], ['application/json']);
    assert.equal(e.headers.Host, u.host);
    assert.equal(e.headers['Content-Length'], undefined);
  });

  it('matches {param}, greedy {proxy+}, ANY and the root as API Gateway does', async () => {
    await fetch(url('/items/42'), { method: 'DELETE' });
    let e = fx.invoker.lastEvent;
    assert.equal(e.resource, '/items/{id}');
    assert.deepEqual(e.pathParameters, { id: '42' });
    assert.equal(fx.invoker.calls[0].qualifier, 'live', 'qualifier from ${stageVariables.alias}');

    await fetch(url('/a/b/c'));
    e = fx.invoker.lastEvent;
    assert.equal(e.resource, '/{proxy+}');
    assert.deepEqual(e.pathParameters, { proxy: 'a/b/c' });

    await fetch(url('/items'));
    assert.equal(fx.invoker.lastEvent.resource, '/items');
    // /items has only GET: a POST falls through to the proxy resource
    await fetch(url('/items'), { method: 'POST', body: 'x' });
    assert.equal(fx.invoker.lastEvent.resource, '/{proxy+}');
    await fetch(url('/items/42/'));
    assert.equal(fx.invoker.lastEvent.resource, '/items/{id}', 'a trailing slash is ignored');

    await fetch(url('/'));
    e = fx.invoker.lastEvent;
    assert.equal(e.resource, '/');
    assert.equal(e.path, '/');
    assert.equal(e.requestContext.path, '/prod/');
  });

  it('base64-encodes binary bodies (binaryMediaTypes, or bytes that are not UTF-8)', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]);
    await fetch(url('/getinfo'), { method: 'POST', headers: { 'content-type': 'image/png' }, body: bytes });
    assert.equal(fx.invoker.lastEvent.isBase64Encoded, true);
    assert.equal(fx.invoker.lastEvent.body, bytes.toString('base64'));
    await fetch(url('/getinfo'), { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    assert.equal(fx.invoker.lastEvent.isBase64Encoded, true);
    await fetch(url('/getinfo'), { method: 'POST', headers: { 'content-type': 'image/png' }, body: 'text' });
    assert.equal(fx.invoker.lastEvent.body, Buffer.from('text').toString('base64'));
  });

  it('maps the proxy result back: status, headers merged with multiValueHeaders, base64 body', async () => {
    const bytes = Buffer.from([1, 2, 3, 250]);
    fx.invoker.next.push({
      payload: JSON.stringify({
        statusCode: 201,
        headers: { 'X-A': '1', 'Content-Type': 'application/octet-stream', 'X-Bool': true },
        multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'], 'x-a': ['2', '3'] },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      }),
    });
    const res = await fetch(url('/getinfo'), { method: 'POST', body: '{}' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.equal(res.headers.get('x-a'), '2, 3');
    assert.equal(res.headers.get('x-bool'), 'true');
    assert.deepEqual(res.headers.getSetCookie(), ['a=1', 'b=2']);
    assert.ok(res.headers.get('x-amzn-requestid'));
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);

    fx.invoker.next.push({ payload: JSON.stringify({ statusCode: '404', body: 'nope' }) });
    const notFound = await fetch(url('/getinfo'), { method: 'POST' });
    assert.equal(notFound.status, 404);
    assert.equal(notFound.headers.get('content-type'), 'application/json');
    assert.equal(await notFound.text(), 'nope');
  });

  it('sends a text body as UTF-8 with its byte length, and a Latin-1 header value as its byte', async () => {
    const get = (): Promise<{ head: Record<string, string | string[] | undefined>; body: Buffer }> =>
      new Promise((resolve, reject) => {
        const req = request(url('/getinfo'), { method: 'POST' }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ head: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end('{}');
      });
    fx.invoker.next.push({ payload: JSON.stringify({ statusCode: 200, body: 'größe ✓' }) });
    const text = await get();
    assert.equal(text.body.toString('utf8'), 'größe ✓');
    assert.equal(text.head['content-length'], String(Buffer.byteLength('größe ✓')));

    fx.invoker.next.push({ payload: JSON.stringify({ statusCode: 200, headers: { 'X-Name': 'caf\u00e9' }, body: 'größe' }) });
    const latin1 = await get();
    assert.equal(latin1.head['x-name'], 'caf\u00e9', 'node reads header bytes as Latin-1: one byte 0xE9, not UTF-8');
    assert.equal(latin1.body.toString('utf8'), 'größe');
    assert.equal(latin1.head['content-length'], String(Buffer.byteLength('größe')));
  });

  async function expectGatewayError(status: number, body: string, errorType: string): Promise<void> {
    const res = await fetch(url('/getinfo'), { method: 'POST', body: '{}' });
    assert.equal(res.status, status);
    assert.equal(await res.text(), body);
    assert.equal(res.headers.get('x-amzn-errortype'), errorType);
    assert.ok(res.headers.get('x-amzn-requestid'));
    assert.ok(res.headers.get('x-amz-apigw-id'));
  }

  it('answers 500 when Lambda refuses the invocation (throttled, unknown function)', async () => {
    fx.invoker.next.push(new ServiceError('TooManyRequestsException', 'Rate Exceeded.', 429, { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' }));
    await expectGatewayError(500, INTERNAL, 'InternalServerErrorException');
    fx.invoker.next.push(new ServiceError('ResourceNotFoundException', 'Function not found', 404));
    await expectGatewayError(500, INTERNAL, 'InternalServerErrorException');
    assert.equal(fx.invoker.calls.length, 2, 'API Gateway does not retry');
  });

  it('answers 502 when the function fails, times out, or returns a malformed proxy result', async () => {
    const cases = [
      { payload: '{"errorType":"Error","errorMessage":"boom","trace":[]}', functionError: 'Unhandled' },
      { payload: '{"errorType":"Sandbox.Timedout","errorMessage":"Task timed out after 3.00 seconds"}', functionError: 'Unhandled' },
      { payload: 'not json' },
      { payload: '"a string"' },
      { payload: JSON.stringify({ statusCode: 200, body: { not: 'a string' } }) },
      { payload: JSON.stringify({ statusCode: 200, body: 'x', extra: 1 }) },
      { payload: JSON.stringify({ statusCode: 'abc' }) },
      { payload: JSON.stringify({ statusCode: 200, headers: { a: { b: 1 } } }) },
      // a header HTTP cannot carry: Node refused it, and the client got an empty 500
      { payload: JSON.stringify({ statusCode: 200, headers: { a: 'b\r\nX-Injected: 1' }, body: 'x' }) },
      { payload: JSON.stringify({ statusCode: 200, headers: { 'a b': 'c' }, body: 'x' }) },
      // a 1xx is no final answer: the client waited for one forever
      { payload: JSON.stringify({ statusCode: 101, body: 'x' }) },
    ];
    for (const answer of cases) {
      fx.invoker.next.push(answer);
      await expectGatewayError(502, INTERNAL, 'InternalServerErrorException');
    }
  });

  it("frames the answer itself: a function's Content-Length and Transfer-Encoding never reach the wire as given", async () => {
    // passed through, Content-Length 999 left the client waiting for bytes that never came
    fx.invoker.next.push({ payload: JSON.stringify({ statusCode: 200, headers: { 'Content-Length': '999', 'X-Ok': 'é Ā' }, body: 'hello' }) });
    const res = await fetch(url('/getinfo'), { method: 'POST', body: '{}' });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'hello');
    assert.equal(res.headers.get('content-length'), '5');
    assert.equal(res.headers.get('x-amzn-remapped-content-length'), '999');
    // a value holding a character above U+00FF goes out as UTF-8 (fetch reads header bytes as Latin-1)
    assert.equal(Buffer.from(res.headers.get('x-ok')!, 'latin1').toString('utf8'), 'é Ā');
    fx.invoker.next.push({ payload: JSON.stringify({ statusCode: 200, multiValueHeaders: { 'Transfer-Encoding': ['chunked'] }, body: 'chunks?' }) });
    const chunked = await fetch(url('/getinfo'), { method: 'POST', body: '{}' });
    assert.equal(await chunked.text(), 'chunks?');
    assert.equal(chunked.headers.get('content-length'), '7');
  });

  it('answers 403 Missing Authentication Token for an unknown route, 403 Forbidden for an unknown API or stage', async () => {
    const small = (path: string, method = 'GET') => fetch(frontDoorUrl(fx.emu.endpoint, smallId, 'prod', path), { method });
    assert.equal((await small('/hello')).status, 200);
    for (const res of [await small('/nope'), await small('/hello', 'POST'), await small('/')]) {
      assert.equal(res.status, 403);
      assert.equal(await res.text(), '{"message":"Missing Authentication Token"}');
      assert.equal(res.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    }
    for (const target of [frontDoorUrl(fx.emu.endpoint, 'nosuchapi0', 'prod', '/hello'), frontDoorUrl(fx.emu.endpoint, smallId, 'Prod', '/hello')]) {
      const res = await fetch(target);
      assert.equal(res.status, 403);
      assert.equal(await res.text(), '{"message":"Forbidden"}');
      assert.equal(res.headers.get('x-amzn-errortype'), 'ForbiddenException');
    }
    assert.equal(fx.invoker.calls.length, 1);
  });

  it('serves the deployed snapshot, not the draft', async () => {
    const b = fx.service.backend;
    const api = b.getRestApi(smallId);
    const later = b.createResource(smallId, api.rootResourceId, 'later').id;
    b.putMethod(smallId, later, 'GET', { authorizationType: 'NONE' });
    b.putIntegration(smallId, later, 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri('later') });
    const target = frontDoorUrl(fx.emu.endpoint, smallId, 'prod', '/later');
    assert.equal((await fetch(target)).status, 403);
    b.createDeployment(smallId, { stageName: 'prod' });
    assert.equal((await fetch(target)).status, 200);
    assert.equal(fx.invoker.calls[0].functionName, 'later');
  });

  it('accepts the _user_request_ and the Host-header forms of the invoke URL', async () => {
    const res = await fetch(`${fx.emu.endpoint}/restapis/${apiId}/prod/_user_request_/items/7?q=1`);
    assert.equal(res.status, 200);
    assert.deepEqual(fx.invoker.lastEvent.pathParameters, { id: '7' });
    assert.equal(fx.invoker.lastEvent.path, '/items/7');

    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: fx.emu.port, path: '/prod/items/8', headers: { host: `${apiId}.execute-api.localhost:${fx.emu.port}` } }, (r) => {
        r.resume();
        r.on('end', () => resolve(r.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 200);
    assert.deepEqual(fx.invoker.lastEvent.pathParameters, { id: '8' });
    assert.equal(fx.invoker.lastEvent.requestContext.domainName, `${apiId}.execute-api.localhost`);
  });

  it('splits traffic to the canary deployment with its stage variable overrides', async () => {
    const b = fx.service.backend;
    b.createDeployment(apiId, { stageName: 'prod', canarySettings: { percentTraffic: 10, stageVariableOverrides: { alias: 'canary' } } });
    try {
      randoms.push(0.05, 0.5, 0.099, 0.1);
      for (let i = 0; i < 4; i++) await fetch(url('/items/1'));
      assert.deepEqual(
        fx.invoker.calls.map((c) => c.qualifier),
        ['canary', 'live', 'canary', 'live'],
      );
      assert.deepEqual(fx.invoker.calls[0].event.stageVariables, { alias: 'canary' });
      assert.deepEqual(fx.invoker.calls[1].event.stageVariables, { alias: 'live' });
    } finally {
      b.updateStage(apiId, 'prod', [{ op: 'remove', path: '/canarySettings' }]);
    }
  });

  it('hands the function the stage variables the request was routed with, whatever a later deployment sets', async () => {
    // Lambda posts the event's parts when an environment is free (after a cold start's init):
    // a deployment meanwhile must not change the event of a request already routed
    const b = fx.service.backend;
    const api = b.createRestApi({ name: 'held' });
    const hello = b.createResource(api.id, api.rootResourceId, 'hello').id;
    b.putMethod(api.id, hello, 'GET', { authorizationType: 'NONE' });
    b.putIntegration(api.id, hello, 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(`${FN}:\${stageVariables.alias}`) });
    b.createDeployment(api.id, { stageName: 'prod', variables: { alias: 'blue' } });
    let held!: (call: LambdaInvocation) => void;
    const call = new Promise<LambdaInvocation>((resolve) => (held = resolve));
    let answer!: () => void;
    fx.invoker.next.push((c) => {
      held(c);
      return new Promise((resolve) => (answer = () => resolve({ payload: JSON.stringify({ statusCode: 200, body: 'ok' }), executedVersion: '1' })));
    });
    const res = fetch(frontDoorUrl(fx.emu.endpoint, api.id, 'prod', '/hello'));
    const routed = await call;
    try {
      b.createDeployment(api.id, { stageName: 'prod', variables: { alias: 'green' } });
      assert.deepEqual(b.getStage(api.id, 'prod').variables, { alias: 'green' });
      const event = buildEvent(structuredClone(routed.event.parts) as ProxyEventParts) as { stageVariables: unknown };
      assert.equal(routed.qualifier, 'blue');
      assert.deepEqual(event.stageVariables, { alias: 'blue' });
    } finally {
      answer();
    }
    assert.equal((await res).status, 200);
  });
});

describe('throttleStatus 502 (the workshop)', () => {
  it('answers 502 for a throttled invocation', async () => {
    const fx = await startApiGateway({ throttleStatus: 502 });
    try {
      const api = buildSmallApi(fx.service.backend);
      fx.invoker.next.push(new ServiceError('TooManyRequestsException', 'Rate Exceeded.', 429));
      const res = await fetch(frontDoorUrl(fx.emu.endpoint, api.id, 'prod', '/hello'));
      assert.equal(res.status, 502);
      assert.equal(await res.text(), INTERNAL);
      // a refusal that is not throttling stays 500
      fx.invoker.next.push(new ServiceError('ResourceNotFoundException', 'Function not found', 404));
      assert.equal((await fetch(frontDoorUrl(fx.emu.endpoint, api.id, 'prod', '/hello'))).status, 500);
    } finally {
      await fx.close();
    }
  });
});

describe('frontDoorUrl', () => {
  it('builds the short form the CLI prints', () => {
    assert.equal(frontDoorUrl('http://127.0.0.1:4566', 'abc123defg', 'Prod', '/getinfo'), 'http://127.0.0.1:4566/execute-api/abc123defg/Prod/getinfo');
    assert.equal(frontDoorUrl('http://127.0.0.1:4566/', 'abc123defg', 'Prod', 'getinfo'), 'http://127.0.0.1:4566/execute-api/abc123defg/Prod/getinfo');
    assert.equal(frontDoorUrl('http://127.0.0.1:4566', 'abc123defg', 'Prod'), 'http://127.0.0.1:4566/execute-api/abc123defg/Prod/');
  });
});

describe('API Gateway front door on the cloud\'s clock', () => {
  it('gives the proxy event the cloud\'s time (requestTime, requestTimeEpoch), not the host\'s', async () => {
    const at = Date.UTC(2031, 6, 4, 12, 30, 15);
    const fx = await startApiGateway({ clock: new ManualClock(at) });
    try {
      const apiId = buildSmallApi(fx.service.backend).id;
      const res = await fetch(frontDoorUrl(fx.emu.endpoint, apiId, 'prod', '/hello'));
      assert.equal(res.status, 200);
      const rc = fx.invoker.calls[0]!.event.requestContext;
      assert.equal(rc.requestTimeEpoch, at);
      assert.equal(rc.requestTime, '04/Jul/2031:12:30:15 +0000');
    } finally {
      await fx.close();
    }
  });
});

describe('x-amz-apigw-id', () => {
  it('is 11 random bytes in base64, a new one for every request, also after its pool of bytes is refilled', async () => {
    const { newApigwId } = await import('../../../src/emulator/services/apigateway/gateway.js');
    const seen = new Set<string>();
    // several times the pool (372 ids): every refill gives new ids
    for (let i = 0; i < 2000; i++) {
      const id = newApigwId();
      assert.match(id, /^[A-Za-z0-9+/]{15}=$/);
      assert.equal(Buffer.from(id, 'base64').length, 11);
      seen.add(id);
    }
    assert.equal(seen.size, 2000);
  });
});
