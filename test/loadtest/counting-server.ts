/**
 * A test HTTP server on 127.0.0.1:0 with known behaviour that counts what it received and how it
 * answered, so a load test's figures can be compared with the server's own.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** 'close': end the connection unanswered (FIN); 'reset': abort it (RST); 'hang': never answer */
export type Behaviour = (
  nth: number,
  req: IncomingMessage,
) => { status: number; delayMs?: number; connectionClose?: boolean } | 'close' | 'reset' | 'hang';

export interface ServerOptions {
  /** keep request bodies and headers */
  keepBodies?: boolean;
  /** node's server.maxRequestsPerSocket: answer the last one with `Connection: close` */
  maxRequestsPerSocket?: number;
}

export interface CountingServer {
  readonly url: string;
  readonly received: number;
  readonly connections: number;
  /** status → responses sent */
  readonly statusCounts: Record<number, number>;
  /** requests whose connection was closed or reset instead of answered */
  readonly resets: number;
  readonly hung: number;
  readonly bodies: string[];
  readonly headers: IncomingMessage['headers'][];
  /** performance.now() when the first request arrived, and when the last response was finished */
  readonly firstRequestAt: number;
  readonly lastResponseAt: number;
  close(): Promise<void>;
}

/** every third request 502, each answer after a known small delay */
export const everyThird502: Behaviour = (nth) => ({ status: nth % 3 === 0 ? 502 : 200, delayMs: 2 });

export async function startCountingServer(behaviour: Behaviour = everyThird502, { keepBodies = false, maxRequestsPerSocket }: ServerOptions = {}): Promise<CountingServer> {
  const statusCounts: Record<number, number> = {};
  const bodies: string[] = [];
  const headers: IncomingMessage['headers'][] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let received = 0;
  let connections = 0;
  let resets = 0;
  let hung = 0;
  let firstRequestAt = NaN;
  let lastResponseAt = NaN;
  const body = Buffer.from('hello world\n');

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const nth = ++received;
    if (nth === 1) firstRequestAt = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (keepBodies) {
        bodies.push(Buffer.concat(chunks).toString());
        headers.push(req.headers);
      }
      const what = behaviour(nth, req);
      if (what === 'close' || what === 'reset') {
        resets++;
        if (what === 'reset') req.socket.resetAndDestroy();
        else req.socket.destroy();
        return;
      }
      if (what === 'hang') {
        hung++;
        return;
      }
      const answer = (): void => {
        statusCounts[what.status] = (statusCounts[what.status] ?? 0) + 1;
        res.writeHead(what.status, { 'content-type': 'text/plain', 'content-length': body.length, ...(what.connectionClose ? { connection: 'close' } : {}) });
        res.end(body, () => (lastResponseAt = performance.now()));
      };
      if (what.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          answer();
        }, what.delayMs);
        timers.add(t);
      } else answer();
    });
  });
  if (maxRequestsPerSocket) server.maxRequestsPerSocket = maxRequestsPerSocket;
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hello?x=1`,
    get received() {
      return received;
    },
    get connections() {
      return connections;
    },
    statusCounts,
    get resets() {
      return resets;
    },
    get hung() {
      return hung;
    },
    bodies,
    headers,
    get firstRequestAt() {
      return firstRequestAt;
    },
    get lastResponseAt() {
      return lastResponseAt;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** a port nothing listens on: bound, then released */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}
