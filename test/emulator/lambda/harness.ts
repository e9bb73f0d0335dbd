/**
 * Shared by the Lambda tests: zip fixtures (fflate's zipSync), handler sources, and an emulator that
 * serves the Lambda service on port 0 with the real server and codec while keeping hold of the
 * backend (peak concurrency) and the worker pool (live workers), which `startTestEmulator()` hides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { LambdaClient, CreateFunctionCommand, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import { ScaledClock } from '../../../src/emulator/core/clock.js';
import { StateStore } from '../../../src/emulator/core/store.js';
import { createEmulatorServer } from '../../../src/emulator/server.js';
import { createLambdaService, noopMetricsSink, type LambdaService } from '../../../src/emulator/services/lambda/index.js';
import { WorkerPool } from '../../../src/emulator/services/lambda/runner/index.js';
import { clientConfig } from '../../helpers/emulator.js';

export function zip(files: Record<string, string>): Buffer {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(files)) entries[name] = strToU8(text);
  return Buffer.from(zipSync(entries));
}

/** handler sources (CommonJS index.js) */
export const handlers = {
  echo: 'exports.handler = async (event, context) => ({ event, version: context.functionVersion, arn: context.invokedFunctionArn });',
  version: 'exports.handler = async () => process.env.AWS_LAMBDA_FUNCTION_VERSION;',
  /** runs until the file named by the event's `release` exists: concurrency tests hold executions open for as long as they need, whatever the machine's load */
  untilReleased:
    'const fs = require("node:fs"); exports.handler = async (event) => { while (!fs.existsSync(event.release)) await new Promise((r) => setTimeout(r, 20)); return "done"; };',
  wait1s: 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 1000)); return "done"; };',
  throws: 'exports.handler = async () => { throw new TypeError("boom"); };',
  sleeps: 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 10000)); return "late"; };',
  exits: 'exports.handler = async () => { process.exit(3); };',
  oom: 'exports.handler = async () => { const keep = []; for (;;) keep.push(new Array(1e6).fill(Math.random())); };',
  logs: 'exports.handler = async (event) => { for (let i = 0; i < 200; i++) console.log("line " + i + " " + "x".repeat(40)); return "ok"; };',
  big: 'exports.handler = async () => "x".repeat(7 * 1024 * 1024);',
};

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

export function createInput(name: string, source: string, over: Partial<CreateFunctionCommandInput> = {}): CreateFunctionCommandInput {
  return {
    FunctionName: name,
    Runtime: 'nodejs20.x',
    Role: ROLE,
    Handler: 'index.handler',
    Code: { ZipFile: zip({ 'index.js': source }) },
    ...over,
  };
}

export async function createFn(client: LambdaClient, name: string, source: string, over: Partial<CreateFunctionCommandInput> = {}) {
  return client.send(new CreateFunctionCommand(createInput(name, source, over)));
}

export interface LambdaEmulator {
  endpoint: string;
  stateDir: string;
  client: LambdaClient;
  lambda: LambdaService;
  runner: WorkerPool;
  close(): Promise<void>;
}

export async function startLambdaEmulator(
  opts: { stateDir?: string; accountConcurrencyLimit?: number; random?: () => number } = {},
): Promise<LambdaEmulator> {
  const ownDir = opts.stateDir === undefined;
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'sol-lambda-'));
  let runner: WorkerPool | undefined;
  let lambda: LambdaService | undefined;
  const server = await createEmulatorServer({
    port: 0,
    app: (endpoint) => {
      runner = new WorkerPool({ endpointUrl: endpoint, idleTimeoutMs: 60_000 });
      lambda = createLambdaService({
        store: new StateStore(stateDir),
        runner,
        clock: new ScaledClock(1),
        region: 'us-east-1',
        accountId: '000000000000',
        codeSource: { getObject: () => undefined },
        metrics: noopMetricsSink,
        accountConcurrencyLimit: opts.accountConcurrencyLimit,
        random: opts.random,
      });
      return { services: [lambda.definition] };
    },
  });
  const client = new LambdaClient(clientConfig(server.endpoint));
  return {
    endpoint: server.endpoint,
    stateDir,
    client,
    lambda: lambda!,
    runner: runner!,
    async close() {
      client.destroy();
      lambda!.close();
      try {
        await server.close();
      } finally {
        await runner!.shutdown();
        if (ownDir) rmSync(stateDir, { recursive: true, force: true });
      }
    },
  };
}

/** the SDK error's name and message, or a failure if the call succeeded */
export async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; err: any }> {
  try {
    await p;
  } catch (err: any) {
    return { name: err.name, message: err.message, err };
  }
  throw new Error('expected the call to fail');
}

export const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? []).toString('utf8');

/** polls `cond` every 20 ms until it holds or `limitMs` passes; the caller asserts afterwards, so a defect fails instead of hanging */
export async function until(cond: () => boolean, limitMs = 60_000): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
