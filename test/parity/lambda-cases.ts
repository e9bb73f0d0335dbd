/**
 * Lambda: our answers beside AWS's, as LocalStack's AWS-validated snapshots recorded them
 * (tests/aws/services/lambda_/test_lambda_api.snapshot.json and test_lambda.snapshot.json; the
 * inputs are those of the matching tests in test_lambda_api.py) and as the API reference states.
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetAccountSettingsCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type CreateFunctionCommandInput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import type { Clients, ParityCase } from './case.js';

const API = 'tests/aws/services/lambda_/test_lambda_api.snapshot.json';
const INVOKE = 'tests/aws/services/lambda_/test_lambda.snapshot.json';
const REF = 'https://docs.aws.amazon.com/lambda/latest/api/';
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:';
const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

const zip = (source: string) => Buffer.from(zipSync({ 'index.js': strToU8(source) }));
const ECHO = zip('exports.handler = async (event) => event;');
const ECHO_2 = zip('exports.handler = async (event) => ({ event, v: 2 });');

let serial = 0;
/** a fresh function name per case, so cases never see each other's changes */
const fresh = (base: string) => `parity-${base}-${++serial}`;

function createInput(name: string, more: Partial<CreateFunctionCommandInput> = {}): CreateFunctionCommandInput {
  return { FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: ECHO }, ...more };
}

async function create(lambda: LambdaClient, name: string, more: Partial<CreateFunctionCommandInput> = {}) {
  return lambda.send(new CreateFunctionCommand(createInput(name, more)));
}

/** a function with versions 1 and 2 (each after a change of its environment), as the alias tests make it */
async function withTwoVersions(lambda: LambdaClient, name: string): Promise<void> {
  await create(lambda, name, { Publish: true, Environment: { Variables: { testenv: 'staging' } } });
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { testenv: 'prod' } } }));
  await lambda.send(new PublishVersionCommand({ FunctionName: name }));
}

const CONFIG_KEYS = [
  'Architectures', 'CodeSha256', 'CodeSize', 'Description', 'EphemeralStorage', 'FunctionArn', 'FunctionName', 'Handler',
  'LastModified', 'LoggingConfig', 'MemorySize', 'PackageType', 'RevisionId', 'Role', 'Runtime', 'RuntimeVersionConfig',
  'SnapStart', 'State', 'Timeout', 'TracingConfig', 'Version',
];
/** CreateFunction's answer: Pending, with its reason (test_version_lifecycle create_response) */
const CREATED_KEYS = [...CONFIG_KEYS, 'StateReason', 'StateReasonCode'];
/** what GetFunctionConfiguration and PublishVersion show once the function is ready */
const READY_KEYS = [...CONFIG_KEYS, 'LastUpdateStatus'];
/** UpdateFunctionConfiguration's and UpdateFunctionCode's answer (test_version_lifecycle first_update_response) */
const UPDATING_KEYS = [...READY_KEYS, 'LastUpdateStatusReason', 'LastUpdateStatusReasonCode'];
const ALIAS_KEYS = ['AliasArn', 'Description', 'FunctionVersion', 'Name', 'RevisionId'];

const notFound = (what: string) => ({ status: 404, code: 'ResourceNotFoundException', message: `Function not found: ${ARN}${what}` });
const ROUTING_VALUE =
  "failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]";

