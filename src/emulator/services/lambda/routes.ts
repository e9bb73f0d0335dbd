import { operationsOf, type HttpBinding, type Operation } from '../../core/service.js';
import type { LambdaBackend } from './backend.js';
import { lambdaHandlers } from './handlers.js';

/**
 * Wire operation → restJson1 HTTP binding (botocore / SDK model, API 2015-03-31; wire doc 6.3).
 * Note the four date prefixes: 2015-03-31, 2017-10-31, 2019-09-30, 2016-08-19.
 */
const fn = '/2015-03-31/functions/{FunctionName}';
const qualifier = { Qualifier: 'Qualifier' };
const paging = { Marker: 'Marker', MaxItems: 'MaxItems' };

export const LAMBDA_ROUTES = {
  CreateFunction: { method: 'POST', path: '/2015-03-31/functions', status: 201 },
  GetFunction: { method: 'GET', path: fn, query: qualifier },
  GetFunctionConfiguration: { method: 'GET', path: `${fn}/configuration`, query: qualifier },
  UpdateFunctionCode: { method: 'PUT', path: `${fn}/code` },
  UpdateFunctionConfiguration: { method: 'PUT', path: `${fn}/configuration` },
  DeleteFunction: { method: 'DELETE', path: fn, query: qualifier, status: 204 },
  ListFunctions: {
    method: 'GET',
    path: '/2015-03-31/functions',
    query: { ...paging, FunctionVersion: 'FunctionVersion', MasterRegion: 'MasterRegion' },
  },
  PublishVersion: { method: 'POST', path: `${fn}/versions`, status: 201 },
  ListVersionsByFunction: { method: 'GET', path: `${fn}/versions`, query: paging },
  CreateAlias: { method: 'POST', path: `${fn}/aliases`, status: 201 },
  GetAlias: { method: 'GET', path: `${fn}/aliases/{Name}` },
  UpdateAlias: { method: 'PUT', path: `${fn}/aliases/{Name}` },
  DeleteAlias: { method: 'DELETE', path: `${fn}/aliases/{Name}`, status: 204 },
  ListAliases: { method: 'GET', path: `${fn}/aliases`, query: { ...paging, FunctionVersion: 'FunctionVersion' } },
  AddPermission: { method: 'POST', path: `${fn}/policy`, query: qualifier, status: 201 },
  GetPolicy: { method: 'GET', path: `${fn}/policy`, query: qualifier },
  RemovePermission: { method: 'DELETE', path: `${fn}/policy/{StatementId}`, query: { ...qualifier, RevisionId: 'RevisionId' }, status: 204 },
  // https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
  Invoke: {
    method: 'POST',
    path: `${fn}/invocations`,
    query: qualifier,
    headers: {
      'x-amz-invocation-type': 'InvocationType',
      'x-amz-log-type': 'LogType',
      'x-amz-client-context': 'ClientContext',
    },
    payload: 'Payload',
    responseStatus: 'StatusCode',
    responsePayload: 'Payload',
    responseHeaders: {
      FunctionError: 'X-Amz-Function-Error',
      LogResult: 'X-Amz-Log-Result',
      ExecutedVersion: 'X-Amz-Executed-Version',
    },
  },
  PutFunctionConcurrency: { method: 'PUT', path: '/2017-10-31/functions/{FunctionName}/concurrency' },
  GetFunctionConcurrency: { method: 'GET', path: '/2019-09-30/functions/{FunctionName}/concurrency' },
  DeleteFunctionConcurrency: { method: 'DELETE', path: '/2017-10-31/functions/{FunctionName}/concurrency', status: 204 },
  GetAccountSettings: { method: 'GET', path: '/2016-08-19/account-settings' },
} as const satisfies Record<string, HttpBinding>;

/** the operations Lambda serves; lambdaHandlers must have one handler for each */
export type LambdaOperationName = keyof typeof LAMBDA_ROUTES;

export function lambdaOperations(backend: LambdaBackend): Operation[] {
  return operationsOf<LambdaOperationName>(lambdaHandlers(backend), LAMBDA_ROUTES);
}
