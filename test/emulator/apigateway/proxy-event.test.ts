import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEvent, type ProxyEventParts } from '../../../src/emulator/services/apigateway/proxy-event-builder.js';
import { mapProxyResult, proxyEvent, type ProxyContext, type ProxyRequest } from '../../../src/emulator/services/apigateway/proxy-event.js';
import type { RouteTarget } from '../../../src/emulator/services/apigateway/router.js';

/**
 * The proxy event is handed to Lambda as its parts and built in the function's thread; what a
 * function receives must be exactly the documented event, members in the documented order. Each
 * case builds the event as the function's thread does (from a structured clone of the parts, as
 * postMessage delivers them) and compares its JSON text with JSON.stringify of the event written
 * out as an object, so a missing, extra, misplaced or differently encoded member fails.
 */
function proxyEventText(req: ProxyRequest, target: RouteTarget, ctx: ProxyContext): string {
  return JSON.stringify(buildEvent(structuredClone(proxyEvent(req, target, ctx).parts) as ProxyEventParts));
}

const route = (path: string) => ({ resource: { id: 'r3s0urce1d', path } }) as unknown as RouteTarget;

function context(over: Partial<ProxyContext> = {}): ProxyContext {
  return {
    accountId: '000000000000',
    apiId: 'a1b2c3d4e5',
    stage: 'prod',
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    extendedRequestId: 'JJbxmplHYosFVYQ=',
    now: Date.UTC(2020, 2, 10, 0, 3, 59, 123),
    stageVariables: null,
    pathParameters: null,
    binaryMediaTypes: [],
    ...over,
  };
}

function request(over: Partial<ProxyRequest> & { raw?: string[] }): ProxyRequest {
  const raw = over.raw ?? [];
  const headers: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i].toLowerCase();
    headers[k] = headers[k] === undefined ? raw[i + 1] : `${headers[k]}, ${raw[i + 1]}`;
  }
  return { method: 'GET', path: '/', query: new URLSearchParams(), headers, rawHeaders: raw, body: Buffer.alloc(0), ...over };
}

/** the requestContext members that no case changes, in the documented order around the ones that vary */
function requestContext(rc: { resourcePath: string; httpMethod: string; path: string; domainName: string; sourceIp: string; userAgent: string | null }) {
  return {
    resourceId: 'r3s0urce1d',
    resourcePath: rc.resourcePath,
    httpMethod: rc.httpMethod,
    extendedRequestId: 'JJbxmplHYosFVYQ=',
    requestTime: '10/Mar/2020:00:03:59 +0000',
    path: rc.path,
    accountId: '000000000000',
    protocol: 'HTTP/1.1',
    stage: 'prod',
    domainPrefix: rc.domainName.split('.', 1)[0],
    requestTimeEpoch: Date.UTC(2020, 2, 10, 0, 3, 59, 123),
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: rc.sourceIp,
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: rc.userAgent,
      user: null,
    },
    domainName: rc.domainName,
    apiId: 'a1b2c3d4e5',
  };
}

