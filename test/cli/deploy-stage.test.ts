/**
 * A deploy after the lab: the canary chapter's promotion left the Prod stage calling a version
 * through its stage variable (lambdaAlias=5), and a deploy of an API that did not change leaves
 * the stage as it is. A release then moves `live`, and no request to ApiUrl reaches it: the deploy
 * says so, with the command that sends them to `live` again. Code put back as an older version had
 * it is published as a new version (Lambda compares with its newest version only): the deploy
 * names the older one.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { calledFunction, movedAlias } from '../../src/commands/deploy-stage.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { findTarget } from '../../src/steps/canary/lesson.js';
import { useStageVariable } from '../../src/steps/canary/stage-variable.js';
import { TargetClients } from '../../src/targets/clients.js';
import { readDeployRecord, type DeployRecord } from '../../src/targets/deploy-record.js';
import { removeWorkspace, runCli } from '../helpers/cli.js';

let ws: string;
let app: string;
let firstCode: string;
let record: DeployRecord;
let clients: TargetClients;

/** the Lambda version that answered a request to ApiUrl */
async function servedBy(): Promise<string> {
  const res = await fetch(record.outputs.ApiUrl!, { method: 'POST', body: JSON.stringify({ bucket: record.outputs.ImagesBucket, key: 'someguy.jpg' }) });
  const body = (await res.json()) as { ServedBy?: { FunctionVersion?: string } };
  return body.ServedBy?.FunctionVersion ?? `HTTP ${res.status}`;
}

function edit(mark: string): void {
  writeFileSync(app, `${readFileSync(app, 'utf8')}\n// ${mark}\n`);
}

before(async () => {
  ws = mkdtempSync(join(tmpdir(), 'sol-deploy-stage-'));
  const r = await runCli(['deploy', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  app = join(ws, 'sam-app', 'src', 'app.mjs');
  firstCode = readFileSync(app, 'utf8');
  record = readDeployRecord(workspacePaths(ws))!;
  clients = new TargetClients({ kind: 'local', endpoint: record.endpoint! });
});

after(async () => {
  clients?.destroy();
  await removeWorkspace(ws);
});

test('the stage calls a version through its stage variable: a release of live is said not to reach ApiUrl, with the command that sends requests to live', async () => {
  // as the canary chapter leaves it: the integration through ${stageVariables.lambdaAlias}, the stage on version 1
  const t = await findTarget(clients.apiGateway, record);
  await useStageVariable(clients.apiGateway, t.route, t.region, t.functionArn, '1');
  edit('a change after the lab');
  const r = await runCli(['deploy', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /updated\s+AWS::Lambda::Alias .* moved from Lambda version 1 to 2/);
  const api = record.apis[0]!;
  const warning = new RegExp(
    `^warning: requests to ApiUrl do not reach this release: the API's Prod stage calls Lambda version 1 of ${t.functionName} \\(its stage variable lambdaAlias=1, as the canary chapter's promotion left it; a deploy of an API that did not change leaves its stage as it is\\), not the alias live\\. To send them to live:\n {2}\\$ aws apigateway update-stage --rest-api-id ${api.restApiId} --stage-name Prod --patch-operations op=replace,path=/variables/lambdaAlias,value=live --endpoint-url ${record.endpoint}$`,
    'm',
  );
  assert.match(r.stderr, warning);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
  assert.equal(await servedBy(), '1', 'the stage still calls version 1, as the warning says');

  // the printed command's patch, through the SDK: the API answers from live, and the next release is not warned of
  await clients.apiGateway.send(new UpdateStageCommand({ restApiId: api.restApiId, stageName: 'Prod', patchOperations: [{ op: 'replace', path: '/variables/lambdaAlias', value: 'live' }] }));
  assert.equal(await servedBy(), '2');
  edit('another change');
  const again = await runCli(['deploy', '--workspace', ws]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /moved from Lambda version 2 to 3/);
  assert.doesNotMatch(again.stderr, /warning/);
  assert.equal(await servedBy(), '3');
});

test('code put back as version 1 had it: published as a new version, which the deploy says is the same as version 1', async () => {
  writeFileSync(app, firstCode);
  const r = await runCli(['deploy', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /updated\s+AWS::Lambda::Function .* code changed; published Lambda version 4 \(the same as Lambda version 1: Lambda compares with its newest version only\)/);
  // and no change publishes nothing, and says nothing of version 1
  const none = await runCli(['deploy', '--workspace', ws]);
  assert.match(none.stdout, /version 4 \(no new version\)/);
  assert.doesNotMatch(none.stdout, /the same as version/);
});

test('what a deploy moved and what an integration calls, read from their names', () => {
  const change = (physicalId: string) => ({ target: 'local' as const, outputs: {}, warnings: [], changes: [{ logicalId: 'A', type: 'AWS::Lambda::Alias', change: 'updated' as const, physicalId }] });
  assert.deepEqual(movedAlias(change('fn:live')), { functionName: 'fn', alias: 'live' });
  assert.deepEqual(movedAlias(change('arn:aws:lambda:us-east-1:123456789012:function:fn:live')), { functionName: 'fn', alias: 'live' });
  assert.equal(movedAlias({ ...change('fn:live'), changes: [{ logicalId: 'A', type: 'AWS::Lambda::Alias', change: 'unchanged', physicalId: 'fn:live' }] }), undefined);
  const uri = (q: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fn${q}/invocations`;
  assert.deepEqual(calledFunction(uri(':${stageVariables.lambdaAlias}'), { lambdaAlias: '5' }), { functionName: 'fn', qualifier: '5' });
  assert.deepEqual(calledFunction(uri(':live'), {}), { functionName: 'fn', qualifier: 'live' });
  assert.deepEqual(calledFunction(uri(''), {}), { functionName: 'fn', qualifier: '$LATEST' });
  assert.equal(calledFunction('https://example.com/', {}), undefined);
});
