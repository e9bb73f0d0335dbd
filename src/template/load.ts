/**
 * loadTemplate: file → SamTemplate. Parameters, pseudo parameters, Mappings and Conditions are
 * resolved here; references to resources are kept for the deployer (`SamTemplate.evaluate`).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TemplateError } from './errors.js';
import { Evaluator, isObject, type EvalScope, type Resolver } from './intrinsics.js';
import { Conditions, resolveParameters } from './parameters.js';
import { IMPLICIT_API_ID, IMPLICIT_API_STAGE, Props, buildApi, buildFunction, mergeGlobals, usesImplicitApi } from './sam.js';
import {
  ALARM_PROPERTIES,
  ALARM_TYPE,
  API_GLOBALS,
  API_PROPERTIES,
  API_TYPE,
  BUCKET_PROPERTIES,
  BUCKET_TYPE,
  FUNCTION_GLOBALS,
  FUNCTION_PROPERTIES,
  FUNCTION_TYPE,
  OUTPUT_KEYS,
  PLAIN_TYPES,
  RESOURCE_ATTRIBUTES,
  unknownType,
  TOP_LEVEL_SECTIONS,
} from './schema.js';
import { parseTemplateText, type SourceMap } from './yaml.js';
import type { LoadOptions, OutputSpec, SamApi, SamTemplate, TemplateValue } from './types.js';

type Obj = { [k: string]: TemplateValue };

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';
/** https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html */
const DELETION_POLICIES = new Set(['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot']);

/** Reads and loads a template file (YAML or JSON). */
export async function loadTemplate(file: string, options: LoadOptions = {}): Promise<SamTemplate> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TemplateError(code === 'ENOENT' ? `template not found: ${file}` : `cannot read template ${file}: ${(err as Error).message}`);
  }
  return parseTemplate(text, file, options);
}

