/**
 * What the benchmarks share: servers in child processes (so the load generator never shares an
 * event loop with what it measures), each in a session of its own (see child()), an autocannon measurement, a line of figures, and deploying a
 * no-op function to an emulator with the real SDK.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { ensureEmulator, stopEmulator } from '../src/emulator/daemon.js';
import { frontDoorUrl } from '../src/emulator/front-door-url.js';
import { ratio } from './stats.js';

export const CONNECTIONS = 50;

export interface Figures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** CPU of the server process per request, in µs: its main thread and all its other threads (Linux) */
  cpu?: { mainUs: number; othersUs: number };
}

export interface Child {
  url: string;
  /** the child's process id (the soak reads its memory and descriptors) */
  pid: number;
  stop(): Promise<void>;
}

/** CPU time (µs) of each thread of a process, from /proc/<pid>/task/<tid>/stat; empty off Linux */
export function threadCpu(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  if (process.platform !== 'linux') return out;
  const tick = 1e6 / 100; // USER_HZ is 100 on Linux
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * tick);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

function cpuSplit(pid: number, before: Map<number, number>, after: Map<number, number>, requests: number): Figures['cpu'] {
  if (after.size === 0 || requests === 0) return undefined;
  let main = 0;
  let others = 0;
  for (const [tid, us] of after) {
    const used = us - (before.get(tid) ?? 0);
    if (tid === pid) main += used;
    else others += used;
  }
  return { mainUs: main / requests, othersUs: others / requests };
}

const dist = (rel: string) => pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', rel)).href;

/** the no-op handler every comparison runs, as function source */
export const NOOP_HANDLER = 'exports.handler = async () => ({ statusCode: 200, body: "{\\"ok\\":true}" });';

/**
 * A bare node http server calling the no-op handler in-process: the baseline. It answers as the
 * measured path does (JSON), reading the whole request body first.
 */
const BARE = `
const http = require('node:http');
${NOOP_HANDLER.replace('exports.handler', 'const handler')}
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const result = await handler(JSON.parse(Buffer.concat(chunks).toString() || '{}'), {});
    const body = Buffer.from(JSON.stringify(result));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write('http://127.0.0.1:' + server.address().port + '\\n'));
process.on('disconnect', () => process.exit(0));
`;

/**
 * Each server a process in a session of its own (`detached`: setsid), as the cloud's daemon is
 * (daemon.ts spawns it detached, and the bench starts it that way): Linux's autogroup scheduler
 * (sched_autogroup_enabled, on here and on most desktop distributions) shares the CPU between
 * sessions first and between threads within one. A reference left in the bench's own session
 * shared autocannon's group while the cloud had a group of its own, a handicap to the cloud that
 * was not the design's: the same cloud measured 9.8–14.3k req/s started detached and 12.9–16.3k
 * not, in one sitting, and the front door's ratio moved from 0.77x to 0.84–0.89x (nineteenth
 * session). Every server measured now meets the load generator on the same terms.
 */
async function child(args: string[], env: Record<string, string> = {}): Promise<Child> {
  const proc: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, ...env }, detached: true });
  // a child that exits before printing its URL (a missing file, a crash) fails the bench, not hangs it
  const exited = once(proc, 'exit').then(([code]) => {
    throw new Error(`${args.includes('-e') ? 'a bench server' : args[0]} exited with ${code} before it listened`);
  });
  const [chunk] = (await Promise.race([once(proc.stdout!, 'data'), exited])) as [Buffer];
  exited.catch(() => {}); // it exits at stop(), long after it listened
  return {
    url: chunk.toString().trim(),
    pid: proc.pid!,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = once(proc, 'exit');
      proc.disconnect();
      await exited;
    },
  };
}

export const startBareServer = (): Promise<Child> => child(['-e', BARE]);
/**
 * the reference design for the Lambda path: one worker thread per request in flight, up to 50
 * (bench/fixtures); `event: 'rest'` hands over a full REST proxy event instead of its small one
 */
export const startWorkerPerRequestServer = (opts: { event?: 'rest' } = {}): Promise<Child> =>
  child([fileURLToPath(new URL('../../bench/fixtures/worker-per-request-server.mjs', import.meta.url))], opts.event ? { REFERENCE_EVENT: opts.event } : {});
/**
 * The cloud as `start` and `deploy` run it: daemon.ts's own background child (its entry spawned by
 * path, its options as JSON, answering its health URL), on a state dir of its own that stop()
 * removes; account concurrency 1000, so the load of a bench is never throttled.
 */
