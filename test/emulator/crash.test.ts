/**
 * kill -9 at every point where state is written. A script of lab-like changes (functions, versions,
 * aliases, reservations, code, a bucket, an alarm, a CodeDeploy application, an API; changes AWS
 * refuses) runs against an emulator
 * process told to SIGKILL itself at its n-th state write (core/crash-point.ts), while invocations
 * are in flight (mid-load). After the kill the state dir is opened again and:
 *   - every JSON file in it parses;
 *   - what it serves is exactly the state after the last acknowledged change, or after the change
 *     that was in flight when it died (which the client never saw answered): every acknowledged
 *     function, version, alias, reservation, object and API is there, and nothing refused is.
 * The expected states come from one run of the same script with no kill. n walks 1, 2, ... until a
 * run finishes the script without being killed; the phase (before the write, mid-write, after it)
 * rotates with n, or all three per n with SOL_CRASH_WALK=all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, CreateApplicationCommand, ListApplicationsCommand } from '@aws-sdk/client-codedeploy';
import { MAIN_SCRIPT } from '../../src/emulator/config.js';
import { CRASH_ENV, type CrashPhase } from '../../src/emulator/core/crash-point.js';
import { clientConfig, startTestEmulator } from '../helpers/emulator.js';
import { createInput, handlers, zip } from './lambda/harness.js';

// the background cloud's entry, as daemon.ts spawns it
const MAIN = fileURLToPath(MAIN_SCRIPT);
const PHASES: CrashPhase[] = ['before', 'written', 'after'];
// zipped once: a zip holds its entries' times, and the expected states compare CodeSha256
const VERSION_ZIP = zip({ 'index.js': handlers.version });
const ECHO_ZIP = zip({ 'index.js': handlers.echo });

interface Clients {
  lambda: LambdaClient;
  apigw: APIGatewayClient;
  s3: S3Client;
  cw: CloudWatchClient;
  cd: CodeDeployClient;
}

function clients(endpoint: string): Clients {
  return {
    lambda: new LambdaClient(clientConfig(endpoint)),
    apigw: new APIGatewayClient(clientConfig(endpoint)),
    s3: new S3Client({ ...clientConfig(endpoint), forcePathStyle: true }),
    cw: new CloudWatchClient(clientConfig(endpoint)),
    cd: new CodeDeployClient(clientConfig(endpoint)),
  };
}

function destroy(c: Clients): void {
  for (const client of Object.values(c)) client.destroy();
}

/** the API of the script, found by name (its id is not known across a kill) */
async function apiNamed(c: Clients) {
  return (await c.apigw.send(new GetRestApisCommand({}))).items?.find((a) => a.name === 'api');
}

