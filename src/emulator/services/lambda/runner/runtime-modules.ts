import { existsSync, lstatSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { makeDirs } from '../../../../files.js';

/**
 * Lambda's Node.js runtimes ship the AWS SDK for JavaScript v3, so a function can
 * `import { S3Client } from '@aws-sdk/client-s3'` without bundling it, while a copy the function
 * bundles in its own node_modules wins (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html,
 * "Runtime-included SDK versions"; ESM dependencies resolve since nodejs18.x).
 *
 * Here the SDK is the lab's own dependency, offered through Node's own module lookup: a folder
 * holding code packages gets a `node_modules` with one link per SDK scope (`@aws-sdk`, `@smithy`,
 * `@aws-crypto`) to the lab's installed scopes. `require` and `import` of a bare specifier both walk
 * up from the function's file, so the function's own `node_modules` is found first and these links
 * after it; nothing else of the lab (commander, chalk...) is reachable. It costs no loader-hooks
 * thread (module.register starts one per worker on Node 20) and no patch of the resolver.
 * The links are made again at every start, so they follow the lab's install when it moves
 * (an npx cache); directory junctions on Windows need no privilege.
 */
export const RUNTIME_PROVIDED_SCOPES = ['@aws-sdk', '@smithy', '@aws-crypto'] as const;

/** the node_modules folder the lab's SDK is installed in (its real path, as module file names are) */
export function labModulesDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@aws-sdk/client-lambda/package.json');
  return path.dirname(path.dirname(path.dirname(pkg)));
}

/** Makes the SDK importable by the code packages below `folder` (idempotent). */
export function provideRuntimeModules(folder: string): void {
  const from = labModulesDir();
  const modules = path.join(folder, 'node_modules');
  makeDirs(modules);
  for (const scope of RUNTIME_PROVIDED_SCOPES) {
    const target = path.join(from, scope);
    const link = path.join(modules, scope);
    if (!existsSync(target)) continue;
    if (pointsTo(link, target)) continue;
    rmSync(link, { recursive: true, force: true });
    symlinkSync(target, link, 'junction');
  }
}

function pointsTo(link: string, target: string): boolean {
  try {
    return lstatSync(link).isSymbolicLink() && path.resolve(path.dirname(link), readlinkSync(link)) === path.resolve(target);
  } catch {
    return false;
  }
}