export const lambdaCases: ParityCase[] = [
  // ---- functions: create, read, update (test_function_lifecycle, test_version_lifecycle) ----
  {
    name: 'CreateFunction: a Zip function answers Pending, then GetFunction shows it Active',
    source: `${API} TestLambdaVersions::test_version_lifecycle create_response`,
    call: ({ lambda }) => create(lambda, fresh('create')),
    expect: { status: 201, keys: CREATED_KEYS, values: { State: 'Pending', StateReason: 'The function is being created.', StateReasonCode: 'Creating', Version: '$LATEST' } },
  },
  {
    name: 'GetFunction: Code and Configuration, Active and Successful',
    source: `${API} TestLambdaVersions::test_version_lifecycle get_function_result`,
    call: async ({ lambda }) => {
      const name = fresh('get');
      await create(lambda, name);
      return lambda.send(new GetFunctionCommand({ FunctionName: name }));
    },
    expect: {
      status: 200,
      keys: ['Code', 'Configuration'],
      check: (o) => {
        const c = o.Configuration;
        const keys = Object.keys(c).sort().join(',');
        if (keys !== [...READY_KEYS].sort().join(',')) return `Configuration members ${keys}`;
        if (c.State !== 'Active' || c.LastUpdateStatus !== 'Successful') return `State ${c.State}, LastUpdateStatus ${c.LastUpdateStatus}`;
        if (o.Code.RepositoryType !== 'S3') return `Code.RepositoryType ${o.Code.RepositoryType}`;
        return undefined;
      },
    },
  },
  {
    name: 'GetFunctionConfiguration: the configuration of $LATEST',
    source: `${API} TestLambdaVersions::test_version_lifecycle first_publish_get_function_config`,
    call: async ({ lambda }) => {
      const name = fresh('getconf');
      await create(lambda, name);
      return lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    },
    expect: { status: 200, keys: READY_KEYS, values: { State: 'Active', LastUpdateStatus: 'Successful' } },
  },
  {
    name: 'UpdateFunctionConfiguration: answers InProgress, with its reason',
    source: `${API} TestLambdaVersions::test_version_lifecycle first_update_response`,
    call: async ({ lambda }) => {
      const name = fresh('updconf');
      await create(lambda, name);
      return lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: 'First version :)' }));
    },
    expect: {
      status: 200,
      keys: UPDATING_KEYS,
      values: { LastUpdateStatus: 'InProgress', LastUpdateStatusReason: 'The function is being created.', LastUpdateStatusReasonCode: 'Creating', State: 'Active' },
    },
  },
  {
    name: 'UpdateFunctionCode: answers InProgress, with its reason',
    source: `${API} TestLambdaFunction::test_function_lifecycle update_code_response`,
    call: async ({ lambda }) => {
      const name = fresh('updcode');
      await create(lambda, name);
      return lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: ECHO_2 }));
    },
    expect: { status: 200, keys: UPDATING_KEYS, values: { LastUpdateStatus: 'InProgress', State: 'Active' } },
  },
  {
    name: 'UpdateFunctionConfiguration: a role that is not an ARN',
    source: `${API} TestLambdaFunction::test_update_lambda_exceptions invalid_role_arn_exc`,
    call: async ({ lambda }) => {
      const name = fresh('badrole');
      await create(lambda, name);
      return lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Role: 'r1' }));
    },
    expect: {
      status: 400,
      code: 'ValidationException',
      message: "1 validation error detected: Value 'r1' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
    },
  },
  {
    name: 'CreateFunction: a role that is not an ARN',
    source: `${API} TestLambdaFunction::test_create_lambda_exceptions invalid_role_arn_exc`,
    call: ({ lambda }) => create(lambda, fresh('badrole'), { Role: 'r1' }),
    expect: {
      status: 400,
      code: 'ValidationException',
      message: "1 validation error detected: Value 'r1' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
    },
  },
  {
    name: 'CreateFunction: an unknown runtime',
    source: `${API} TestLambdaFunction::test_create_lambda_exceptions invalid_runtime_exc`,
    call: ({ lambda }) => create(lambda, fresh('badruntime'), { Runtime: 'non-existent-runtime' as never }),
    expect: {
      status: 400,
      code: 'InvalidParameterValueException',
      message: /^Value non-existent-runtime at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[.*nodejs20\.x.*\] or be a valid ARN$/,
    },
  },
  {
    name: 'CreateFunction: a runtime in upper case',
    source: `${API} TestLambdaFunction::test_create_lambda_exceptions uppercase_runtime_exc`,
    call: ({ lambda }) => create(lambda, fresh('upperruntime'), { Runtime: 'NODEJS20.X' as never }),
    expect: { status: 400, code: 'InvalidParameterValueException', message: /^Value NODEJS20\.X at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[/ },
  },
  {
    name: 'CreateFunction: two architectures',
    source: `${API} TestLambdaFunction::test_create_lambda_exceptions multiple_architectures`,
    call: ({ lambda }) => create(lambda, fresh('arch'), { Architectures: ['x86_64', 'arm64'] }),
    expect: {
      status: 400,
      code: 'ValidationException',
      message: "1 validation error detected: Value '[x86_64, arm64]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1",
    },
  },
  {
    name: 'CreateFunction: an architecture in upper case',
    source: `${API} TestLambdaFunction::test_create_lambda_exceptions uppercase_architecture`,
    call: ({ lambda }) => create(lambda, fresh('arch'), { Architectures: ['X86_64' as never] }),
    expect: {
      status: 400,
      code: 'ValidationException',
      message:
        "1 validation error detected: Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]",
    },
  },
  {
    name: 'CreateFunction: a zip that does not unzip',
    source: `${API} TestLambdaFunction::test_create_lambda_exceptions invalid_zip_exc`,
    call: ({ lambda }) => create(lambda, fresh('zip'), { Code: { ZipFile: Buffer.from('this is not a zip file') } }),
    expect: { status: 400, code: 'InvalidParameterValueException', message: 'Could not unzip uploaded file. Please check your file, then try to upload again.' },
  },
  {
    name: 'CreateFunction: a name with colons that is no ARN',
    source: `${API} TestLambdaFunction::test_function_arns invalid_function_name_exc`,
    call: ({ lambda }) => create(lambda, 'invalid:function:name'),
    expect: {
      status: 400,
      code: 'ValidationException',
      message:
        "1 validation error detected: Value 'invalid:function:name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
    },
  },
  {
    name: 'CreateFunction: a name of 65 characters',
    source: `${API} TestLambdaFunction::test_function_arns long_function_name_exc`,
    call: ({ lambda }) => create(lambda, 'a'.repeat(65)),
    expect: {
      status: 400,
      code: 'InvalidParameterValueException',
      message: `1 validation error detected: Value '${'a'.repeat(65)}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    },
  },
  {
    name: 'CreateFunction: an ARN of another Region',
    source: `${API} TestLambdaFunction::test_function_arns function_arn_other_region_exc`,
    call: ({ lambda }) => create(lambda, `arn:aws:lambda:ap-southeast-1:000000000000:function:${fresh('region')}`),
    expect: { status: 404, code: 'ResourceNotFoundException', message: "Functions from 'ap-southeast-1' are not reachable in this region ('us-east-1')" },
  },

  // ---- functions that do not exist (test_ops_on_nonexisting_fn, _version, _wrong_region) ----
  ...(['GetFunction', 'GetFunctionConfiguration', 'DeleteFunction', 'GetFunctionConcurrency'] as const).map(
    (op): ParityCase => ({
      name: `${op}: a function that does not exist`,
      source: `${API} TestLambdaFunction::test_ops_on_nonexisting_fn[${snake(op)}] not_found_exception`,
      call: ({ lambda }) => send(lambda, op, { FunctionName: 'i-dont-exist-parity' }),
      expect: notFound('i-dont-exist-parity'),
    }),
  ),
  ...(['GetFunction', 'GetFunctionConfiguration'] as const).map(
    (op): ParityCase => ({
      name: `${op}: a version that does not exist`,
      source: `${API} TestLambdaFunction::test_ops_on_nonexisting_version[${snake(op)}] version_not_found_exception`,
      call: async ({ lambda }) => {
        const name = fresh('nover');
        await create(lambda, name);
        return send(lambda, op, { FunctionName: name, Qualifier: '1221' });
      },
      expect: { status: 404, code: 'ResourceNotFoundException', message: /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:parity-nover-\d+:1221$/ },
    }),
  ),
  ...(['GetFunction', 'GetFunctionConfiguration', 'DeleteFunction', 'GetFunctionConcurrency', 'Invoke'] as const).map(
    (op): ParityCase => ({
      name: `${op}: an ARN of another Region`,
      source: `${API} TestLambdaFunction::test_get_function_wrong_region[${snake(op)}] wrong_region_exception`,
      call: ({ lambda }) => send(lambda, op, { FunctionName: 'arn:aws:lambda:eu-central-1:000000000000:function:parity-any' }),
      expect: { status: 404, code: 'ResourceNotFoundException', message: "Functions from 'eu-central-1' are not reachable in this region ('us-east-1')" },
    }),
  ),
  ...(['GetFunction', 'GetFunctionConfiguration', 'DeleteFunction'] as const).map(
    (op): ParityCase => ({
      name: `${op}: the ARN's qualifier and Qualifier differ`,
      source: `${API} TestLambdaFunction::test_ops_with_arn_qualifier_mismatch[${snake(op)}] not_match_exception`,
      call: ({ lambda }) => send(lambda, op, { FunctionName: `${ARN}some-function:1`, Qualifier: '$LATEST' }),
      expect: { status: 400, code: 'InvalidParameterValueException', message: 'The derived qualifier from the function name does not match the specified qualifier.' },
    }),
  ),
  ...(['GetFunction', 'GetFunctionConfiguration'] as const).map(
    (op): ParityCase => ({
      name: `${op}: $LATEST of a function that does not exist`,
      source: `${API} TestLambdaFunction::test_ops_with_arn_qualifier_mismatch[${snake(op)}] match_exception`,
      call: ({ lambda }) => send(lambda, op, { FunctionName: `${ARN}some-function:$LATEST`, Qualifier: '$LATEST' }),
      expect: notFound('some-function:$LATEST'),
    }),
  ),
  {
    name: 'DeleteFunction: $LATEST alone',
    source: `${API} TestLambdaFunction::test_ops_with_arn_qualifier_mismatch[delete_function] match_exception`,
    call: ({ lambda }) => lambda.send(new DeleteFunctionCommand({ FunctionName: `${ARN}some-function:$LATEST`, Qualifier: '$LATEST' })),
    expect: { status: 400, code: 'InvalidParameterValueException', message: '$LATEST version cannot be deleted without deleting the function.' },
  },
  {
    name: 'DeleteFunction: a version that does not exist, of a function that does (idempotent)',
    source: `${API} TestLambdaFunction::test_delete_on_nonexisting_version (delete_function Qualifier=1233 twice succeeds)`,
    call: async ({ lambda }) => {
      const name = fresh('delver');
      await create(lambda, name);
      await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1233' }));
      return lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1233' }));
    },
    expect: { status: 204, keys: ['StatusCode'] },
  },
  {
    name: 'DeleteFunction: a version of a function that does not exist',
    source: `${API} TestLambdaFunction::test_delete_on_nonexisting_version delete_function_response_non_existent_with_qualifier`,
    call: ({ lambda }) => lambda.send(new DeleteFunctionCommand({ FunctionName: 'i-dont-exist-parity', Qualifier: '1233' })),
    expect: notFound('i-dont-exist-parity'),
  },
  {
    name: 'DeleteFunction: the function',
    source: `${API} TestLambdaFunction::test_function_lifecycle delete_response`,
    call: async ({ lambda }) => {
      const name = fresh('del');
      await create(lambda, name);
      return lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    },
    expect: { status: 204, keys: ['StatusCode'], values: { StatusCode: 204 } },
  },
  {
    name: 'ListFunctions: FunctionVersion other than ALL',
    source: `${API} TestLambdaFunction::test_list_functions list_functions_invalid_functionversion`,
    call: ({ lambda }) => lambda.send(new ListFunctionsCommand({ FunctionVersion: 'invalid' as never })),
    expect: {
      status: 400,
      code: 'ValidationException',
      message: "1 validation error detected: Value 'invalid' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]",
    },
  },
  {
    name: 'ListFunctions: the functions',
    source: `${API} TestLambdaFunction::test_list_functions list_default`,
    call: ({ lambda }) => lambda.send(new ListFunctionsCommand({})),
    expect: { status: 200, keys: ['Functions'] },
  },

  // ---- versions (test_version_lifecycle, test_publish_with_wrong_*) ----
  {
    name: 'PublishVersion: after a change of the description only, a new version',
    source: `${API} TestLambdaVersions::test_version_lifecycle second_publish_response`,
    call: async ({ lambda }) => {
      const name = fresh('pubconf');
      await create(lambda, name, { Description: 'No version :(' });
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: 'First version :)' }));
      await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'First version description :)' }));
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: 'Second version :))' }));
      return lambda.send(new PublishVersionCommand({ FunctionName: name }));
    },
    expect: { status: 201, keys: READY_KEYS, values: { Version: '2', Description: 'Second version :))', State: 'Active', LastUpdateStatus: 'Successful' } },
  },
  {
    name: 'PublishVersion: nothing changed since the last version, the last version',
    source: `${API} TestLambdaVersions::test_version_lifecycle third_publish_response`,
    call: async ({ lambda }) => {
      const name = fresh('pubsame');
      await create(lambda, name);
      await lambda.send(new PublishVersionCommand({ FunctionName: name }));
      return lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'Third version description :)))' }));
    },
    expect: { status: 201, keys: READY_KEYS, values: { Version: '1', Description: '' } },
  },
  {
    name: 'PublishVersion: after a change of the environment, a new version',
    source: `${API} TestLambdaAlias::test_notfound_and_invalid_routingconfigs publish_v2`,
    call: async ({ lambda }) => {
      const name = fresh('pubenv');
      await withTwoVersions(lambda, name);
      return lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '2' }));
    },
    expect: { status: 200, keys: [...READY_KEYS, 'Environment'], values: { Version: '2', Environment: { Variables: { testenv: 'prod' } } } },
  },
  {
    name: 'PublishVersion: a CodeSha256 other than $LATEST\'s',
    source: `${API} TestLambdaVersions::test_publish_with_wrong_sha256 publish_wrong_sha256_exc`,
    call: async ({ lambda }) => {
      const name = fresh('pubsha');
      await create(lambda, name);
      return lambda.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: 'somenonexistentsha256' }));
    },
    expect: {
      status: 400,
      code: 'InvalidParameterValueException',
      message: /^CodeSHA256 \(somenonexistentsha256\) is different from current CodeSHA256 in \$LATEST \([A-Za-z0-9+/=]{44}\)\. Please try again with the CodeSHA256 in \$LATEST\.$/,
    },
  },
  {
    name: 'PublishVersion: a RevisionId other than $LATEST\'s',
    source: `${API} TestLambdaVersions::test_publish_with_wrong_revisionid publish_wrong_revisionid_exc`,
    call: async ({ lambda }) => {
      const name = fresh('pubrev');
      await create(lambda, name);
      return lambda.send(new PublishVersionCommand({ FunctionName: name, RevisionId: 'wrong' }));
    },
    expect: {
      status: 412,
      code: 'PreconditionFailedException',
      message: 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    },
  },
  {
    name: 'ListVersionsByFunction: $LATEST and the versions',
    source: `${API} TestLambdaVersions::test_version_lifecycle list_versions_result`,
    call: async ({ lambda }) => {
      const name = fresh('listver');
      await create(lambda, name);
      return lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    },
    expect: { status: 200, keys: ['Versions'] },
  },

  // ---- aliases (test_alias_lifecycle, test_notfound_and_invalid_routingconfigs) ----
  {
    name: 'CreateAlias: an alias on version 1',
    source: `${API} TestLambdaAlias::test_alias_lifecycle create_alias_1_2`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await withTwoVersions(lambda, name);
      return lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'aliasname1_2', FunctionVersion: '1', Description: 'custom-alias' }));
    },
    expect: { status: 201, keys: ALIAS_KEYS },
  },
  {
    name: 'CreateAlias: with a routing configuration',
    source: `${API} TestLambdaAlias::test_alias_lifecycle create_alias_1_1`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await withTwoVersions(lambda, name);
      return lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'aliasname1_1', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }));
    },
    expect: { status: 201, keys: [...ALIAS_KEYS, 'RoutingConfig'] },
  },
  {
    name: 'GetAlias: the alias',
    source: `${API} TestLambdaAlias::test_alias_lifecycle get_alias_1_2`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await withTwoVersions(lambda, name);
      await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'a', FunctionVersion: '1' }));
      return lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'a' }));
    },
    expect: { status: 200, keys: ALIAS_KEYS },
  },
  {
    name: 'ListAliases: the aliases',
    source: `${API} TestLambdaAlias::test_alias_lifecycle list_aliases_for_fnname_after_update`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await withTwoVersions(lambda, name);
      await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'a', FunctionVersion: '1' }));
      return lambda.send(new ListAliasesCommand({ FunctionName: name }));
    },
    expect: { status: 200, keys: ['Aliases'] },
  },
  {
    name: 'UpdateAlias: move it to version 2',
    source: `${API} TestLambdaAlias::test_alias_lifecycle update_alias_1_1`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await withTwoVersions(lambda, name);
      await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'a', FunctionVersion: '1' }));
      return lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'a', FunctionVersion: '2' }));
    },
    expect: { status: 200, keys: ALIAS_KEYS },
  },
  {
    name: 'DeleteAlias: the alias',
    source: `${API} TestLambdaAlias::test_alias_lifecycle delete_alias_response`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await withTwoVersions(lambda, name);
      await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'a', FunctionVersion: '1' }));
      return lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: 'a' }));
    },
    expect: { status: 204, keys: [] },
  },
  {
    name: 'DeleteAlias: an alias that does not exist (idempotent)',
    source: `${API} TestLambdaAlias::test_non_existent_alias_deletion delete_alias_response`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await create(lambda, name);
      return lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: 'non-existent' }));
    },
    expect: { status: 204, keys: [] },
  },
  {
    name: 'UpdateAlias: an alias that does not exist',
    source: `${API} TestLambdaAlias::test_non_existent_alias_update update_alias_response`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await create(lambda, name);
      return lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'non-existent' }));
    },
    expect: { status: 404, code: 'ResourceNotFoundException', message: /^Alias not found: arn:aws:lambda:us-east-1:000000000000:function:parity-alias-\d+:non-existent$/ },
  },
  {
    name: 'GetAlias: an alias that does not exist',
    source: `${API} TestLambdaAlias::test_notfound_and_invalid_routingconfigs alias_does_not_exist_esc`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await create(lambda, name);
      return lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'non-existent' }));
    },
    expect: { status: 404, code: 'ResourceNotFoundException', message: /^Cannot find alias arn: arn:aws:lambda:us-east-1:000000000000:function:parity-alias-\d+:non-existent$/ },
  },
  {
    name: 'GetFunction: an alias that does not exist',
    source: `${API} TestLambdaAlias::test_alias_lifecycle get_function_alias_notfound_exc`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await create(lambda, name);
      return lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: 'aliasdoesnotexist' }));
    },
    expect: { status: 404, code: 'ResourceNotFoundException', message: /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:parity-alias-\d+:aliasdoesnotexist$/ },
  },
  {
    name: 'CreateAlias: a name that already exists',
    source: `${API} TestLambdaAlias::test_notfound_and_invalid_routingconfigs routing_config_exc_already_exist`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await withTwoVersions(lambda, name);
      await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'custom', FunctionVersion: '1' }));
      return lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'custom', FunctionVersion: '1' }));
    },
    expect: { status: 409, code: 'ResourceConflictException', message: /^Alias already exists: arn:aws:lambda:us-east-1:000000000000:function:parity-alias-\d+:custom$/ },
  },
  {
    name: 'CreateAlias: a name of digits only',
    source: `${API} TestLambdaAlias::test_alias_naming create_alias_number_exception`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await create(lambda, name, { Publish: true });
      return lambda.send(new CreateAliasCommand({ FunctionName: name, Name: '2024', FunctionVersion: '1' }));
    },
    expect: {
      status: 400,
      code: 'ValidationException',
      message: "1 validation error detected: Value '2024' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
    },
  },
  ...routingCases(),
  {
    name: 'CreateAlias: $LATEST alone',
    source: `${API} TestLambdaAlias::test_notfound_and_invalid_routingconfigs create-alias-latest`,
    call: async ({ lambda }) => {
      const name = fresh('alias');
      await create(lambda, name);
      return lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'custom-latest', FunctionVersion: '$LATEST' }));
    },
    expect: { status: 201, keys: ALIAS_KEYS },
  },
  {
    name: 'CreateAlias: a function that does not exist',
    source: `${API} TestLambdaAlias::test_notfound_and_invalid_routingconfigs routing_config_exc_fn_doesnotexist`,
    call: ({ lambda }) => lambda.send(new CreateAliasCommand({ FunctionName: 'parity-alias-unknown', Name: 'custom', FunctionVersion: '1' })),
    expect: notFound('parity-alias-unknown:1'),
  },

  // ---- concurrency and the account (TestLambdaReservedConcurrency, TestLambdaAccountSettings) ----
  {
    name: 'PutFunctionConcurrency: a function that does not exist',
    source: `${API} TestLambdaReservedConcurrency::test_function_concurrency_exceptions put_function_concurrency_with_function_name_doesnotexist`,
    call: ({ lambda }) => lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'doesnotexist', ReservedConcurrentExecutions: 1 })),
    expect: notFound('doesnotexist:$LATEST'),
  },
  {
    name: 'PutFunctionConcurrency: a qualified ARN',
    source: `${API} TestLambdaReservedConcurrency::test_function_concurrency_exceptions put_function_concurrency_with_qualified_arn`,
    call: async ({ lambda }) => {
      const name = fresh('conc');
      await create(lambda, name, { Publish: true });
      return lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: `${ARN}${name}:1`, ReservedConcurrentExecutions: 1 }));
    },
    expect: {
      status: 400,
      code: 'InvalidParameterValueException',
      message:
        'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
    },
  },
  {
    name: 'PutFunctionConcurrency: more than leaves 100 unreserved',
    source: `${API} TestLambdaReservedConcurrency::test_function_concurrency_limits put_function_concurrency_account_limit_exceeded`,
    call: async ({ lambda }) => {
      const name = fresh('conc');
      await create(lambda, name);
      return lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 901 }));
    },
    expect: {
      status: 400,
      code: 'InvalidParameterValueException',
      message: "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    },
  },
  {
    name: 'PutFunctionConcurrency: reserve 0',
    source: `${API} TestLambdaReservedConcurrency::test_function_concurrency put_function_concurrency_with_reserved_0`,
    call: async ({ lambda }) => {
      const name = fresh('conc');
      await create(lambda, name);
      return lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 }));
    },
    expect: { status: 200, keys: ['ReservedConcurrentExecutions'], values: { ReservedConcurrentExecutions: 0 } },
  },
  {
    name: 'GetFunctionConcurrency: what was reserved',
    source: `${API} TestLambdaReservedConcurrency::test_function_concurrency get_function_concurrency`,
    call: async ({ lambda }) => {
      const name = fresh('conc');
      await create(lambda, name);
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 1 }));
      return lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
    },
    expect: { status: 200, keys: ['ReservedConcurrentExecutions'], values: { ReservedConcurrentExecutions: 1 } },
  },
  {
    name: 'DeleteFunctionConcurrency: then GetFunctionConcurrency answers nothing',
    source: `${API} TestLambdaReservedConcurrency::test_function_concurrency delete_response, get_function_concurrency_after_delete`,
    call: async ({ lambda }) => {
      const name = fresh('conc');
      await create(lambda, name);
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 1 }));
      const deleted = await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
      if (deleted.$metadata.httpStatusCode !== 204) throw new Error(`DeleteFunctionConcurrency answered ${deleted.$metadata.httpStatusCode}`);
      return lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
    },
    expect: { status: 200, keys: [] },
  },
  {
    name: 'GetAccountSettings: limits and usage',
    source: `${API} TestLambdaAccountSettings::test_account_settings acc_settings_modded`,
    call: ({ lambda }) => lambda.send(new GetAccountSettingsCommand({})),
    expect: {
      status: 200,
      keys: ['AccountLimit', 'AccountUsage'],
      check: (o) => {
        const limit = Object.keys(o.AccountLimit).sort().join(',');
        const usage = Object.keys(o.AccountUsage).sort().join(',');
        if (limit !== 'CodeSizeUnzipped,CodeSizeZipped,ConcurrentExecutions,TotalCodeSize,UnreservedConcurrentExecutions') return `AccountLimit members ${limit}`;
        if (usage !== 'FunctionCount,TotalCodeSize') return `AccountUsage members ${usage}`;
        return undefined;
      },
    },
  },

  // ---- invoke (test_lambda.snapshot.json) ----
  {
    name: 'Invoke: RequestResponse',
    source: `${INVOKE} TestLambdaFeatures::test_basic_invoke lambda_invoke_result`,
    call: async ({ lambda }) => {
      const name = fresh('invoke');
      await create(lambda, name);
      return lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"hello":"world"}') }));
    },
    expect: { status: 200, keys: ['ExecutedVersion', 'Payload', 'StatusCode'], values: { ExecutedVersion: '$LATEST', StatusCode: 200 } },
  },
  {
    name: 'Invoke: Event',
    source: `${INVOKE} TestLambdaFeatures::test_invocation_type_event[nodejs16.x] invoke-result`,
    call: async ({ lambda }) => {
      const name = fresh('invoke');
      await create(lambda, name);
      return lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{}') }));
    },
    expect: { status: 202, keys: ['Payload', 'StatusCode'], values: { StatusCode: 202 } },
  },
  {
    name: 'Invoke: DryRun',
    source: `${INVOKE} TestLambdaFeatures::test_invocation_type_dry_run[nodejs16.x] invoke-result`,
    call: async ({ lambda }) => {
      const name = fresh('invoke');
      await create(lambda, name);
      return lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'DryRun', Payload: Buffer.from('{}') }));
    },
    expect: { status: 204, keys: ['Payload', 'StatusCode'], values: { StatusCode: 204 } },
  },
  {
    name: 'Invoke: a handler that throws',
    source: `${INVOKE} TestLambdaErrors::test_lambda_handler_error invocation_error`,
    call: async ({ lambda }) => {
      const name = fresh('invoke');
      await create(lambda, name, { Code: { ZipFile: zip('exports.handler = async () => { throw new Error("boom"); };') } });
      return lambda.send(new InvokeCommand({ FunctionName: name }));
    },
    expect: { status: 200, keys: ['ExecutedVersion', 'FunctionError', 'Payload', 'StatusCode'], values: { FunctionError: 'Unhandled' } },
  },
  {
    name: 'Invoke: a function that does not exist',
    source: `${REF}API_Invoke.html (ResourceNotFoundException, 404), message as ${API} test_ops_on_nonexisting_fn`,
    call: ({ lambda }) => lambda.send(new InvokeCommand({ FunctionName: 'i-dont-exist-parity' })),
    expect: notFound('i-dont-exist-parity'),
  },
];

