/**
 * A cloud that lost what the last deploy left (lambda.json moved away after it was damaged, with
 * the cloud stopped), end to end through the built CLI: the next deploy puts the function back as
 * the record says it was (its code then, the alias on it) before it applies sam-app/, so a code
 * change is still released through a CodeDeploy shift from the old code to the new; an alias
 * deleted by hand is put back on the version that holds the recorded code.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { DeleteAliasCommand, GetAliasCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { Workspace } from '../../src/lab/workspace.js';
import { TargetClients } from '../../src/targets/clients.js';
import { codeDeployWorkspace, removeWorkspace, runCli } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';

let ws: Workspace;
let endpoint: string;

interface Rec {
  functions: { name: string; codeSha256: string; version: string }[];
}
const record = (): Rec => JSON.parse(readFileSync(ws.deployRecord, 'utf8')) as Rec;

before(async () => {
  ({ ws, endpoint } = await codeDeployWorkspace('drift', 600));
});

after(async () => {
  await removeWorkspace(ws.root);
});

test('the first deploy keeps a copy of the package it deployed beside the record', async () => {
  const r = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(r.code, 0, r.stderr);
  const sha = record().functions[0]!.codeSha256;
  assert.deepEqual(readdirSync(join(ws.labDir, 'deployed')), [`${Buffer.from(sha, 'base64').toString('hex')}.zip`]);
});

test('lambda.json moved away with the cloud stopped: the next deploy re-creates the function as it was, then releases the change through CodeDeploy', async () => {
  const before = record().functions[0]!;
  const stopped = await runCli(['emulator', 'stop', '--workspace', ws.root]);
  assert.equal(stopped.code, 0, stopped.stderr);
  renameSync(join(ws.stateDir, 'lambda.json'), join(ws.root, 'lambda.json.damaged'));
  // started again at the test's speed (a deploy would start it at the default, a shift of minutes)
  const started = await runCli(['emulator', 'start', '--workspace', ws.root, '--speed', '600', '--json']);
  assert.equal(started.code, 0, started.stderr);
  endpoint = (JSON.parse(started.stdout) as { endpoint: string }).endpoint;
  const app = join(ws.samApp, 'src', 'app.mjs');
  writeFileSync(app, `${readFileSync(app, 'utf8')}\n// version 2\n`);

  const r = await runCli(['deploy', '--workspace', ws.root]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`the cloud no longer holds what the last deploy left: GetInfoFunction \\(${before.name}\\): no such function\\. Re-created from the workspace's deploy record, with the code and configuration deployed then: GetInfoFunction \\(live on Lambda version 1\\)`));
  // created anew from the edited code it would be version 1 with the alias straight on it: no release
  assert.match(r.stdout, /created\s+AWS::Lambda::Function .* re-created as the last deploy left it; code changed; published Lambda version 2/);
  const id = /^CodeDeploy deployment started: (d-[A-Z0-9]{9}) \(\S+:live, Lambda version 1 → 2\)$/m.exec(r.stdout)?.[1];
  assert.ok(id, r.stdout);

  const clients = new TargetClients({ kind: 'local', endpoint });
  try {
    const v1 = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: before.name, Qualifier: '1' }));
    assert.equal(v1.CodeSha256, before.codeSha256, 'version 1 holds the code the last deploy left');
    const d = await eventually(`${id} ends`, async () => (await clients.codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo, (i) => ['Succeeded', 'Failed', 'Stopped'].includes(i?.status ?? ''));
    assert.equal(d?.status, 'Succeeded', JSON.stringify(d?.errorInformation));
    assert.equal((await clients.lambda.send(new GetAliasCommand({ FunctionName: before.name, Name: 'live' }))).FunctionVersion, '2');
  } finally {
    clients.destroy();
  }
  // only the package the record names is kept
  assert.equal(readdirSync(join(ws.labDir, 'deployed')).length, 1);
  assert.ok(!existsSync(join(ws.labDir, 'deployed', `${Buffer.from(before.codeSha256, 'base64').toString('hex')}.zip`)));
});

test('the alias deleted by hand: the next deploy puts it back on the version holding the recorded code, and says so', async () => {
  const fn = record().functions[0]!;
  const clients = new TargetClients({ kind: 'local', endpoint });
  try {
    await clients.lambda.send(new DeleteAliasCommand({ FunctionName: fn.name, Name: 'live' }));
    const r = await runCli(['deploy', '--workspace', ws.root]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /GetInfoFunction's alias live \(\S+:live\): no such alias\. Re-created .*: GetInfoFunction \(live on Lambda version 2\)/);
    assert.match(r.stdout, /unchanged\s+AWS::Lambda::Function .* version 2 \(no new version\)/);
    assert.match(r.stdout, /created\s+AWS::Lambda::Alias .* re-created on Lambda version 2/);
    assert.equal((await clients.lambda.send(new GetAliasCommand({ FunctionName: fn.name, Name: 'live' }))).FunctionVersion, '2');
  } finally {
    clients.destroy();
  }
});
