/**
 * Matching a request to a deployment's resources, as API Gateway does: a literal path part
 * beats a `{param}`, which beats a greedy `{proxy+}` (one or more remaining segments); a
 * method matches its verb, else `ANY`. Trailing slashes are ignored.
 * ("Set up a proxy integration with a proxy resource", API Gateway developer guide.)
 *
 * A deployment never changes, so each one is compiled once into a tree and cached on the
 * record itself (WeakMap): no per-request copies or regexes.
 */
import { setOwn } from '../../core/own-key.js';
import { parseLambdaUri, type LambdaUriTemplate } from './integration-uri.js';
import type { DeploymentRecord, IntegrationRecord, MethodRecord, ResourceRecord } from './model.js';

export interface RouteTarget {
  resource: ResourceRecord;
  method: MethodRecord;
  integration: IntegrationRecord | undefined;
  /** for AWS_PROXY integrations with a Lambda URI */
  lambda?: LambdaUriTemplate;
}

interface Node {
  literal: Map<string, Node>;
  param?: { name: string; node: Node };
  greedy?: { name: string; methods: Map<string, RouteTarget> };
  methods?: Map<string, RouteTarget>;
}

export interface RouteMatch {
  target: RouteTarget;
  pathParameters: Readonly<Record<string, string>> | null;
}

export interface CompiledDeployment {
  match(parts: string[], verb: string): RouteMatch | undefined;
  /**
   * The route of a request path as sent (`/items/7/`): the last path and verb asked are
   * remembered with their answer (frozen: it is handed to every request of that path), as a
   * client under load sends the same request again and again.
   */
  matchPath(path: string, verb: string): RouteMatch | undefined;
  binaryMediaTypes: string[];
}

const cache = new WeakMap<DeploymentRecord, CompiledDeployment>();

export function compiledDeployment(deployment: DeploymentRecord): CompiledDeployment {
  let compiled = cache.get(deployment);
  if (!compiled) {
    compiled = compile(deployment);
    cache.set(deployment, compiled);
  }
  return compiled;
}

const newNode = (): Node => ({ literal: new Map() });

function methodsOf(resource: ResourceRecord): Map<string, RouteTarget> {
  const map = new Map<string, RouteTarget>();
  for (const [verb, method] of Object.entries(resource.resourceMethods)) {
    const integration = method.methodIntegration;
    const lambda = integration?.type === 'AWS_PROXY' && integration.uri ? parseLambdaUri(integration.uri) : undefined;
    map.set(verb, { resource, method, integration, lambda });
  }
  return map;
}

function compile(deployment: DeploymentRecord): CompiledDeployment {
  const root = newNode();
  for (const resource of deployment.snapshot.resources) {
    let node = root;
    const parts = resource.path.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const variable = /^\{(.+?)(\+?)\}$/.exec(part);
      if (variable?.[2] === '+') {
        node.greedy = { name: variable[1], methods: methodsOf(resource) };
        break;
      }
      if (variable) {
        node.param ??= { name: variable[1], node: newNode() };
        node = node.param.node;
      } else {
        let next = node.literal.get(part);
        if (!next) node.literal.set(part, (next = newNode()));
        node = next;
      }
      if (i === parts.length - 1) node.methods = methodsOf(resource);
    }
    if (parts.length === 0) root.methods = methodsOf(resource);
  }

  const pick = (methods: Map<string, RouteTarget> | undefined, verb: string) =>
    methods && methods.size > 0 ? methods.get(verb) ?? methods.get('ANY') : undefined;

  // names and values of the path parameters on the current branch (reused, no per-step objects)
  function walk(node: Node, parts: string[], i: number, verb: string, names: string[], values: string[]): RouteTarget | undefined {
    if (i === parts.length) return pick(node.methods, verb);
    const seg = parts[i];
    const lit = node.literal.get(seg);
    if (lit) {
      const found = walk(lit, parts, i + 1, verb, names, values);
      if (found) return found;
    }
    if (node.param && seg !== '') {
      names.push(node.param.name);
      values.push(seg);
      const found = walk(node.param.node, parts, i + 1, verb, names, values);
      if (found) return found;
      names.pop();
      values.pop();
    }
    if (node.greedy) {
      const found = pick(node.greedy.methods, verb);
      if (found) {
        names.push(node.greedy.name);
        values.push(parts.slice(i).join('/'));
        return found;
      }
    }
    return undefined;
  }

  let last: { path: string; verb: string; found: RouteMatch | undefined } | undefined;
  const compiled: CompiledDeployment = {
    binaryMediaTypes: deployment.snapshot.binaryMediaTypes,
    matchPath(path, verb) {
      if (last !== undefined && last.path === path && last.verb === verb) return last.found;
      const found = compiled.match(splitRequestPath(path), verb);
      if (found?.pathParameters) Object.freeze(found.pathParameters);
      last = { path, verb, found: found && Object.freeze(found) };
      return found;
    },
    match(parts, verb) {
      const names: string[] = [];
      const values: string[] = [];
      const target = walk(root, parts, 0, verb, names, values);
      if (!target) return undefined;
      let pathParameters: Record<string, string> | null = null;
      if (names.length > 0) {
        pathParameters = {};
        // a `{__proto__}` path part is valid: stored as a member, not made the prototype
        for (let k = 0; k < names.length; k++) setOwn(pathParameters, names[k], values[k]);
      }
      return { target, pathParameters };
    },
  };
  return compiled;
}

/** `/a/b/` → ['a', 'b']; `/` → [] */
export function splitRequestPath(path: string): string[] {
  const parts = path.split('/');
  let start = 0;
  let end = parts.length;
  if (parts[0] === '') start = 1;
  while (end > start && parts[end - 1] === '') end--;
  return start === 0 && end === parts.length ? parts : parts.slice(start, end);
}