describe('the Lambda proxy event (text)', () => {
  it('a POST with headers as sent, repeats, a query, path parameters and stage variables', () => {
    const text = proxyEventText(
      request({
        method: 'POST',
        path: '/items/42',
        query: new URLSearchParams('x=1&x=2&y=a%20b&__proto__=p'),
        raw: ['Host', 'api.example.com:8443', 'Content-Type', 'application/json', 'X-Lab', 'a', 'x-lab', 'b', 'Content-Length', '7', 'User-Agent', 'lab "1"', 'X-Forwarded-For', '10.1.2.3, 10.0.0.1'],
        body: Buffer.from('{"k":1}'),
      }),
      route('/items/{id}'),
      context({ pathParameters: { id: '42' }, stageVariables: { alias: 'live' } }),
    );
    const expected = {
      resource: '/items/{id}',
      path: '/items/42',
      httpMethod: 'POST',
      headers: { Host: 'api.example.com:8443', 'Content-Type': 'application/json', 'X-Lab': 'b', 'User-Agent': 'lab "1"', 'X-Forwarded-For': '10.1.2.3, 10.0.0.1' },
      multiValueHeaders: {
        Host: ['api.example.com:8443'],
        'Content-Type': ['application/json'],
        'X-Lab': ['a', 'b'],
        'User-Agent': ['lab "1"'],
        'X-Forwarded-For': ['10.1.2.3, 10.0.0.1'],
      },
      queryStringParameters: JSON.parse('{"x":"2","y":"a b","__proto__":"p"}'),
      multiValueQueryStringParameters: JSON.parse('{"x":["1","2"],"y":["a b"],"__proto__":["p"]}'),
      pathParameters: { id: '42' },
      stageVariables: { alias: 'live' },
      requestContext: requestContext({
        resourcePath: '/items/{id}',
        httpMethod: 'POST',
        path: '/prod/items/42',
        domainName: 'api.example.com',
        sourceIp: '10.1.2.3',
        userAgent: 'lab "1"',
      }),
      body: '{"k":1}',
      isBase64Encoded: false,
    };
    assert.equal(text, JSON.stringify(expected));
  });

  it('a GET with no headers, no query and no body: the maps and the body are null', () => {
    const text = proxyEventText(request({}), route('/'), context());
    const expected = {
      resource: '/',
      path: '/',
      httpMethod: 'GET',
      headers: null,
      multiValueHeaders: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      requestContext: requestContext({ resourcePath: '/', httpMethod: 'GET', path: '/prod/', domainName: 'localhost', sourceIp: '127.0.0.1', userAgent: null }),
      body: null,
      isBase64Encoded: false,
    };
    assert.equal(text, JSON.stringify(expected));
  });

  it('a binary body (a binary media type, or bytes that are not UTF-8) is base64; text keeps its characters', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const asPng = JSON.parse(
      proxyEventText(request({ method: 'PUT', raw: ['content-type', 'image/png'], body: png }), route('/'), context({ binaryMediaTypes: ['image/*'] })),
    );
    assert.equal(asPng.body, png.toString('base64'));
    assert.equal(asPng.isBase64Encoded, true);
    const notUtf8 = JSON.parse(proxyEventText(request({ method: 'PUT', body: Buffer.from([0xff, 0x00]) }), route('/'), context()));
    assert.equal(notUtf8.isBase64Encoded, true);
    const text = JSON.parse(proxyEventText(request({ method: 'PUT', body: Buffer.from('ünï \u2028 "q"') }), route('/'), context()));
    assert.deepEqual([text.body, text.isBase64Encoded], ['ünï \u2028 "q"', false]);
  });

  it('a header named __proto__ is a member like any other', () => {
    const event = JSON.parse(proxyEventText(request({ raw: ['__proto__', 'x'] }), route('/'), context()));
    assert.deepEqual(Object.keys(event.headers), ['__proto__']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(event.multiValueHeaders, '__proto__')?.value, ['x']);
  });

  it('a header, query name or path parameter named __proto__ is an own member of the built event, its repeats too', () => {
    const { parts } = proxyEvent(
      request({ raw: ['__proto__', 'x', '__PROTO__', 'y'], query: new URLSearchParams('__proto__=1&__proto__=2') }),
      route('/'),
      context({ pathParameters: JSON.parse('{"__proto__":"p"}') }),
    );
    const event = buildEvent(structuredClone(parts)) as Record<string, Record<string, unknown>>;
    for (const name of ['headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters']) {
      assert.equal(Object.getPrototypeOf(event[name]), Object.prototype, name);
      assert.deepEqual(Object.keys(event[name]), ['__proto__'], name);
    }
    const own = (map: object) => Object.getOwnPropertyDescriptor(map, '__proto__')?.value;
    assert.deepEqual([own(event.headers), own(event.multiValueHeaders)], ['y', ['x', 'y']]);
    assert.deepEqual([own(event.queryStringParameters), own(event.multiValueQueryStringParameters)], ['2', ['1', '2']]);
  });
});

