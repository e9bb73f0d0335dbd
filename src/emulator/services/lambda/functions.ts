import { createHash } from 'node:crypto';
import { functionArn, type ArnScope } from './arn.js';
import { deleteOwn, hasOwnKey, setOwn } from '../../core/own-key.js';
import { invalidParameter, preconditionFailed, resourceConflict } from './errors.js';
import type { FunctionConfiguration, FunctionRecord } from './model.js';
import {
  functionRef,
  lambdaTimestamp,
  lastPublished,
  newRevisionId,
  requireFunction,
  resolveConfig,
  type LambdaCore,
} from './state.js';
import { checkArchitectures, checkDescription, checkRuntime, checkTimeoutAndMemory, Violations } from './validation.js';
import { codeLocationPath } from './code-location.js';

/** Functions and versions: CreateFunction ... PublishVersion, ListVersionsByFunction. */

export interface FunctionCodeInput {
  ZipFile?: Buffer;
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
  ImageUri?: string;
}

export interface ConfigurationInput {
  Role?: string;
  Runtime?: string;
  Handler?: string;
  Description?: string;
  Timeout?: number;
  MemorySize?: number;
  Environment?: { Variables?: Record<string, string> };
}

export interface CreateFunctionInput extends ConfigurationInput {
  FunctionName: string;
  Code?: FunctionCodeInput;
  Publish?: boolean;
  PackageType?: string;
  Architectures?: string[];
  Tags?: Record<string, string>;
}

const ROLE_PATTERN = 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';
const ROLE_RE = new RegExp(`^${ROLE_PATTERN}$`);
const HANDLER_RE = /^[^\s]+$/;
const DEFAULT_TIMEOUT = 3;
const DEFAULT_MEMORY = 128;

