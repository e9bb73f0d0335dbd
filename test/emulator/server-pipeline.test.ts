/**
 * The server's request path (server.ts): the body read by callback, the steps run without an async
 * function. Whatever a step does — answer at once, answer later, throw, reject — the client gets an
 * answer, the failure is reported once, and the server serves the next request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { once } from 'node:events';
import { createEmulatorServer, type EmulatorServer, type RequestLogEntry } from '../../src/emulator/server.js';
import type { FrontDoor, WireRequest, WireResponse } from '../../src/emulator/protocols/types.js';

const text = (body: string, status = 200): WireResponse => ({ status, headers: { 'Content-Type': 'text/plain' }, body });

/**
 * `/now` answers at once, `/later` from a promise, `/throw` throws, `/reject` rejects, `/echo`
 * answers the body, `/bad-header` answers a header value HTTP cannot carry
 */
const door: FrontDoor = {
  name: 'test-door',
  matches: (req: WireRequest) => ['/now', '/later', '/throw', '/reject', '/echo', '/bad-header'].includes(req.path),
  handle(req: WireRequest) {
    switch (req.path) {
      case '/now':
        return text('now');
      case '/later':
        return new Promise((resolve) => setTimeout(() => resolve(text('later')), 5));
      case '/throw':
        throw new Error('the door broke');
      case '/reject':
        return Promise.reject(new Error('the door broke later'));
      case '/bad-header':
        return { status: 200, headers: { 'X-Split': 'a\r\nX-Injected: 1' }, body: 'never sent' };
      default:
        return text(req.body.toString('utf8'));
    }
  },
};

async function withServer(
  use: (server: EmulatorServer, seen: { requests: RequestLogEntry[]; errors: string[] }) => Promise<void>,
  onRequest?: (entry: RequestLogEntry) => void,
): Promise<void> {
  const seen = { requests: [] as RequestLogEntry[], errors: [] as string[] };
  const server = await createEmulatorServer({
    port: 0,
    app: { services: [], frontDoors: [door] },
    onRequest: (entry) => {
      seen.requests.push(entry);
      onRequest?.(entry);
    },
    onError: (err) => seen.errors.push((err as Error).message),
  });
  try {
    await use(server, seen);
  } finally {
    await server.close();
  }
}

test('an answer at once, an answer later, and a body read in several chunks', async () => {
  await withServer(async (server, seen) => {
    assert.equal(await (await fetch(`${server.endpoint}/now`)).text(), 'now');
    assert.equal(await (await fetch(`${server.endpoint}/later`)).text(), 'later');
    // a streamed body arrives in several chunks
    const chunks = ['{"a":', '1,', '"b":2}'];
    const body = new ReadableStream({
      async pull(controller) {
        const next = chunks.shift();
        if (next === undefined) return controller.close();
        await new Promise((r) => setTimeout(r, 5));
        controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const res = await fetch(`${server.endpoint}/echo`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    assert.equal(await res.text(), '{"a":1,"b":2}');
    assert.deepEqual(
      seen.requests.map((r) => [r.path, r.status, r.service]),
      [
        ['/now', 200, 'test-door'],
        ['/later', 200, 'test-door'],
        ['/echo', 200, 'test-door'],
      ],
    );
    assert.deepEqual(seen.errors, []);
  });
});

test('a step that throws or rejects answers 500 InternalFailure, reported once, and the server serves on', async () => {
  await withServer(async (server, seen) => {
    for (const path of ['/throw', '/reject']) {
      const res = await fetch(`${server.endpoint}${path}`);
      assert.equal(res.status, 500, path);
      assert.equal(res.headers.get('x-amzn-errortype'), 'InternalFailure', path);
      assert.match(await res.text(), /unknown error/, path);
    }
    assert.deepEqual(seen.errors, ['the door broke', 'the door broke later']);
    assert.deepEqual(
      seen.requests.map((r) => r.status),
      [500, 500],
    );
    assert.equal(await (await fetch(`${server.endpoint}/now`)).text(), 'now');
  });
});

test('an answer whose header HTTP cannot carry is an empty 500, reported and logged as such, and the server serves on', async () => {
  await withServer(async (server, seen) => {
    const res = await fetch(`${server.endpoint}/bad-header`);
    assert.equal(res.status, 500);
    assert.equal(res.statusText, 'Internal Server Error');
    assert.equal(res.headers.get('x-injected'), null);
    assert.equal(await res.text(), '');
    assert.equal(seen.errors.length, 1);
    assert.match(seen.errors[0]!, /Invalid character in header content \["X-Split"\]/);
    assert.deepEqual(
      seen.requests.map((r) => [r.path, r.status]),
      [['/bad-header', 500]],
    );
    assert.equal(await (await fetch(`${server.endpoint}/now`)).text(), 'now');
  });
});

test('a request nothing serves answers 404 in the caller\'s shape', async () => {
  await withServer(async (server) => {
    const res = await fetch(`${server.endpoint}/nothing-here`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /does not serve GET \/nothing-here/);
  });
});

test('a client that goes away in the middle of its body is not answered, not reported as a failure, and the server serves on', async () => {
  await withServer(async (server, seen) => {
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    const arrived = once(server.server, 'request');
    socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789');
    // the server has the request (its body half read): go away
    await arrived;
    socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await (await fetch(`${server.endpoint}/now`)).text(), 'now');
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(
      seen.requests.map((r) => r.path),
      ['/now'],
    );
  });
});

test('a request log that throws takes neither the answer nor its connection down', async () => {
  let thrown = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (url: string): Promise<{ body: string; reused: boolean }> =>
    new Promise((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ body, reused: req.reusedSocket }));
      });
      req.on('error', reject);
      req.end();
    });
  try {
    await withServer(
      async (server) => {
        assert.deepEqual(await get(`${server.endpoint}/now`), { body: 'now', reused: false });
        // the same keep-alive connection serves the next request
        assert.deepEqual(await get(`${server.endpoint}/later`), { body: 'later', reused: true });
        assert.equal(thrown, 2);
      },
      () => {
        thrown++;
        throw new Error('the log broke');
      },
    );
  } finally {
    agent.destroy();
  }
});

