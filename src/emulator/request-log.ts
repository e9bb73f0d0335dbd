/**
 * One request log line: `[HH:MM:SS] service what status [error code] ms [(hint)]`, e.g.
 *   lambda     Invoke fn:live                     404 ResourceNotFoundException 1.2 ms
 *   front-door GET /execute-api/abc/Prod/getinfo  403 MissingAuthenticationTokenException 0.8 ms (no route for GET /getinfo)
 *   front-door POST /execute-api/abc/Prod/getinfo 500 InternalServerErrorException 0.9 ms (Lambda throttled the invocation: ReservedFunctionConcurrentInvocationLimitExceeded)
 * Only called when someone reads the log: `emulator --quiet` builds no entry at all.
 */
import { paint as paintWith, type Paint } from '../io/terminal.js';
import type { RequestLogEntry } from './server.js';

export interface LogStyle {
  /** ANSI colours (a terminal without NO_COLOR) */
  colour?: boolean;
  /** an `HH:MM:SS` prefix (a terminal; files get their own timestamps) */
  time?: boolean;
}

export function formatRequest(e: RequestLogEntry, style: LogStyle = {}): string {
  const paint = style.colour ? (colours ??= paintWith(true)) : paintWith(false);
  const status = String(e.status);
  const coloured = e.status >= 500 ? paint.red(status) : e.status >= 400 ? paint.yellow(status) : paint.green(status);
  const what =
    e.operation === '-' && e.service !== 'health' ? `${e.method} ${e.path}` : e.resource ? `${e.operation} ${e.resource}` : e.operation;
  let line = `${e.service.padEnd(11)} ${what.padEnd(34)} ${coloured}`;
  if (e.errorCode) line += ` ${e.errorCode}`;
  line += ` ${paint.dim(`${e.ms.toFixed(1)} ms`)}`;
  const hint = e.note ?? hintFor(e);
  if (hint) line += ` ${paint.dim(`(${hint})`)}`;
  return style.time ? `${clock()} ${line}` : line;
}

/** a lifecycle line (banner, shutdown) in the same style */
export function formatLine(text: string, style: LogStyle = {}): string {
  return style.time ? `${clock()} ${text}` : text;
}

/**
 * What a learner most often needs after a front-door 403 (API Gateway developer guide, "Gateway
 * response types"): MISSING_AUTHENTICATION_TOKEN means the stage exists but no method matches.
 */
function hintFor(e: RequestLogEntry): string | undefined {
  if (e.status !== 403 || e.service !== 'front-door') return undefined;
  if (e.errorCode === 'MissingAuthenticationTokenException') return `no route for ${e.method} ${routePath(e.path)}`;
  if (e.errorCode === 'ForbiddenException') return 'no such API or stage; stage names are case-sensitive';
  return undefined;
}

/** `/execute-api/{api}/{stage}/getinfo` → `/getinfo` */
function routePath(path: string): string {
  const m = /^\/execute-api\/[^/]+\/[^/]+(\/.*)?$/.exec(path);
  return m ? (m[1] ?? '/') : path;
}

let clockSecond = -1;
let clockText = '';
/** HH:MM:SS, formatted once per second at most */
function clock(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== clockSecond) {
    clockSecond = second;
    const d = new Date(now);
    clockText = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  }
  return clockText;
}

const two = (n: number) => String(n).padStart(2, '0');

/** the foreground log's colours, made at its first coloured line (a background log has none) */
let colours: Paint | undefined;

/**
 * The members that name what a call is about, across the services, in the order to try; the
 * second one qualifies the first (`fn:live`, `bucket/key`, `api/stage`).
 */
const RESOURCE_MEMBERS: ReadonlyArray<readonly [string, readonly string[], string]> = [
  ['FunctionName', ['Qualifier', 'Name'], ':'],
  ['Bucket', ['Key'], '/'],
  ['restApiId', ['stageName', 'resourceId', 'deploymentId'], '/'],
  ['StackName', [], ''],
  ['applicationName', ['deploymentGroupName'], '/'],
  ['deploymentId', [], ''],
  ['Namespace', ['MetricName'], '/'],
];

/** the resource a failed call named, from its decoded input */
export function resourceOf(input: Record<string, unknown> | undefined): string | undefined {
  if (!input) return undefined;
  for (const [main, qualifiers, sep] of RESOURCE_MEMBERS) {
    const value = input[main];
    if (typeof value !== 'string' || value === '') continue;
    const q = qualifiers.map((k) => input[k]).find((v) => typeof v === 'string' && v !== '');
    return q === undefined ? value : `${value}${sep}${q as string}`;
  }
  return undefined;
}