/** the lab's kind of changes, in order; a step that AWS refuses must leave nothing behind */
const SCRIPT: { name: string; run(c: Clients): Promise<unknown> }[] = [
  { name: 'CreateFunction fn', run: (c) => c.lambda.send(new CreateFunctionCommand(createInput('fn', handlers.version, { Timeout: 3, Code: { ZipFile: VERSION_ZIP } }))) },
  { name: 'PutFunctionConcurrency 5', run: (c) => c.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn', ReservedConcurrentExecutions: 5 })) },
  { name: 'PublishVersion 1', run: (c) => c.lambda.send(new PublishVersionCommand({ FunctionName: 'fn' })) },
  { name: 'CreateAlias live→1', run: (c) => c.lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' })) },
  { name: 'UpdateFunctionConfiguration', run: (c) => c.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Timeout: 5 })) },
  { name: 'PublishVersion 2', run: (c) => c.lambda.send(new PublishVersionCommand({ FunctionName: 'fn' })) },
  {
    name: 'UpdateAlias live→1 + 2 at 0.5',
    run: (c) => c.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } })),
  },
  { name: 'PutFunctionConcurrency 2000 (refused)', run: (c) => c.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn', ReservedConcurrentExecutions: 2000 })) },
  { name: 'UpdateFunctionCode', run: (c) => c.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: ECHO_ZIP })) },
  { name: 'PutFunctionConcurrency 7', run: (c) => c.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn', ReservedConcurrentExecutions: 7 })) },
  { name: 'CreateFunction other', run: (c) => c.lambda.send(new CreateFunctionCommand(createInput('other', handlers.echo, { Code: { ZipFile: ECHO_ZIP } }))) },
  { name: 'CreateFunction fn again (refused)', run: (c) => c.lambda.send(new CreateFunctionCommand(createInput('fn', handlers.echo, { Code: { ZipFile: ECHO_ZIP } }))) },
  { name: 'DeleteFunction other', run: (c) => c.lambda.send(new DeleteFunctionCommand({ FunctionName: 'other' })) },
  { name: 'CreateBucket', run: (c) => c.s3.send(new CreateBucketCommand({ Bucket: 'bucket' })) },
  { name: 'PutObject', run: (c) => c.s3.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'k', Body: 'one' })) },
  { name: 'PutObject over it', run: (c) => c.s3.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'k', Body: 'two' })) },
  {
    name: 'PutMetricAlarm',
    run: (c) =>
      c.cw.send(
        new PutMetricAlarmCommand({
          AlarmName: 'errors',
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: 'fn' }],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        }),
      ),
  },
  { name: 'CreateApplication', run: (c) => c.cd.send(new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' })) },
  { name: 'CreateRestApi', run: async (c) => (await apiNamed(c)) ?? c.apigw.send(new CreateRestApiCommand({ name: 'api' })) },
  {
    name: 'PutMethod',
    run: async (c) => {
      const api = await apiNamed(c);
      return c.apigw.send(new PutMethodCommand({ restApiId: api?.id ?? 'none', resourceId: api?.rootResourceId ?? 'none', httpMethod: 'GET', authorizationType: 'NONE' }));
    },
  },
  {
    name: 'PutIntegration',
    run: async (c) => {
      const api = await apiNamed(c);
      return c.apigw.send(new PutIntegrationCommand({ restApiId: api?.id ?? 'none', resourceId: api?.rootResourceId ?? 'none', httpMethod: 'GET', type: 'MOCK' }));
    },
  },
  { name: 'CreateDeployment prod', run: async (c) => c.apigw.send(new CreateDeploymentCommand({ restApiId: (await apiNamed(c))?.id ?? 'none', stageName: 'prod' })) },
];

/** everything a learner could observe, minus ids, revision ids and timestamps */
async function snapshot(c: Clients): Promise<unknown> {
  const functions: Record<string, unknown> = {};
  for (const f of (await c.lambda.send(new ListFunctionsCommand({}))).Functions ?? []) {
    const name = f.FunctionName!;
    const got = await c.lambda.send(new GetFunctionCommand({ FunctionName: name }));
    const versions = (await c.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }))).Versions ?? [];
    const aliases = (await c.lambda.send(new ListAliasesCommand({ FunctionName: name }))).Aliases ?? [];
    // the code must be there too: the function answers
    const out = await c.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
    functions[name] = {
      timeout: got.Configuration?.Timeout,
      code: got.Configuration?.CodeSha256,
      reserved: got.Concurrency?.ReservedConcurrentExecutions,
      versions: versions.map((v) => `${v.Version}:${v.CodeSha256}:${v.Timeout}`),
      aliases: aliases.map((a) => `${a.Name}→${a.FunctionVersion} ${JSON.stringify(a.RoutingConfig?.AdditionalVersionWeights ?? {})}`),
      answers: out.FunctionError ?? 'ok',
    };
  }
  const buckets: Record<string, unknown> = {};
  for (const b of (await c.s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
    const objects: string[] = [];
    for (const o of (await c.s3.send(new ListObjectsV2Command({ Bucket: b.Name }))).Contents ?? []) {
      const body = Buffer.from(await (await c.s3.send(new GetObjectCommand({ Bucket: b.Name, Key: o.Key }))).Body!.transformToByteArray());
      assert.equal(`"${createHash('md5').update(body).digest('hex')}"`, o.ETag, `object ${o.Key}: bytes and ETag disagree`);
      objects.push(`${o.Key}=${body.toString()}`);
    }
    buckets[b.Name!] = objects;
  }
  const apis: Record<string, unknown> = {};
  for (const a of (await c.apigw.send(new GetRestApisCommand({}))).items ?? []) {
    const resources = (await c.apigw.send(new GetResourcesCommand({ restApiId: a.id }))).items ?? [];
    const stages = (await c.apigw.send(new GetStagesCommand({ restApiId: a.id }))).item ?? [];
    apis[a.name!] = {
      methods: resources.map((r) => `${r.path} ${Object.keys(r.resourceMethods ?? {}).join(',')}`),
      stages: stages.map((s) => s.stageName),
    };
  }
  // alarms by definition (their state moves with the clock); applications by name
  const alarms = ((await c.cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((a) => `${a.AlarmName} ${a.MetricName} ${a.ComparisonOperator} ${a.Threshold}`);
  const applications = (await c.cd.send(new ListApplicationsCommand({}))).applications ?? [];
  return { functions, buckets, apis, alarms, applications };
}

/** every state document in the dir parses (blobs are checked by reading them through the APIs) */
function assertDocumentsParse(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name.endsWith('.json') && statSync(path).isFile()) JSON.parse(readFileSync(path, 'utf8'));
  }
}

/** run SCRIPT from `from`, with invocations in flight beside each step; index of the first step not answered */
async function runScript(c: Clients, from: number, onStep?: (i: number) => Promise<void>): Promise<{ reached: number; died: boolean }> {
  for (let i = from; i < SCRIPT.length; i++) {
    // mid-load: invocations in flight while every third step writes (their answers do not matter here)
    const load = i % 3 === 1 ? Array.from({ length: 2 }, () => c.lambda.send(new InvokeCommand({ FunctionName: 'fn' })).catch(() => undefined)) : [];
    try {
      await SCRIPT[i].run(c);
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === undefined) {
        await Promise.all(load);
        return { reached: i, died: true }; // no answer: the connection died with the process
      }
      // an AWS error answer: refused (the golden run says which steps are)
    }
    await Promise.all(load);
    await onStep?.(i);
  }
  return { reached: SCRIPT.length, died: false };
}

