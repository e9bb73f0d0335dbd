/**
 * The AppSpec of a Lambda deployment, YAML or JSON (JSON is YAML):
 *   version: 0.0
 *   Resources: [ { <name>: { Type: AWS::Lambda::Function, Properties: { Name, Alias, CurrentVersion, TargetVersion } } } ]
 *   Hooks: [ { BeforeAllowTraffic: <function> }, { AfterAllowTraffic: <function> } ]
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html
 * One doc page writes `hooks:` in lower case, so keys match without regard to case (wire §12.4).
 */
import { createRequire } from 'node:module';
import { shown } from '../../core/shown.js';
import { invalidRevision } from './errors.js';
import { isStructure } from './input.js';
import { HOOK_EVENTS, type LambdaAppSpecTarget } from './model.js';

type Obj = Record<string, unknown>;

/**
 * The yaml package, required when an AppSpec is first read, not when the cloud starts: every cloud
 * loads this file, most (each test's, a learner's before the first CodeDeploy deployment) read no
 * AppSpec, and yaml cost 0.08 s of the cloud's 0.5 s of CPU to start. yaml is CommonJS for Node
 * (its `node` export), so require yields the module an import would.
 */
const yaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml');

/** the member whose key matches `name` in any case */
function member(obj: Obj, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

/** "a valid positive integer" (reference-appspec-file-structure-resources) */
function version(value: unknown, what: string): string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^[1-9][0-9]*$/.test(text)) {
    // shown(): a YAML alias can make a value that holds itself, which JSON.stringify throws on
    throw invalidRevision(`The AppSpec file's ${what} must be a valid positive integer, got ${shown(value ?? null)}.`);
  }
  return text;
}

/**
 * A Lambda revision (RevisionLocation): its AppSpec text, from `AppSpecContent.content` or the
 * deprecated `String.content`, and the revision as it is kept and shown by GetDeployment, made of
 * the model's members only (`revisionType`, and `appSpecContent` or `string` with `content` and
 * `sha256`, both strings): a member of another type is refused, never stored as sent.
 */
export function lambdaRevision(revision: unknown): { content: string; stored: Record<string, unknown> } {
  if (!isStructure(revision)) throw invalidRevision('The revision was not specified in a valid format.');
  const type = revision.revisionType;
  if (type !== 'AppSpecContent' && type !== 'String') {
    throw invalidRevision(
      `Local CodeDeploy reads a Lambda AppSpec from an AppSpecContent or String revision; got revisionType ${shown(type ?? null)}.`,
    );
  }
  const member = type === 'AppSpecContent' ? 'appSpecContent' : 'string';
  const holder = revision[member];
  if (!isStructure(holder)) throw invalidRevision('The AppSpec content was not specified.');
  const content = holder.content;
  if (typeof content !== 'string' || content.trim() === '') throw invalidRevision('The AppSpec content was not specified.');
  const sha256 = holder.sha256;
  if (sha256 !== undefined && sha256 !== null && typeof sha256 !== 'string') {
    throw invalidRevision(`The revision's ${member}.sha256 must be a string, not ${shown(sha256)}.`);
  }
  const kept: Record<string, string> = { content };
  if (typeof sha256 === 'string') kept.sha256 = sha256;
  return { content, stored: { revisionType: type, [member]: kept } };
}

export function parseLambdaAppSpec(text: string): LambdaAppSpecTarget {
  let doc: unknown;
  try {
    doc = yaml().parse(text);
  } catch (err) {
    throw invalidRevision(`The AppSpec file is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isStructure(doc)) throw invalidRevision('The AppSpec file must be a YAML or JSON map.');
  const resources = member(doc, 'Resources');
  if (!Array.isArray(resources) || resources.length !== 1 || !isStructure(resources[0])) {
    throw invalidRevision('The AppSpec file of a Lambda deployment must list exactly one resource under Resources.');
  }
  const entries = Object.values(resources[0]);
  const resource = entries.length === 1 ? entries[0] : undefined;
  if (!isStructure(resource) || member(resource, 'Type') !== 'AWS::Lambda::Function') {
    throw invalidRevision('The AppSpec resource must have Type AWS::Lambda::Function.');
  }
  const props = member(resource, 'Properties');
  if (!isStructure(props)) throw invalidRevision('The AppSpec resource has no Properties.');
  const name = member(props, 'Name');
  const alias = member(props, 'Alias');
  if (typeof name !== 'string' || name === '') throw invalidRevision('The AppSpec resource must name the function (Properties.Name).');
  if (typeof alias !== 'string' || alias === '') throw invalidRevision('The AppSpec resource must name the alias (Properties.Alias).');
  const target: LambdaAppSpecTarget = {
    functionName: name,
    alias,
    currentVersion: version(member(props, 'CurrentVersion'), 'CurrentVersion'),
    targetVersion: version(member(props, 'TargetVersion'), 'TargetVersion'),
    hooks: {},
  };
  const hooks = member(doc, 'Hooks');
  if (hooks !== undefined && hooks !== null) {
    if (!Array.isArray(hooks)) throw invalidRevision('Hooks in the AppSpec file must be a list.');
    for (const hook of hooks) {
      if (!isStructure(hook)) throw invalidRevision('Each entry of Hooks must be a map of a lifecycle event to a function name.');
      for (const [event, fn] of Object.entries(hook)) {
        const known = HOOK_EVENTS.find((e) => e.toLowerCase() === event.toLowerCase());
        if (!known) {
          throw invalidRevision(`${event} is not a lifecycle event of a Lambda deployment; its hooks are ${HOOK_EVENTS.join(' and ')}.`);
        }
        if (typeof fn !== 'string' || fn === '') throw invalidRevision(`The ${known} hook must name a Lambda function.`);
        target.hooks[known] = fn;
      }
    }
  }
  return target;
}
