/** The AppSpec CloudFormation's CodeDeployLambdaAliasUpdate sends, and deploy --wait's progress line, on fixed inputs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lambdaAppSpec } from '../../src/targets/deployers/local/alias.js';
import { failureReason } from '../../src/targets/deployment-watch.js';
import { progressText } from '../../src/commands/deploy-wait.js';

test('the Lambda AppSpec: function, alias, current and target versions, the hooks by function name', () => {
  const s = { functionName: 'lab-Fn-X', alias: 'live', from: '1', to: '2' };
  assert.deepEqual(JSON.parse(lambdaAppSpec({ applicationName: 'a', deploymentGroupName: 'g', beforeAllowTrafficHook: 'CodeDeployHook_pre', afterAllowTrafficHook: 'CodeDeployHook_post' }, s)), {
    version: 0,
    Resources: [{ 'lab-Fn-X': { Type: 'AWS::Lambda::Function', Properties: { Name: 'lab-Fn-X', Alias: 'live', CurrentVersion: '1', TargetVersion: '2' } } }],
    Hooks: [{ BeforeAllowTraffic: 'CodeDeployHook_pre' }, { AfterAllowTraffic: 'CodeDeployHook_post' }],
  });
  assert.ok(!('Hooks' in JSON.parse(lambdaAppSpec({ applicationName: 'a', deploymentGroupName: 'g' }, s))));
});

test("CloudFormation's failure reason on the alias: `<id> failed. <message>`", () => {
  const msg = 'The deployment failed because one or more of the lifecycle event validation functions failed.';
  assert.equal(failureReason({ deploymentId: 'd-82EELWTXI', status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: msg } }), `d-82EELWTXI failed. ${msg}`);
});

test("the progress line: status and the alias routing, Lambda's versions said so, within 80 columns beside its spinner", () => {
  assert.equal(progressText({ deploymentId: 'd-A', status: 'InProgress', aliasVersion: '1', weights: { '2': 0.3 } }, 'live'), 'd-A InProgress — live: Lambda version 1 70%, Lambda version 2 30%');
  assert.equal(progressText({ deploymentId: 'd-A', status: 'Succeeded', aliasVersion: '2', weights: {} }, 'live'), 'd-A Succeeded — live on Lambda version 2');
  // a CodeDeploy id, two-digit versions and a spinner's two columns: under 80
  const widest = progressText({ deploymentId: 'd-DYCG23I35', status: 'InProgress', aliasVersion: '12', weights: { '13': 0.3 } }, 'live');
  assert.ok(widest.length + 2 < 80, widest);
});
