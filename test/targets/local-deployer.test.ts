/**
 * The local deployer in-process, against the background emulator it starts: a failure mid-way
 * leaves the alias on the last good version and no record; a retry finishes the job; a wiped
 * cloud is rebuilt under the same names.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { LabError } from '../../src/errors.js';
import { workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { TargetClients } from '../../src/targets/clients.js';
import { deployLocal } from '../../src/targets/deployers/local.js';
import { silentLog } from '../../src/targets/deployers/types.js';
import { removeWorkspace } from '../helpers/cli.js';

let ws: Workspace;

before(() => {
  ws = workspacePaths(mkdtempSync(join(tmpdir(), 'sol-local-')));
});
after(async () => {
  await removeWorkspace(ws.root);
});

async function aliasVersion(endpoint: string, fn: string): Promise<string | undefined> {
  const c = new TargetClients({ kind: 'local', endpoint });
  try {
    return (await c.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' }))).FunctionVersion;
  } finally {
    c.destroy();
  }
}

test('a failure while moving the alias: alias stays on the last good version, nothing recorded; a retry finishes', async () => {
  const first = await deployLocal({ workspace: ws, stackName: 'lab', log: silentLog });
  const fn = first.outputs.FunctionName;
  assert.equal(await aliasVersion(first.endpoint, fn), '1');
  const record = readFileSync(ws.deployRecord, 'utf8');

  const app = join(ws.samApp, 'src', 'app.mjs');
  writeFileSync(app, `${readFileSync(app, 'utf8')}\n// v2\n`);
  const failing = () => ({
    async shift() {
      throw new Error('CodeDeploy said no');
    },
  });
  await assert.rejects(deployLocal({ workspace: ws, stackName: 'lab', log: silentLog, shifter: failing }), (err: LabError) => {
    assert.ok(err instanceof LabError);
    assert.match(err.message, /^deploy failed while moving alias .*:live to Lambda version 2: CodeDeploy said no$/);
    assert.match(err.hint ?? '', /live still on Lambda version 1/);
    return true;
  });
  assert.equal(await aliasVersion(first.endpoint, fn), '1');
  assert.equal(readFileSync(ws.deployRecord, 'utf8'), record);

  // The retry finds version 2 already published: it publishes nothing more and moves the alias.
  const retry = await deployLocal({ workspace: ws, stackName: 'lab', log: silentLog });
  const fnChange = retry.changes.find((c) => c.type === 'AWS::Lambda::Function')!;
  assert.equal(fnChange.detail, 'Lambda version 2 (no new version)');
  assert.ok(retry.changes.some((c) => c.type === 'AWS::Lambda::Alias' && c.detail === 'moved from Lambda version 1 to 2'));
  assert.equal(await aliasVersion(retry.endpoint, fn), '2');
  assert.equal(retry.record.functions[0].version, '2');
});

test('a wiped local cloud is rebuilt under the same names', async () => {
  const before = JSON.parse(readFileSync(ws.deployRecord, 'utf8')) as { outputs: Record<string, string> };
  const { stopEmulator } = await import('../../src/emulator/daemon.js');
  await stopEmulator(ws.stateDir);
  rmSync(ws.stateDir, { recursive: true, force: true });
  const r = await deployLocal({ workspace: ws, stackName: 'lab', log: silentLog });
  assert.equal(r.outputs.FunctionName, before.outputs.FunctionName);
  assert.equal(r.outputs.ImagesBucket, before.outputs.ImagesBucket);
  assert.ok(r.changes.filter((c) => c.type !== 'AWS::CloudWatch::Alarm').every((c) => c.change === 'created'), JSON.stringify(r.changes));
  const res = await fetch(r.outputs.ApiUrl, { method: 'POST', body: JSON.stringify({ bucket: r.outputs.ImagesBucket, key: 'cat.jpg' }) });
  assert.equal(res.status, 200);
  assert.ok(((await res.json()) as { Labels: { Name: string }[] }).Labels.some((l) => l.Name === 'Cat'));
});
