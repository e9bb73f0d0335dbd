/** Reading the built code (dist/src) for what a layer may not do: tsc emits an import on one line. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** the package's root, with its trailing slash */
export const packageRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** the lines of the built modules below dist/src/<dir> ('' for all) that match `what`: `dist/src/x.js: <line>` */
export function builtLines(dir: string, what: RegExp): string[] {
  const found: string[] = [];
  for (const e of readdirSync(join(packageRoot, 'dist/src', dir), { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.js')) continue;
    const path = join(e.parentPath, e.name);
    for (const line of readFileSync(path, 'utf8').split('\n')) if (what.test(line)) found.push(`${path.slice(packageRoot.length)}: ${line.trim()}`);
  }
  return found.sort();
}