test('logsRequest chooses the requests onRequest is given; the others build no entry', async () => {
  const asked: Array<[number, string]> = [];
  const logged: RequestLogEntry[] = [];
  const server = await createEmulatorServer({
    port: 0,
    app: { services: [], frontDoors: [door] },
    onRequest: (entry) => logged.push(entry),
    logsRequest: (status, service) => {
      asked.push([status, service]);
      return status >= 500;
    },
    onError: () => undefined,
  });
  try {
    assert.equal((await fetch(`${server.endpoint}/now`)).status, 200);
    assert.equal((await fetch(`${server.endpoint}/throw`)).status, 500);
    assert.equal((await fetch(`${server.endpoint}/bad-header`)).status, 500);
    assert.deepEqual(asked, [
      [200, 'test-door'],
      [500, 'test-door'],
      [500, 'test-door'],
    ]);
    assert.deepEqual(
      logged.map((e) => [e.path, e.status]),
      [
        ['/throw', 500],
        ['/bad-header', 500],
      ],
    );
  } finally {
    await server.close();
  }
});

test('a server error answered while the cloud stops is 503 ServiceUnavailable (the stop\'s, not the function\'s 500); an answer that is not an error goes out as it is', async () => {
  const answers: Record<string, (r: WireResponse) => void> = {};
  const slow: FrontDoor = {
    name: 'front-door',
    matches: (req: WireRequest) => req.path === '/fails' || req.path === '/ok',
    // answered only when the test says: after close() has begun, as a function meeting the stopped cloud does
    handle: (req: WireRequest) => new Promise<WireResponse>((resolve) => (answers[req.path] = resolve)),
  };
  const logged: RequestLogEntry[] = [];
  const server = await createEmulatorServer({ port: 0, app: { services: [], frontDoors: [slow] }, onRequest: (e) => logged.push(e), onError: () => undefined });
  let closed: Promise<void> | undefined;
  try {
    const failing = fetch(`${server.endpoint}/fails`, { method: 'POST' });
    const fine = fetch(`${server.endpoint}/ok`, { method: 'POST' });
    while (!answers['/fails'] || !answers['/ok']) await new Promise((r) => setTimeout(r, 5));
    closed = server.close();
    answers['/fails']({ status: 500, headers: { 'Content-Type': 'application/json' }, body: '{"name":"Error","message":"connect ECONNREFUSED"}' });
    answers['/ok']({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' });
    const [a, b] = await Promise.all([failing, fine]);
    assert.equal(a.status, 503);
    assert.match(await a.text(), /stopping/);
    assert.equal(b.status, 200);
    assert.equal(await b.text(), '{"ok":true}');
    const entry = logged.find((e) => e.path === '/fails')!;
    assert.equal(entry.status, 503);
    assert.match(entry.note ?? '', /would have answered 500/);
  } finally {
    await (closed ?? server.close());
  }
});
