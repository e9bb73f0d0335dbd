/**
 * The SAM subset the lab deploys: Globals, AWS::Serverless::Function, AWS::Serverless::Api and
 * the implicit API that Api events without RestApiId create.
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html
 */
import { resolve } from 'node:path';
import { TemplateError } from './errors.js';
import { intrinsicName, isObject } from './intrinsics.js';
import { API_EVENT_PROPERTIES, DEPLOYMENT_PREFERENCE_KEYS, closestName } from './schema.js';
import type { SourceMap } from './yaml.js';
import type {
  ApiEventSpec,
  DeploymentPreferenceSpec,
  SamApi,
  SamFunction,
  SourcePosition,
  TemplateValue,
  UnsupportedResource,
} from './types.js';

type Obj = { [k: string]: TemplateValue };

/** The API SAM creates for Api events without RestApiId, and its stage. */
export const IMPLICIT_API_ID = 'ServerlessRestApi';
export const IMPLICIT_API_STAGE = 'Prod';

/** SAM's defaults when a template does not say. */
export const FUNCTION_DEFAULTS = { timeout: 3, memorySize: 128 } as const;

/**
 * Globals merge, as SAM documents it: a resource's primitive (or intrinsic) value replaces the
 * global one, maps merge key by key (the resource wins), lists are concatenated, globals first.
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html#sam-specification-template-anatomy-globals-overrideable
 */
export function mergeGlobals(global: TemplateValue | undefined, local: TemplateValue | undefined, positions: SourceMap): TemplateValue | undefined {
  if (global === undefined) return local;
  if (local === undefined) return global;
  if (Array.isArray(global) && Array.isArray(local)) {
    const out = [...global, ...local];
    [...global.map((_, i) => positions.at(global, i)), ...local.map((_, i) => positions.at(local, i))].forEach((p, i) => {
      if (p) positions.setKey(out, i, p);
    });
    return out;
  }
  if (isObject(global) && isObject(local) && !intrinsicName(global) && !intrinsicName(local)) {
    const out: Obj = {};
    const start = positions.at(local);
    if (start) positions.setStart(out, start);
    for (const key of new Set([...Object.keys(global), ...Object.keys(local)])) {
      out[key] = mergeGlobals(global[key], local[key], positions) as TemplateValue;
      const p = positions.at(key in local ? local : global, key);
      if (p) positions.setKey(out, key, p);
    }
    return out;
  }
  return local;
}

/** Reads typed fields of an evaluated property map, failing with the property's position. */
export class Props {
  constructor(
    readonly what: string,
    readonly props: Obj,
    readonly positions: SourceMap,
  ) {}

  at(key?: string): SourcePosition | undefined {
    return this.positions.at(this.props, key);
  }
  fail(key: string | undefined, message: string, hint?: string): never {
    throw new TemplateError(`${this.what}: ${message}`, this.at(key), hint);
  }
  private unresolved(key: string): never {
    return this.fail(key, `${key} must be known before deployment (it can use Parameters, Mappings and Conditions, not other resources)`);
  }
  has(key: string): boolean {
    return this.props[key] !== undefined && this.props[key] !== null;
  }
  string(key: string, required: true): string;
  string(key: string, required?: boolean): string | undefined;
  string(key: string, required = false): string | undefined {
    const v = this.props[key];
    if (v === undefined || v === null) return required ? this.fail(undefined, `${key} is required`) : undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (intrinsicName(v)) this.unresolved(key);
    return this.fail(key, `${key} must be a string`);
  }
  number(key: string, range: [number, number], integer = true): number | undefined {
    const v = this.props[key];
    if (v === undefined || v === null) return undefined;
    if (intrinsicName(v)) this.unresolved(key);
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) this.fail(key, `${key} must be ${integer ? 'an integer' : 'a number'}, got ${JSON.stringify(v)}`);
    if (n < range[0] || n > range[1]) this.fail(key, `${key} must be between ${range[0]} and ${range[1]}, got ${n}`);
    return n;
  }
  boolean(key: string): boolean | undefined {
    const v = this.props[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    if (intrinsicName(v)) this.unresolved(key);
    return this.fail(key, `${key} must be true or false`);
  }
  map(key: string): Obj | undefined {
    const v = this.props[key];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v) || intrinsicName(v)) this.fail(key, `${key} must be a mapping`);
    return v as Obj;
  }
  /** Unknown keys are errors that name the key, and the known one it is a typo of if there is one. */
  only(allowed: Set<string>, what = 'property'): void {
    for (const key of Object.keys(this.props)) {
      if (allowed.has(key)) continue;
      const meant = closestName(key, allowed);
      if (meant) this.fail(key, `unknown ${what} ${key}: did you mean ${meant}?`, `names are spelt exactly, case included: write ${meant}`);
      this.fail(key, `unknown ${what} ${key}`, `known: ${[...allowed].join(', ')}`);
    }
  }
  child(key: string, what: string): Props | undefined {
    const m = this.map(key);
    return m ? new Props(`${this.what} ${what}`, m, this.positions) : undefined;
  }
}

