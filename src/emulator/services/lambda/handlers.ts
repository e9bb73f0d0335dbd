import type { CallContext } from '../../core/service.js';
import type { LambdaBackend } from './backend.js';
import type { LambdaOperationName } from './routes.js';
import type { ConfigurationInput, FunctionCodeInput } from './functions.js';
import { blob, bool, int, label, numMap, obj, str, strList, strMap } from './input.js';

/**
 * One handler per operation: read the wire input, call the backend, return a plain object.
 * Keys are AWS's operation names; routes.ts pairs them with their HTTP bindings.
 */
type In = Record<string, unknown>;
type Handler = (input: In, ctx: CallContext) => unknown;

function configuration(input: In): ConfigurationInput {
  const env = obj(input, 'Environment');
  return {
    Role: str(input, 'Role'),
    Runtime: str(input, 'Runtime'),
    Handler: str(input, 'Handler'),
    Description: str(input, 'Description'),
    Timeout: int(input, 'Timeout'),
    MemorySize: int(input, 'MemorySize'),
    Environment: env ? { Variables: strMap(env, 'Variables') } : undefined,
  };
}

function code(input: In): FunctionCodeInput {
  return {
    ZipFile: blob(input, 'ZipFile'),
    S3Bucket: str(input, 'S3Bucket'),
    S3Key: str(input, 'S3Key'),
    S3ObjectVersion: str(input, 'S3ObjectVersion'),
    ImageUri: str(input, 'ImageUri'),
  };
}

function routing(input: In) {
  const config = obj(input, 'RoutingConfig');
  return config ? { AdditionalVersionWeights: numMap(config, 'AdditionalVersionWeights') } : undefined;
}

export function lambdaHandlers(backend: LambdaBackend): Record<LambdaOperationName, Handler> {
  return {
    CreateFunction: (input) => {
      const codeInput = obj(input, 'Code');
      return backend.createFunction({
        FunctionName: str(input, 'FunctionName') ?? '',
        ...configuration(input),
        Code: codeInput ? code(codeInput) : undefined,
        Publish: bool(input, 'Publish'),
        PackageType: str(input, 'PackageType'),
        Architectures: strList(input, 'Architectures'),
        Tags: strMap(input, 'Tags'),
      });
    },
    GetFunction: (input, ctx) => backend.getFunction(label(input, 'FunctionName'), str(input, 'Qualifier'), ctx.endpoint),
    GetFunctionConfiguration: (input) => backend.getFunctionConfiguration(label(input, 'FunctionName'), str(input, 'Qualifier')),
    UpdateFunctionCode: (input) =>
      backend.updateFunctionCode({
        FunctionName: label(input, 'FunctionName'),
        ...code(input),
        Publish: bool(input, 'Publish'),
        DryRun: bool(input, 'DryRun'),
        RevisionId: str(input, 'RevisionId'),
        Architectures: strList(input, 'Architectures'),
      }),
    UpdateFunctionConfiguration: (input) =>
      backend.updateFunctionConfiguration({
        FunctionName: label(input, 'FunctionName'),
        ...configuration(input),
        RevisionId: str(input, 'RevisionId'),
      }),
    DeleteFunction: async (input) => {
      await backend.deleteFunction(label(input, 'FunctionName'), str(input, 'Qualifier'));
      return {};
    },
    ListFunctions: (input) => backend.listFunctions(str(input, 'Marker'), int(input, 'MaxItems'), str(input, 'FunctionVersion')),
    PublishVersion: (input) =>
      backend.publishVersion({
        FunctionName: label(input, 'FunctionName'),
        CodeSha256: str(input, 'CodeSha256'),
        Description: str(input, 'Description'),
        RevisionId: str(input, 'RevisionId'),
      }),
    ListVersionsByFunction: (input) =>
      backend.listVersionsByFunction(label(input, 'FunctionName'), str(input, 'Marker'), int(input, 'MaxItems')),

    CreateAlias: (input) =>
      backend.createAlias({
        FunctionName: label(input, 'FunctionName'),
        Name: str(input, 'Name') ?? '',
        FunctionVersion: str(input, 'FunctionVersion'),
        Description: str(input, 'Description'),
        RoutingConfig: routing(input),
      }),
    GetAlias: (input) => backend.getAlias(label(input, 'FunctionName'), label(input, 'Name')),
    UpdateAlias: (input) =>
      backend.updateAlias({
        FunctionName: label(input, 'FunctionName'),
        Name: label(input, 'Name'),
        FunctionVersion: str(input, 'FunctionVersion'),
        Description: str(input, 'Description'),
        RoutingConfig: routing(input),
        RevisionId: str(input, 'RevisionId'),
      }),
    AddPermission: (input) =>
      backend.addPermission({
        FunctionName: label(input, 'FunctionName'),
        Qualifier: str(input, 'Qualifier'),
        StatementId: str(input, 'StatementId'),
        Action: str(input, 'Action'),
        Principal: str(input, 'Principal'),
        SourceArn: str(input, 'SourceArn'),
        SourceAccount: str(input, 'SourceAccount'),
      }),
    GetPolicy: (input) => backend.getPolicy(label(input, 'FunctionName'), str(input, 'Qualifier')),
    RemovePermission: (input) => {
      backend.removePermission(label(input, 'FunctionName'), label(input, 'StatementId'), str(input, 'Qualifier'));
      return {};
    },
    DeleteAlias: (input) => {
      backend.deleteAlias(label(input, 'FunctionName'), label(input, 'Name'));
      return {};
    },
    ListAliases: (input) =>
      backend.listAliases(label(input, 'FunctionName'), str(input, 'FunctionVersion'), str(input, 'Marker'), int(input, 'MaxItems')),

    Invoke: (input, ctx) =>
      backend.invoke({
        FunctionName: label(input, 'FunctionName'),
        Qualifier: str(input, 'Qualifier'),
        InvocationType: str(input, 'InvocationType'),
        LogType: str(input, 'LogType'),
        ClientContext: str(input, 'ClientContext'),
        Payload: blob(input, 'Payload'),
        requestId: ctx.requestId,
      }),

    PutFunctionConcurrency: (input) => {
      const reserved = int(input, 'ReservedConcurrentExecutions');
      return backend.putFunctionConcurrency(label(input, 'FunctionName'), reserved);
    },
    GetFunctionConcurrency: (input) => backend.getFunctionConcurrency(label(input, 'FunctionName')),
    DeleteFunctionConcurrency: (input) => {
      backend.deleteFunctionConcurrency(label(input, 'FunctionName'));
      return {};
    },
    GetAccountSettings: () => backend.getAccountSettings(),
  };
}
