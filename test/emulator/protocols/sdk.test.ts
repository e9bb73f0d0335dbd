/**
 * The codecs and the server as the real SDK clients see them: fake services behind a test
 * emulator, assertions on what the client parsed (STYLE 8).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, GetDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, GetFunctionConcurrencyCommand, InvokeCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { ServiceError } from '../../../src/emulator/core/service-error.js';
import type { ServiceDefinition } from '../../../src/emulator/core/service.js';
import { dateFrom } from '../../../src/emulator/protocols/json-values.js';
import type { RequestLogEntry } from '../../../src/emulator/server.js';
import { clientConfig, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { cloudwatchFake } from './fixtures.js';

const seen: Record<string, unknown> = {};

const codedeploy: ServiceDefinition = {
  id: 'codedeploy',
  signingName: 'codedeploy',
  protocols: ['awsJson1_1'],
  targetPrefix: 'CodeDeploy_20141006',
  operations: [
    {
      name: 'GetDeployment',
      handle: (input: { deploymentId: string }) => {
        if (input.deploymentId === 'd-X') throw new ServiceError('DeploymentDoesNotExistException', 'The deployment d-X could not be found');
        if (input.deploymentId === 'd-BUG') throw new TypeError('a bug in a handler');
        return { deploymentInfo: { deploymentId: input.deploymentId, status: 'InProgress', createTime: new Date(1700000000123) } };
      },
    },
    {
      name: 'ListDeployments',
      handle: (input: { createTimeRange?: { start?: number } }) => {
        seen.listStart = dateFrom(input.createTimeRange?.start);
        return { deployments: ['d-1'] };
      },
    },
  ],
};

const cloudwatch: ServiceDefinition = {
  ...cloudwatchFake,
  operations: [
    ...cloudwatchFake.operations.filter((o) => o.name === 'SetAlarmState'),
    { name: 'DescribeAlarms', handle: () => ({ MetricAlarms: [{ AlarmName: 'a', StateValue: 'OK', StateUpdatedTimestamp: new Date(1700000000500) }], CompositeAlarms: [] }) },
    {
      name: 'PutMetricData',
      handle: (input: { MetricData: unknown[] }) => {
        seen.metricCount = input.MetricData.length;
        return {};
      },
    },
  ],
};

const lambda: ServiceDefinition = {
  id: 'lambda',
  signingName: 'lambda',
  protocols: ['restJson1'],
  operations: [
    {
      name: 'GetFunctionConcurrency',
      http: { method: 'GET', path: '/2019-09-30/functions/{FunctionName}/concurrency' },
      handle: (input: { FunctionName: string }) => {
        if (input.FunctionName === 'missing') {
          throw new ServiceError('ResourceNotFoundException', `Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing`, 404, { Type: 'User' });
        }
        return { ReservedConcurrentExecutions: 25 };
      },
    },
    {
      name: 'PutFunctionConcurrency',
      http: { method: 'PUT', path: '/2017-10-31/functions/{FunctionName}/concurrency' },
      handle: (input: { ReservedConcurrentExecutions: number }) => ({ ReservedConcurrentExecutions: input.ReservedConcurrentExecutions }),
    },
    {
      name: 'GetAlias',
      http: { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}' },
      handle: (input: { FunctionName: string; Name: string }) => ({ Name: input.Name, FunctionVersion: '1', AliasArn: `arn:aws:lambda:us-east-1:000000000000:function:${input.FunctionName}:${input.Name}` }),
    },
    {
      name: 'Invoke',
      http: {
        method: 'POST',
        path: '/2015-03-31/functions/{FunctionName}/invocations',
        query: { Qualifier: 'Qualifier' },
        headers: { 'x-amz-invocation-type': 'InvocationType' },
        payload: 'Payload',
        responseStatus: 'StatusCode',
        responseHeaders: { ExecutedVersion: 'X-Amz-Executed-Version', FunctionError: 'X-Amz-Function-Error' },
        responsePayload: 'Payload',
      },
      handle: (input: { FunctionName: string; Qualifier?: string; InvocationType?: string; Payload: Buffer }) => {
        if (input.FunctionName === 'throttled') {
          // https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors
          throw new ServiceError('TooManyRequestsException', 'Rate Exceeded.', 429, { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User' }, { 'Retry-After': '1' });
        }
        if (input.InvocationType === 'Event') return { StatusCode: 202 };
        if (input.FunctionName === 'fails') {
          return { StatusCode: 200, ExecutedVersion: '2', FunctionError: 'Unhandled', Payload: Buffer.from('{"errorType":"Error","errorMessage":"boom"}') };
        }
        return { StatusCode: 200, ExecutedVersion: input.Qualifier === 'live' ? '1' : '$LATEST', Payload: Buffer.concat([Buffer.from('echo:'), input.Payload]) };
      },
    },
  ],
};

let emu: TestEmulator;
const log: RequestLogEntry[] = [];
const errors: unknown[] = [];
before(async () => {
  emu = await startTestEmulator({ services: [codedeploy, cloudwatch, lambda], onRequest: (e) => log.push(e) });
});
after(async () => {
  await emu?.close();
});

test('awsJson1_1: a result with a Date comes back as a Date', async () => {
  const client = new CodeDeployClient(clientConfig(emu.endpoint));
  const out = await client.send(new GetDeploymentCommand({ deploymentId: 'd-1' }));
  assert.equal(out.deploymentInfo?.status, 'InProgress');
  assert.deepEqual(out.deploymentInfo?.createTime, new Date(1700000000123));
  assert.match(out.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  await client.send(new ListDeploymentsCommand({ createTimeRange: { start: new Date(1700000000500) } }));
  assert.deepEqual(seen.listStart, new Date(1700000000500));
});

test('awsJson1_1: a ServiceError is the modelled exception class', async () => {
  const client = new CodeDeployClient(clientConfig(emu.endpoint));
  await assert.rejects(client.send(new GetDeploymentCommand({ deploymentId: 'd-X' })), (err: any) => {
    assert.equal(err.name, 'DeploymentDoesNotExistException');
    assert.equal(err.message, 'The deployment d-X could not be found');
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.$fault, 'client');
    return true;
  });
});

test('an unexpected exception is a 500 InternalFailure and the server keeps serving', async () => {
  const client = new CodeDeployClient(clientConfig(emu.endpoint));
  const originalWrite = process.stderr.write;
  process.stderr.write = ((chunk: string) => (errors.push(chunk), true)) as typeof process.stderr.write;
  try {
    await assert.rejects(client.send(new GetDeploymentCommand({ deploymentId: 'd-BUG' })), (err: any) => {
      assert.equal(err.name, 'InternalFailure');
      assert.equal(err.$metadata.httpStatusCode, 500);
      return true;
    });
  } finally {
    process.stderr.write = originalWrite;
  }
  assert.match(String(errors[0]), /a bug in a handler/);
  const again = await client.send(new GetDeploymentCommand({ deploymentId: 'd-2' }));
  assert.equal(again.deploymentInfo?.deploymentId, 'd-2');
});

test('awsJson1_0 query-compatible: ResourceNotFound with its query code', async () => {
  const client = new CloudWatchClient(clientConfig(emu.endpoint));
  await assert.rejects(client.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'r' })), (err: any) => {
    assert.equal(err.name, 'ResourceNotFound');
    assert.equal(err.message, 'Alarm nope does not exist');
    assert.equal(err.$metadata.httpStatusCode, 404);
    assert.equal(err.Code, 'ResourceNotFound');
    assert.equal(err.Type, 'Sender');
    return true;
  });
  await assert.rejects(client.send(new SetAlarmStateCommand({ AlarmName: 'a', StateValue: 'MAYBE' as 'OK', StateReason: 'r' })), (err: any) => {
    assert.equal(err.name, 'InvalidParameterValueException');
    assert.equal(err.Code, 'InvalidParameterValue');
    assert.equal(err.$metadata.httpStatusCode, 400);
    return true;
  });
});

test('awsJson1_0: timestamps as epoch numbers, and a gzipped PutMetricData body', async () => {
  const client = new CloudWatchClient(clientConfig(emu.endpoint));
  const out = await client.send(new DescribeAlarmsCommand({}));
  assert.deepEqual(out.MetricAlarms?.[0].StateUpdatedTimestamp, new Date(1700000000500));
  // over 10 KiB, the SDK gzips PutMetricData (wire doc 3.1)
  const MetricData = Array.from({ length: 200 }, (_, i) => ({
    MetricName: 'Errors',
    Dimensions: [{ Name: 'FunctionName', Value: `function-number-${i}` }],
    Timestamp: new Date(1700000000000 + i),
    Value: i,
    Unit: 'Count' as const,
  }));
  await client.send(new PutMetricDataCommand({ Namespace: 'App', MetricData }));
  assert.equal(seen.metricCount, 200);
});

test('restJson1: labels from ARNs, JSON body, the modelled error with its fields', async () => {
  const client = new LambdaClient(clientConfig(emu.endpoint));
  const got = await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:fn' }));
  assert.equal(got.ReservedConcurrentExecutions, 25);
  const put = await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn', ReservedConcurrentExecutions: 7 }));
  assert.equal(put.ReservedConcurrentExecutions, 7);
  const alias = await client.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
  assert.equal(alias.AliasArn, 'arn:aws:lambda:us-east-1:000000000000:function:fn:live');
  await assert.rejects(client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'missing' })), (err: any) => {
    assert.equal(err.name, 'ResourceNotFoundException');
    assert.match(err.message, /Function not found/);
    assert.equal(err.Type, 'User');
    assert.equal(err.$metadata.httpStatusCode, 404);
    return true;
  });
});

test('restJson1 Invoke: raw payload in and out, status and headers from the output', async () => {
  const client = new LambdaClient(clientConfig(emu.endpoint));
  const ok = await client.send(new InvokeCommand({ FunctionName: 'fn', Qualifier: 'live', Payload: Buffer.from('{"a":1}') }));
  assert.equal(ok.StatusCode, 200);
  assert.equal(ok.ExecutedVersion, '1');
  assert.equal(Buffer.from(ok.Payload!).toString(), 'echo:{"a":1}');
  const failed = await client.send(new InvokeCommand({ FunctionName: 'fails' }));
  assert.equal(failed.FunctionError, 'Unhandled');
  assert.equal(failed.ExecutedVersion, '2');
  assert.equal(JSON.parse(Buffer.from(failed.Payload!).toString()).errorMessage, 'boom');
  const event = await client.send(new InvokeCommand({ FunctionName: 'fn', InvocationType: 'Event' }));
  assert.equal(event.StatusCode, 202);
});

test('restJson1: a throttle is TooManyRequestsException with Reason, Type and Retry-After', async () => {
  const client = new LambdaClient(clientConfig(emu.endpoint));
  await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'throttled' })), (err: any) => {
    assert.equal(err.name, 'TooManyRequestsException');
    assert.equal(err.message, 'Rate Exceeded.');
    assert.equal(err.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    assert.equal(err.Type, 'User');
    assert.equal(err.retryAfterSeconds, '1');
    assert.equal(err.$metadata.httpStatusCode, 429);
    assert.equal(err.$metadata.attempts, 1);
    return true;
  });
});

test('an unknown path is a 404 UnknownOperationException the SDK can read', async () => {
  const res = await fetch(`${emu.endpoint}/2015-03-31/nothing-here`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x' } });
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  assert.ok(res.headers.get('x-amzn-requestid'));
  assert.match(((await res.json()) as any).message, /No operation matches GET \/2015-03-31\/nothing-here/);
});

test('an unknown X-Amz-Target is UnknownOperationException with __type', async () => {
  const res = await fetch(`${emu.endpoint}/`, {
    method: 'POST',
    headers: { 'x-amz-target': 'CodeDeploy_20141006.NoSuchThing', 'content-type': 'application/x-amz-json-1.1' },
    body: '{}',
  });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.1');
  const body = (await res.json()) as any;
  assert.equal(body.__type, 'com.amazon.coral.service#UnknownOperationException');
  assert.match(body.message, /NoSuchThing/);
});

test('malformed JSON is a 400 SerializationException', async () => {
  const json = await fetch(`${emu.endpoint}/`, {
    method: 'POST',
    headers: { 'x-amz-target': 'CodeDeploy_20141006.GetDeployment', 'content-type': 'application/x-amz-json-1.1' },
    body: '{"deploymentId":',
  });
  assert.equal(json.status, 400);
  assert.equal(((await json.json()) as any).__type, 'SerializationException');
  const rest = await fetch(`${emu.endpoint}/2017-10-31/functions/fn/concurrency`, { method: 'PUT', body: '[1,' });
  assert.equal(rest.status, 400);
  assert.equal(rest.headers.get('x-amzn-errortype'), 'SerializationException');
});

test('health names the services; every answer has a request id; the request log saw each call', async () => {
  const res = await fetch(`${emu.endpoint}/_lab/health`);
  assert.equal(res.status, 200);
  assert.ok(res.headers.get('x-amzn-requestid'));
  const health = (await res.json()) as any;
  assert.deepEqual(health.services, ['codedeploy', 'cloudwatch', 'lambda']);
  assert.equal(health.status, 'ok');
  assert.equal(typeof health.version, 'string');
  const invoke = log.find((e) => e.operation === 'Invoke' && e.status === 429);
  assert.equal(invoke?.service, 'lambda');
  assert.ok(log.every((e) => e.ms >= 0 && e.requestId.length === 36));
});

test('a gzip request body is gunzipped before the codec sees it', async () => {
  const { gzipSync } = await import('node:zlib');
  const res = await fetch(`${emu.endpoint}/`, {
    method: 'POST',
    headers: { 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData', 'content-type': 'application/x-amz-json-1.0', 'content-encoding': 'gzip' },
    body: gzipSync(JSON.stringify({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1 }] })),
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.0');
  assert.equal(seen.metricCount, 1);
});

test('an awsQuery call for a service the emulator does not serve: the error in awsQuery\'s XML, which the client parses', async () => {
  // CloudFormation speaks awsQuery (a form POST with Action=): before, the answer was JSON, and the
  // aws CLI exited 255 with "Unable to parse response (not well-formed ...)"
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient(clientConfig(emu.endpoint));
  await assert.rejects(client.send(new DescribeStacksCommand({ StackName: 'X' })), (err: any) => {
    assert.equal(err.name, 'UnknownOperationException');
    assert.equal(err.message, "The emulator does not serve the 'cloudformation' service.");
    assert.equal(err.$metadata.httpStatusCode, 404);
    return true;
  });
  // as the aws CLI sends it (sts get-caller-identity, had the cloud no STS): the same XML shape
  const res = await fetch(emu.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: 'Action=ListUsers&Version=2010-05-08',
  });
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('content-type'), 'text/xml');
  assert.match(
    await res.text(),
    /^<ErrorResponse><Error><Type>Sender<\/Type><Code>UnknownOperationException<\/Code><Message>The emulator does not serve the &apos;iam&apos; service.<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
  );
});

test('a service the emulator does not serve: UnknownOperationException, never another service answering', async () => {
  const { RekognitionClient, DetectLabelsCommand } = await import('@aws-sdk/client-rekognition');
  const client = new RekognitionClient(clientConfig(emu.endpoint));
  await assert.rejects(client.send(new DetectLabelsCommand({ Image: { Bytes: Buffer.from('x') } })), (err: any) => {
    assert.equal(err.name, 'UnknownOperationException');
    assert.match(err.message, /does not serve the 'rekognition' service/);
    assert.equal(err.$metadata.httpStatusCode, 404);
    return true;
  });
});
