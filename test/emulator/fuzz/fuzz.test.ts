/**
 * Bad input, everywhere: every operation of every wired service, through its real protocol, with
 *   - inputs generated from the operation's own shape (sdk-inputs.ts), sent by the real AWS SDK v3
 *     client: wrong values, prototype names, path tricks, over-long strings;
 *   - raw requests on the operation's route: malformed and wrong-typed bodies, invalid UTF-8,
 *     random bytes, deep nesting, an oversized body, bad encodings and headers;
 *   - random paths, methods and bytes that name no operation.
 * Every answer must be a 4xx (or a success) in the shape the service uses, never a 5xx and never
 * a dropped connection, and the cloud must still serve afterwards. Seeds are fixed, so a failure
 * repeats; the counts are printed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ServiceDefinition } from '../../../src/emulator/core/service.js';
import { clientConfig, scopeOnlyAuthorization, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { createInput, handlers } from '../lambda/harness.js';
import { arbitraryFor, memberNames, nastyString, PROTOTYPE_KEYS } from './sdk-inputs.js';
import { SDK_CLIENTS } from './clients.js';

const SDK_RUNS_PER_OPERATION = 12;
const RAW_RUNS_PER_OPERATION = 10;
const RANDOM_REQUESTS = 300;

interface Finding {
  what: string;
  status?: number;
  detail: string;
}

let emu: TestEmulator;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const findings: Finding[] = [];
const counts = { sdk: 0, sdkRefusedByClient: 0, raw: 0, random: 0, headerTooLarge: 0 };

before(async () => {
  emu = await startTestEmulator();
});
after(async () => {
  agent.destroy();
  await emu.close();
});

function servedOperations(): { service: ServiceDefinition; name: string }[] {
  return emu.services.flatMap((service) => service.operations.map((op) => ({ service, name: op.name })));
}

test('every operation through the real SDK client, with inputs from its own shape', { timeout: 300_000 }, async () => {
  let seed = 1;
  for (const service of emu.services) {
    const spec = SDK_CLIENTS[service.signingName];
    assert.ok(spec, `no SDK client named for the '${service.signingName}' service: add it to SDK_CLIENTS`);
    const sdk = (await import(spec.module)) as Record<string, any>;
    const client = new sdk[spec.client]({ ...clientConfig(emu.endpoint), ...spec.config });
    try {
      for (const op of service.operations) {
        const Command = sdk[`${op.name}Command`];
        if (!Command) continue; // an operation the SDK does not have: the raw test covers it
        const inputSchema = new Command({}).schema?.[4];
        const inputs = fc.sample(arbitraryFor(inputSchema), { seed: seed++, numRuns: SDK_RUNS_PER_OPERATION });
        for (const input of inputs) {
          counts.sdk++;
          try {
            await client.send(new Command(input));
          } catch (err) {
            const e = err as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number }; $response?: unknown };
            const status = e.$metadata?.httpStatusCode;
            if (status === undefined) {
              if (/ECONNRESET|socket hang up|EPIPE|ECONNREFUSED/.test(`${e.code} ${e.message}`)) {
                findings.push({ what: `${service.id} ${op.name} (SDK)`, detail: `connection dropped: ${e.message} for ${short(input)}` });
              } else {
                counts.sdkRefusedByClient++; // the client refused to send it (a missing label, a type it cannot write)
              }
            } else if (status >= 500 && !(service.id === 's3' && status === 501)) {
              findings.push({ what: `${service.id} ${op.name} (SDK)`, status, detail: `${e.name}: ${e.message} for ${short(input)}` });
            }
          }
        }
      }
    } finally {
      client.destroy();
    }
  }
  report('SDK');
});

interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

function send(req: RawRequest): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer } | { dropped: string }> {
  return new Promise((resolve) => {
    const r = request(
      {
        host: '127.0.0.1',
        port: emu.port,
        method: req.method,
        path: req.path,
        // Node sends a DELETE's body with neither length nor chunking unless told the length
        headers: req.body ? { ...req.headers, 'content-length': String(req.body.length) } : req.headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (err) => resolve({ dropped: err.message }));
      },
    );
    r.on('error', (err) => resolve({ dropped: err.message }));
    r.end(req.body);
  });
}

/** the error code the answer names, in whichever shape its protocol uses */
function errorCode(headers: Record<string, string | string[] | undefined>, body: Buffer): string | undefined {
  const header = headers['x-amzn-errortype'] ?? headers['x-amzn-query-error'];
  if (typeof header === 'string') return header;
  const text = body.toString('utf8');
  // API Gateway's plain-text answer to a body over its 10 MB quota (payload-limits.test.ts)
  if (/^HTTP content length exceeded \d+ bytes\.$/.test(text)) return 'payload quota';
  const xml = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
  if (xml) return xml;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    return (json.__type ?? json.code ?? json.Code ?? (json.message !== undefined ? 'message' : undefined)) as string | undefined;
  } catch {
    return undefined;
  }
}