export async function startEmulator(): Promise<Child> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sol-bench-'));
  try {
    const emu = await ensureEmulator({ stateDir, port: 0, accountConcurrency: 1000 });
    return {
      url: emu.endpoint,
      pid: emu.pid,
      async stop() {
        await stopEmulator(stateDir);
        rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
}
/** any ES module source as a child server: it prints its URL on the first line and exits on disconnect */
export const startModuleChild = (source: string, env: Record<string, string> = {}): Promise<Child> => child(['--input-type=module', '-e', source], env);
/** a compiled module's URL, for a child's imports */
export { dist as distUrl };

export interface MeasureOptions {
  url: string;
  seconds: number;
  /** the server's pid: its CPU per request is measured too (Linux) */
  pid?: number;
  method?: 'GET' | 'POST';
  body?: string;
}

export async function measure(o: MeasureOptions): Promise<Figures> {
  const before = o.pid === undefined ? undefined : threadCpu(o.pid);
  const r = await autocannon({
    url: o.url,
    connections: CONNECTIONS,
    duration: o.seconds,
    method: o.method ?? 'POST',
    body: o.body ?? '{"bucket":"b","key":"k"}',
    headers: { 'content-type': 'application/json' },
  });
  // autocannon's own figures: whole milliseconds, fine at these latencies; the rate from the real span
  const cpu = before && o.pid !== undefined ? cpuSplit(o.pid, before, threadCpu(o.pid), r.requests.total) : undefined;
  return { rps: r.requests.total / ((r.finish.getTime() - r.start.getTime()) / 1000), p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, cpu };
}

export function line(name: string, f: Figures, base?: Figures): string {
  const cells = [name.padEnd(32), `${f.rps.toFixed(0).padStart(7)} req/s`, `p50 ${f.p50Ms.toFixed(1).padStart(5)} ms`, `p99 ${f.p99Ms.toFixed(1).padStart(5)} ms`];
  if (f.cpu) cells.push(`CPU/req ${f.cpu.mainUs.toFixed(0).padStart(3)} µs main + ${f.cpu.othersUs.toFixed(0).padStart(3)} µs other threads`);
  if (f.non2xx) cells.push(`non-2xx ${f.non2xx}`);
  if (base) cells.push(`ratio ${ratio(f.rps, base.rps)}`);
  return cells.join('   ');
}

export function sdkConfig(endpoint: string) {
  return { region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
}

/** create a function from one CommonJS source file (`index.js`) */
export async function createFunction(endpoint: string, name: string, source: string, extra: { Timeout?: number } = {}): Promise<void> {
  const lambda = new LambdaClient(sdkConfig(endpoint));
  try {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::000000000000:role/lambda-role',
        Handler: 'index.handler',
        Code: { ZipFile: Buffer.from(zipSync({ 'index.js': strToU8(source) })) },
        ...extra,
      }),
    );
  } finally {
    lambda.destroy();
  }
}

/** POST /noop on stage prod of a new REST API, proxied to `functionName`; answers the front door URL */
export async function deployProxyApi(endpoint: string, functionName: string): Promise<string> {
  const apigw = new APIGatewayClient(sdkConfig(endpoint));
  try {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'bench' }));
    const res = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'noop' }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'POST', authorizationType: 'NONE' }));
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId: res.id,
        httpMethod: 'POST',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${functionName}/invocations`,
      }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    return frontDoorUrl(endpoint, api.id!, 'prod', '/noop');
  } finally {
    apigw.destroy();
  }
}

export interface Target {
  name: string;
  url: string;
  body?: string;
  pid?: number;
}

/** The figures of interleaved runs: each target's median run, and ratios taken round by round. */
export class Comparison {
  constructor(private readonly runs: Map<string, Figures[]>) {}

  /** the median run of `name`, by rate */
  get(name: string): Figures | undefined {
    const list = this.runs.get(name);
    return list && [...list].sort((a, b) => a.rps - b.rps)[Math.floor(list.length / 2)];
  }

  /**
   * `name`'s rate against `base`'s, run for run: the two ran one after the other in each round, so
   * a busy spell of the shared machine falls on both; the median of those ratios, and their range.
   * `fromRound`: only the rounds from that one (0-based) on.
   */
  ratio(name: string, base: string, fromRound = 0): { median: number; min: number; max: number } {
    const a = this.runs.get(name)!.slice(fromRound);
    const b = this.runs.get(base)!.slice(fromRound);
    const ratios = a.map((f, i) => f.rps / b[i].rps).sort((x, y) => x - y);
    return { median: ratios[Math.floor(ratios.length / 2)], min: ratios[0], max: ratios[ratios.length - 1] };
  }
}

/** `0.74x of the reference (rounds 0.70–0.79x)` */
export function pairedRatioText(r: { median: number; min: number; max: number }, of: string): string {
  return `${r.median.toFixed(2)}x ${of} (median of the rounds' ratios; rounds ${r.min.toFixed(2)}–${r.max.toFixed(2)}x)`;
}

/**
 * Each target measured ROUNDS times, interleaved (a busy moment of the shared machine falls on all
 * of them alike), after a warm-up that starts their workers. The order is reversed every other
 * round (A B C, C B A, A B C, ...): targets next to each other in the list run back to back in
 * every round, and none of them always follows the same one (a target that leaves the machine
 * busier, or its caches colder, would otherwise weigh on its successor's figures in every round).
 * List the two a ratio is read from next to each other.
 */
export async function compareInterleaved(targets: Target[], opts: { rounds: number; seconds: number }): Promise<Comparison> {
  for (const t of targets) await measure({ url: t.url, seconds: 2, body: t.body });
  const runs = new Map<string, Figures[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) runs.get(t.name)!.push(await measure({ url: t.url, seconds: opts.seconds, body: t.body, pid: t.pid }));
  }
  return new Comparison(runs);
}
