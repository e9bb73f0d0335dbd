/**
 * Fixtures shared by the codec tests: the captured SDK/CLI requests (wire doc, captures/*.jsonl)
 * as WireRequests, and small fake services with the real services' wire names and routes.
 */
import { readFileSync } from 'node:fs';
import { ServiceError } from '../../../src/emulator/core/service-error.js';
import type { Operation, ServiceDefinition } from '../../../src/emulator/core/service.js';
import type { WireRequest } from '../../../src/emulator/protocols/types.js';

export const CAPTURES_DIR = process.env.SOL_WIRE_CAPTURES ?? '/work/shared/wire/captures';

export interface Capture {
  file: string;
  method: string;
  url: string;
  rawHeaders: string[];
  classified: { proto: 'json' | 'rpcv2cbor' | 'rest'; scope?: { service: string }; service?: string; op?: string; jsonVersion?: string };
  body?: string;
  bodyHex?: string;
}

export function loadCaptures(): Capture[] {
  const out: Capture[] = [];
  for (const file of ['capture-ok.jsonl', 'capture-cli.jsonl']) {
    const text = readFileSync(`${CAPTURES_DIR}/${file}`, 'utf8');
    for (const line of text.split('\n')) if (line.trim()) out.push({ file, ...(JSON.parse(line) as Omit<Capture, 'file'>) });
  }
  return out;
}

export function toWireRequest(c: Capture): WireRequest {
  const headers: Record<string, string> = {};
  for (let i = 0; i < c.rawHeaders.length; i += 2) headers[c.rawHeaders[i].toLowerCase()] = c.rawHeaders[i + 1];
  const url = new URL(c.url, 'http://127.0.0.1');
  const body = c.bodyHex !== undefined ? Buffer.from(c.bodyHex, 'hex') : Buffer.from(c.body ?? '', 'utf8');
  return { method: c.method, path: url.pathname, query: url.searchParams, headers, body };
}

const echo = (name: string, http?: Operation['http']): Operation => ({ name, http, handle: (input) => ({ echo: input }) });

export const lambdaFake: ServiceDefinition = {
  id: 'lambda',
  signingName: 'lambda',
  protocols: ['restJson1'],
  operations: [
    echo('CreateFunction', { method: 'POST', path: '/2015-03-31/functions', status: 201 }),
    echo('GetFunction', { method: 'GET', path: '/2015-03-31/functions/{FunctionName}', query: { Qualifier: 'Qualifier' } }),
    echo('GetFunctionConfiguration', { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/configuration', query: { Qualifier: 'Qualifier' } }),
    echo('UpdateFunctionCode', { method: 'PUT', path: '/2015-03-31/functions/{FunctionName}/code' }),
    echo('PublishVersion', { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/versions', status: 201 }),
    echo('ListVersionsByFunction', { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/versions', query: { Marker: 'Marker', MaxItems: 'MaxItems' } }),
    echo('CreateAlias', { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/aliases', status: 201 }),
    echo('GetAlias', { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}' }),
    echo('UpdateAlias', { method: 'PUT', path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}' }),
    echo('Invoke', {
      method: 'POST',
      path: '/2015-03-31/functions/{FunctionName}/invocations',
      query: { Qualifier: 'Qualifier' },
      headers: { 'x-amz-invocation-type': 'InvocationType', 'x-amz-log-type': 'LogType', 'x-amz-client-context': 'ClientContext' },
      payload: 'Payload',
    }),
    echo('PutFunctionConcurrency', { method: 'PUT', path: '/2017-10-31/functions/{FunctionName}/concurrency' }),
    echo('GetFunctionConcurrency', { method: 'GET', path: '/2019-09-30/functions/{FunctionName}/concurrency' }),
    echo('DeleteFunctionConcurrency', { method: 'DELETE', path: '/2017-10-31/functions/{FunctionName}/concurrency', status: 204 }),
    echo('GetAccountSettings', { method: 'GET', path: '/2016-08-19/account-settings' }),
  ],
};

export const apigatewayFake: ServiceDefinition = {
  id: 'apigateway',
  signingName: 'apigateway',
  protocols: ['restJson1'],
  operations: [
    echo('GetRestApis', { method: 'GET', path: '/restapis', query: { position: 'position', limit: 'limit' } }),
    echo('GetStage', { method: 'GET', path: '/restapis/{restApiId}/stages/{stageName}' }),
    echo('UpdateStage', { method: 'PATCH', path: '/restapis/{restApiId}/stages/{stageName}' }),
    echo('CreateDeployment', { method: 'POST', path: '/restapis/{restApiId}/deployments', status: 201 }),
  ],
};

/** CloudWatch shape → awsQueryError code and status (wire doc 3.3) */
export const cloudwatchFake: ServiceDefinition = {
  id: 'cloudwatch',
  signingName: 'monitoring',
  protocols: ['awsJson1_0', 'rpcv2Cbor', 'awsQuery'],
  targetPrefix: 'GraniteServiceVersion20100801',
  namespace: 'cloudwatch',
  queryCompatible: {
    ResourceNotFound: { code: 'ResourceNotFound', status: 404 },
    InvalidParameterValueException: { code: 'InvalidParameterValue', status: 400 },
    InternalServiceFault: { code: 'InternalServiceError', status: 500 },
  },
  operations: [
    echo('DescribeAlarms'),
    echo('PutMetricData'),
    echo('PutMetricAlarm'),
    echo('GetMetricStatistics'),
    {
      name: 'SetAlarmState',
      handle: (input: { AlarmName: string; StateValue: string }) => {
        if (input.AlarmName === 'nope') throw new ServiceError('ResourceNotFound', `Alarm ${input.AlarmName} does not exist`, 404);
        if (!['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(input.StateValue)) {
          throw new ServiceError('InvalidParameterValueException', `Invalid state value ${input.StateValue}`, 400);
        }
        return {};
      },
    },
  ],
};

export const codedeployFake: ServiceDefinition = {
  id: 'codedeploy',
  signingName: 'codedeploy',
  protocols: ['awsJson1_1'],
  targetPrefix: 'CodeDeploy_20141006',
  operations: [echo('GetDeployment'), echo('CreateDeployment'), echo('PutLifecycleEventHookExecutionStatus'), echo('ListDeployments')],
};

export const rekognitionFake: ServiceDefinition = {
  id: 'rekognition',
  signingName: 'rekognition',
  protocols: ['awsJson1_1'],
  targetPrefix: 'RekognitionService',
  operations: [echo('DetectLabels')],
};

export const s3Fake: ServiceDefinition = {
  id: 's3',
  signingName: 's3',
  protocols: ['restXml'],
  operations: [],
};

export const allFakes = [lambdaFake, apigatewayFake, cloudwatchFake, codedeployFake, rekognitionFake, s3Fake];
