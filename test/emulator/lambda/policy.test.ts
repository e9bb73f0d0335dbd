/**
 * AddPermission / GetPolicy / RemovePermission through the SDK, against the answers AWS recorded
 * (LocalStack's AWS-validated snapshots, tests/aws/services/lambda_/test_lambda_api).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import { AddPermissionCommand, CreateAliasCommand, CreateFunctionCommand, GetPolicyCommand, LambdaClient, PublishVersionCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { clientConfig, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

async function rejects(p: Promise<unknown>, name: string, message: string, status: number): Promise<void> {
  await assert.rejects(p, (err: any) => {
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    assert.equal(err.message, message);
    assert.equal(err.$metadata?.httpStatusCode, status);
    return true;
  });
}

describe('Lambda resource-based policies', () => {
  let emu: TestEmulator;
  let lambda: LambdaClient;
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:fn';

  before(async () => {
    emu = await startTestEmulator();
    lambda = new LambdaClient(clientConfig(emu.endpoint));
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'fn',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::000000000000:role/r',
        Handler: 'index.handler',
        Code: { ZipFile: Buffer.from(zipSync({ 'index.js': strToU8('exports.handler = async () => 1;') })) },
      }),
    );
    await lambda.send(new PublishVersionCommand({ FunctionName: 'fn' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' }));
  });
  after(async () => {
    lambda.destroy();
    await emu.close();
  });

  it('adds a statement per qualifier (201, a JSON string), answers the policy, removes it (204)', async () => {
    const sourceArn = 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/POST/getinfo';
    const added = await lambda.send(
      new AddPermissionCommand({ FunctionName: 'fn', Qualifier: '1', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: sourceArn }),
    );
    assert.equal(added.$metadata.httpStatusCode, 201);
    assert.deepEqual(JSON.parse(added.Statement!), {
      Sid: 'apigw',
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: `${arn}:1`,
      Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
    });
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: 'fn', Qualifier: '1' }));
    assert.deepEqual(JSON.parse(policy.Policy!).Statement.map((s: { Sid: string }) => s.Sid), ['apigw']);
    assert.equal(JSON.parse(policy.Policy!).Id, 'default');
    // a grant on version 1 is not one on the function or on the alias
    await rejects(lambda.send(new GetPolicyCommand({ FunctionName: 'fn' })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404);
    await rejects(lambda.send(new GetPolicyCommand({ FunctionName: 'fn', Qualifier: 'live' })), 'ResourceNotFoundException', 'The resource you requested does not exist.', 404);

    await rejects(
      lambda.send(new AddPermissionCommand({ FunctionName: 'fn', Qualifier: '1', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' })),
      'ResourceConflictException',
      'The statement id (apigw) provided already exists. Please provide a new statement id, or remove the existing statement.',
      409,
    );
    await rejects(lambda.send(new RemovePermissionCommand({ FunctionName: 'fn', Qualifier: '1', StatementId: 'nope' })), 'ResourceNotFoundException', 'Statement nope is not found in resource policy.', 404);
    const removed = await lambda.send(new RemovePermissionCommand({ FunctionName: 'fn', Qualifier: '1', StatementId: 'apigw' }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    await rejects(lambda.send(new RemovePermissionCommand({ FunctionName: 'fn', Qualifier: '1', StatementId: 'apigw' })), 'ResourceNotFoundException', 'No policy is associated with the given resource.', 404);
  });

  it('refuses what AWS refuses: $LATEST, a missing version, alias or function, a bad statement id or principal', async () => {
    const base = { Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' };
    await rejects(lambda.send(new AddPermissionCommand({ ...base, FunctionName: 'fn', Qualifier: '$LATEST', StatementId: 's' })), 'InvalidParameterValueException', 'We currently do not support adding policies for $LATEST.', 400);
    await rejects(lambda.send(new AddPermissionCommand({ ...base, FunctionName: 'fn', Qualifier: '42', StatementId: 's' })), 'ResourceNotFoundException', `Function not found: ${arn}:42`, 404);
    await rejects(lambda.send(new AddPermissionCommand({ ...base, FunctionName: 'fn', Qualifier: 'nope', StatementId: 's' })), 'ResourceNotFoundException', `Cannot find alias arn: ${arn}:nope`, 404);
    await rejects(
      lambda.send(new AddPermissionCommand({ ...base, FunctionName: 'doesnotexist', StatementId: 's' })),
      'ResourceNotFoundException',
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:doesnotexist',
      404,
    );
    await rejects(
      lambda.send(new AddPermissionCommand({ ...base, FunctionName: 'fn', StatementId: 'example.com' })),
      'ValidationException',
      "1 validation error detected: Value 'example.com' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)",
      400,
    );
    await rejects(
      lambda.send(new AddPermissionCommand({ ...base, FunctionName: 'fn', StatementId: 's', Principal: 'not a principal' })),
      'InvalidParameterValueException',
      'The provided principal was invalid. Please check the principal and try again.',
      400,
    );
    await rejects(
      lambda.send(new RemovePermissionCommand({ FunctionName: 'doesnotexist', StatementId: 's' })),
      'ResourceNotFoundException',
      'No policy found for: arn:aws:lambda:us-east-1:000000000000:function:doesnotexist',
      404,
    );
  });
});
