import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RuntimeError } from './errors.js';

/**
 * Loads `module.path.to.handler` from the code folder the way Lambda's Node.js runtime does
 * (aws-lambda-nodejs-runtime-interface-client, src/UserFunction.js):
 *   - the part before the last `/` is a folder under the code root (`src/app.handler`);
 *   - `..` is refused (Runtime.MalformedHandlerName);
 *   - the module is tried as an extensionless file, then `.js` as CommonJS unless the nearest
 *     package.json says "type": "module", then `.js` as ESM, `.mjs`, `.cjs`, and finally
 *     require.resolve from the code root (a folder with index.js, a package);
 *   - a missing module → Runtime.ImportModuleError, a syntax error → Runtime.UserCodeSyntaxError,
 *     a missing export → Runtime.HandlerNotFound "<handler> is undefined or not exported",
 *     an export that is not a function → Runtime.HandlerNotFound "<handler> is not a function".
 */

export type HandlerFunction = (event: unknown, context: unknown, callback: unknown) => unknown;

const requireFromHere = createRequire(import.meta.url);

function packageTypeIsModule(folder: string): boolean {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (dir.endsWith(`${path.sep}node_modules`)) return false;
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        return (JSON.parse(readFileSync(pj, 'utf8')) as { type?: string }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

async function importFile(file: string): Promise<unknown> {
  return import(pathToFileURL(file).href);
}

async function loadModule(codeDir: string, moduleRoot: string, moduleName: string): Promise<unknown> {
  const file = path.resolve(codeDir, moduleRoot, moduleName);
  if (existsSync(file)) return requireFromHere(file);
  const esm = existsSync(file + '.js') && packageTypeIsModule(path.dirname(file + '.js'));
  if (!esm && existsSync(file + '.js')) return requireFromHere(file + '.js');
  if (esm) return importFile(file + '.js');
  if (existsSync(file + '.mjs')) return importFile(file + '.mjs');
  if (existsSync(file + '.cjs')) return requireFromHere(file + '.cjs');
  const resolved = requireFromHere.resolve(moduleName, { paths: [codeDir, path.resolve(codeDir, moduleRoot)] });
  return requireFromHere(resolved);
}

export async function loadHandler(codeDir: string, handler: string): Promise<HandlerFunction> {
  if (handler.includes('..')) {
    throw new RuntimeError(
      'MalformedHandlerName',
      `'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const base = path.basename(handler);
  const moduleRoot = handler.slice(0, handler.length - base.length);
  const match = /^([^.]*)\.(.*)$/.exec(base);
  if (!match) throw new RuntimeError('MalformedHandlerName', 'Bad handler');
  const [, moduleName, handlerPath] = match;

  let userApp: unknown;
  try {
    userApp = await loadModule(codeDir, moduleRoot, moduleName);
  } catch (err) {
    if (err instanceof SyntaxError) throw new RuntimeError('UserCodeSyntaxError', String(err));
    const code = (err as { code?: string } | null)?.code;
    if (code === 'MODULE_NOT_FOUND') throw new RuntimeError('ImportModuleError', importModuleMessage(err as Error, moduleName));
    throw err;
  }

  const fn = handlerPath
    .split('.')
    .reduce<unknown>((obj, key) => (obj ? (obj as Record<string, unknown>)[key] : undefined), userApp);
  if (!fn) throw new RuntimeError('HandlerNotFound', `${handler} is undefined or not exported`);
  if (typeof fn !== 'function') throw new RuntimeError('HandlerNotFound', `${handler} is not a function`);
  return fn as HandlerFunction;
}

/**
 * Lambda's message names the runtime's own loader as the require stack
 * (`Error: Cannot find module 'app'\nRequire stack:\n- /var/runtime/index.mjs`); a module the
 * user's code requires keeps Node's own message.
 */
function importModuleMessage(err: Error, moduleName: string): string {
  if (err.message.startsWith(`Cannot find module '${moduleName}'`)) {
    return `Error: Cannot find module '${moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`;
  }
  return String(err);
}
