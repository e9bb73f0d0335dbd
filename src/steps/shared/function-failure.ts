/**
 * Why the app's function failed a request, read from the cloud as a learner would with
 * `aws lambda invoke`: the API only says 502 {"message":"Internal server error"}, so the lab
 * invokes each version behind the alias once, with a proxy event like the API's, and reads
 * Lambda's own answer. On both targets the same call: Invoke answers a function error with the
 * X-Amz-Function-Error header (FunctionError "Unhandled") and a payload whose errorType names it
 * (`Runtime.UserCodeSyntaxError`, `Runtime.HandlerNotFound`, `Sandbox.Timedout`, or the type the
 * code threw): "Invoke", Lambda API reference,
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html, and "Lambda function errors in
 * Node.js", https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html.
 *
 * A function that timed out is not invoked again (it would take its whole Timeout once more): the
 * API's answer taking about Timeout seconds already says so. Versions are invoked by number, not
 * through the alias, so the diagnosis does not add to the alias's metrics that alarms watch.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { workspaceFiles } from '../../lab/check.js';
import type { LabContext } from '../../lab/context.js';
import { APP_ALIAS, APP_FUNCTION, appFunction, requestBody } from './app.js';
import { parsedTemplate } from './template-checks.js';
import { zeroReservationHint } from './concurrency.js';
import { lambdaCommands } from '../../targets/clients.js';

const { GetAliasCommand, GetFunctionConfigurationCommand, InvokeCommand } = lambdaCommands;

export interface FunctionFailure {
  version: string;
  /** `Runtime.UserCodeSyntaxError`, `Sandbox.Timedout`, `TypeError`… */
  errorType: string;
  errorMessage: string;
}

/** Lambda's error payload: `{errorType, errorMessage, trace}` (older timeouts: errorMessage only) */
export function failureFromPayload(version: string, functionError: string, payload: Uint8Array | undefined): FunctionFailure {
  let doc: { errorType?: unknown; errorMessage?: unknown } = {};
  try {
    doc = JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString('utf8')) as typeof doc;
  } catch {
    // not JSON: named by FunctionError alone
  }
  const errorMessage = typeof doc.errorMessage === 'string' ? doc.errorMessage : '';
  const errorType = typeof doc.errorType === 'string' ? doc.errorType : /Task timed out after/.test(errorMessage) ? 'Sandbox.Timedout' : functionError;
  return { version, errorType, errorMessage };
}

/** The version(s) the alias sends requests to. */
async function aliasVersions(ctx: LabContext, fn: string, signal: AbortSignal): Promise<string[]> {
  const a = await ctx.clients.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: APP_ALIAS }), { abortSignal: signal });
  return [a.FunctionVersion ?? '$LATEST', ...Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {})];
}

function proxyEvent(ctx: LabContext): string {
  return JSON.stringify({
    resource: '/getinfo',
    path: '/getinfo',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json' },
    queryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { resourcePath: '/getinfo', httpMethod: 'POST', path: '/getinfo', stage: 'lab-diagnosis' },
    body: requestBody(ctx),
    isBase64Encoded: false,
  });
}

/**
 * The first version behind the alias whose invocation fails, and why; undefined when every one
 * answers (a failure of the API, not the function) or Lambda cannot be asked.
 */
export async function functionFailure(ctx: LabContext, signal: AbortSignal, answeredMs: number): Promise<FunctionFailure | undefined> {
  try {
    const fn = appFunction(ctx).name;
    for (const version of await aliasVersions(ctx, fn, signal)) {
      const conf = await ctx.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn, Qualifier: version }), { abortSignal: signal });
      const timeout = conf.Timeout ?? 3;
      // the API waited the function's whole Timeout: invoking it again would wait as long
      if (answeredMs >= timeout * 950) return { version, errorType: 'Sandbox.Timedout', errorMessage: `the API answered after ${(answeredMs / 1000).toFixed(1)} s; Timeout is ${timeout} s` };
      const out = await ctx.clients.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier: version, Payload: Buffer.from(proxyEvent(ctx)) }), { abortSignal: signal });
      if (out.FunctionError) return failureFromPayload(version, out.FunctionError, out.Payload);
    }
    return undefined;
  } catch (err) {
    if (signal.aborted) throw err;
    // Invoke denied, the function gone: the check says what it found without the why
    return undefined;
  }
}

/** `node --check` on a module: `{ line, message }` of its syntax error, undefined when it parses */
export function syntaxErrorOf(file: string, signal?: AbortSignal): Promise<{ line: number; message: string } | undefined> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--check', file], { timeout: 10_000, signal }, (err, _stdout, stderr) => {
      if (!err) return resolve(undefined);
      const text = String(stderr);
      const line = /:(\d+)\r?\n/.exec(text)?.[1];
      const message = /^(SyntaxError: .*)$/m.exec(text)?.[1];
      resolve(line && message ? { line: Number(line), message } : undefined);
    });
  });
}