/** True when some Api event of these (merged, not yet evaluated) function properties has no RestApiId. */
export function usesImplicitApi(props: Obj): boolean {
  const events = props.Events;
  if (!isObject(events)) return false;
  return Object.values(events).some((e) => isObject(e) && e.Type === 'Api' && !(isObject(e.Properties) && e.Properties.RestApiId !== undefined));
}

export function buildFunction(
  logicalId: string,
  p: Props,
  templateDir: string,
  explicitApis: Set<string>,
  unsupported: UnsupportedResource[],
  position: SourcePosition | undefined,
): SamFunction {
  const codeUri = p.string('CodeUri');
  if (codeUri === undefined) {
    if (p.has('CodeUri')) p.fail('CodeUri', 'CodeUri must be a local folder (an S3 location is not emulated)');
    p.fail(undefined, 'CodeUri is required (a folder relative to the template)');
  }
  const handler = p.string('Handler', true);
  const runtime = p.string('Runtime', true);
  if (!/^nodejs\d+\.x$/.test(runtime)) p.fail('Runtime', `Runtime ${runtime} is not emulated: the local cloud runs Node.js functions`, 'use nodejs20.x or nodejs22.x');
  const env = p.child('Environment', 'Environment');
  env?.only(new Set(['Variables']));
  const variables = env?.map('Variables') ?? {};
  const alias = p.string('AutoPublishAlias');
  if (alias !== undefined && !/^[A-Za-z0-9]+$/.test(alias)) p.fail('AutoPublishAlias', `AutoPublishAlias must be alphanumeric, got "${alias}"`);
  const architectures = p.props.Architectures;
  if (architectures !== undefined && !(Array.isArray(architectures) && architectures.every((a) => typeof a === 'string'))) {
    p.fail('Architectures', 'Architectures must be a list such as [x86_64] or [arm64]');
  }
  const fn: SamFunction = {
    logicalId,
    codeUri,
    codeDir: resolve(templateDir, codeUri),
    handler,
    runtime,
    // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (Timeout 1-900 s, MemorySize 128-10240 MB)
    timeout: p.number('Timeout', [1, 900]) ?? FUNCTION_DEFAULTS.timeout,
    memorySize: p.number('MemorySize', [128, 10240]) ?? FUNCTION_DEFAULTS.memorySize,
    environment: variables,
    versionLogicalId: `${logicalId}Version`,
    events: [],
    architectures: (architectures as string[] | undefined) ?? ['x86_64'],
    position,
  };
  if (p.has('FunctionName')) fn.functionName = p.props.FunctionName;
  if (alias !== undefined) {
    fn.autoPublishAlias = alias;
    fn.aliasLogicalId = `${logicalId}Alias${alias}`;
  }
  const reserved = p.number('ReservedConcurrentExecutions', [0, 1_000_000]);
  if (reserved !== undefined) fn.reservedConcurrentExecutions = reserved;
  const description = p.string('Description');
  if (description !== undefined) fn.description = description;
  const tracing = p.string('Tracing');
  if (tracing !== undefined) fn.tracing = tracing;
  if (p.has('Policies')) fn.policies = p.props.Policies;
  if (p.has('Role')) fn.role = p.props.Role;
  const pref = p.child('DeploymentPreference', 'DeploymentPreference');
  if (pref) {
    fn.deploymentPreference = buildDeploymentPreference(pref);
    // SAM refuses only an enabled preference without an alias (tests/translator/output/error_function_with_deployment_preference_missing_alias.json)
    if (alias === undefined && fn.deploymentPreference.enabled) {
      p.fail('DeploymentPreference', "DeploymentPreference requires AutoPublishAlias property to be specified", 'add e.g. AutoPublishAlias: live');
    }
  }
  const events = p.map('Events') ?? {};
  for (const [name, event] of Object.entries(events)) {
    const e = new Props(`${logicalId} event ${name}`, isObject(event) ? event : {}, p.positions);
    if (!isObject(event)) p.fail(undefined, `event ${name} must be a mapping with Type and Properties`);
    e.only(new Set(['Type', 'Properties']));
    const type = e.string('Type', true);
    if (type !== 'Api') {
      unsupported.push({ logicalId: `${logicalId}.Events.${name}`, type: `${type} event`, position: e.at('Type') });
      continue;
    }
    fn.events.push(buildApiEvent(name, e.child('Properties', 'Properties') ?? e.fail(undefined, 'Properties (Path, Method) are required'), explicitApis));
  }
  return fn;
}