/** Loads template text; `file` names it in messages and anchors CodeUri. */
export function parseTemplate(text: string, file: string, options: LoadOptions = {}): SamTemplate {
  const { value: root, positions } = parseTemplateText(text, file);
  if (!isObject(root)) throw new TemplateError('a template must be a mapping with a Resources section', positions.at(root) ?? { file, line: 1, column: 1 });
  for (const key of Object.keys(root)) {
    if (!TOP_LEVEL_SECTIONS.has(key)) throw new TemplateError(`unknown template section ${key}`, positions.at(root, key), `sections: ${[...TOP_LEVEL_SECTIONS].join(', ')}`);
  }
  const resources = root.Resources;
  if (!isObject(resources) || Object.keys(resources).length === 0) {
    throw new TemplateError('the template needs a Resources section with at least one resource', positions.at(root, 'Resources') ?? { file, line: 1, column: 1 });
  }
  const region = options.region ?? 'us-east-1';
  const pseudo = {
    region,
    accountId: options.accountId ?? '123456789012',
    stackName: options.stackName ?? 'serverless-ops-lab',
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html
    partition: region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws',
    urlSuffix: region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com',
  };
  const parameters = resolveParameters(root.Parameters, options.parameterOverrides ?? {}, positions, root);
  const conditionSection = sectionMap(root, 'Conditions', positions);
  const conditions = new Conditions(conditionSection, positions);
  const scope: EvalScope = {
    parameters,
    pseudo,
    mappings: sectionMap(root, 'Mappings', positions),
    condition: (name, at) => conditions.get(name, at),
    resources: new Set(Object.keys(resources)),
    aliases: new Map(),
    functions: new Set(),
    outputs: new Set(isObject(root.Outputs) ? Object.keys(root.Outputs) : []),
    positions,
  };
  const load = new Evaluator(scope);
  conditions.bind(load);
  const conditionValues = conditions.all();

  checkTransform(root, resources, positions);
  const globals = sectionMap(root, 'Globals', positions);
  for (const key of Object.keys(globals)) {
    if (!['Function', 'Api'].includes(key)) throw new TemplateError(`Globals.${key} is not supported here (only Function and Api)`, positions.at(globals, key));
  }
  const fnGlobals = globalsOf(globals, 'Function', FUNCTION_GLOBALS, positions);
  const apiGlobals = globalsOf(globals, 'Api', API_GLOBALS, positions);

  // First pass: which resources exist, their attributes, merged properties and SAM's generated ids.
  const active: Array<{ id: string; type: string; props: Obj; at: Obj }> = [];
  let implicitApi = false;
  for (const [id, res] of Object.entries(resources)) {
    if (!isObject(res)) throw new TemplateError(`resource ${id} must be a mapping with a Type`, positions.at(resources, id));
    for (const key of Object.keys(res)) {
      if (!RESOURCE_ATTRIBUTES.has(key)) throw new TemplateError(`resource ${id}: unknown attribute ${key}`, positions.at(res, key));
    }
    if (typeof res.Type !== 'string') throw new TemplateError(`resource ${id} has no Type`, positions.at(resources, id));
    const unknown = unknownType(res.Type);
    if (unknown) throw new TemplateError(`resource ${id}: ${unknown.reason}`, positions.at(res, 'Type'), unknown.suggestion ? `did you mean ${unknown.suggestion}?` : undefined);
    if (res.Condition !== undefined) {
      if (typeof res.Condition !== 'string' || !conditions.has(res.Condition)) {
        throw new TemplateError(`resource ${id}: Condition ${JSON.stringify(res.Condition)} is not declared in Conditions`, positions.at(res, 'Condition'));
      }
      if (!conditionValues[res.Condition]) continue;
    }
    const own = res.Properties ?? {};
    if (!isObject(own)) throw new TemplateError(`resource ${id}: Properties must be a mapping`, positions.at(res, 'Properties'));
    let props = own;
    if (res.Type === FUNCTION_TYPE) {
      new Props(`${id} (${FUNCTION_TYPE})`, own, positions).only(FUNCTION_PROPERTIES);
      props = mergeGlobals(fnGlobals, own, positions) as Obj;
      scope.functions.add(id);
      scope.resources.add(`${id}Role`).add(`${id}Version`);
      const alias = load.value(props.AutoPublishAlias ?? null);
      if (typeof alias === 'string') {
        scope.aliases.set(id, `${id}Alias${alias}`);
        scope.resources.add(`${id}Alias${alias}`);
      }
      if (props.DeploymentPreference !== undefined) {
        scope.resources.add(`${id}DeploymentGroup`).add('ServerlessDeploymentApplication').add('CodeDeployServiceRole');
      }
      if (isObject(props.Events)) for (const e of Object.keys(props.Events)) scope.resources.add(`${id}${e}Permission`);
      if (usesImplicitApi(props)) implicitApi = true;
    } else if (res.Type === API_TYPE) {
      new Props(`${id} (${API_TYPE})`, own, positions).only(API_PROPERTIES);
      props = mergeGlobals(apiGlobals, own, positions) as Obj;
      scope.resources.add(`${id}Deployment`);
    }
    active.push({ id, type: res.Type, props, at: res });
  }
  if (implicitApi) {
    if (scope.resources.has(IMPLICIT_API_ID)) {
      throw new TemplateError(`${IMPLICIT_API_ID} is the id SAM gives the implicit API: rename that resource`, positions.at(resources, IMPLICIT_API_ID));
    }
    scope.resources.add(IMPLICIT_API_ID).add(`${IMPLICIT_API_ID}${IMPLICIT_API_STAGE}Stage`).add(`${IMPLICIT_API_ID}Deployment`);
  }

  // Second pass: evaluate and type each emulated resource.
  const dir = dirname(resolve(file));
  const template: SamTemplate = {
    file: resolve(file),
    dir,
    parameters,
    conditions: conditionValues,
    pseudo,
    functions: [],
    apis: [],
    alarms: [],
    buckets: [],
    unsupported: [],
    plain: [],
    dependsOn: new Map(),
    deletionPolicies: new Map(),
    outputs: [],
    evaluate: (value, resolver) => new Evaluator(scope, resolver as Resolver).value(value),
  };
  if (typeof root.Description === 'string') template.description = root.Description;
  const explicitApis = new Set(active.filter((r) => r.type === API_TYPE).map((r) => r.id));
  for (const { id, type, props, at } of active) {
    const position = positions.at(at);
    if (type === API_TYPE) {
      const p = new Props(`${id} (${API_TYPE})`, load.value(props) as Obj, positions);
      const api = buildApi(id, p, false, position);
      template.apis.push(api);
      scope.resources.add(api.stageLogicalId);
    }
  }
  if (implicitApi) {
    const p = apiGlobals ? new Props(`Globals.Api (implicit ${IMPLICIT_API_ID})`, load.value(apiGlobals) as Obj, positions) : undefined;
    template.apis.push(buildApi(IMPLICIT_API_ID, p, true, undefined));
  }
  for (const { id, at } of active) {
    if (at.DependsOn === undefined) continue;
    const list = Array.isArray(at.DependsOn) ? at.DependsOn : [at.DependsOn];
    for (const d of list) {
      if (typeof d !== 'string' || !scope.resources.has(d)) {
        throw new TemplateError(`resource ${id}: DependsOn ${JSON.stringify(d)} is not a resource of this template`, positions.at(at, 'DependsOn'));
      }
    }
    template.dependsOn.set(id, list as string[]);
  }
  for (const { id, at } of active) {
    if (at.DeletionPolicy === undefined) continue;
    if (typeof at.DeletionPolicy !== 'string' || !DELETION_POLICIES.has(at.DeletionPolicy)) {
      throw new TemplateError(`resource ${id}: DeletionPolicy ${JSON.stringify(at.DeletionPolicy)} is not one of ${[...DELETION_POLICIES].join(', ')}`, positions.at(at, 'DeletionPolicy'));
    }
    template.deletionPolicies.set(id, at.DeletionPolicy);
  }
  for (const { id, type, props, at } of active) {
    const position = positions.at(at);
    const what = `${id} (${type})`;
    if (type === FUNCTION_TYPE) {
      const p = new Props(what, load.value(props) as Obj, positions);
      const fn = buildFunction(id, p, dir, explicitApis, template.unsupported, position);
      template.functions.push(fn);
      for (const e of fn.events) {
        const api = template.apis.find((a) => a.logicalId === e.restApiLogicalId) as SamApi;
        api.routes.push({ path: e.path, method: e.method, functionLogicalId: id, eventName: e.name });
      }
    } else if (type === ALARM_TYPE) {
      const p = new Props(what, load.value(props) as Obj, positions);
      p.only(ALARM_PROPERTIES);
      template.alarms.push({ logicalId: id, properties: p.props, position });
    } else if (type === BUCKET_TYPE) {
      const p = new Props(what, load.value(props) as Obj, positions);
      p.only(BUCKET_PROPERTIES);
      const bucket = { logicalId: id, properties: p.props, position, ...(p.has('BucketName') ? { bucketName: p.props.BucketName } : {}) };
      template.buckets.push(bucket);
    } else if (PLAIN_TYPES.has(type)) {
      const plain = { logicalId: id, type, properties: load.value(props) as Obj, position };
      const policy = at.UpdatePolicy;
      template.plain.push(isObject(policy) ? { ...plain, updatePolicy: load.value(policy) as Obj } : plain);
    } else if (type !== API_TYPE) {
      template.unsupported.push({ logicalId: id, type, position });
    }
  }
  template.outputs = loadOutputs(root, load, conditions, positions);
  return template;
}

