/**
 * The canary chapter publishes its version outside any deploy (UpdateFunctionCode, then
 * PublishVersion: $LATEST holds the canary's code, and the newest version is the canary's), and a
 * reset into the chapter leaves both, as on AWS. The next deploy of an unchanged sam-app/ said
 * "code changed; published Lambda version 3 (the same as Lambda version 1 …)" and started a
 * CodeDeploy deployment of the same code (10 cloud minutes). SAM publishes a version only when the
 * function changed since the stack's last one, and CloudFormation never sees a version published by
 * hand: now the deploy puts $LATEST back on its code, says so, and publishes nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeDir } from '../../src/steps/canary/context.js';
import { CANARY_DESCRIPTION_TAIL, publishCodeAsVersion } from '../../src/steps/canary/version.js';
import { lambdaSdk, TargetClients } from '../../src/targets/clients.js';
import { deployLocal } from '../../src/targets/deployers/local.js';
import { silentLog } from '../../src/targets/deployers/types.js';
import type { Workspace } from '../../src/lab/workspace.js';
import { codeDeployWorkspace, removeWorkspace } from '../helpers/cli.js';

let ws: Workspace;
let endpoint: string;
before(async () => {
  ({ ws, endpoint } = await codeDeployWorkspace('after-canary', 100));
});
after(async () => {
  if (ws) await removeWorkspace(ws.root);
});

test('after the canary\'s version (published outside the deploys), a deploy of the same sam-app/ puts $LATEST back, publishes nothing and starts no deployment', async () => {
  const first = await deployLocal({ workspace: ws, stackName: 'lab', log: silentLog });
  const fn = first.record.functions[0]!;
  assert.equal(fn.version, '1');
  const clients = new TargetClients({ kind: 'local', endpoint });
  try {
    const canary = await publishCodeAsVersion(clients.lambda, fn.name, codeDir(), `app version 6, ${CANARY_DESCRIPTION_TAIL}`);
    assert.equal(canary, '2');

    const again = await deployLocal({ workspace: ws, stackName: 'lab', log: silentLog });
    const row = again.changes.find((c) => c.logicalId === 'GetInfoFunction')!;
    assert.equal(row.detail, "$LATEST put back on the last deploy's code; Lambda version 1 (no new version)");
    assert.deepEqual(again.deployments, [], 'no CodeDeploy deployment of the same code');
    assert.equal(again.record.functions[0]!.version, '1');
    const latest = await clients.lambda.send(new (lambdaSdk().GetFunctionConfigurationCommand)({ FunctionName: fn.name }));
    assert.equal(latest.CodeSha256, fn.codeSha256, "$LATEST holds the deploy's code again");
    const alias = await clients.lambda.send(new (lambdaSdk().GetAliasCommand)({ FunctionName: fn.name, Name: 'live' }));
    assert.equal(alias.FunctionVersion, '1');

    // the canary's code in sam-app/ is a change: Lambda answers its newest version, the canary's,
    // which is not said as published (PublishVersion publishes nothing when nothing changed since it)
    const { cpSync } = await import('node:fs');
    cpSync(codeDir(), `${ws.samApp}/src`, { recursive: true });
    const canaryCode = await deployLocal({ workspace: ws, stackName: 'lab', log: silentLog });
    const moved = canaryCode.changes.find((c) => c.logicalId === 'GetInfoFunction')!;
    assert.match(moved.detail ?? '', /^code changed; Lambda version 2 \(no new version\)$/);
  } finally {
    clients.destroy();
  }
});
