/**
 * Ctrl-C during a local deploy: the deployer stops before the next step, never mid-step, throws
 * InterruptedError (exit 130 at the CLI boundary), records nothing, and a retry finishes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAliasCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ExitCode, InterruptedError } from '../../src/errors.js';
import { workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { TargetClients } from '../../src/targets/clients.js';
import { deployLocal } from '../../src/targets/deployers/local.js';
import { directShift } from '../../src/targets/deployers/local/alias.js';
import type { DeployLog } from '../../src/targets/deployers/types.js';
import { removeWorkspace } from '../helpers/cli.js';

let ws: Workspace;
before(() => {
  ws = workspacePaths(mkdtempSync(join(tmpdir(), 'sol-int-')));
});
after(async () => {
  await removeWorkspace(ws.root);
});

async function withLambda<T>(endpoint: string, f: (c: TargetClients) => Promise<T>): Promise<T> {
  const c = new TargetClients({ kind: 'local', endpoint });
  try {
    return await f(c);
  } finally {
    c.destroy();
  }
}

test('Ctrl-C while the cloud starts: InterruptedError before the first resource, no record, no start lock', async () => {
  const ctrl = new AbortController();
  let endpoint = '';
  const log: DeployLog = {
    info(line) {
      const m = /embedded cloud \w+ at (\S+)/.exec(line);
      if (m) {
        endpoint = m[1];
        ctrl.abort();
      }
    },
    warn() {},
  };
  await assert.rejects(deployLocal({ workspace: ws, stackName: 'lab', log, signal: ctrl.signal }), (err: Error) => {
    assert.ok(err instanceof InterruptedError, String(err));
    assert.equal(err.exitCode, ExitCode.interrupted);
    assert.match(err.message, /^deploy interrupted before creating bucket \S+: run deploy again to finish \(nothing is left half-changed\)$/);
    return true;
  });
  assert.ok(!existsSync(ws.deployRecord));
  assert.ok(!existsSync(join(ws.stateDir, 'emulator-start.lock')));
  const fns = await withLambda(endpoint, async (c) => (await c.lambda.send(new ListFunctionsCommand({}))).Functions ?? []);
  assert.equal(fns.length, 0);
});

test('Ctrl-C after a new version is published: the alias stays on the last good version, the message says so; a retry finishes', async () => {
  const first = await deployLocal({ workspace: ws, stackName: 'lab', log: { info() {}, warn() {} } });
  const fn = first.outputs.FunctionName;
  const record = readFileSync(ws.deployRecord, 'utf8');
  const app = join(ws.samApp, 'src', 'app.mjs');
  writeFileSync(app, `${readFileSync(app, 'utf8')}\n// v2\n`);

  const ctrl = new AbortController();
  // the shifter is chosen right after version 2 is published: Ctrl-C lands there
  const shifter = () => {
    ctrl.abort();
    return directShift;
  };
  await assert.rejects(deployLocal({ workspace: ws, stackName: 'lab', log: { info() {}, warn() {} }, shifter, signal: ctrl.signal }), (err: Error) => {
    assert.ok(err instanceof InterruptedError, String(err));
    assert.match(err.message, /^deploy interrupted before deploying REST API \S+ to stage Prod: run deploy again to finish \(nothing is left half-changed; \S+:live still on Lambda version 1\)$/);
    return true;
  });
  assert.equal(readFileSync(ws.deployRecord, 'utf8'), record);
  const alias = () => withLambda(first.endpoint, async (c) => (await c.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' }))).FunctionVersion);
  assert.equal(await alias(), '1');

  const retry = await deployLocal({ workspace: ws, stackName: 'lab', log: { info() {}, warn() {} } });
  assert.ok(retry.changes.some((c) => c.type === 'AWS::Lambda::Alias' && c.detail === 'moved from Lambda version 1 to 2'), JSON.stringify(retry.changes));
  assert.equal(await alias(), '2');
});