async function check(what: string, req: RawRequest): Promise<void> {
  const res = await send(req);
  if ('dropped' in res) {
    findings.push({ what, detail: `connection dropped (${res.dropped}): ${req.method} ${req.path.slice(0, 120)}` });
    return;
  }
  if (res.status === 431 && res.headers['x-amzn-requestid'] === undefined && req.path.length + Object.values(req.headers).join('').length > 16_000) {
    // Node's HTTP parser: a request line and headers over 16 KB never reach the cloud (AWS's fronts
    // refuse them too, with 414/431); counted, not a finding
    counts.headerTooLarge++;
    return;
  }
  if (res.status >= 500 && !(res.status === 501 && isS3NotImplemented(res.headers, res.body))) {
    findings.push({ what, status: res.status, detail: `${req.method} ${req.path.slice(0, 120)} → ${res.body.toString('utf8').slice(0, 200)}` });
  } else if (res.status >= 400 && req.method !== 'HEAD' && !errorCode(res.headers, res.body)) {
    findings.push({ what, status: res.status, detail: `no error code in the answer to ${req.method} ${req.path.slice(0, 120)} ${JSON.stringify(req.headers)} ${String(req.body?.subarray(0, 60))}: ${JSON.stringify(res.headers)} ${res.body.toString('utf8').slice(0, 200)}` });
  }
}

/**
 * S3's own answer for a header or sub-resource it does not implement ("NotImplemented", 501, S3
 * ErrorResponses); the embedded S3 serves a subset and answers the rest with it rather than
 * ignoring a request it would get wrong. HEAD answers carry no body, only the status.
 */
function isS3NotImplemented(headers: Record<string, string | string[] | undefined>, body: Buffer): boolean {
  return headers['x-amz-request-id'] !== undefined && (body.length === 0 || errorCode(headers, body) === 'NotImplemented');
}

const signed = scopeOnlyAuthorization;

/** a path segment from a nasty string: percent-encoded, or raw when it is a known trick */
const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nastyString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'))) },
  { weight: 1, arbitrary: fc.constantFrom('..', '%zz', '%', '%ff%fe', '%e0%80', '%c0%af', '%2e%2e', '.', '') },
);

