/**
 * The canary lesson's functions against the embedded cloud through the SDK: a function whose
 * answer names the version that served it, an API calling its `live` alias, then the lesson:
 * stage variable, new version, a 10 % canary measured over 5,000 requests, rollback, promotion.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { CreateAliasCommand, CreateFunctionCommand, GetAliasCommand, GetPolicyCommand, LambdaClient, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway';
import { frontDoorUrl } from '../../src/emulator/front-door-url.js';
import type { DeployRecord } from '../../src/targets/deploy-record.js';
import {
  CANARY_PERCENT,
  findTarget,
  measure,
  promote,
  publishNewVersion,
  reachThroughStageVariable,
  rollBack,
  sameStage,
  SPLIT_REQUESTS,
  stage,
  startCanary,
  TOLERANCE_POINTS,
  usesStageVariable,
  type CanaryTarget,
} from '../../src/steps/canary/lesson.js';
import { clientConfig, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

// Answers as the bundled app does: a refused request at once, naming the Lambda version.
const source = (appVersion: number) => `exports.handler = async (event, context) => ({
  statusCode: event.body === '{}' ? 400 : 200,
  headers: { 'Content-Type': 'application/json', 'X-App-Version': '${appVersion}', 'X-Function-Version': context.functionVersion },
  body: JSON.stringify({ ServedBy: { AppVersion: ${appVersion}, FunctionVersion: context.functionVersion } }),
});`;

describe('the canary lesson on the embedded cloud', () => {
  let emu: TestEmulator;
  let lambda: LambdaClient;
  let apigw: APIGatewayClient;
  let codeDir: string;
  let t: CanaryTarget;
  let newVersion: string;

  before(async () => {
    emu = await startTestEmulator();
    lambda = new LambdaClient(clientConfig(emu.endpoint));
    apigw = new APIGatewayClient(clientConfig(emu.endpoint));
    codeDir = mkdtempSync(join(tmpdir(), 'sol-canary-'));
    writeFileSync(join(codeDir, 'index.js'), source(3));

    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'app',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::000000000000:role/lambda-role',
        Handler: 'index.handler',
        Code: { ZipFile: Buffer.from(zipSync({ 'index.js': strToU8(source(2)) })) },
      }),
    );
    const v = await lambda.send(new PublishVersionCommand({ FunctionName: 'app' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'app', Name: 'live', FunctionVersion: v.Version }));
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
    const record: DeployRecord = {
      schema: 1,
      target: 'local',
      endpoint: emu.endpoint,
      region: 'us-east-1',
      stackName: 'lab',
      deployedAt: new Date().toISOString(),
      outputs: { ApiUrl: frontDoorUrl(emu.endpoint, api.id!, 'Prod', '/getinfo') },
      physicalIds: {},
      functions: [{ logicalId: 'GetInfoFunction', name: 'app', arn: fn.FunctionArn!, codeSha256: '', version: v.Version, alias: 'live' }],
      apis: [{ logicalId: 'ServerlessRestApi', restApiId: api.id!, stage: 'Prod', shapeHash: '' }],
    };
    t = await findTarget(apigw, record);
  });
  after(async () => {
    lambda.destroy();
    apigw.destroy();
    rmSync(codeDir, { recursive: true, force: true });
    await emu.close();
  });

  it('calls the function through a stage variable set to live, and every request still reaches live', async () => {
    assert.equal(await usesStageVariable(apigw, t), false);
    await reachThroughStageVariable({ apiGateway: apigw, lambda }, t);
    assert.equal(await usesStageVariable(apigw, t), true);
    const s = await stage({ apiGateway: apigw, lambda }, t);
    assert.deepEqual(s.variables, { lambdaAlias: 'live' });
    const m = await measure(t, '1', 50);
    assert.deepEqual(m.split.byVersion, { '1': 50 });
  });

  it(`puts ${CANARY_PERCENT} % on a new version: ${SPLIT_REQUESTS} requests measure it within ${TOLERANCE_POINTS} points; live does not move`, async () => {
    newVersion = await publishNewVersion({ apiGateway: apigw, lambda }, t, codeDir);
    assert.equal(newVersion, '2');
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'app', Name: 'live' }));
    assert.equal(alias.FunctionVersion, '1');
    // API Gateway may call the new version: a permission on that qualifier, for this route
    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'app', Qualifier: newVersion }))).Policy!);
    assert.deepEqual(policy.Statement[0].Principal, { Service: 'apigateway.amazonaws.com' });
    assert.equal(policy.Statement[0].Resource, 'arn:aws:lambda:us-east-1:000000000000:function:app:2');
    assert.match(policy.Statement[0].Condition.ArnLike['AWS:SourceArn'], /^arn:aws:execute-api:us-east-1:000000000000:[a-z0-9]+\/\*\/POST\/getinfo$/);
    // a second run keeps the grant
    assert.equal(await publishNewVersion({ apiGateway: apigw, lambda }, t, codeDir), newVersion);

    await startCanary({ apiGateway: apigw, lambda }, t, newVersion);
    const m = await measure(t, newVersion, SPLIT_REQUESTS);
    assert.equal(m.split.sent, SPLIT_REQUESTS);
    assert.equal(m.split.errors, 0);
    assert.deepEqual(Object.keys(m.split.byVersion).sort(), ['1', '2']);
    console.log(`canary share: ${m.share.toFixed(2)} % of ${SPLIT_REQUESTS} requests (setting ${CANARY_PERCENT} %)`);
    assert.ok(Math.abs(m.share - CANARY_PERCENT) <= TOLERANCE_POINTS, `share ${m.share} %`);
  });

  it('rollback: canary settings gone, 0 % on the canary, the stage deployment and variables unchanged', async () => {
    const c = { apiGateway: apigw, lambda };
    await rollBack(c, t);
    const beforeCanary = await stage(c, t);
    await startCanary(c, t, newVersion);
    const after = await rollBack(c, t);
    assert.equal(after.canary, undefined);
    assert.ok(sameStage(beforeCanary, after));
    const m = await measure(t, newVersion, 300);
    assert.equal(m.share, 0);
  });

  it('promotion: the canary deployment and its variables become the stage, canary settings gone, 100 % on the new version', async () => {
    const c = { apiGateway: apigw, lambda };
    const canaryDeployment = await startCanary(c, t, newVersion);
    const after = await promote(c, t);
    assert.equal(after.canary, undefined);
    assert.equal(after.deploymentId, canaryDeployment);
    assert.deepEqual(after.variables, { lambdaAlias: newVersion });
    const m = await measure(t, newVersion, 300);
    assert.equal(m.share, 100);
  });
});
