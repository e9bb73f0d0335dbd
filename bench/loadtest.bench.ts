/**
 * Load generators side by side (issue 4): our `loadtest`, autocannon alone, hey and wrk, with 50
 * connections against the same trivial HTTP server in a child process (so it does not share our
 * event loop). ROUNDS interleaved rounds of SECONDS each (the machine is shared, so one round can
 * be unlucky); prints each tool's median requests/s, p50/p99 of that median run and our ratio to each.
 * Goal: at least hey's rate and 0.85 of wrk's. hey and wrk are Debian packages; absent ones are said.
 */
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { runLoadTest } from '../src/loadtest/run.js';
import { summarize } from '../src/loadtest/summarize.js';
import { ratio } from './stats.js';

const SECONDS = 2;
const ROUNDS = 3;
const CONNECTIONS = 50;

const SERVER = `
const http = require('node:http');
const body = Buffer.from('hello world\\n');
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.on('disconnect', () => process.exit(0));
`;

interface Figures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of this process per request (in-process tools only) */
  cpuUsPerRequest?: number;
}

/** runs f and adds the CPU time this process spent per request */
async function withCpu(f: () => Promise<Figures & { requests: number }>): Promise<Figures> {
  const before = process.cpuUsage();
  const r = await f();
  const used = process.cpuUsage(before);
  return { ...r, cpuUsPerRequest: (used.user + used.system) / r.requests };
}

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${chunk.toString().trim()}/`, child };
}

async function ours(url: string, seconds: number): Promise<Figures & { requests: number }> {
  const r = await runLoadTest({
    url,
    requests: CONNECTIONS,
    concurrency: CONNECTIONS,
    durationMs: seconds * 1000,
    // a learner's -z run stops at 100,000 requests; this one measures the whole duration, as hey's
    // and autocannon's do (about 80k req/s here would reach that bound in 1.25 s)
    durationMaxRequests: seconds * 1_000_000,
    timeoutSec: 20,
    method: 'GET',
    headers: {},
    keepAlive: true,
  });
  const s = summarize(r);
  const pct = (p: number): number => s.latencyDistribution.find((d) => d.percentage === p)?.latencyMs ?? NaN;
  return { rps: s.requestsPerSec, p50Ms: pct(50), p99Ms: pct(99), requests: s.sent };
}

async function autocannonAlone(url: string): Promise<Figures & { requests: number }> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  // its latency histogram has whole milliseconds only
  const rps = r.requests.total / ((r.finish.getTime() - r.start.getTime()) / 1000);
  return { rps, p50Ms: r.latency.p50, p99Ms: r.latency.p99, requests: r.requests.total };
}

function installed(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function hey(url: string): Figures {
  const out = spawnSync('hey', ['-z', `${SECONDS}s`, '-c', String(CONNECTIONS), url], { encoding: 'utf8' }).stdout;
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN);
  return { rps: num(/Requests\/sec:\s+([\d.]+)/), p50Ms: num(/50% in ([\d.]+) secs/) * 1000, p99Ms: num(/99% in ([\d.]+) secs/) * 1000 };
}

function wrk(url: string): Figures {
  // one thread: one event loop, as ours has
  const out = spawnSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', url], { encoding: 'utf8' }).stdout;
  const ms = (p: string): number => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    return m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as 'us' | 'ms' | 's'] : NaN;
  };
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN), p50Ms: ms('50'), p99Ms: ms('99') };
}

function line(name: string, f: Figures, base?: Figures): string {
  const cells = [name.padEnd(26), `${f.rps.toFixed(0).padStart(7)} req/s`, `p50 ${f.p50Ms.toFixed(2).padStart(6)} ms`, `p99 ${f.p99Ms.toFixed(2).padStart(6)} ms`];
  if (f.cpuUsPerRequest !== undefined) cells.push(`${f.cpuUsPerRequest.toFixed(1)} µs CPU/req`);
  if (base) cells.push(`ours/this ${ratio(base.rps, f.rps)}`);
  return cells.join('   ');
}

function medianRun(runs: Figures[]): Figures {
  return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
}

export async function run(): Promise<void> {
  const { url, child } = await startServer();
  const tools: Array<[string, (url: string) => Figures | Promise<Figures>]> = [
    ['serverless-ops-lab loadtest', (u) => withCpu(() => ours(u, SECONDS))],
    ['autocannon alone', (u) => withCpu(() => autocannonAlone(u))],
  ];
  const absent: string[] = [];
  if (installed('hey')) tools.push(['hey', hey]);
  else absent.push('hey: not installed (apt-get install hey)');
  if (installed('wrk')) tools.push(['wrk -t1', wrk]);
  else absent.push('wrk: not installed (apt-get install wrk)');
  try {
    await ours(url, 1); // warm the server and our JIT
    const runs = new Map<string, Figures[]>(tools.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, tool] of tools) runs.get(name)!.push(await tool(url));
    }
    console.log(`${CONNECTIONS} connections, median of ${ROUNDS} interleaved runs of ${SECONDS} s, GET ${url} (node http server, child process)`);
    const mine = medianRun(runs.get(tools[0][0])!);
    for (const [name] of tools) console.log(line(name, medianRun(runs.get(name)!), name === tools[0][0] ? undefined : mine));
    for (const a of absent) console.log(a);
    console.log("goal: ours ≥ 1.00x of hey's rate and ≥ 0.85x of wrk's");
  } finally {
    child.kill();
  }
}
