/**
 * Parameters (defaults, overrides, type and AllowedValues checks) and Conditions.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html
 */
import { TemplateError } from './errors.js';
import { isObject, type Evaluator, type ParameterValue } from './intrinsics.js';
import { PARAMETER_KEYS } from './schema.js';
import type { SourceMap } from './yaml.js';
import type { TemplateValue } from './types.js';

type Obj = { [k: string]: TemplateValue };

export function resolveParameters(
  section: TemplateValue,
  overrides: Record<string, string>,
  positions: SourceMap,
  sectionHolder: Obj,
): Record<string, ParameterValue> {
  const out: Record<string, ParameterValue> = {};
  const params: Obj = section === undefined || section === null ? {} : (section as Obj);
  if (!isObject(params)) throw new TemplateError('Parameters must be a mapping', positions.at(sectionHolder, 'Parameters'));
  for (const name of Object.keys(overrides)) {
    if (!(name in params)) {
      throw new TemplateError(`parameter override "${name}": the template declares no such parameter`, positions.at(sectionHolder, 'Parameters'),
        Object.keys(params).length ? `its parameters: ${Object.keys(params).join(', ')}` : 'the template has no Parameters');
    }
  }
  for (const [name, decl] of Object.entries(params)) {
    if (!isObject(decl)) throw new TemplateError(`parameter ${name} must be a mapping with a Type`, positions.at(params, name));
    for (const key of Object.keys(decl)) {
      if (!PARAMETER_KEYS.has(key)) throw new TemplateError(`parameter ${name}: unknown attribute ${key}`, positions.at(decl, key));
    }
    const type = decl.Type;
    if (typeof type !== 'string') throw new TemplateError(`parameter ${name} has no Type`, positions.at(params, name));
    const overridden = name in overrides;
    const raw = overridden ? overrides[name] : decl.Default;
    const where = overridden ? positions.at(params, name) : positions.at(decl, 'Default');
    const what = overridden ? `parameter ${name} (override)` : `parameter ${name}`;
    if (raw === undefined || raw === null) {
      throw new TemplateError(`parameter ${name} has no value: give it a Default or an override`, positions.at(params, name),
        `e.g. --parameter-overrides ${name}=<value>`);
    }
    if (typeof raw === 'object') throw new TemplateError(`${what}: the value must be a string`, where);
    out[name] = checkValue(name, what, type, String(raw), decl, where, positions);
  }
  return out;
}

function checkValue(
  name: string,
  what: string,
  type: string,
  value: string,
  decl: Obj,
  where: ReturnType<SourceMap['at']>,
  positions: SourceMap,
): ParameterValue {
  const fail = (reason: string): never => {
    const hint = typeof decl.ConstraintDescription === 'string' ? decl.ConstraintDescription : undefined;
    throw new TemplateError(`${what}: ${reason}`, where, hint);
  };
  let result: ParameterValue;
  const isList = type === 'CommaDelimitedList' || type.startsWith('List<');
  if (type.startsWith('AWS::SSM::Parameter::')) {
    throw new TemplateError(`parameter ${name}: SSM parameter types are not emulated`, positions.at(decl, 'Type'));
  }
  if (isList) result = value === '' ? [] : value.split(',').map((s) => s.trim());
  else result = value;
  const items = Array.isArray(result) ? result : [result];
  if (type === 'Number' || type === 'List<Number>') {
    for (const item of items) if (item.trim() === '' || !Number.isFinite(Number(item))) fail(`"${item}" is not a number`);
    if (type === 'Number') {
      const n = Number(value);
      if (typeof decl.MinValue === 'number' && n < decl.MinValue) fail(`${n} is below MinValue ${decl.MinValue}`);
      if (typeof decl.MaxValue === 'number' && n > decl.MaxValue) fail(`${n} is above MaxValue ${decl.MaxValue}`);
    }
  } else if (type !== 'String' && !isList && !type.startsWith('AWS::')) {
    throw new TemplateError(`parameter ${name}: unknown Type ${type}`, positions.at(decl, 'Type'),
      'use String, Number, CommaDelimitedList or List<Number>');
  }
  if (type === 'String') {
    if (typeof decl.MinLength === 'number' && value.length < decl.MinLength) fail(`shorter than MinLength ${decl.MinLength}`);
    if (typeof decl.MaxLength === 'number' && value.length > decl.MaxLength) fail(`longer than MaxLength ${decl.MaxLength}`);
    if (typeof decl.AllowedPattern === 'string' && !new RegExp(`^(?:${decl.AllowedPattern})$`).test(value)) {
      fail(`"${value}" does not match AllowedPattern ${decl.AllowedPattern}`);
    }
  }
  if (decl.AllowedValues !== undefined) {
    if (!Array.isArray(decl.AllowedValues)) throw new TemplateError(`parameter ${name}: AllowedValues must be a list`, positions.at(decl, 'AllowedValues'));
    const allowed = decl.AllowedValues.map((v) => String(v));
    for (const item of items) {
      if (!allowed.includes(item)) fail(`"${item}" is not one of AllowedValues [${allowed.join(', ')}]`);
    }
  }
  return result;
}

/** Conditions, evaluated on first use; a condition that refers to itself is an error. */
export class Conditions {
  private readonly values = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();
  private evaluator?: Evaluator;
  constructor(
    private readonly section: Obj,
    private readonly positions: SourceMap,
  ) {}

  bind(evaluator: Evaluator): void {
    this.evaluator = evaluator;
  }

  has(name: string): boolean {
    return name in this.section;
  }

  get(name: string, at?: object): boolean {
    const known = this.values.get(name);
    if (known !== undefined) return known;
    if (!(name in this.section)) throw new TemplateError(`unknown condition "${name}"`, this.positions.at(at));
    if (this.evaluating.has(name)) throw new TemplateError(`condition ${name} refers to itself`, this.positions.at(this.section, name));
    this.evaluating.add(name);
    const value = this.evaluator!.conditionValue(this.section[name]);
    this.evaluating.delete(name);
    this.values.set(name, value);
    return value;
  }

  all(): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    for (const name of Object.keys(this.section)) out[name] = this.get(name);
    return out;
  }
}