function sectionMap(root: Obj, name: string, positions: SourceMap): Obj {
  const v = root[name];
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new TemplateError(`${name} must be a mapping`, positions.at(root, name));
  return v;
}

function globalsOf(globals: Obj, key: string, allowed: Set<string>, positions: SourceMap): Obj | undefined {
  const g = globals[key];
  if (g === undefined || g === null) return undefined;
  if (!isObject(g)) throw new TemplateError(`Globals.${key} must be a mapping`, positions.at(globals, key));
  new Props(`Globals.${key}`, g, positions).only(allowed, 'Globals property');
  return g;
}

function checkTransform(root: Obj, resources: Obj, positions: SourceMap): void {
  const t = root.Transform;
  const list = t === undefined ? [] : Array.isArray(t) ? t : [t];
  for (const item of list) {
    if (item !== SAM_TRANSFORM) {
      throw new TemplateError(`Transform ${JSON.stringify(item)} is not emulated (only ${SAM_TRANSFORM})`, positions.at(root, 'Transform'));
    }
  }
  const usesSam = Object.values(resources).some((r) => isObject(r) && typeof r.Type === 'string' && r.Type.startsWith('AWS::Serverless::'));
  if ((usesSam || root.Globals !== undefined) && list.length === 0) {
    throw new TemplateError(`AWS::Serverless resources need "Transform: ${SAM_TRANSFORM}"`, positions.at(root, 'Resources'));
  }
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html */
function loadOutputs(root: Obj, load: Evaluator, conditions: Conditions, positions: SourceMap): OutputSpec[] {
  const section = sectionMap(root, 'Outputs', positions);
  const out: OutputSpec[] = [];
  for (const [name, o] of Object.entries(section)) {
    if (!isObject(o)) throw new TemplateError(`output ${name} must be a mapping with a Value`, positions.at(section, name));
    const p = new Props(`output ${name}`, o, positions);
    p.only(OUTPUT_KEYS, 'output attribute');
    if (o.Value === undefined) p.fail(undefined, 'Value is required');
    if (o.Condition !== undefined) {
      if (typeof o.Condition !== 'string' || !conditions.has(o.Condition)) p.fail('Condition', `Condition ${JSON.stringify(o.Condition)} is not declared in Conditions`);
      if (!conditions.get(o.Condition as string)) continue;
    }
    const spec: OutputSpec = { name, value: load.value(o.Value), position: positions.at(section, name) };
    if (typeof o.Description === 'string') spec.description = o.Description;
    const exp = p.child('Export', 'Export');
    if (exp) {
      exp.only(new Set(['Name']));
      spec.exportName = load.value(exp.props.Name ?? null);
    }
    out.push(spec);
  }
  return out;
}
