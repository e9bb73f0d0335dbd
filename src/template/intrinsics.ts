/**
 * CloudFormation's intrinsic functions, evaluated in two passes:
 * - at load time, without a resource resolver: Parameters, pseudo parameters, Mappings and
 *   Conditions are resolved, and every function whose arguments became literal is computed;
 *   what refers to resources stays in long form (partially evaluated);
 * - at deploy time, with a `ResourceResolver`: everything left is resolved.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 */
import { TemplateError, UnknownReferenceError } from './errors.js';
import { unknownNameHint } from './schema.js';
import type { SourceMap } from './yaml.js';
import type { ResourceResolver, TemplateValue } from './types.js';

export type ParameterValue = string | string[];

export interface Pseudo {
  region: string;
  accountId: string;
  stackName: string;
  partition: string;
  urlSuffix: string;
}

export interface EvalScope {
  parameters: Record<string, ParameterValue>;
  pseudo: Pseudo;
  mappings: Record<string, TemplateValue>;
  /** the value of a named condition (computed lazily at load time) */
  condition(name: string, at?: object): boolean;
  /** logical ids that `Ref`/`GetAtt` may name: the template's resources and SAM's generated ones */
  resources: Set<string>;
  /** function logical id → alias logical id, for `!Ref Fn.Alias` */
  aliases: Map<string, string>;
  /** function logical ids, for `Fn.Version` */
  functions: Set<string>;
  /** the names under Outputs: a Ref to one is a common slip, and the hint says what they are */
  outputs?: ReadonlySet<string>;
  positions?: SourceMap;
}

export interface Resolver extends ResourceResolver {
  /** `Fn::ImportValue`; without it, imports are an error */
  importValue?(exportName: string): string;
}

/** Stands for `AWS::NoValue` until the enclosing map or list drops it. */
const NO_VALUE: { [k: string]: TemplateValue } = Object.freeze({}) as { [k: string]: TemplateValue };

const INTRINSIC_KEYS = new Set([
  'Ref', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::If', 'Fn::Equals', 'Fn::Not',
  'Fn::And', 'Fn::Or', 'Fn::FindInMap', 'Fn::Base64', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Cidr',
]);