/** 1-based line of the template that sets the function's Handler (or the Globals' one) */
export function handlerLine(templateText: string, handler: string): number | undefined {
  const lines = templateText.split(/\r?\n/);
  const esc = handler.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = lines.findIndex((l) => new RegExp(`^\\s*Handler:\\s*['"]?${esc}['"]?\\s*(#.*)?$`).test(l));
  return at < 0 ? undefined : at + 1;
}

/** the names a module exports as functions (export [async] function X, export const X =), for "did you mean" */
export function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/^\s*export\s+(?:async\s+)?(?:function\s*\*?\s*|const\s+|let\s+|var\s+)([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  for (const m of source.matchAll(/^\s*export\s*\{([^}]*)\}/gm)) for (const part of m[1]!.split(',')) {
    const name = part.trim().split(/\s+as\s+/).pop()?.trim();
    if (name) names.add(name);
  }
  return [...names];
}

/** the handler's module in sam-app/ (`app.handler` in CodeUri src/ → src/app.mjs), as Lambda's Node runtime looks for it */
function handlerModule(samApp: string): { rel: string; abs: string; handler: string } | undefined {
  const p = parsedTemplate(workspaceFiles(samApp));
  if ('error' in p) return undefined;
  const fn = p.template.functions.find((f) => f.logicalId === APP_FUNCTION);
  if (!fn) return undefined;
  const base = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
  for (const ext of ['.js', '.mjs', '.cjs']) {
    const abs = join(fn.codeDir, base + ext);
    if (existsSync(abs)) return { rel: relative(samApp, abs).split('\\').join('/'), abs, handler: fn.handler };
  }
  return undefined;
}

/**
 * The failure in the learner's words, with the file and line to fix where the workspace shows
 * them (the deployed code came from it). Init errors first: they fail every request.
 */
export async function describeFailure(f: FunctionFailure, samApp: string, signal?: AbortSignal): Promise<string> {
  const msg = f.errorMessage.replace(/^RequestId: \S+ Error: /, '');
  switch (f.errorType) {
    case 'Runtime.UserCodeSyntaxError': {
      const mod = handlerModule(samApp);
      const where = mod ? await syntaxErrorOf(mod.abs, signal) : undefined;
      if (mod && where) return `the function fails at init: Runtime.UserCodeSyntaxError in ${mod.rel} line ${where.line}: ${where.message}. Fix it, save and deploy.`;
      return `the function fails at init: Runtime.UserCodeSyntaxError: ${msg}. Fix the syntax error in the handler's file and deploy.`;
    }
    case 'Runtime.HandlerNotFound':
    case 'Runtime.ImportModuleError':
    case 'Runtime.MalformedHandlerName': {
      const text = workspaceFiles(samApp).read('template.yaml');
      const mod = handlerModule(samApp);
      const handler = /^(\S+) is (?:undefined or not exported|not a function)/.exec(msg)?.[1] ?? mod?.handler;
      const line = text && handler ? handlerLine(text, handler) : undefined;
      const names = mod ? exportedNames(readFileSync(mod.abs, 'utf8')) : [];
      const exported = mod && names.length ? `; ${mod.rel} exports ${names.join(', ')}` : '';
      const at = line ? ` (Handler: ${handler} in template.yaml line ${line}${exported})` : exported ? ` (${exported.slice(2)})` : '';
      return `the function fails at init: ${f.errorType.replace(/^Runtime\./, '')}: ${msg.split('\n')[0]}${at}. Handler is <file without extension>.<exported function>: fix it and deploy.`;
    }
    case 'Sandbox.Timedout':
      return `the function timed out (${msg}): is Timeout above 3? App version 2 waits 3 s.`;
    default:
      return `Lambda version ${f.version} of the function fails: ${f.errorType}${msg ? `: ${msg.split('\n')[0]}` : ''} (aws lambda invoke shows the same; the function's log has the stack).`;
  }
}

/**
 * A hint for a 5xx answer of the API: a reservation of 0 that throttles every call, what the
 * function's own error says, or, when every version answers Invoke, that the failure is between
 * the API and the function.
 */
export async function whyTheApiFailed(ctx: LabContext, signal: AbortSignal, status: number, ms: number): Promise<string | undefined> {
  if (status < 500) return undefined;
  // a reservation of 0 throttles every call: Invoke would be throttled too, and say nothing more
  const zero = await zeroReservationHint(ctx, appFunction(ctx).name, status, signal).catch(() => undefined);
  if (zero) return zero;
  const f = await functionFailure(ctx, signal, ms);
  if (f) return describeFailure(f, ctx.ws.samApp, signal);
  return status === 502 ? 'the function answers when Lambda invokes it directly: a 502 from the API is then a malformed answer (statusCode, body) or an integration that does not reach it' : undefined;
}