/** the routing configurations AWS refuses (test_notfound_and_invalid_routingconfigs) */
function routingCases(): ParityCase[] {
  const base = `${API} TestLambdaAlias::test_notfound_and_invalid_routingconfigs`;
  const alias = (version: string, weights: Record<string, number>) => async ({ lambda }: Clients) => {
    const name = fresh('routing');
    await withTwoVersions(lambda, name);
    return lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'custom', FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: weights } }));
  };
  return [
    {
      name: 'CreateAlias: two additional versions',
      source: `${base} routing_config_exc_toomany`,
      call: alias('1', { '1': 0.8, '2': 0.2 }),
      expect: { status: 400, code: 'InvalidParameterValueException', message: 'Number of items in AdditionalVersionWeights cannot be greater than 1' },
    },
    {
      name: 'CreateAlias: a weight above 1',
      source: `${base} routing_config_exc_toohigh`,
      call: alias('1', { '2': 2 }),
      expect: { status: 400, code: 'ValidationException', message: `1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' ${ROUTING_VALUE}` },
    },
    {
      name: 'CreateAlias: a weight below 0',
      source: `${base} routing_config_exc_subzero`,
      call: alias('1', { '2': -1 }),
      expect: { status: 400, code: 'ValidationException', message: `1 validation error detected: Value '{2=-1.0}' at 'routingConfig.additionalVersionWeights' ${ROUTING_VALUE}` },
    },
    {
      name: 'CreateAlias: the alias version in its own routing',
      source: `${base} routing_config_exc_sameversion`,
      call: alias('1', { '1': 0.5 }),
      expect: { status: 400, code: 'InvalidParameterValueException', message: 'Invalid function version 1. Function version 1 is already included in routing configuration.' },
    },
    {
      name: 'CreateAlias: a FunctionVersion that does not exist',
      source: `${base} target_version_doesnotexist`,
      call: alias('10', { '2': 0.5 }),
      expect: { status: 404, code: 'ResourceNotFoundException', message: /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:parity-routing-\d+:10$/ },
    },
    {
      name: 'CreateAlias: a routing version that does not exist',
      source: `${base} routing_config_exc_version_doesnotexist`,
      call: alias('1', { '10': 0.5 }),
      expect: { status: 404, code: 'ResourceNotFoundException', message: /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:parity-routing-\d+:10$/ },
    },
    {
      name: 'CreateAlias: $LATEST with a routing configuration',
      source: `${base} target_version_exc_version_latest`,
      call: alias('$LATEST', { '1': 0.5 }),
      expect: { status: 400, code: 'InvalidParameterValueException', message: '$LATEST is not supported for an alias pointing to more than 1 version' },
    },
    {
      name: 'CreateAlias: $LATEST in the routing configuration',
      source: `${base} routing_config_exc_version_latest`,
      call: alias('1', { $LATEST: 0.5 }),
      expect: {
        status: 400,
        code: 'ValidationException',
        message:
          "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]",
      },
    },
  ];
}

type FunctionOp = 'GetFunction' | 'GetFunctionConfiguration' | 'DeleteFunction' | 'GetFunctionConcurrency' | 'Invoke';

function send(lambda: LambdaClient, op: FunctionOp, input: { FunctionName: string; Qualifier?: string }): Promise<unknown> {
  switch (op) {
    case 'GetFunction':
      return lambda.send(new GetFunctionCommand(input));
    case 'GetFunctionConfiguration':
      return lambda.send(new GetFunctionConfigurationCommand(input));
    case 'DeleteFunction':
      return lambda.send(new DeleteFunctionCommand(input));
    case 'GetFunctionConcurrency':
      return lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: input.FunctionName }));
    case 'Invoke':
      return lambda.send(new InvokeCommand(input));
  }
}

function snake(op: string): string {
  return op.replace(/[A-Z]/g, (c, i) => (i ? '_' : '') + c.toLowerCase());
}
