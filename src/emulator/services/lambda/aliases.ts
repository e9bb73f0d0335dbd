import { functionArn } from './arn.js';
import { deleteOwn, getOwn, hasOwnKey, setOwn } from '../../core/own-key.js';
import { invalidParameter, preconditionFailed, resourceConflict, resourceNotFound, validationException } from './errors.js';
import { paginate } from './functions.js';
import type { AliasConfiguration, AliasRoutingConfiguration, FunctionRecord } from './model.js';
import { functionNotFound, functionRef, newRevisionId, requireFunction, type LambdaCore } from './state.js';
import { ALIAS_PATTERN, ALIAS_RE, checkDescription, VERSION_PATTERN, VERSION_RE, Violations } from './validation.js';

/**
 * Aliases: CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases, and the weighted choice of
 * a version per invocation. https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html
 */

export interface AliasInput {
  FunctionName: string;
  Name: string;
  FunctionVersion?: string;
  Description?: string;
  RoutingConfig?: AliasRoutingConfiguration;
  RevisionId?: string;
}

/** `shownQualifier`: CreateAlias names the version it was given when the function does not exist */
function unqualifiedRecord(core: LambdaCore, functionName: string, shownQualifier?: string): FunctionRecord {
  const ref = functionRef(core, functionName);
  if (ref.qualifier !== undefined) throw invalidParameter('Unqualified ARN or function name expected, qualifier given.');
  return requireFunction(core, ref.name, shownQualifier);
}

function checkAliasName(name: unknown): string {
  const text = typeof name === 'string' ? name : '';
  new Violations().length(text, 'name', 1, 128).pattern(text, 'name', ALIAS_RE, ALIAS_PATTERN).throwIfAny();
  return text;
}

function checkVersion(core: LambdaCore, record: FunctionRecord, version: string): void {
  new Violations().length(version, 'functionVersion', 1, 1024).pattern(version, 'functionVersion', VERSION_RE, VERSION_PATTERN).throwIfAny();
  if (version !== '$LATEST' && !hasOwnKey(record.versions, version)) throw functionNotFound(core.scope, record.latest.FunctionName, version);
}

/**
 * AWS's rules for AdditionalVersionWeights: at most one additional version, a weight in [0, 1],
 * a published version that exists, not the alias's own version, and no routing from $LATEST.
 * https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html
 */
function checkRouting(core: LambdaCore, record: FunctionRecord, mainVersion: string, routing: AliasRoutingConfiguration | undefined) {
  const weights = routing?.AdditionalVersionWeights ?? {};
  const entries = Object.entries(weights);
  if (entries.length > 1) throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  for (const [version, weight] of entries) {
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) {
      throw validationException([
        `Value '{${version}=${javaDouble(weight)}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]`,
      ]);
    }
    if (!/^[0-9]+$/.test(version)) {
      throw validationException([
        `Value '{${version}=${javaDouble(weight)}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]`,
      ]);
    }
    if (version === mainVersion) {
      throw invalidParameter(`Invalid function version ${mainVersion}. Function version ${mainVersion} is already included in routing configuration.`);
    }
    if (mainVersion === '$LATEST') throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
    if (!hasOwnKey(record.versions, version)) throw functionNotFound(core.scope, record.latest.FunctionName, version);
  }
  return entries.length ? { AdditionalVersionWeights: { ...weights } } : undefined;
}

/** a weight as Lambda's (Java) front end prints a double: `2.0`, `-1.0`, `0.5` */
function javaDouble(n: unknown): string {
  return typeof n === 'number' && Number.isInteger(n) ? n.toFixed(1) : String(n);
}

function aliasArn(core: LambdaCore, record: FunctionRecord, name: string): string {
  return functionArn(core.scope, record.latest.FunctionName, name);
}

/** AWS's text: `Cannot find alias arn: arn:aws:lambda:us-east-1:000000000000:function:fn:live` */
function requireAlias(core: LambdaCore, record: FunctionRecord, name: string): AliasConfiguration {
  const alias = getOwn(record.aliases, name);
  if (!alias) throw resourceNotFound(`Cannot find alias arn: ${aliasArn(core, record, name)}`);
  return alias;
}

