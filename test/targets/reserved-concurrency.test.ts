/**
 * Reserved concurrency the way CloudFormation manages it: a template that never declared
 * ReservedConcurrentExecutions leaves a value set by hand alone; a template that declared it and
 * then drops it removes it. The change shows on the function's row.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionConcurrencyCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { TargetClients } from '../../src/targets/clients.js';
import { readDeployRecord } from '../../src/targets/deploy-record.js';
import { deployLocal, type LocalDeployResult } from '../../src/targets/deployers/local.js';
import { silentLog } from '../../src/targets/deployers/types.js';
import { removeWorkspace } from '../helpers/cli.js';

let ws: Workspace;
let endpoint: string;
let fn: string;

before(() => {
  ws = workspacePaths(mkdtempSync(join(tmpdir(), 'sol-rc-')));
});
after(async () => {
  await removeWorkspace(ws.root);
});

const deploy = () => deployLocal({ workspace: ws, stackName: 'lab', log: silentLog });

async function lambda<T>(f: (c: TargetClients) => Promise<T>): Promise<T> {
  const c = new TargetClients({ kind: 'local', endpoint });
  try {
    return await f(c);
  } finally {
    c.destroy();
  }
}
const reserved = () => lambda(async (c) => (await c.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: fn }))).ReservedConcurrentExecutions);
const reserveByHand = (n: number) => lambda((c) => c.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: n })));

function editCode(mark: string): void {
  const app = join(ws.samApp, 'src', 'app.mjs');
  writeFileSync(app, `${readFileSync(app, 'utf8')}\n// ${mark}\n`);
}

/** `ReservedConcurrentExecutions: n` in GetInfoFunction's properties, or none */
function declare(n: number | undefined): void {
  const tpl = readFileSync(ws.template, 'utf8').replace(/      ReservedConcurrentExecutions: \d+\n/, '');
  const line = n === undefined ? '' : `      ReservedConcurrentExecutions: ${n}\n`;
  writeFileSync(ws.template, tpl.replace('      Handler: app.handler\n', `      Handler: app.handler\n${line}`));
}

const fnRow = (r: LocalDeployResult) => r.changes.filter((c) => c.logicalId === 'GetInfoFunction');

test('a template without ReservedConcurrentExecutions keeps the value set by hand (the workshop: reserve 25, deploy version 2)', async () => {
  const first = await deploy();
  endpoint = first.endpoint;
  fn = first.outputs.FunctionName;
  assert.equal(readDeployRecord(ws)!.functions[0].declaredReservedConcurrency, null);
  await reserveByHand(25);

  editCode('v2');
  const r = await deploy();
  assert.equal(await reserved(), 25);
  const rows = fnRow(r);
  assert.equal(rows.length, 1, JSON.stringify(r.changes));
  assert.equal(rows[0].type, 'AWS::Lambda::Function');
  assert.match(rows[0].detail ?? '', /published Lambda version 2; reserved concurrency 25 kept \(set outside the template\)$/);
  assert.ok(!r.changes.some((c) => c.type === 'ReservedConcurrentExecutions'));
});

test('declared in the template: applied, shown on the function row, recorded', async () => {
  declare(10);
  const r = await deploy();
  assert.equal(await reserved(), 10);
  const [row] = fnRow(r);
  assert.equal(row.change, 'updated');
  assert.match(row.detail ?? '', /version 2 \(no new version\); reserved concurrency 25 → 10$/);
  assert.equal(readDeployRecord(ws)!.functions[0].declaredReservedConcurrency, 10);
});

test('declared and unchanged in the template: a value set by hand since is left alone, as CloudFormation does', async () => {
  await reserveByHand(30);
  const r = await deploy();
  assert.equal(await reserved(), 30);
  assert.match(fnRow(r)[0].detail ?? '', /reserved concurrency 30 kept \(the template's 10 did not change\)$/);
});

test('a declaration dropped from the template removes the reserved concurrency', async () => {
  declare(undefined);
  const r = await deploy();
  assert.equal(await reserved(), undefined);
  const [row] = fnRow(r);
  assert.equal(row.type, 'AWS::Lambda::Function');
  assert.equal(row.change, 'updated');
  assert.match(row.detail ?? '', /reserved concurrency 30 → removed$/);
  assert.equal(readDeployRecord(ws)!.functions[0].declaredReservedConcurrency, null);

  // …and after that, the property is undeclared again: a value set by hand survives.
  await reserveByHand(25);
  await deploy();
  assert.equal(await reserved(), 25);
});