describe("the event's size against Invoke's payload limit (ProxyEvent.byteLength)", () => {
  const cases: [string, ProxyRequest, Partial<ProxyContext>][] = [
    ['no headers, no body', request({}), {}],
    [
      'headers, a query and a JSON body',
      request({ method: 'POST', raw: ['Host', 'x.example.com', 'X-A', 'é', 'x-a', '2'], query: new URLSearchParams('q=1&r=ü'), body: Buffer.from('{"k":"v"}') }),
      { pathParameters: { id: '42' }, stageVariables: { alias: 'live' } },
    ],
    // each control character is written \u00XX: six bytes for one UTF-16 unit
    ['a body of control characters', request({ method: 'POST', raw: ['X-C', '\u0001'], body: Buffer.from('\u0001\u001f"\\'.repeat(500)) }), {}],
    ['a binary body (base64)', request({ method: 'PUT', body: Buffer.from([0xff, 0xfe, 0x00, 0x01]) }), {}],
    // the path and the stage are written twice (requestContext.path), each unit as \u00XX or \udXXX
    ['a path and a stage of control characters and lone surrogates', request({ path: '/\u0001\ud800'.repeat(300) }), { stage: '\u001f\udc00'.repeat(50) }],
    // a state dir written before UpdateStage checked its patch values (`"value": 5` was stored as
    // it came) may hold them; the event carries them as they are
    ['stage variables that are not strings', request({}), { stageVariables: { n: 5, o: { a: [1] }, s: 'x' } as unknown as Record<string, string> }],
  ];

  for (const [name, req, over] of cases) {
    it(`${name}: a bound within the limit, the exact size past it`, () => {
      const event = proxyEvent(req, route('/items/{id}'), context(over));
      const exact = Buffer.byteLength(proxyEventText(req, route('/items/{id}'), context(over)));
      const roomy = event.byteLength(50_000_000);
      assert.ok(roomy >= exact && roomy <= 50_000_000, `bound ${roomy} for ${exact} bytes`);
      assert.equal(event.byteLength(exact - 1), exact);
      assert.ok(event.byteLength(exact) <= exact);
    });
  }
});

/**
 * What proxy-event.ts keeps from one event to the next (the Host's domain members, a second's
 * time) must never leak into a request it does not describe:
 * requests that differ in one of those, through the same route objects, each against the
 * documented event written out in full.
 */