/** the child listening, or undefined when it was killed at a state write made while starting (the clock's) */
async function spawnEmulator(stateDir: string, crashAt: string): Promise<{ child: ChildProcess; endpoint: string | undefined }> {
  const options = { stateDir, port: 0, host: '127.0.0.1', speed: 1, throttleStatus: 500, accountConcurrency: 1000, mode: 'background' };
  const child = spawn(process.execPath, [MAIN, JSON.stringify(options)], { env: { ...process.env, [CRASH_ENV]: crashAt }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (d) => (out += d));
  const endpoint = await new Promise<string | undefined>((resolveEndpoint, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
      if (m) resolveEndpoint(m[1]);
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolveEndpoint(undefined);
      else reject(new Error(`emulator exited (${code ?? signal}) before listening: ${buf}${out}`));
    });
  });
  return { child, endpoint };
}

test('kill -9 at every state write, mid-load: after a restart every file parses and exactly the acknowledged changes are there', { timeout: 600_000 }, async () => {
  // the expected state after each step, from one run with no kill (in-process)
  const goldenDir = mkdtempSync(join(tmpdir(), 'sol-crash-golden-'));
  const golden: unknown[] = [];
  const refused = new Set<number>();
  try {
    const emu = await startTestEmulator({ stateDir: goldenDir });
    const c = clients(emu.endpoint);
    try {
      golden.push(await snapshot(c));
      for (let i = 0; i < SCRIPT.length; i++) {
        await SCRIPT[i].run(c).catch(() => refused.add(i));
        golden.push(await snapshot(c));
      }
    } finally {
      destroy(c);
      await emu.close();
    }
  } finally {
    rmSync(goldenDir, { recursive: true, force: true });
  }
  assert.deepEqual([...refused], [7, 11], 'the refused steps are the ones meant to be refused');

  const all = process.env.SOL_CRASH_WALK === 'all';
  let walked = 0;
  let continued = 0;
  let finishedAt: number | undefined;
  for (let n = 1; finishedAt === undefined && n < 500; n++) {
    for (const phase of all ? PHASES : [PHASES[n % 3]]) {
      const stateDir = mkdtempSync(join(tmpdir(), 'sol-crash-'));
      let child: ChildProcess | undefined;
      try {
        const spawned = await spawnEmulator(stateDir, `${n}:${phase}`);
        child = spawned.child;
        const exited = spawned.endpoint === undefined ? Promise.resolve([null, 'SIGKILL']) : once(child, 'exit');
        let run: { reached: number; died: boolean } = { reached: 0, died: true };
        if (spawned.endpoint !== undefined) {
          const c = clients(spawned.endpoint);
          try {
            run = await runScript(c, 0);
          } finally {
            destroy(c);
          }
        }
        if (!run.died) {
          child.kill('SIGTERM');
          await exited;
          finishedAt = n;
          break;
        }
        const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
        assert.equal(signal, 'SIGKILL', `write ${n} (${phase}): the emulator died some other way`);
        walked++;
        assertDocumentsParse(stateDir);
        // reopen the same state dir: the state is the one before the step in flight, or after it
        const again = await startTestEmulator({ stateDir });
        const c2 = clients(again.endpoint);
        try {
          const seen = await snapshot(c2);
          const i = run.reached;
          const same = (g: unknown) => {
            try {
              assert.deepEqual(seen, g);
              return true;
            } catch {
              return false;
            }
          };
          const before = same(golden[i]);
          if (!before && !same(golden[i + 1])) {
            assert.deepEqual(seen, golden[i], `write ${n} (${phase}), killed during "${SCRIPT[i].name}": neither before nor after it`);
          }
          // and it goes on from there: the rest of the script runs on the restarted cloud (every
          // twelfth point: each costs a whole script)
          if (n % 12 === 0) {
            const rest = await runScript(c2, before ? i : i + 1);
            assert.equal(rest.died, false);
            assert.deepEqual(await snapshot(c2), golden[SCRIPT.length]);
            continued++;
          }
        } finally {
          destroy(c2);
          await again.close();
        }
      } finally {
        if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        rmSync(stateDir, { recursive: true, force: true });
      }
    }
  }
  console.log(`# kill -9: walked ${walked} kill points (state writes 1..${(finishedAt ?? 1) - 1}${all ? ', each before, mid and after the write' : ', phases rotating'}); the script's ${SCRIPT.length} steps finished at write ${finishedAt}; ${continued} restarted clouds ran the rest of the script`);
  assert.ok(finishedAt !== undefined && finishedAt > SCRIPT.length, 'the walk reached the end of the script');
});