function checkConfiguration(input: ConfigurationInput): void {
  const v = new Violations();
  if (input.Role !== undefined) v.pattern(input.Role, 'role', ROLE_RE, ROLE_PATTERN);
  if (input.Handler !== undefined) v.length(input.Handler, 'handler', 0, 128).pattern(input.Handler, 'handler', HANDLER_RE, '[^\\s]+');
  v.throwIfAny();
  if (input.Runtime !== undefined) checkRuntime(input.Runtime);
  checkTimeoutAndMemory(input.Timeout, input.MemorySize);
  checkDescription(input.Description);
  const vars = input.Environment?.Variables;
  // "Lambda was unable to configure your environment variables because the environment variables
  // you have provided exceeded the 4KB limit." https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
  if (vars && Buffer.byteLength(JSON.stringify(vars)) > 4096) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(vars)}`,
    );
  }
}

async function storeCode(core: LambdaCore, code: FunctionCodeInput | undefined) {
  if (code?.ImageUri !== undefined) throw invalidParameter('The embedded cloud runs Zip packages only; ImageUri is not supported.');
  if (code?.ZipFile !== undefined) {
    if (code.S3Bucket !== undefined || code.S3Key !== undefined) {
      throw invalidParameter('Please provide a source for function code.');
    }
    return core.code.put(code.ZipFile);
  }
  if (code?.S3Bucket !== undefined && code.S3Key !== undefined) {
    const bytes = await core.codeSource.getObject(code.S3Bucket, code.S3Key, code.S3ObjectVersion);
    if (!bytes) {
      // AWS's text for a missing object
      throw invalidParameter(`Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.`);
    }
    return core.code.put(Buffer.from(bytes));
  }
  throw invalidParameter('Please provide a source for function code.');
}

/**
 * Lambda creates and updates functions asynchronously: CreateFunction answers `State: Pending`
 * and an update `LastUpdateStatus: InProgress`, each with its reason, and GetFunction shows Active
 * and Successful once the function is ready (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html;
 * the answers as test_version_lifecycle recorded them in LocalStack's AWS-validated snapshots).
 * Here a function is ready as soon as the call returns, so what is stored is Active / Successful
 * and only the answer to the call that changed it shows the transition.
 */
function creating(c: FunctionConfiguration): FunctionConfiguration {
  const { LastUpdateStatus: _, ...rest } = c;
  return { ...rest, State: 'Pending', StateReason: 'The function is being created.', StateReasonCode: 'Creating' };
}

function updating(c: FunctionConfiguration): FunctionConfiguration {
  return { ...c, LastUpdateStatus: 'InProgress', LastUpdateStatusReason: 'The function is being created.', LastUpdateStatusReasonCode: 'Creating' };
}

/** the runtime's version ARN; one per runtime here, as the runtime is what the emulator updates */
function runtimeVersion(scope: ArnScope, runtime: string): { RuntimeVersionArn: string } {
  const id = createHash('sha256').update(runtime).digest('hex');
  return { RuntimeVersionArn: `arn:aws:lambda:${scope.region}::runtime:${id}` };
}

export async function createFunction(core: LambdaCore, input: CreateFunctionInput): Promise<FunctionConfiguration> {
  const ref = functionRef(core, input.FunctionName);
  const v = new Violations();
  if (input.Role === undefined) v.list.push("Value null at 'role' failed to satisfy constraint: Member must not be null");
  if (input.Code === undefined) v.list.push("Value null at 'code' failed to satisfy constraint: Member must not be null");
  v.oneOf(input.PackageType, 'packageType', ['Zip', 'Image']);
  v.throwIfAny();
  checkArchitectures(input.Architectures);
  // a name over 64 characters is Lambda's InvalidParameterValueException, in the validation
  // wording (test_function_arns long_function_name_exc)
  const tooLong = new Violations().length(ref.name, 'functionName', 1, 64).list;
  if (tooLong.length) throw invalidParameter(`1 validation error detected: ${tooLong[0]}`);
  if (ref.qualifier !== undefined) throw invalidParameter('Unqualified ARN or function name expected, qualifier given.');
  if (input.PackageType === 'Image') throw invalidParameter('The embedded cloud runs Zip packages only; PackageType Image is not supported.');
  // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html: Runtime and Handler are
  // required for .zip packages; AWS's text when one is missing:
  if (input.Runtime === undefined || input.Handler === undefined) {
    throw invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  }
  checkConfiguration(input);
  if (core.state.get(ref.name)) throw resourceConflict(`Function already exist: ${ref.name}`);

  const code = await storeCode(core, input.Code);
  if (core.state.get(ref.name)) throw resourceConflict(`Function already exist: ${ref.name}`);
  const name = ref.name;
  const latest: FunctionConfiguration = {
    FunctionName: name,
    FunctionArn: functionArn(core.scope, name),
    Runtime: input.Runtime,
    Role: input.Role!,
    Handler: input.Handler,
    CodeSize: code.codeSize,
    Description: input.Description ?? '',
    Timeout: input.Timeout ?? DEFAULT_TIMEOUT,
    MemorySize: input.MemorySize ?? DEFAULT_MEMORY,
    LastModified: lambdaTimestamp(core.clock.now()),
    CodeSha256: code.codeSha256,
    Version: '$LATEST',
    ...(input.Environment?.Variables ? { Environment: { Variables: { ...input.Environment.Variables } } } : {}),
    RevisionId: newRevisionId(),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: input.Architectures?.length ? [...input.Architectures] : ['x86_64'],
    EphemeralStorage: { Size: 512 },
    TracingConfig: { Mode: 'PassThrough' },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
    RuntimeVersionConfig: runtimeVersion(core.scope, input.Runtime),
  };
  const record: FunctionRecord = { latest, versions: {}, nextVersion: 1, aliases: {}, tags: { ...(input.Tags ?? {}) } };
  core.state.set(name, record);
  if (input.Publish) return creating(publish(core, record, {}));
  core.state.save();
  return creating(latest);
}

/** FunctionArn as GetFunction/GetFunctionConfiguration show it: qualified when the caller qualified. */
export function configurationFor(core: LambdaCore, functionName: string, qualifier?: unknown): FunctionConfiguration {
  const ref = functionRef(core, functionName, qualifier);
  const record = requireFunction(core, ref.name, ref.qualifier);
  const config = resolveConfig(core, record, ref.qualifier);
  return ref.qualifier ? { ...config, FunctionArn: functionArn(core.scope, ref.name, ref.qualifier) } : config;
}

export function getFunction(core: LambdaCore, functionName: string, qualifier: string | undefined, endpoint: string) {
  const Configuration = configurationFor(core, functionName, qualifier);
  const record = requireFunction(core, Configuration.FunctionName);
  return {
    Configuration,
    // A presigned S3 URL on AWS; here a path on the emulator's own port (see the backend's notes).
    Code: { RepositoryType: 'S3', Location: `${endpoint}${codeLocationPath(Configuration.CodeSha256)}` },
    ...(Object.keys(record.tags).length ? { Tags: { ...record.tags } } : {}),
    ...(record.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: record.reservedConcurrency } } : {}),
  };
}

function checkRevision(current: string, given: string | undefined): void {
  if (given !== undefined && given !== current) {
    throw preconditionFailed(
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  }
}

function unqualified(core: LambdaCore, functionName: string): FunctionRecord {
  const ref = functionRef(core, functionName);
  if (ref.qualifier !== undefined) throw invalidParameter('Unqualified ARN or function name expected, qualifier given.');
  return requireFunction(core, ref.name);
}

export interface UpdateFunctionCodeInput extends FunctionCodeInput {
  FunctionName: string;
  Publish?: boolean;
  DryRun?: boolean;
  RevisionId?: string;
  Architectures?: string[];
}

export async function updateFunctionCode(core: LambdaCore, input: UpdateFunctionCodeInput): Promise<FunctionConfiguration> {
  checkArchitectures(input.Architectures);
  checkRevision(unqualified(core, input.FunctionName).latest.RevisionId, input.RevisionId);
  const code = await storeCode(core, input);
  // looked up again after the await: the function may have changed or gone meanwhile
  const record = unqualified(core, input.FunctionName);
  checkRevision(record.latest.RevisionId, input.RevisionId);
  const next: FunctionConfiguration = {
    ...record.latest,
    CodeSha256: code.codeSha256,
    CodeSize: code.codeSize,
    ...(input.Architectures?.length ? { Architectures: [...input.Architectures] } : {}),
    LastModified: lambdaTimestamp(core.clock.now()),
    RevisionId: newRevisionId(),
  };
  if (input.DryRun) {
    core.code.collect(core.state.referencedCode());
    return next;
  }
  record.latest = next;
  // stored first: a change that cannot be stored leaves the warm environments serving
  const answer = input.Publish ? publish(core, record, {}) : (core.state.save(), next);
  await core.runner.retire(next.FunctionName, '$LATEST');
  core.code.collect(core.state.referencedCode());
  // with Publish the answer is the new version, being created (test_publish_with_update)
  return input.Publish ? creating(answer) : updating(answer);
}

export interface UpdateFunctionConfigurationInput extends ConfigurationInput {
  FunctionName: string;
  RevisionId?: string;
}

export async function updateFunctionConfiguration(core: LambdaCore, input: UpdateFunctionConfigurationInput): Promise<FunctionConfiguration> {
  const record = unqualified(core, input.FunctionName);
  checkConfiguration(input);
  checkRevision(record.latest.RevisionId, input.RevisionId);
  const next: FunctionConfiguration = { ...record.latest };
  if (input.Role !== undefined) next.Role = input.Role;
  if (input.Runtime !== undefined) {
    next.Runtime = input.Runtime;
    next.RuntimeVersionConfig = runtimeVersion(core.scope, input.Runtime);
  }
  if (input.Handler !== undefined) next.Handler = input.Handler;
  if (input.Description !== undefined) next.Description = input.Description;
  if (input.Timeout !== undefined) next.Timeout = input.Timeout;
  if (input.MemorySize !== undefined) next.MemorySize = input.MemorySize;
  if (input.Environment !== undefined) {
    const vars = input.Environment.Variables ?? {};
    if (Object.keys(vars).length) next.Environment = { Variables: { ...vars } };
    else delete next.Environment;
  }
  next.LastModified = lambdaTimestamp(core.clock.now());
  next.RevisionId = newRevisionId();
  record.latest = next;
  core.state.save();
  await core.runner.retire(next.FunctionName, '$LATEST');
  return updating(next);
}

/** aliases that route to a version, either as main version or as additional version */
function aliasesUsing(record: FunctionRecord, version: string): string[] {
  return Object.values(record.aliases)
    .filter((a) => a.FunctionVersion === version || hasOwnKey(a.RoutingConfig?.AdditionalVersionWeights, version))
    .map((a) => a.Name)
    .sort();
}

/**
 * https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html: the function, or one
 * version (never $LATEST alone). As AWS answers (test_delete_on_nonexisting_version,
 * test_ops_with_arn_qualifier_mismatch): `$LATEST` is refused before the function is looked up, a
 * version that does not exist of a function that does is deleted already (204), and a function that
 * does not exist is named without the qualifier.
 */
export async function deleteFunction(core: LambdaCore, functionName: string, qualifier?: string): Promise<void> {
  const ref = functionRef(core, functionName, qualifier);
  if (ref.qualifier === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  const record = requireFunction(core, ref.name);
  if (ref.qualifier === undefined) {
    core.state.delete(ref.name);
    core.state.save();
    await core.runner.retire(ref.name);
    core.code.collect(core.state.referencedCode());
    return;
  }
  if (!/^\d+$/.test(ref.qualifier)) throw invalidParameter('Deletion of aliases is not currently supported.');
  if (!hasOwnKey(record.versions, ref.qualifier)) return;
  const users = aliasesUsing(record, ref.qualifier);
  if (users.length) throw resourceConflict(`Unable to delete version because the following aliases reference it: [${users.join(', ')}]`);
  deleteOwn(record.versions, ref.qualifier);
  core.state.save();
  await core.runner.retire(ref.name, ref.qualifier);
  core.code.collect(core.state.referencedCode());
}

export interface Page<T> {
  items: T[];
  next?: string;
}

/** Marker/MaxItems paging over a sorted list; the marker is opaque to clients. */
export function paginate<T>(items: T[], keyOf: (t: T) => string, marker?: string, maxItems?: number): Page<T> {
  new Violations().range(maxItems, 'maxItems', 1, 10000).throwIfAny();
  let start = 0;
  if (marker) {
    const after = Buffer.from(marker, 'base64url').toString('utf8');
    start = items.findIndex((t) => keyOf(t) === after) + 1;
    if (start === 0) throw invalidParameter('Invalid marker value.');
  }
  const size = maxItems ?? 50;
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  return { items: page, next: more ? Buffer.from(keyOf(page[page.length - 1])).toString('base64url') : undefined };
}

export function listFunctions(core: LambdaCore, marker?: string, maxItems?: number, functionVersion?: string) {
  new Violations().oneOf(functionVersion, 'functionVersion', ['ALL']).throwIfAny();
  const all: FunctionConfiguration[] = [];
  for (const record of core.state.records()) {
    all.push(record.latest);
    if (functionVersion === 'ALL') all.push(...sortedVersions(record));
  }
  const page = paginate(all, (c) => `${c.FunctionName}:${c.Version}`, marker, maxItems);
  return { Functions: page.items, ...(page.next ? { NextMarker: page.next } : {}) };
}

function sortedVersions(record: FunctionRecord): FunctionConfiguration[] {
  return Object.keys(record.versions)
    .map(Number)
    .sort((a, b) => a - b)
    .map((n) => record.versions[String(n)]);
}

export function listVersionsByFunction(core: LambdaCore, functionName: string, marker?: string, maxItems?: number) {
  const record = unqualified(core, functionName);
  const all = [{ ...record.latest, FunctionArn: functionArn(core.scope, record.latest.FunctionName, '$LATEST') }, ...sortedVersions(record)];
  const page = paginate(all, (c) => c.Version, marker, maxItems);
  return { Versions: page.items, ...(page.next ? { NextMarker: page.next } : {}) };
}

export interface PublishVersionInput {
  FunctionName: string;
  CodeSha256?: string;
  Description?: string;
  RevisionId?: string;
}

export function publishVersion(core: LambdaCore, input: PublishVersionInput): FunctionConfiguration {
  const record = unqualified(core, input.FunctionName);
  checkDescription(input.Description);
  checkRevision(record.latest.RevisionId, input.RevisionId);
  if (input.CodeSha256 !== undefined && input.CodeSha256 !== record.latest.CodeSha256) {
    throw invalidParameter(
      `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${record.latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
  }
  return publish(core, record, input);
}