describe('the Lambda proxy event, request after request', () => {
  interface Case {
    target: RouteTarget;
    resourceId: string;
    resource: string;
    method: string;
    path: string;
    host: string;
    ctx: Partial<ProxyContext>;
  }

  function documented(c: Case): string {
    const ctx = context(c.ctx);
    const domainName = c.host.split(':', 1)[0];
    return JSON.stringify({
      resource: c.resource,
      path: c.path,
      httpMethod: c.method,
      headers: { Host: c.host },
      multiValueHeaders: { Host: [c.host] },
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: ctx.pathParameters,
      stageVariables: ctx.stageVariables,
      requestContext: {
        resourceId: c.resourceId,
        resourcePath: c.resource,
        httpMethod: c.method,
        extendedRequestId: ctx.extendedRequestId,
        requestTime: new Date(Math.floor(ctx.now / 1000) * 1000).toUTCString().replace(/^\w+, (\d\d) (\w+) (\d+) (\S+) GMT$/, '$1/$2/$3:$4 +0000'),
        path: `/${ctx.stage}${c.path}`,
        accountId: ctx.accountId,
        protocol: 'HTTP/1.1',
        stage: ctx.stage,
        domainPrefix: domainName.split('.', 1)[0],
        requestTimeEpoch: ctx.now,
        requestId: ctx.requestId,
        identity: {
          cognitoIdentityPoolId: null,
          accountId: null,
          cognitoIdentityId: null,
          caller: null,
          sourceIp: '127.0.0.1',
          principalOrgId: null,
          accessKey: null,
          cognitoAuthenticationType: null,
          cognitoAuthenticationProvider: null,
          userArn: null,
          userAgent: null,
          user: null,
        },
        domainName,
        apiId: ctx.apiId,
      },
      body: null,
      isBase64Encoded: false,
    });
  }

  it('another stage, stage variable, method, route, deployment (a canary), Host or moment each gets its own text', () => {
    const items = { resource: { id: 'itemsid001', path: '/items/{id}' } } as unknown as RouteTarget;
    const any = { resource: { id: 'proxyid002', path: '/{proxy+}' } } as unknown as RouteTarget;
    // the canary's deployment has route objects of its own, for the same resource
    const canaryItems = { resource: { id: 'itemsid001', path: '/items/{id}' } } as unknown as RouteTarget;
    const t0 = Date.UTC(2031, 6, 4, 12, 30, 15, 7);
    const base: Case = {
      target: items,
      resourceId: 'itemsid001',
      resource: '/items/{id}',
      method: 'GET',
      path: '/items/1',
      host: 'a1b2c3d4e5.execute-api.localhost:4566',
      ctx: { now: t0, pathParameters: { id: '1' }, stageVariables: { alias: 'live' } },
    };
    const cases: Case[] = [
      base,
      { ...base, ctx: { ...base.ctx, stageVariables: { alias: 'blue' } } },
      { ...base, ctx: { ...base.ctx, stageVariables: null } },
      { ...base, ctx: { ...base.ctx, stage: 'beta' } },
      { ...base, ctx: { ...base.ctx, apiId: 'z9y8x7w6v5', accountId: '123456789012' } },
      { ...base, target: canaryItems, ctx: { ...base.ctx, stageVariables: { alias: 'live', extra: 'canary' } } },
      { ...base, host: '127.0.0.1:4566' },
      { ...base, host: 'localhost', ctx: { ...base.ctx, now: t0 + 993 } },
      { ...base, ctx: { ...base.ctx, now: t0 + 1000, requestId: '11111111-2222-3333-4444-555555555555', extendedRequestId: 'AAAAAAAAAAAAAAA=' } },
      { ...base, ctx: { ...base.ctx, now: t0 + 86_400_000 + 120 } },
      { ...base, target: any, resourceId: 'proxyid002', resource: '/{proxy+}', path: '/a/b', ctx: { ...base.ctx, pathParameters: { proxy: 'a/b' } } },
      { ...base, target: any, resourceId: 'proxyid002', resource: '/{proxy+}', method: 'DELETE', path: '/a/b', ctx: { ...base.ctx, pathParameters: { proxy: 'a/b' } } },
      { ...base, ctx: { ...base.ctx, now: t0 - 7 } },
      base,
    ];
    for (const [i, c] of cases.entries()) {
      const text = proxyEventText(request({ method: c.method, path: c.path, raw: ['Host', c.host] }), c.target, context(c.ctx));
      assert.equal(text, documented(c), `case ${i}`);
    }
  });

  it('a time that is not a whole millisecond is written as JSON.stringify writes the number', () => {
    const now = Date.UTC(2031, 6, 4, 12, 30, 15) + 0.5;
    const event = proxyEventText(request({}), route('/'), context({ now }));
    assert.ok(event.includes(`"requestTimeEpoch":${JSON.stringify(now)},`), event);
  });
});

