/**
 * Where a function's handler file is, so the deployer can refuse a template whose code is
 * missing before it changes anything.
 * Node.js handlers: `file.export` where file is resolved as `.mjs`, `.js` or `.cjs`
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html).
 */
import { stat } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import { TemplateError } from './errors.js';
import type { SamFunction } from './types.js';

const EXTENSIONS = ['.mjs', '.js', '.cjs'];

/** The files the runtime would try, in its order, for `codeDir` + `handler` (`app.handler` → app.mjs, app.js, app.cjs). */
export function handlerCandidates(codeDir: string, handler: string): string[] {
  const dot = handler.lastIndexOf('.');
  const module = dot > 0 ? handler.slice(0, dot) : handler;
  return EXTENSIONS.map((ext) => join(codeDir, module + ext));
}

/** The handler file that exists, or undefined. */
export async function findHandlerFile(fn: Pick<SamFunction, 'codeDir' | 'handler'>): Promise<string | undefined> {
  for (const file of handlerCandidates(fn.codeDir, fn.handler)) {
    const s = await stat(file).catch(() => undefined);
    if (s?.isFile()) return file;
  }
  return undefined;
}

/**
 * The handler file, or a TemplateError such as
 * `handler file not found: sam-app/src/app.mjs (GetInfoFunction, Handler app.handler)`.
 * Paths in the message are relative to `cwd` (default: the process's).
 */
export async function assertHandlerFile(fn: Pick<SamFunction, 'codeDir' | 'handler' | 'logicalId'>, cwd = process.cwd()): Promise<string> {
  const found = await findHandlerFile(fn);
  if (found) return found;
  const first = handlerCandidates(fn.codeDir, fn.handler)[0];
  const rel = relative(cwd, first);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : first;
  throw new TemplateError(
    `handler file not found: ${shown} (${fn.logicalId}, Handler ${fn.handler})`,
    undefined,
    `create it, or fix CodeUri/Handler: the runtime tries ${EXTENSIONS.join(', ')}`,
  );
}
