/**
 * Matching a REST request (method + path + distinguishing query) to an operation's HTTP binding
 * (Smithy `@http` trait: https://smithy.io/2.0/spec/http-bindings.html#http-trait). Shared by the
 * restJson1 codec, restXml and service detection; it knows no service.
 */
import type { HttpBinding, Operation, ServiceDefinition } from '../core/service.js';

type Segment = { literal: string } | { label: string; greedy: boolean };

interface Route {
  operation: Operation;
  binding: HttpBinding;
  segments: Segment[];
  /** query keys (with optional values) written in the template after `?`, e.g. `/{Bucket}?uploads` */
  templateQuery: [string, string | undefined][];
  /** more literal segments and more query conditions win over labels */
  specificity: number;
  /** upper-case method, compared as is */
  method: string;
  /** without a greedy label the request has exactly this many segments */
  greedy: boolean;
}

export interface RouteMatch {
  operation: Operation;
  binding: HttpBinding;
  /** member name → percent-decoded label value */
  labels: Record<string, string>;
}

const tables = new WeakMap<ServiceDefinition, Route[]>();
/** per service, the routes a request of n segments can match (in the same order), built when first asked */
const bySegmentCount = new WeakMap<ServiceDefinition, Map<number, Route[]>>();
const MAX_INDEXED_SEGMENTS = 32;

/**
 * The routes that can match a path of `count` segments: a route without a greedy label has
 * exactly as many, one with a greedy label at most as many (the label takes one or more). The
 * others would fail matchPath's first test; leaving them out spares a call per route per request.
 */
function candidates(service: ServiceDefinition, count: number): Route[] {
  let index = bySegmentCount.get(service);
  if (!index) bySegmentCount.set(service, (index = new Map()));
  let routes = index.get(count);
  if (!routes) {
    routes = compile(service).filter((r) => (r.greedy ? r.segments.length <= count : r.segments.length === count));
    // a path as long as a client likes makes no entry that stays
    if (count <= MAX_INDEXED_SEGMENTS) index.set(count, routes);
  }
  return routes;
}

function compile(service: ServiceDefinition): Route[] {
  let routes = tables.get(service);
  if (routes) return routes;
  routes = [];
  for (const operation of service.operations) {
    const binding = operation.http;
    if (!binding) continue;
    const [pathPart, queryPart] = binding.path.split('?', 2) as [string, string | undefined];
    const segments: Segment[] = splitPath(pathPart).map((s) => {
      const m = /^\{([^}+]+)(\+?)\}$/.exec(s);
      return m ? { label: m[1], greedy: m[2] === '+' } : { literal: s };
    });
    const templateQuery: [string, string | undefined][] = queryPart
      ? queryPart.split('&').filter(Boolean).map((kv) => {
          const i = kv.indexOf('=');
          return i < 0 ? [kv, undefined] : [kv.slice(0, i), kv.slice(i + 1)];
        })
      : [];
    const literals = segments.filter((s) => 'literal' in s).length;
    const conditions = templateQuery.length + Object.keys(binding.queryMatch ?? {}).length;
    routes.push({
      operation,
      binding,
      segments,
      templateQuery,
      specificity: literals * 10 + conditions,
      method: binding.method.toUpperCase(),
      greedy: segments.some((s) => 'greedy' in s && s.greedy),
    });
  }
  routes.sort((a, b) => b.specificity - a.specificity);
  tables.set(service, routes);
  return routes;
}

/** `/a/b/` → ['a', 'b', ''] keeps a trailing slash significant only as an empty last segment */
function splitPath(path: string): string[] {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  if (trimmed === '') return [];
  const parts = trimmed.split('/');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** a percent-encoded path segment decoded; one that is not valid percent-encoding (`%ZZ`) as sent */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `parts` are already percent-decoded (once per request, not once per route tried) */
function matchPath(route: Route, parts: string[]): Record<string, string> | undefined {
  if (!route.greedy && route.segments.length !== parts.length) return undefined;
  let labels: Record<string, string> | undefined;
  let i = 0;
  for (let s = 0; s < route.segments.length; s++) {
    const seg = route.segments[s];
    if ('literal' in seg) {
      if (parts[i] === undefined || parts[i] !== seg.literal) return undefined;
      i++;
    } else if (seg.greedy) {
      // a greedy label takes one or more segments, leaving what the rest of the template needs
      const rest = route.segments.length - s - 1;
      const take = parts.length - i - rest;
      if (take < 1) return undefined;
      (labels ??= {})[seg.label] = parts.slice(i, i + take).join('/');
      i += take;
    } else {
      if (parts[i] === undefined || parts[i] === '') return undefined;
      (labels ??= {})[seg.label] = parts[i];
      i++;
    }
  }
  return i === parts.length ? (labels ?? {}) : undefined;
}

function matchQuery(route: Route, query: URLSearchParams): boolean {
  for (const [k, v] of route.templateQuery) {
    if (!query.has(k) || (v !== undefined && query.get(k) !== v)) return false;
  }
  for (const [k, v] of Object.entries(route.binding.queryMatch ?? {})) {
    if (query.get(k) !== v) return false;
  }
  return true;
}

type MatchResult = { match?: RouteMatch; pathMatches: boolean };

/**
 * One request is matched twice against the same service (service detection, then the codec's
 * parse): remember the last answer, keyed by the very same service, method, path and query object.
 */
let last: { service: ServiceDefinition; method: string; path: string; query: URLSearchParams; result: MatchResult } | undefined;

/** The operation for this method + path, or undefined. `pathMatches` tells whether any route had this path. */
export function matchRoute(service: ServiceDefinition, method: string, path: string, query: URLSearchParams): MatchResult {
  if (last && last.service === service && last.query === query && last.method === method && last.path === path) return last.result;
  const result = matchUncached(service, method, path, query);
  last = { service, method, path, query, result };
  return result;
}

function matchUncached(service: ServiceDefinition, method: string, path: string, query: URLSearchParams): MatchResult {
  const raw = splitPath(path);
  const parts = raw.map((p) => (p.includes('%') ? decodeSegment(p) : p));
  const upper = method.toUpperCase();
  let pathMatches = false;
  for (const route of candidates(service, parts.length)) {
    const labels = matchPath(route, parts);
    if (!labels) continue;
    pathMatches = true;
    if (route.method !== upper) continue;
    if (!matchQuery(route, query)) continue;
    return { match: { operation: route.operation, binding: route.binding, labels }, pathMatches };
  }
  return { pathMatches };
}
