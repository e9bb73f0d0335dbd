/**
 * The canary steps when the deploy record lacks what they need (a record an older version wrote
 * on the aws target had no API and no function ARN): what is missing and what to do, as a
 * LabError, so that "do it for me" and the runner say it instead of calling it a lab bug.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabError } from '../../src/errors.js';
import { cliCommand } from '../../src/invocation.js';
import { canarySteps } from '../../src/steps/canary.js';
import { CanaryError, findTarget } from '../../src/steps/canary/lesson.js';
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { TargetClients } from '../../src/targets/clients.js';
import type { DeployRecord } from '../../src/targets/deploy-record.js';
import { fakeContext } from '../helpers/lab-context.js';

const oldAwsRecord: DeployRecord = {
  schema: 1,
  target: 'aws',
  region: 'eu-west-1',
  stackName: 'ServerlessOps-stack',
  deployedAt: '2026-12-01T00:00:00.000Z',
  outputs: { ApiUrl: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/Prod/getinfo' },
  physicalIds: { GetInfoFunction: 'ServerlessOps-stack-GetInfoFunction-AbC', ServerlessRestApi: 'a1b2c3d4e5' },
  functions: [{ logicalId: 'GetInfoFunction', name: 'ServerlessOps-stack-GetInfoFunction-AbC', arn: '', codeSha256: '' }],
  apis: [],
};

// never reached: what is missing is found in the record, before any call
const noCalls = { send: () => assert.fail('no API Gateway call expected') } as unknown as APIGatewayClient;

test('findTarget names what the record lacks, with the fix, as a LabError', async () => {
  await assert.rejects(findTarget(noCalls, oldAwsRecord), (err: unknown) => {
    assert.ok(err instanceof CanaryError);
    assert.ok(err instanceof LabError);
    assert.equal(
      err.message,
      'the last deployment recorded in this workspace (target aws, stack ServerlessOps-stack) has no ARN for function ServerlessOps-stack-GetInfoFunction-AbC, no REST API; the canary steps need the bundled app\'s function, its REST API and its ApiUrl output',
    );
    // the deploy command as this process would print it (src/invocation.ts: npm, npx, the bare name or the script)
    assert.equal(err.hint, `deploy the bundled app again (${cliCommand(['deploy', '--target', 'aws'])} --workspace <your workspace>), then run this step again`);
    assert.equal(err.fix, err.hint);
    return true;
  });
  await assert.rejects(findTarget(noCalls, { ...oldAwsRecord, target: 'local', functions: [], outputs: {} }), /has no Lambda function, no REST API, no ApiUrl output;/);
});

test('the canary steps: the checks say "not yet" with the fix, "do it for me" throws a LabError (never a lab bug)', async () => {
  const ctx = fakeContext({ target: 'aws', clients: { apiGateway: noCalls } as unknown as TargetClients, deployment: () => oldAwsRecord });
  for (const step of canarySteps) {
    let named = 0;
    for (const check of step.liveChecks) {
      const r = await check.run(ctx, ctx.signal);
      assert.equal(r.status, 'not-yet', `${step.id} / ${check.name}: ${JSON.stringify(r)}`);
      // (a check of a figure another step measured says it is not measured yet)
      if (!/has no ARN for function .*, no REST API/.test(`${r.found ?? ''}`)) continue;
      named++;
      // the deploy command as it runs pasted: for this workspace, not ./lab-workspace
      assert.ok(`${r.hint ?? ''}`.includes(`deploy the bundled app again (${cliCommand(['deploy', '--target', 'aws', '--workspace', ctx.ws.root])})`), `${step.id} / ${check.name}: ${r.hint}`);
    }
    assert.ok(named > 0, step.id);
    await assert.rejects(step.solve.apply(ctx), (err: unknown) => err instanceof LabError && /no REST API/.test(err.message), step.id);
  }
});

test('inside a running lab (not --ci) the fix says to quit first: deploy stops with exit 3 while start holds the workspace', async () => {
  const ctx = fakeContext({ ci: false, target: 'aws', clients: { apiGateway: noCalls } as unknown as TargetClients, deployment: () => oldAwsRecord });
  const [check] = canarySteps[0]!.liveChecks;
  const r = await check!.run(ctx, ctx.signal);
  assert.equal(r.status, 'not-yet');
  const ws = ctx.ws.root;
  assert.equal(r.status === 'not-yet' && r.hint, `deploy the bundled app again: quit the lab (q), then run \`${cliCommand(['deploy', '--target', 'aws', '--workspace', ws])}\`, then \`${cliCommand(['start', '--target', 'aws', '--workspace', ws])}\``);
});