type Obj = { [k: string]: TemplateValue };

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{Ref: ...}` or `{"Fn::X": ...}`: a one-key object naming an intrinsic. */
export function intrinsicName(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && INTRINSIC_KEYS.has(keys[0]) ? keys[0] : undefined;
}

/** True when no intrinsic is left anywhere inside. */
export function isLiteral(v: TemplateValue): boolean {
  if (Array.isArray(v)) return v.every(isLiteral);
  if (isObject(v)) return intrinsicName(v) === undefined && Object.values(v).every(isLiteral);
  return true;
}

export class Evaluator {
  constructor(
    private readonly scope: EvalScope,
    /** absent at load time: resource references are kept */
    private readonly resolver?: Resolver,
  ) {}

  /** Evaluates and drops `AWS::NoValue` (a top-level NoValue becomes null). */
  value(v: TemplateValue): TemplateValue {
    const out = this.eval(v);
    return out === NO_VALUE ? null : out;
  }

  private fail(message: string, at: object | undefined, key?: string | number): never {
    throw new TemplateError(message, this.scope.positions?.at(at, key));
  }

  /** a Ref or GetAtt to a name the template does not define: no YAML problem, so the hint names the names it has */
  private unknownName(message: string, name: string, at: object, key: string, refs: boolean): never {
    const names = [...(refs ? Object.keys(this.scope.parameters) : []), ...this.scope.resources];
    const hint = unknownNameHint(name, names, refs, this.scope.outputs?.has(name));
    throw new UnknownReferenceError(message, name, this.scope.positions?.at(at, key), hint);
  }

  eval(v: TemplateValue): TemplateValue {
    if (Array.isArray(v)) {
      const out: TemplateValue[] = [];
      v.forEach((item, i) => {
        const e = this.eval(item);
        if (e !== NO_VALUE) out.push(e);
        this.carry(v, i, out, out.length - 1);
      });
      this.carryStart(v, out);
      return out;
    }
    if (!isObject(v)) return v;
    const fn = intrinsicName(v);
    if (!fn) {
      const out: Obj = {};
      for (const [k, item] of Object.entries(v)) {
        const e = this.eval(item);
        if (e !== NO_VALUE) out[k] = e;
        this.carry(v, k, out, k);
      }
      this.carryStart(v, out);
      return out;
    }
    const arg = v[fn];
    switch (fn) {
      case 'Ref':
        return this.ref(arg, v);
      case 'Fn::GetAtt':
        return this.getAtt(arg, v);
      case 'Fn::Sub':
        return this.sub(arg, v);
      case 'Fn::If':
        return this.fnIf(arg, v);
      case 'Fn::Equals':
      case 'Fn::Not':
      case 'Fn::And':
      case 'Fn::Or':
        return this.conditionValue(v);
      default:
        return this.compute(fn, this.eval(arg), v);
    }
  }

  /** Keeps positions on evaluated copies so later errors still point at the source. */
  private carry(from: object, key: string | number, to: object, toKey: string | number): void {
    const p = this.scope.positions?.at(from, key);
    if (p && this.scope.positions) this.scope.positions.setKey(to, toKey, p);
  }
  private carryStart(from: object, to: object): void {
    const p = this.scope.positions?.at(from);
    if (p && this.scope.positions) this.scope.positions.setStart(to, p);
  }

  private keep(fn: string, arg: TemplateValue, at: Obj): TemplateValue {
    const out: Obj = { [fn]: arg };
    this.carryStart(at, out);
    this.carry(at, fn, out, fn);
    return out;
  }

  private ref(arg: TemplateValue, at: Obj): TemplateValue {
    if (typeof arg !== 'string') this.fail('Ref expects the name of a parameter or resource', at, 'Ref');
    const pseudo = this.pseudo(arg);
    if (pseudo !== undefined) return pseudo;
    if (arg in this.scope.parameters) return this.scope.parameters[arg];
    // SAM: `!Ref Fn.Alias` / `!Ref Fn.Version`
    // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html
    const dot = arg.indexOf('.');
    let target = arg;
    if (dot > 0) {
      const fnId = arg.slice(0, dot);
      const member = arg.slice(dot + 1);
      if (this.scope.functions.has(fnId) && member === 'Alias' && this.scope.aliases.has(fnId)) target = this.scope.aliases.get(fnId)!;
      else if (this.scope.functions.has(fnId) && member === 'Version') target = `${fnId}Version`;
      else this.unknownName(`Ref to "${arg}": no parameter or resource has that name`, arg, at, 'Ref', true);
    } else if (!this.scope.resources.has(arg)) {
      this.unknownName(`Ref to "${arg}": no parameter or resource has that name`, arg, at, 'Ref', true);
    }
    if (!this.resolver) return target === arg ? at : this.keep('Ref', target, at);
    return this.resolver.ref(target);
  }

  private pseudo(name: string): TemplateValue | undefined {
    const p = this.scope.pseudo;
    switch (name) {
      case 'AWS::Region':
        return p.region;
      case 'AWS::AccountId':
        return p.accountId;
      case 'AWS::StackName':
        return p.stackName;
      case 'AWS::StackId':
        return `arn:${p.partition}:cloudformation:${p.region}:${p.accountId}:stack/${p.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::Partition':
        return p.partition;
      case 'AWS::URLSuffix':
        return p.urlSuffix;
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return undefined;
    }
  }

  private getAtt(arg: TemplateValue, at: Obj): TemplateValue {
    const args = this.eval(arg);
    if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') {
      this.fail('Fn::GetAtt expects [LogicalId, Attribute]', at, 'Fn::GetAtt');
    }
    let [id, attr] = args as [string, TemplateValue];
    if (!this.scope.resources.has(id)) this.unknownName(`Fn::GetAtt of "${id}": no resource has that name`, id, at, 'Fn::GetAtt', false);
    if (typeof attr !== 'string') {
      if (!this.resolver) return this.keep('Fn::GetAtt', [id, attr], at);
      this.fail('Fn::GetAtt: the attribute name must be a string', at, 'Fn::GetAtt');
    }
    // SAM: `!GetAtt Fn.Version.Version` and `Fn.Alias.<attr>` name the generated resources.
    if (this.scope.functions.has(id) && attr.startsWith('Version.')) [id, attr] = [`${id}Version`, attr.slice(8)];
    else if (this.scope.functions.has(id) && attr.startsWith('Alias.') && this.scope.aliases.has(id)) {
      [id, attr] = [this.scope.aliases.get(id)!, attr.slice(6)];
    }
    if (!this.resolver) return this.keep('Fn::GetAtt', [id, attr], at);
    return this.resolver.getAtt(id, attr);
  }

  /** https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html */
  private sub(arg: TemplateValue, at: Obj): TemplateValue {
    let template: TemplateValue;
    let vars: Obj = {};
    if (Array.isArray(arg)) {
      if (arg.length !== 2 || !isObject(arg[1])) this.fail('Fn::Sub expects a string or [string, {Var: value}]', at, 'Fn::Sub');
      template = arg[0];
      const evaluated = this.eval(arg[1]);
      vars = isObject(evaluated) ? evaluated : {};
    } else template = arg;
    if (typeof template !== 'string') this.fail('Fn::Sub expects a string', at, 'Fn::Sub');
    let out = '';
    let literal = '';
    const add = (text: string): void => {
      out += text;
      literal += text;
    };
    let pending = false;
    const pendingVars: Obj = {};
    let i = 0;
    while (i < template.length) {
      const start = template.indexOf('${', i);
      if (start < 0) {
        add(template.slice(i));
        break;
      }
      add(template.slice(i, start));
      const end = template.indexOf('}', start);
      if (end < 0) {
        add(template.slice(start));
        break;
      }
      const name = template.slice(start + 2, end);
      i = end + 1;
      if (name.startsWith('!')) {
        // `${!Literal}` writes `${Literal}`; while the Sub stays unresolved the escape must stay too.
        out += '${' + name + '}';
        literal += '${' + name.slice(1) + '}';
        continue;
      }
      let value: TemplateValue;
      if (name in vars) {
        value = vars[name];
        if (!isLiteral(value)) {
          pending = true;
          pendingVars[name] = value;
          add('${' + name + '}');
          continue;
        }
      } else if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        value = this.getAtt([name.slice(0, dot), name.slice(dot + 1)], at);
      } else {
        const r: Obj = { Ref: name.trim() };
        this.carryStart(at, r);
        value = this.ref(name.trim(), r);
      }
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') add(String(value));
      else if (intrinsicName(value)) {
        pending = true;
        add('${' + name + '}');
      } else this.fail(`Fn::Sub: \${${name}} is not a string`, at, 'Fn::Sub');
    }
    if (!pending) return literal;
    return this.keep('Fn::Sub', Object.keys(pendingVars).length ? [out, pendingVars] : out, at);
  }

  private fnIf(arg: TemplateValue, at: Obj): TemplateValue {
    if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
      this.fail('Fn::If expects [ConditionName, valueIfTrue, valueIfFalse]', at, 'Fn::If');
    }
    return this.eval(this.scope.condition(arg[0], at) ? arg[1] : arg[2]);
  }

  /** A condition expression: Fn::Equals/Not/And/Or, `{Condition: Name}`. */
  conditionValue(v: TemplateValue): boolean {
    if (isObject(v) && Object.keys(v).length === 1 && typeof v.Condition === 'string') return this.scope.condition(v.Condition, v);
    const fn = intrinsicName(v);
    const at = v as Obj;
    if (!fn) this.fail('a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or {Condition: Name}', isObject(v) ? v : undefined);
    const arg = at[fn];
    const list = (n?: [number, number]): TemplateValue[] => {
      if (!Array.isArray(arg) || (n && (arg.length < n[0] || arg.length > n[1]))) {
        this.fail(`${fn} expects a list${n ? ` of ${n[0] === n[1] ? n[0] : `${n[0]} to ${n[1]}`} items` : ''}`, at, fn);
      }
      return arg;
    };
    switch (fn) {
      case 'Fn::Equals': {
        const [a, b] = list([2, 2]).map((x) => this.eval(x));
        if (!isLiteral(a) || !isLiteral(b)) this.fail('Fn::Equals can only compare parameters and literal values', at, fn);
        return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
      }
      case 'Fn::Not':
        return !this.conditionValue(list([1, 1])[0]);
      case 'Fn::And':
        return list([2, 10]).every((c) => this.conditionValue(c));
      case 'Fn::Or':
        return list([2, 10]).some((c) => this.conditionValue(c));
      default:
        return this.fail(`${fn} cannot be used as a condition`, at, fn);
    }
  }

  /** Functions computed once their (already evaluated) argument is literal. */
  private compute(fn: string, arg: TemplateValue, at: Obj): TemplateValue {
    if (!isLiteral(arg)) {
      if (this.resolver) this.fail(`${fn}: could not resolve its arguments`, at, fn);
      return this.keep(fn, arg, at);
    }
    const str = (x: TemplateValue): string => (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? String(x) : this.fail(`${fn}: expected a string`, at, fn));
    switch (fn) {
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) {
          this.fail('Fn::Join expects [delimiter, [values]]', at, fn);
        }
        return (arg[1] as TemplateValue[]).map(str).join(arg[0] as string);
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2 || !Array.isArray(arg[1])) this.fail('Fn::Select expects [index, [values]]', at, fn);
        const index = Number(arg[0]);
        const list = arg[1] as TemplateValue[];
        if (!Number.isInteger(index) || index < 0 || index >= list.length) {
          this.fail(`Fn::Select: index ${String(arg[0])} is out of range for a list of ${list.length}`, at, fn);
        }
        return list[index];
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') this.fail('Fn::Split expects [delimiter, string]', at, fn);
        return str(arg[1]).split(arg[0] as string);
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) this.fail('Fn::FindInMap expects [MapName, TopLevelKey, SecondLevelKey]', at, fn);
        const [m, k1, k2] = (arg as TemplateValue[]).map(str);
        const map = this.scope.mappings[m];
        if (!isObject(map)) this.fail(`Fn::FindInMap: no mapping named "${m}"`, at, fn);
        const top = map[k1];
        if (!isObject(top)) this.fail(`Fn::FindInMap: mapping "${m}" has no key "${k1}"`, at, fn);
        if (!(k2 in top)) this.fail(`Fn::FindInMap: mapping "${m}.${k1}" has no key "${k2}"`, at, fn);
        return top[k2];
      }
      case 'Fn::Base64':
        return Buffer.from(str(arg), 'utf8').toString('base64');
      case 'Fn::GetAZs': {
        const region = arg === '' || arg === null ? this.scope.pseudo.region : str(arg);
        return ['a', 'b', 'c'].map((z) => `${region}${z}`);
      }
      case 'Fn::ImportValue': {
        if (!this.resolver) return this.keep(fn, arg, at);
        if (!this.resolver.importValue) this.fail('Fn::ImportValue: cross-stack exports are not emulated', at, fn);
        return this.resolver.importValue(str(arg));
      }
      default:
        if (!this.resolver) return this.keep(fn, arg, at);
        return this.fail(`${fn} is not emulated`, at, fn);
    }
  }
}

/**
 * Resolves what is left of a loaded value at deploy time. Prefer `SamTemplate.evaluate`, which
 * carries the template's scope; this one works on values with no parameters or mappings left.
 */
export function evaluate(value: TemplateValue, resolver: Resolver, scope?: Partial<EvalScope>): TemplateValue {
  const full: EvalScope = {
    parameters: {},
    pseudo: { region: 'us-east-1', accountId: '123456789012', stackName: 'serverless-ops-lab', partition: 'aws', urlSuffix: 'amazonaws.com' },
    mappings: {},
    condition: (name) => {
      throw new TemplateError(`unknown condition "${name}"`);
    },
    resources: new Set(),
    aliases: new Map(),
    functions: new Set(),
    ...scope,
  };
  if (!scope?.resources) {
    // Without a scope every name is taken to be a resource: the resolver decides.
    full.resources = new Proxy(new Set<string>(), { get: (t, p) => (p === 'has' ? () => true : Reflect.get(t, p)) });
  }
  return new Evaluator(full, resolver).value(value);
}
