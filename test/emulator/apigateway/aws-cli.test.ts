/**
 * The aws CLI (v1, botocore) driving a stage canary against the emulator, the commands the canary
 * step prints: create-deployment --canary-settings, get-stage, update-stage --patch-operations
 * (percentTraffic, a stage variable override, promotion by copy, removing canarySettings), and the
 * method/integration responses every console or CloudFormation setup creates.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { awsCli, awsCliDriverPid, awsCliPath, skipWithoutAws, stopAwsCli } from '../../helpers/aws-cli.js';
import { lambdaUri, startApiGateway } from './fixture.js';

// the aws CLI driver this file's calls started (see test/helpers/aws-cli.ts), ended by its PID
after(stopAwsCli);

/** `aws --output json apigateway …args` */
const aws = (endpoint: string, args: string[]) => awsCli(endpoint, ['--output', 'json', 'apigateway', ...args]);

test('aws apigateway: a canary created, tuned, promoted and turned off', { skip: skipWithoutAws }, async () => {
  const fx = await startApiGateway();
  const run = async (...args: string[]) => {
    const r = await aws(fx.emu.endpoint, args);
    assert.equal(r.code, 0, `aws apigateway ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : {};
  };
  try {
    const api = await run('create-rest-api', '--name', 'cli-canary');
    const id = ['--rest-api-id', api.id];
    const res = await run('create-resource', ...id, '--parent-id', api.rootResourceId, '--path-part', 'getinfo');
    const at = [...id, '--resource-id', res.id, '--http-method', 'POST'];
    await run('put-method', ...at, '--authorization-type', 'NONE');
    await run('put-integration', ...at, '--type', 'AWS_PROXY', '--integration-http-method', 'POST', '--uri', lambdaUri('arn:aws:lambda:us-east-1:000000000000:function:app:${stageVariables.lambdaAlias}'));
    const mr = await run('put-method-response', ...at, '--status-code', '200');
    assert.equal(mr.statusCode, '200');
    // the method response exists: the integration response and the refused second one at once
    const [ir, conflict] = await Promise.all([
      run('put-integration-response', ...at, '--status-code', '200', '--selection-pattern', ''),
      aws(fx.emu.endpoint, ['put-method-response', ...at, '--status-code', '200']),
    ]);
    assert.equal(ir.statusCode, '200');
    assert.notEqual(conflict.code, 0);
    assert.match(conflict.stderr, /\(ConflictException\) when calling the PutMethodResponse operation: Response already exists for this resource/);

    const d1 = await run('create-deployment', ...id, '--stage-name', 'Prod', '--variables', 'lambdaAlias=live');
    const d2 = await run('create-deployment', ...id, '--stage-name', 'Prod', '--canary-settings', 'percentTraffic=10,stageVariableOverrides={lambdaAlias=canary},useStageCache=false');
    let stage = await run('get-stage', ...id, '--stage-name', 'Prod');
    assert.equal(stage.deploymentId, d1.id);
    assert.deepEqual(stage.variables, { lambdaAlias: 'live' });
    assert.deepEqual(stage.canarySettings, { percentTraffic: 10, deploymentId: d2.id, stageVariableOverrides: { lambdaAlias: 'canary' }, useStageCache: false });

    stage = await run(
      'update-stage', ...id, '--stage-name', 'Prod', '--patch-operations',
      'op=replace,path=/canarySettings/percentTraffic,value=25.5',
      'op=replace,path=/canarySettings/stageVariableOverrides/lambdaAlias,value=canary2',
    );
    assert.equal(stage.canarySettings.percentTraffic, 25.5);
    assert.deepEqual(stage.canarySettings.stageVariableOverrides, { lambdaAlias: 'canary2' });

    // two calls API Gateway refuses, changing nothing: at once
    const [refused, noStage] = await Promise.all([
      aws(fx.emu.endpoint, ['update-stage', ...id, '--stage-name', 'Prod', '--patch-operations', `op=add,path=/canarySettings/deploymentId,value=${d1.id}`]),
      aws(fx.emu.endpoint, ['create-deployment', ...id, '--stage-name', 'Beta', '--canary-settings', 'percentTraffic=10']),
    ]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /\(BadRequestException\) when calling the UpdateStage operation: Invalid add operation with path: \/canarySettings\/deploymentId/);
    assert.match(noStage.stderr, /Stage Beta must already be created before making a canary release deployment/);

    stage = await run(
      'update-stage', ...id, '--stage-name', 'Prod', '--patch-operations',
      'op=replace,path=/canarySettings/percentTraffic,value=0.0',
      'op=copy,from=/canarySettings/deploymentId,path=/deploymentId',
      'op=copy,from=/canarySettings/stageVariableOverrides,path=/variables',
    );
    assert.equal(stage.deploymentId, d2.id);
    assert.deepEqual(stage.variables, { lambdaAlias: 'canary2' });

    stage = await run('update-stage', ...id, '--stage-name', 'Prod', '--patch-operations', 'op=remove,path=/canarySettings');
    assert.equal(stage.canarySettings, undefined);
    stage = await run('get-stage', ...id, '--stage-name', 'Prod');
    assert.equal('canarySettings' in stage, false);
    assert.equal(stage.deploymentId, d2.id);
  } finally {
    await fx.close();
  }
});

test("the tests' aws: behind pyenv's shim, the aws the shim runs, found once; any other aws as PATH has it", () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-aws-shim-'));
  try {
    const shims = join(dir, 'shims');
    const real = join(dir, 'versions', '3.11.7', 'bin');
    const plain = join(dir, 'plain');
    for (const d of [shims, real, plain]) mkdirSync(d, { recursive: true });
    const script = (path: string, body: string) => {
      writeFileSync(path, `#!/usr/bin/env bash\n${body}\n`);
      chmodSync(path, 0o755);
    };
    // as pyenv writes its shims, and a pyenv that names the real one
    script(join(shims, 'aws'), `program="\${0##*/}"\nexec "${dir}/libexec/pyenv" exec "$program" "$@"`);
    script(join(shims, 'pyenv'), `[ "$1 $2" = "which aws" ] && echo ${join(real, 'aws')}`);
    script(join(real, 'aws'), 'echo real');
    script(join(plain, 'aws'), 'echo plain');
    const path = `${shims}${delimiter}${process.env.PATH}`;
    assert.equal(awsCliPath(path, join(shims, 'aws')), `${real}${delimiter}${path}`);
    assert.equal(awsCliPath(`${plain}${delimiter}${process.env.PATH}`, join(plain, 'aws')), `${plain}${delimiter}${process.env.PATH}`);
    // a pyenv that fails, or names nothing: PATH as it is
    script(join(shims, 'pyenv'), 'exit 127');
    assert.equal(awsCliPath(path, join(shims, 'aws')), path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the tests' aws CLI driver answers as the aws program does: output, errors, exit codes, each call's own variables, a timeout", { skip: skipWithoutAws }, async () => {
  // the answers the aws program gives (SOL_AWS_CLI=process passes this test too); every call of
  // the suite's awsCli compared both ways with SOL_AWS_CLI_LOG. A server that takes connections
  // and never answers: a call to it runs into its timeout
  const held: Socket[] = [];
  const silent = createServer((s) => void held.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  const nowhere = 'http://127.0.0.1:1';
  const once = { AWS_MAX_ATTEMPTS: '1' };
  try {
    const [version, usage, noKeys, keys, query, timedOut, behind] = await Promise.all([
      awsCli(nowhere, ['--version']),
      awsCli(nowhere, ['lambda', 'no-such-operation']),
      // a call's own variables are its own: no keys for this one (credentials are resolved per
      // call), the next has AWS_CLI_ENV's again
      awsCli(nowhere, ['lambda', 'list-functions'], { env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' } }),
      awsCli(nowhere, ['lambda', 'list-functions'], { env: once }),
      awsCli(nowhere, ['lambda', 'list-functions', '--query', 'Functions['], { env: once }),
      // killed at its timeout: exit code 1 and no output, as execFile says it; the call behind it still answers
      awsCli(`http://127.0.0.1:${port}`, ['sts', 'get-caller-identity'], { env: once, timeoutMs: 3000 }),
      awsCli(nowhere, ['sts', 'get-caller-identity'], { env: once }),
    ]);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^aws-cli\/\S+ Python\/\S+ \S+ botocore\/\S+\n$/);
    assert.equal(version.stderr, '');
    assert.equal(usage.code, 2);
    assert.equal(usage.stdout, '');
    assert.match(usage.stderr, /^aws: error: argument operation: Invalid choice, valid choices are:$/m);
    assert.deepEqual(noKeys, { code: 255, stdout: '', stderr: 'Unable to locate credentials. You can configure credentials by running "aws configure".\n' });
    assert.deepEqual(keys, { code: 255, stdout: '', stderr: `\nCould not connect to the endpoint URL: "${nowhere}/2015-03-31/functions"\n` });
    assert.equal(query.code, 255);
    assert.match(query.stderr, /^\nBad value for --query Functions\[: Invalid jmespath expression: Incomplete expression:\n/);
    assert.deepEqual(timedOut, { code: 1, stdout: '', stderr: '' });
    assert.deepEqual(behind, { code: 255, stdout: '', stderr: `\nCould not connect to the endpoint URL: "${nowhere}/"\n` });
    if (process.env.SOL_AWS_CLI !== 'process') assert.ok(awsCliDriverPid() !== undefined, 'the calls went to a driver');
  } finally {
    for (const s of held) s.destroy();
    silent.close();
  }
});