/** $LATEST's content, what a version is published from: everything but identity, time and state */
function contentKey(c: FunctionConfiguration): string {
  const {
    FunctionArn: _a,
    Version: _v,
    RevisionId: _r,
    LastModified: _m,
    State: _s,
    StateReason: _sr,
    StateReasonCode: _sc,
    LastUpdateStatus: _u,
    LastUpdateStatusReason: _ur,
    LastUpdateStatusReasonCode: _uc,
    ...content
  } = c;
  return JSON.stringify(content);
}

/**
 * "Lambda doesn't publish a version if the function's configuration and code haven't changed since
 * the last version" — it returns the last version instead
 * (https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html). What counts is $LATEST
 * as it was when that version was published, its description included: a change of the
 * description alone publishes a new version, and PublishVersion's own Description does not make
 * one (test_version_lifecycle second_ and third_publish_response in LocalStack's AWS-validated
 * snapshots).
 */
function publish(core: LambdaCore, record: FunctionRecord, input: { Description?: string }): FunctionConfiguration {
  const previous = lastPublished(record);
  const key = contentKey(record.latest);
  // state stored before publishedFrom existed: compare with the version itself, its description aside
  const unchanged =
    previous !== undefined &&
    (record.publishedFrom !== undefined
      ? record.publishedFrom === key
      : contentKey({ ...previous, Description: '' }) === contentKey({ ...record.latest, Description: '' }));
  if (previous && unchanged) return previous;
  const number = String(record.nextVersion++);
  const version: FunctionConfiguration = {
    ...structuredClone(record.latest),
    FunctionArn: functionArn(core.scope, record.latest.FunctionName, number),
    Version: number,
    Description: input.Description ?? record.latest.Description,
    LastModified: lambdaTimestamp(core.clock.now()),
    RevisionId: newRevisionId(),
  };
  setOwn(record.versions, String(number), version);
  record.publishedFrom = key;
  core.state.save();
  return version;
}