function buildDeploymentPreference(d: Props): DeploymentPreferenceSpec {
  d.only(DEPLOYMENT_PREFERENCE_KEYS);
  const type = d.string('Type', true);
  const alarms = d.props.Alarms ?? [];
  if (!Array.isArray(alarms) && !intrinsicName(alarms)) d.fail('Alarms', 'Alarms must be a list');
  const hooks = d.child('Hooks', 'Hooks');
  hooks?.only(new Set(['PreTraffic', 'PostTraffic']), 'hook');
  const spec: DeploymentPreferenceSpec = {
    type,
    enabled: d.boolean('Enabled') ?? true,
    alarms: Array.isArray(alarms) ? alarms : [alarms],
    hooks: {},
    other: {},
  };
  if (hooks?.has('PreTraffic')) spec.hooks.preTraffic = hooks.props.PreTraffic;
  if (hooks?.has('PostTraffic')) spec.hooks.postTraffic = hooks.props.PostTraffic;
  for (const key of ['Role', 'TriggerConfigurations', 'PassthroughCondition']) if (d.has(key)) spec.other[key] = d.props[key];
  return spec;
}

/** https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-api.html */
function buildApiEvent(name: string, e: Props, explicitApis: Set<string>): ApiEventSpec {
  e.only(API_EVENT_PROPERTIES);
  const path = e.string('Path', true);
  if (!path.startsWith('/')) e.fail('Path', `Path must start with /, got "${path}"`);
  const method = e.string('Method', true).toUpperCase();
  const methods = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
  if (!methods.includes(method)) e.fail('Method', `Method must be one of ${methods.join(', ')} (or any), got ${method}`);
  let restApiLogicalId = IMPLICIT_API_ID;
  const rest = e.props.RestApiId;
  if (rest !== undefined && rest !== null) {
    const id = isObject(rest) && typeof rest.Ref === 'string' ? rest.Ref : typeof rest === 'string' ? rest : undefined;
    if (!id || !explicitApis.has(id)) e.fail('RestApiId', 'RestApiId must be !Ref of an AWS::Serverless::Api of this template');
    restApiLogicalId = id;
  }
  return { name, path, method, restApiLogicalId };
}

export function buildApi(logicalId: string, p: Props | undefined, implicit: boolean, position: SourcePosition | undefined): SamApi {
  // The implicit API's stage is always Prod: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html
  const stageName = implicit ? IMPLICIT_API_STAGE : p!.string('StageName', true);
  if (!/^[A-Za-z0-9_-]+$/.test(stageName)) p?.fail('StageName', `StageName may contain only letters, digits, - and _, got "${stageName}"`);
  const variables = p?.map('Variables') ?? {};
  const api: SamApi = {
    logicalId,
    implicit,
    stageName,
    // SAM names the stage resource after the API and the stage, without non-alphanumerics.
    stageLogicalId: `${logicalId}${stageName.replace(/[^A-Za-z0-9]/g, '')}Stage`,
    variables,
    routes: [],
    position,
  };
  const canary = p?.map('CanarySetting');
  if (canary) api.canarySetting = canary;
  if (p?.has('Name')) api.name = p.props.Name;
  return api;
}
