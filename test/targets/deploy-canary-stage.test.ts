/**
 * A deploy that changes the API while the stage has a canary (the learner's, from the canary
 * chapter): AWS refuses CreateDeployment without canarySettings to such a stage ("Non canary
 * deployment not supported on stage Prod because Canary is enabled…"), and SAM never sends it:
 * its Deployment has no StageName and CloudFormation moves the Stage with UpdateStage. The deploy
 * did send it, so `d` in the canary chapter failed where AWS would not; now the stage moves onto
 * the new deployment and the learner's canary stays.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { apiGatewayCommands, TargetClients } from '../../src/targets/clients.js';
import { deployLocal } from '../../src/targets/deployers/local.js';
import { silentLog } from '../../src/targets/deployers/types.js';
import { removeWorkspace } from '../helpers/cli.js';

let ws: Workspace;

before(() => {
  ws = workspacePaths(mkdtempSync(join(tmpdir(), 'sol-canary-stage-')));
});
after(async () => {
  await removeWorkspace(ws.root);
});

test('a deploy of a changed API moves a stage that has a canary onto the new deployment and keeps the canary', async () => {
  const first = await deployLocal({ workspace: ws, stackName: 'lab', log: silentLog });
  const { restApiId, stage: stageName, deploymentId: firstDeployment } = first.record.apis[0]!;
  assert.ok(firstDeployment);
  const clients = new TargetClients({ kind: 'local', endpoint: first.endpoint });
  try {
    const { CreateDeploymentCommand, GetStageCommand } = apiGatewayCommands;
    const canary = await clients.apiGateway.send(
      new CreateDeploymentCommand({ restApiId, stageName, canarySettings: { percentTraffic: 10, stageVariableOverrides: { lambdaAlias: '2' } } }),
    );
    const before = await clients.apiGateway.send(new GetStageCommand({ restApiId, stageName }));

    // a second route: the API changed, so the deploy makes a new deployment of it
    const text = readFileSync(ws.template, 'utf8');
    const changed = text.replace(/( {8}GetInfo:\n {10}Type: Api\n {10}Properties:\n {12}Path: \/getinfo\n {12}Method: post\n)/, '$1        GetInfoAgain:\n          Type: Api\n          Properties:\n            Path: /getinfo-again\n            Method: post\n');
    assert.notEqual(changed, text, 'the bundled template has the GetInfo event');
    writeFileSync(ws.template, changed);

    const second = await deployLocal({ workspace: ws, stackName: 'lab', log: silentLog });
    const api = second.record.apis[0]!;
    assert.ok(api.deploymentId && api.deploymentId !== firstDeployment && api.deploymentId !== canary.id, `a new deployment: ${api.deploymentId}`);
    const after = await clients.apiGateway.send(new GetStageCommand({ restApiId, stageName }));
    assert.equal(after.deploymentId, api.deploymentId, 'the stage serves the new deployment');
    assert.deepEqual(after.canarySettings, before.canarySettings, "the learner's canary as it was");
    assert.deepEqual(after.variables, before.variables);
  } finally {
    clients.destroy();
  }
});