describe("the function's proxy result as an answer (mapProxyResult)", () => {
  const map = (result: unknown) => mapProxyResult(JSON.stringify(result));

  it('adds application/json only when no header of any case names a Content-Type', () => {
    assert.deepEqual(map({ body: 'x' })?.headers, { 'Content-Type': 'application/json' });
    assert.deepEqual(map({ headers: { 'CONTENT-TYPE': 'text/plain' } })?.headers, { 'CONTENT-TYPE': 'text/plain' });
    assert.deepEqual(map({ multiValueHeaders: { 'content-type': ['text/csv'] } })?.headers, { 'content-type': 'text/csv' });
    assert.deepEqual(map({ headers: { 'X-Content-Type': 'a' } })?.headers, { 'X-Content-Type': 'a', 'Content-Type': 'application/json' });
  });

  it('merges multiValueHeaders over headers of the same name in any case, keeping the later name', () => {
    const mapped = map({ headers: { 'X-A': '1', 'X-B': 2 }, multiValueHeaders: { 'x-a': ['3', '4'], 'X-C': [true] } });
    assert.deepEqual(mapped?.headers, { 'X-B': '2', 'x-a': ['3', '4'], 'X-C': 'true', 'Content-Type': 'application/json' });
  });

  it('keeps a header named __proto__ as a header', () => {
    const mapped = mapProxyResult('{"headers":{"__proto__":"x","a":"b"}}');
    assert.ok(mapped);
    assert.deepEqual(Object.keys(mapped.headers), ['__proto__', 'a', 'Content-Type']);
    assert.equal(Object.getOwnPropertyDescriptor(mapped.headers, '__proto__')?.value, 'x');
  });

  it('refuses what API Gateway refuses as a malformed proxy response', () => {
    const informational = [{ statusCode: 100 }, { statusCode: '101' }, { statusCode: 199 }];
    for (const bad of [[], 'text', { other: 1 }, { statusCode: 99 }, ...informational, { headers: [] }, { headers: { a: {} } }, { multiValueHeaders: { a: 'b' } }, { body: 1 }]) {
      assert.equal(map(bad), undefined, JSON.stringify(bad));
    }
  });

  it('reads statusCode as REST APIs do: absent or null is 200, a whole number or its decimal text is itself, anything else is malformed', () => {
    for (const [given, status] of [
      [undefined, 200],
      [null, 200],
      [201, 201],
      [201.0, 201],
      ['201', 201],
      ['0404', 404],
      ['+204', 204],
    ] as const) {
      assert.equal(map({ statusCode: given, body: 'x' })?.status, status, JSON.stringify(given));
    }
    for (const given of ['201abc', '2.5e2', '201.0', ' 201', '201 ', '', 'test', '0x1F', true, [201], { code: 201 }, 200.5, '-200', '99999999999']) {
      assert.equal(map({ statusCode: given }), undefined, JSON.stringify(given));
    }
  });

  it('decodes a body marked isBase64Encoded only when it is base64, padded or not; anything else is malformed', () => {
    for (const [body, bytes] of [
      ['aGk=', 'hi'],
      ['aGk', 'hi'],
      ['aGVsbG8h', 'hello!'],
      ['', ''],
      ['+/8=', '\xfb\xff'],
    ] as const) {
      assert.deepEqual(map({ isBase64Encoded: true, body })?.body, Buffer.from(bytes, 'latin1'), body);
    }
    for (const body of ['not base64!', 'aGk=\n', 'aGVs\nbG8h', 'a', 'aG=', 'aGk==', 'aGk=aGk=', '-_8', 'aGk*']) {
      assert.equal(map({ isBase64Encoded: true, body }), undefined, JSON.stringify(body));
    }
    // unmarked, the same text is the body as it is
    assert.equal(map({ isBase64Encoded: false, body: 'not base64!' })?.body, 'not base64!');
  });

  it('refuses a header no HTTP field may carry: a name that is no token, a value with a line break or a control character', () => {
    for (const headers of [{ 'a b': 'c' }, { '': 'c' }, { 'x:y': 'c' }, { a: 'b\r\nX-Injected: 1' }, { a: 'b\u0000' }]) {
      assert.equal(map({ headers }), undefined, JSON.stringify(headers));
      const multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, ['ok', v]]));
      assert.equal(map({ multiValueHeaders }), undefined, JSON.stringify(multiValueHeaders));
    }
  });

  it('sends a character above U+00FF as its UTF-8 bytes, and Latin-1 as it is', () => {
    assert.deepEqual(map({ headers: { 'X-Name': 'Ā€', 'X-Latin': 'é' } })?.headers, {
      'X-Name': Buffer.from('Ā€', 'utf8').toString('latin1'),
      'X-Latin': 'é',
      'Content-Type': 'application/json',
    });
  });

  it('remaps the headers API Gateway writes itself and drops the framing ones', () => {
    const mapped = map({
      headers: { 'Content-Length': '999', Date: 'd', Server: 'fn', 'WWW-Authenticate': 'Basic', 'x-amzn-RequestId': 'mine', 'X-Ok': '1' },
      multiValueHeaders: { 'Transfer-Encoding': ['chunked'], Connection: ['close'], Upgrade: ['h2c'] },
    });
    assert.deepEqual(mapped?.headers, {
      'x-amzn-Remapped-Content-Length': '999',
      'x-amzn-Remapped-Date': 'd',
      'x-amzn-Remapped-Server': 'fn',
      'x-amzn-Remapped-WWW-Authenticate': 'Basic',
      'x-amzn-Remapped-x-amzn-RequestId': 'mine',
      'X-Ok': '1',
      'x-amzn-Remapped-Connection': 'close',
      'Content-Type': 'application/json',
    });
  });
});
