/**
 * The canary chapter's steps on the solver path (--ci): for each, the live checks fail before the
 * reference change and pass after it, against the embedded cloud through the SDK clients, with
 * version 3 of the app (templates/canary/src) published as the canary's version.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import { CreateAliasCommand, CreateFunctionCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway';
import { frontDoorUrl } from '../../src/emulator/front-door-url.js';
import type { FigureValue } from '../../src/lab/context.js';
import { solveStep } from '../../src/lab/solver.js';
import { canarySteps } from '../../src/steps/canary.js';
import { TargetClients } from '../../src/targets/clients.js';
import type { DeployRecord } from '../../src/targets/deploy-record.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { fakeContext } from '../helpers/lab-context.js';

// version 2 of the app as far as the probe sees it: a refused request answered at once, named
const V2 = `exports.handler = async (event, context) => ({
  statusCode: 400,
  headers: { 'Content-Type': 'application/json', 'X-App-Version': '2', 'X-Function-Version': context.functionVersion },
  body: JSON.stringify({ message: 'bad request', ServedBy: { AppVersion: 2, FunctionVersion: context.functionVersion } }),
});`;

describe('the canary chapter on the solver path', () => {
  let emu: TestEmulator;
  let clients: TargetClients;
  let record: DeployRecord;
  const figures: Record<string, Record<string, FigureValue>> = {};

  before(async () => {
    emu = await startTestEmulator();
    clients = new TargetClients({ kind: 'local', endpoint: emu.endpoint });
    const fn = await clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'lab-GetInfoFunction',
        Runtime: 'nodejs22.x',
        Role: 'arn:aws:iam::000000000000:role/lambda-role',
        Handler: 'app.handler',
        Timeout: 10,
        Code: { ZipFile: Buffer.from(zipSync({ 'app.js': strToU8(V2) })) },
      }),
    );
    const v = await clients.lambda.send(new PublishVersionCommand({ FunctionName: 'lab-GetInfoFunction' }));
    await clients.lambda.send(new CreateAliasCommand({ FunctionName: 'lab-GetInfoFunction', Name: 'live', FunctionVersion: v.Version }));
    const apigw = clients.apiGateway;
    const api = await apigw.send(new CreateRestApiCommand({ name: 'lab' }));
    const res = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'getinfo' }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'POST', authorizationType: 'NONE' }));
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId: res.id,
        httpMethod: 'POST',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn.FunctionArn}:live/invocations`,
      }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'Prod' }));
    record = {
      schema: 1,
      target: 'local',
      endpoint: emu.endpoint,
      region: 'us-east-1',
      stackName: 'lab',
      deployedAt: new Date().toISOString(),
      outputs: { ApiUrl: frontDoorUrl(emu.endpoint, api.id!, 'Prod', '/getinfo') },
      physicalIds: {},
      functions: [{ logicalId: 'GetInfoFunction', name: 'lab-GetInfoFunction', arn: fn.FunctionArn!, codeSha256: '', version: v.Version, alias: 'live' }],
      apis: [{ logicalId: 'ServerlessRestApi', restApiId: api.id!, stage: 'Prod', shapeHash: '' }],
    };
  });
  after(async () => {
    clients.destroy();
    await emu.close();
  });

  for (const step of canarySteps) {
    it(`${step.id}: checks fail before the change and pass after it`, async () => {
      const mine: Record<string, FigureValue> = (figures[step.id] = {});
      const ctx = fakeContext({
        clients,
        endpoint: emu.endpoint,
        deployment: () => record,
        aws: (args: string) => `aws ${args} --endpoint-url ${emu.endpoint}`,
        figure: (key: string, value: FigureValue) => void (mine[key] = value),
        allFigures: () => figures,
      });
      const result = await solveStep(step, ctx, { pollMs: 50 });
      assert.equal(result.outcome, 'passed', `${result.instructorMessage ?? ''} ${JSON.stringify(result.after.filter((r) => r.status !== 'passed'))}`);
      assert.ok(result.preCheckFailedAsExpected);
      // every command the step prints names real ids once prepared
      const shown = await step.solve.show(ctx);
      assert.doesNotMatch(shown.command ?? '', /REST_API_ID|RESOURCE_ID|FUNCTION_ARN|VERSION\b/);
    });
  }

  it('keeps the figures the report needs: the share over 5,000 requests, the rollback and the promotion', () => {
    const share = figures['canary-create']!.canaryShare as number;
    console.log(`canary share ${share} % of ${String(figures['canary-create']!.requests)} requests`);
    console.log(JSON.stringify(figures));
    assert.equal(figures['canary-create']!.requests, 5000);
    assert.ok(Math.abs(share - 10) <= 2, `share ${share}`);
    assert.equal(figures['canary-rollback']!.canaryShare, 0);
    assert.equal(figures['canary-promote']!.canaryShare, 100);
    assert.equal(figures['canary-create']!.version, '2');
  });
});
