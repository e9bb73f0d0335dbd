/**
 * The order CloudFormation would create a stack's resources in: a resource waits for every one it
 * refers to (`Ref`, `Fn::GetAtt`, `${…}` in `Fn::Sub`, its `UpdatePolicy`) and every one named in
 * its `DependsOn`.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html
 * Among resources ready at the same time the lab keeps one fixed order (by type, then as
 * declared), so what a learner reads, and where Ctrl-C can stop, is the same from run to run.
 */
import { TemplateError, type StackResource, type TemplateValue } from '../../../template/index.js';

/** Tie-break among ready resources: the order the local deployer always applied them in. */
const TYPE_RANK = [
  'AWS::IAM::Role',
  'AWS::S3::Bucket',
  'AWS::ApiGateway::RestApi',
  'AWS::CodeDeploy::Application',
  'AWS::Lambda::Function',
  'AWS::Lambda::Version',
  'AWS::CloudWatch::Alarm',
  'AWS::CodeDeploy::DeploymentGroup',
  'AWS::Lambda::Alias',
  'AWS::Lambda::Permission',
  'AWS::ApiGateway::Stage',
];

/** The logical ids a value refers to (pseudo parameters and `${!Literal}` excluded). */
export function referencesOf(value: TemplateValue | undefined, known: Set<string>, into = new Set<string>()): Set<string> {
  if (value === null || value === undefined || typeof value !== 'object') return into;
  if (Array.isArray(value)) {
    for (const v of value) referencesOf(v, known, into);
    return into;
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof value.Ref === 'string') {
    if (known.has(value.Ref)) into.add(value.Ref);
    return into;
  }
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt' && Array.isArray(value['Fn::GetAtt'])) {
    const id = value['Fn::GetAtt'][0];
    if (typeof id === 'string' && known.has(id)) into.add(id);
    return referencesOf(value['Fn::GetAtt'][1], known, into);
  }
  if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    const arg = value['Fn::Sub'];
    const [text, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    const local = vars && typeof vars === 'object' && !Array.isArray(vars) ? new Set(Object.keys(vars)) : new Set<string>();
    if (typeof text === 'string') {
      for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const name = m[1].trim();
        if (local.has(name)) continue;
        const target = subTarget(name, known);
        if (target) into.add(target);
      }
    }
    return referencesOf(vars as TemplateValue, known, into);
  }
  for (const v of Object.values(value)) referencesOf(v, known, into);
  return into;
}

/** `${X}`, `${X.Attr}`, and SAM's `${Fn.Version.Version}` / `${Fn.Alias}` members. */
function subTarget(name: string, known: Set<string>): string | undefined {
  if (known.has(name)) return name;
  const [id, member] = name.split('.');
  if (member === 'Version' && known.has(`${id}Version`) && name.split('.').length > 2) return `${id}Version`;
  if (member === 'Alias') for (const k of known) if (k.startsWith(`${id}Alias`)) return k;
  return known.has(id) ? id : undefined;
}

export interface Ordered {
  resource: StackResource;
  /** the resources it waits for */
  needs: string[];
}

/**
 * Resources in an order where each comes after what it needs. `skipped` are resources the local
 * cloud does not emulate: needing one is an error before anything is changed.
 */
export function provisioningOrder(resources: StackResource[], skipped: Map<string, string>): Ordered[] {
  const byId = new Map(resources.map((r) => [r.logicalId, r]));
  const known = new Set([...byId.keys(), ...skipped.keys()]);
  const needs = new Map<string, string[]>();
  for (const r of resources) {
    const refs = referencesOf(r.properties, known);
    referencesOf(r.updatePolicy, known, refs);
    for (const d of r.dependsOn) if (known.has(d)) refs.add(d);
    refs.delete(r.logicalId);
    for (const id of refs) {
      if (skipped.has(id)) {
        throw new TemplateError(`${r.logicalId} refers to ${id} (${skipped.get(id)}), which the local cloud does not emulate`, r.position, `remove the reference, or deploy to --target aws`);
      }
    }
    needs.set(r.logicalId, [...refs]);
  }
  const rank = (r: StackResource) => {
    const i = TYPE_RANK.indexOf(r.type);
    return i < 0 ? TYPE_RANK.length : i;
  };
  const index = new Map(resources.map((r, i) => [r.logicalId, i]));
  const done = new Set<string>();
  const out: Ordered[] = [];
  while (out.length < resources.length) {
    const ready = resources.filter((r) => !done.has(r.logicalId) && needs.get(r.logicalId)!.every((n) => done.has(n)));
    if (ready.length === 0) {
      const left = resources.filter((r) => !done.has(r.logicalId));
      // CloudFormation's own wording for a cycle
      throw new TemplateError(`Circular dependency between resources: [${left.map((r) => r.logicalId).join(', ')}]`, left[0].position);
    }
    ready.sort((a, b) => rank(a) - rank(b) || index.get(a.logicalId)! - index.get(b.logicalId)!);
    const next = ready[0];
    done.add(next.logicalId);
    out.push({ resource: next, needs: needs.get(next.logicalId)! });
  }
  return out;
}