/** bodies that have broken servers before */
function bodies(members: string[]): fc.Arbitrary<{ body: Buffer; contentType?: string; encoding?: string }> {
  const wrongTyped = fc
    .dictionary(
      members.length ? fc.constantFrom(...members, ...PROTOTYPE_KEYS) : fc.constantFrom(...PROTOTYPE_KEYS),
      fc.oneof(fc.anything({ maxDepth: 2 }), nastyString),
      { maxKeys: 5 },
    )
    .map((o) => Buffer.from(JSON.stringify(o) ?? 'null'));
  return fc.oneof(
    { weight: 4, arbitrary: wrongTyped.map((body) => ({ body })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((b) => ({ body: Buffer.from(b) })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{',
        '{"a":',
        '[]',
        'null',
        '"x"',
        '1e999',
        '{"__proto__":{"polluted":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        '[' .repeat(50_000),
        '<?xml version="1.0"?><a>',
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      ).map((t) => ({ body: Buffer.from(t) })),
    },
    // invalid UTF-8 inside otherwise good JSON
    {
      weight: 1,
      arbitrary: fc.constantFrom(...(members.length ? members : ['Name'])).map((m) => ({
        body: Buffer.concat([Buffer.from(`{"${m}":"`), Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80]), Buffer.from('"}')]),
      })),
    },
    // says gzip, is not; or is gzip of garbage
    { weight: 1, arbitrary: fc.constant({ body: Buffer.from('not gzip'), encoding: 'gzip' }) },
    { weight: 1, arbitrary: fc.constant({ body: gzipSync(Buffer.from('{"x":')), encoding: 'gzip' }) },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '').map((contentType) => ({ body: Buffer.from('a=b&%zz=%zz'), contentType })) },
  );
}

const CONTENT_TYPE: Record<string, string> = {
  restJson1: 'application/json',
  awsJson1_0: 'application/x-amz-json-1.0',
  awsJson1_1: 'application/x-amz-json-1.1',
  restXml: 'application/xml',
  awsQuery: 'application/x-www-form-urlencoded',
  rpcv2Cbor: 'application/cbor',
};

test('every operation on its own route, with malformed, wrong-typed and invalid UTF-8 bodies', { timeout: 300_000 }, async () => {
  let seed = 1000;
  for (const { service, name } of servedOperations()) {
    const op = service.operations.find((o) => o.name === name)!;
    const spec = SDK_CLIENTS[service.signingName];
    const sdk = (await import(spec.module)) as Record<string, any>;
    const Command = sdk[`${name}Command`];
    const members = Command ? memberNames(new Command({}).schema?.[4]) : [];
    const cases = fc.sample(fc.tuple(fc.array(segment, { minLength: 4, maxLength: 4 }), bodies(members), fc.dictionary(fc.constantFrom(...members, 'x', 'list-type', 'uploads'), segment, { maxKeys: 3 })), {
      seed: seed++,
      numRuns: RAW_RUNS_PER_OPERATION,
    });
    for (const [labels, b, query] of cases) {
      for (const protocol of service.protocols) {
        const headers: Record<string, string> = {
          authorization: signed(service.signingName),
          'content-type': b.contentType ?? CONTENT_TYPE[protocol] ?? 'application/json',
        };
        if (b.encoding) headers['content-encoding'] = b.encoding;
        let path: string;
        let method = 'POST';
        if (op.http && (protocol === 'restJson1' || protocol === 'restXml')) {
          let l = 0;
          path = op.http.path.split('?')[0].replace(/\{[^}]+\}/g, () => labels[l++ % labels.length] || 'x');
          method = op.http.method;
          const q = new URLSearchParams(op.http.queryMatch ?? {});
          for (const [k, v] of Object.entries(query)) q.append(k, decodeURIComponentSafe(v));
          if (q.size) path += `?${q}`;
        } else if (protocol === 'rpcv2Cbor') {
          path = `/service/${service.targetPrefix}/operation/${name}`;
          headers['smithy-protocol'] = 'rpc-v2-cbor';
        } else if (protocol === 'awsQuery') {
          path = '/';
          b.body = Buffer.concat([Buffer.from(`Action=${name}&Version=2010-08-01&`), b.body]);
          headers['content-type'] = 'application/x-www-form-urlencoded';
        } else {
          path = '/';
          headers['x-amz-target'] = `${service.targetPrefix}.${name}`;
        }
        counts.raw++;
        await check(`${service.id} ${name} (${protocol})`, { method, path, headers, body: method === 'GET' || method === 'HEAD' ? undefined : b.body });
      }
    }
  }
  report('raw');
});

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

