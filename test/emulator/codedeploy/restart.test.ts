/**
 * SIGKILL the emulator process in the middle of a deployment, start it again on the same state
 * dir: the deployment that was in flight is failed and rolled back, and alias and record agree.
 * The process is the real binary (`cli.js emulator`), ended by its pid.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateAliasCommand, GetAliasCommand, LambdaClient, PublishVersionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { clientConfig } from '../../helpers/emulator.js';
import { createFn, zip } from '../lambda/harness.js';

const CLI = fileURLToPath(new URL('../../../src/cli.js', import.meta.url));
const children = new Set<ChildProcess>();
const dirs: string[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** the foreground emulator; resolves with its endpoint (the first stdout line) */
async function startEmulator(stateDir: string, speed: number): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', '--state-dir', stateDir, '--speed', String(speed), '--quiet'], {
    env: { ...process.env, NO_COLOR: '1', NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no endpoint; output: ${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return { child, endpoint };
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, tries = 600): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: last seen ${JSON.stringify(last)}`);
}

test('SIGKILL mid-deployment, start again: the deployment is rolled back and the alias is wholly on the old version', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sol-cd-kill-'));
  dirs.push(stateDir);
  // Canary10Percent30Minutes at speed 60: the canary holds 30 s of real time, ample to kill it mid-way
  const first = await startEmulator(stateDir, 60);
  let lambda = new LambdaClient(clientConfig(first.endpoint));
  let cd = new CodeDeployClient(clientConfig(first.endpoint));
  let id: string;
  try {
    await createFn(lambda, 'fn', 'exports.handler = async () => 1;');
    await lambda.send(new PublishVersionCommand({ FunctionName: 'fn' }));
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: zip({ 'index.js': 'exports.handler = async () => 2;' }) }));
    await lambda.send(new PublishVersionCommand({ FunctionName: 'fn' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' }));
    await cd.send(new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }));
    await cd.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'app',
        deploymentGroupName: 'dg',
        serviceRoleArn: 'arn:aws:iam::000000000000:role/cd',
        deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent30Minutes',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      }),
    );
    const appSpec = `version: 0.0
Resources:
  - fn:
      Type: AWS::Lambda::Function
      Properties: {Name: fn, Alias: live, CurrentVersion: "1", TargetVersion: "2"}
`;
    id = (await cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'dg', revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec } } })))
      .deploymentId!;
    const alias = await until(
      'the canary weight',
      () => lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' })),
      (a) => a.RoutingConfig?.AdditionalVersionWeights?.['2'] === 0.1,
    );
    assert.equal(alias.FunctionVersion, '1');
  } finally {
    lambda.destroy();
    cd.destroy();
    first.child.kill('SIGKILL');
    await once(first.child, 'exit').catch(() => {});
  }

  const second = await startEmulator(stateDir, 60);
  lambda = new LambdaClient(clientConfig(second.endpoint));
  cd = new CodeDeployClient(clientConfig(second.endpoint));
  try {
    const d = (await cd.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!;
    assert.equal(d.status, 'Failed');
    assert.equal(d.errorInformation?.code, 'INTERNAL_ERROR');
    const rollbackId = d.rollbackInfo!.rollbackDeploymentId!;
    const rb = await until(
      'the rollback',
      async () => (await cd.send(new GetDeploymentCommand({ deploymentId: rollbackId }))).deploymentInfo!,
      (r) => r.status === 'Succeeded',
    );
    assert.equal(rb.creator, 'codeDeployRollback');
    assert.equal(rb.rollbackInfo?.rollbackTriggeringDeploymentId, id);
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    assert.equal(alias.FunctionVersion, '1');
    assert.equal(alias.RoutingConfig, undefined);
    const target = (await cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: ['fn:live'] }))).deploymentTargets![0]!.lambdaTarget!;
    assert.equal(target.status, 'Failed');
    assert.deepEqual(target.lifecycleEvents!.map((e) => e.status), ['Succeeded', 'Failed', 'Skipped']);
  } finally {
    lambda.destroy();
    cd.destroy();
    second.child.kill('SIGTERM');
    await once(second.child, 'exit').catch(() => {});
  }
});