export function createAlias(core: LambdaCore, input: AliasInput): AliasConfiguration {
  const name = checkAliasName(input.Name);
  const record = unqualifiedRecord(core, input.FunctionName, input.FunctionVersion);
  if (input.FunctionVersion === undefined) {
    throw validationException(["Value null at 'functionVersion' failed to satisfy constraint: Member must not be null"]);
  }
  checkDescription(input.Description);
  checkVersion(core, record, input.FunctionVersion);
  if (hasOwnKey(record.aliases, name)) throw resourceConflict(`Alias already exists: ${aliasArn(core, record, name)}`);
  const routing = checkRouting(core, record, input.FunctionVersion, input.RoutingConfig);
  const alias: AliasConfiguration = {
    AliasArn: aliasArn(core, record, name),
    Name: name,
    FunctionVersion: input.FunctionVersion,
    Description: input.Description ?? '',
    ...(routing ? { RoutingConfig: routing } : {}),
    RevisionId: newRevisionId(),
  };
  setOwn(record.aliases, name, alias);
  core.state.save();
  return alias;
}

export function getAlias(core: LambdaCore, functionName: string, name: string): AliasConfiguration {
  const alias = checkAliasName(name);
  return requireAlias(core, unqualifiedRecord(core, functionName), alias);
}

export function updateAlias(core: LambdaCore, input: AliasInput): AliasConfiguration {
  const name = checkAliasName(input.Name);
  const record = unqualifiedRecord(core, input.FunctionName);
  // UpdateAlias's own text (test_non_existent_alias_update), not GetAlias's "Cannot find alias arn"
  const current = getOwn(record.aliases, name);
  if (!current) throw resourceNotFound(`Alias not found: ${aliasArn(core, record, name)}`);
  checkDescription(input.Description);
  if (input.RevisionId !== undefined && input.RevisionId !== current.RevisionId) {
    throw preconditionFailed(
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  }
  const mainVersion = input.FunctionVersion ?? current.FunctionVersion;
  if (input.FunctionVersion !== undefined) checkVersion(core, record, input.FunctionVersion);
  // routing left out keeps the current one; `{AdditionalVersionWeights: {}}` clears it
  const routing = checkRouting(core, record, mainVersion, input.RoutingConfig ?? current.RoutingConfig);
  const next: AliasConfiguration = {
    AliasArn: current.AliasArn,
    Name: name,
    FunctionVersion: mainVersion,
    Description: input.Description ?? current.Description,
    ...(routing ? { RoutingConfig: routing } : {}),
    RevisionId: newRevisionId(),
  };
  setOwn(record.aliases, name, next);
  core.state.save();
  return next;
}

/** DeleteAlias answers 204 even when the alias is already gone (the model lists no ResourceNotFoundException). */
export function deleteAlias(core: LambdaCore, functionName: string, name: string): void {
  const alias = checkAliasName(name);
  const record = unqualifiedRecord(core, functionName);
  if (deleteOwn(record.aliases, alias)) {
    core.state.save();
  }
}

export function listAliases(core: LambdaCore, functionName: string, functionVersion?: string, marker?: string, maxItems?: number) {
  const record = unqualifiedRecord(core, functionName);
  if (functionVersion !== undefined) {
    new Violations().pattern(functionVersion, 'functionVersion', VERSION_RE, VERSION_PATTERN).throwIfAny();
  }
  const all = Object.values(record.aliases)
    .filter((a) => functionVersion === undefined || a.FunctionVersion === functionVersion)
    .sort((a, b) => a.Name.localeCompare(b.Name));
  const page = paginate(all, (a) => a.Name, marker, maxItems);
  return { Aliases: page.items, ...(page.next ? { NextMarker: page.next } : {}) };
}

/**
 * The version one invocation of an alias runs: the additional version with probability equal to its
 * weight, the main version otherwise. `random` is injected so tests can make it deterministic.
 */
export function pickVersion(alias: Pick<AliasConfiguration, 'FunctionVersion' | 'RoutingConfig'>, random: () => number): string {
  let r = random();
  for (const [version, weight] of Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {})) {
    if (r < weight) return version;
    r -= weight;
  }
  return alias.FunctionVersion;
}