test('random paths, methods, headers and bytes that name no operation', { timeout: 300_000 }, async () => {
  const signingNames = emu.services.map((s) => s.signingName);
  const cases = fc.sample(
    fc.record({
      method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS', 'TRACE'),
      parts: fc.array(segment, { maxLength: 6 }),
      prefix: fc.constantFrom('', '/restapis', '/execute-api', '/2015-03-31/functions', '/2017-10-31', '/_lab', '/_lab/lambda', '/service/x/operation', '/restapis/x/y/_user_request_'),
      auth: fc.option(fc.constantFrom(...signingNames, 'iam', 'dynamodb', ''), { nil: undefined }),
      target: fc.option(nastyString.map((s) => s.replace(/[^\x20-\x7e]/g, '')), { nil: undefined }),
      host: fc.option(fc.constantFrom('abc123.execute-api.localhost', 'constructor.execute-api.localhost', '__proto__.execute-api.localhost'), { nil: undefined }),
      body: fc.option(fc.uint8Array({ maxLength: 256 }), { nil: undefined }),
      cbor: fc.boolean(),
    }),
    { seed: 4242, numRuns: RANDOM_REQUESTS },
  );
  for (const c of cases) {
    const headers: Record<string, string> = {};
    if (c.auth !== undefined) headers.authorization = signed(c.auth);
    if (c.target !== undefined) headers['x-amz-target'] = c.target;
    if (c.host !== undefined) headers.host = c.host;
    if (c.cbor) headers['smithy-protocol'] = 'rpc-v2-cbor';
    counts.random++;
    await check('random', {
      method: c.method,
      path: `${c.prefix}/${c.parts.join('/')}`,
      headers,
      body: c.body && !['GET', 'HEAD', 'TRACE'].includes(c.method) ? Buffer.from(c.body) : undefined,
    });
  }
  report('random');
});

test('an oversized body is refused, not a crash', { timeout: 120_000 }, async () => {
  // over every documented request limit we serve (Lambda 6 MB, API Gateway 10 MB)
  const big = Buffer.alloc(12 * 1024 * 1024, 0x61);
  for (const path of ['/2015-03-31/functions', '/2015-03-31/functions/fn/invocations', '/restapis/x/prod/_user_request_/', '/restapis']) {
    counts.raw++;
    const signing = path.startsWith('/restapis/x') ? undefined : path.startsWith('/restapis') ? 'apigateway' : 'lambda';
    await check(`oversized ${path}`, { method: 'POST', path, headers: signing ? { authorization: signed(signing), 'content-type': 'application/json' } : {}, body: big });
  }
  report('oversized');
});

test('the cloud still serves afterwards', async () => {
  const health = await fetch(`${emu.endpoint}/_lab/health`);
  assert.equal(health.status, 200);
  const lambda = new LambdaClient(clientConfig(emu.endpoint));
  try {
    await lambda.send(new CreateFunctionCommand(createInput('after-fuzz', handlers.echo)));
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'after-fuzz', Payload: Buffer.from('{"still":"here"}') }));
    assert.deepEqual(JSON.parse(Buffer.from(out.Payload!).toString()).event, { still: 'here' });
  } finally {
    lambda.destroy();
  }
  console.log(
    `# fuzz: ${counts.sdk + counts.raw + counts.random} inputs over ${servedOperations().length} operations of ${emu.services.length} services ` +
      `(${counts.sdk} through the SDK clients, of which ${counts.sdkRefusedByClient} the client would not send; ${counts.raw} raw on operation routes; ${counts.random} random; ${counts.headerTooLarge} over-long URLs refused by the HTTP parser)`,
  );
});

function report(part: string): void {
  const mine = findings.splice(0);
  findings.length = 0;
  if (mine.length) {
    const byWhat = new Map<string, Finding>();
    for (const f of mine) if (!byWhat.has(f.what)) byWhat.set(f.what, f);
    assert.fail(`${part}: ${mine.length} bad answers, e.g.\n${[...byWhat.values()].slice(0, 25).map((f) => `  ${f.what}: ${f.status ?? ''} ${f.detail}`).join('\n')}`);
  }
}

function short(v: unknown): string {
  try {
    const s = JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? `<${x.length} bytes>` : x));
    return s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return String(v);
  }
}
