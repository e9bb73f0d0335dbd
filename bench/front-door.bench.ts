/**
 * API Gateway front door (issue 3): requests per second and p50/p99 through
 * `/execute-api/{api}/{stage}/noop` to a no-op Lambda function (worker threads, the real
 * pipeline), beside a bare node http server, both in child processes, 50 connections each.
 * Goal: front door ≥ 0.5x of the bare server.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
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
import { frontDoorUrl } from '../src/emulator/services/apigateway/url.js';
import { ratio } from './stats.js';

const SECONDS = 3;
const CONNECTIONS = 50;
const dist = (rel: string) => pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', rel)).href;

const BARE = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = Buffer.from('{"ok":true}');
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write('http://127.0.0.1:' + server.address().port + '\\n'));
process.on('disconnect', () => process.exit(0));
`;

const EMULATOR = `
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const { createEmulatorServer } = await import(${JSON.stringify(dist('src/emulator/server.js'))});
const { wireServices } = await import(${JSON.stringify(dist('src/emulator/wiring.js'))});
const { StateStore } = await import(${JSON.stringify(dist('src/emulator/core/store.js'))});
const { ScaledClock } = await import(${JSON.stringify(dist('src/emulator/core/clock.js'))});
const dir = mkdtempSync(join(tmpdir(), 'sol-bench-'));
const server = await createEmulatorServer({
  port: 0,
  app: (endpoint) => wireServices({ store: new StateStore(dir), clock: new ScaledClock(1), endpoint, speed: 1, accountConcurrency: 1000, throttleStatus: 500, log: () => {} }),
});
process.stdout.write(server.endpoint + '\\n');
process.on('disconnect', async () => { await server.close(); rmSync(dir, { recursive: true, force: true }); process.exit(0); });
`;

interface Figures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

async function child(args: string[]): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const [chunk] = (await once(proc.stdout!, 'data')) as [Buffer];
  return { url: chunk.toString().trim(), proc };
}

async function measure(url: string, seconds: number): Promise<Figures> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, method: 'POST', body: '{"bucket":"b","key":"k"}', headers: { 'content-type': 'application/json' } });
  return { rps: r.requests.total / ((r.finish.getTime() - r.start.getTime()) / 1000), p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx };
}

async function deployNoop(endpoint: string): Promise<string> {
  const config = { region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const lambda = new LambdaClient(config);
  const apigw = new APIGatewayClient(config);
  try {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'noop',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::000000000000:role/lambda-role',
        Handler: 'index.handler',
        Code: { ZipFile: Buffer.from(zipSync({ 'index.js': strToU8('exports.handler = async () => ({ statusCode: 200, body: "{\\"ok\\":true}" });') })) },
      }),
    );
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
        uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:noop/invocations',
      }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    return frontDoorUrl(endpoint, api.id!, 'prod', '/noop');
  } finally {
    lambda.destroy();
    apigw.destroy();
  }
}

function line(name: string, f: Figures, base?: Figures): string {
  const cells = [name.padEnd(30), `${f.rps.toFixed(0).padStart(7)} req/s`, `p50 ${f.p50Ms.toFixed(1).padStart(5)} ms`, `p99 ${f.p99Ms.toFixed(1).padStart(5)} ms`];
  if (f.non2xx) cells.push(`non-2xx ${f.non2xx}`);
  if (base) cells.push(`ratio ${ratio(f.rps, base.rps)}`);
  return cells.join('   ');
}

export async function run(): Promise<void> {
  const bare = await child(['-e', BARE]);
  const emu = await child(['--input-type=module', '-e', EMULATOR]);
  try {
    const url = await deployNoop(emu.url);
    await measure(bare.url, 1);
    await measure(url, 1); // warm: start workers, JIT
    console.log(`${CONNECTIONS} connections, ${SECONDS} s each, POST (child processes)`);
    const base = await measure(bare.url, SECONDS);
    console.log(line('bare node http server', base));
    const front = await measure(url, SECONDS);
    console.log(line('front door → no-op Lambda', front, base));
    console.log('goal: front door ≥ 0.50x of the bare server');
  } finally {
    bare.proc.kill();
    emu.proc.disconnect();
    await once(emu.proc, 'exit');
  }
}
