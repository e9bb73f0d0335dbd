import Module, { createRequire, register } from 'node:module';

/**
 * Lambda's Node.js runtimes ship the AWS SDK for JavaScript v3 in /var/runtime/node_modules, so a
 * function can `import { S3Client } from '@aws-sdk/client-s3'` without bundling it
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html, "SDK for JavaScript").
 * Here the SDK is the lab's own dependency. Rather than NODE_PATH to the lab's node_modules (which
 * would expose every dependency of the CLI) or a folder of symlinks to keep in sync on disk, each
 * worker resolves a bare specifier normally first (a function's own bundled SDK wins, as on
 * Lambda) and, only when that fails and the specifier is one of the SDK's scopes, again from the
 * lab package:
 *   - CommonJS `require`: a wrapper around Module._resolveFilename, local to this worker's loader;
 *   - ESM `import`: a resolve hook (module.register), registered only for ESM handlers because
 *     it starts a loader thread that costs ~25 ms of cold start. Known limit: a CommonJS handler
 *     that uses `await import('@aws-sdk/...')` does not get the fallback.
 */

const RUNTIME_PROVIDED = /^@(aws-sdk|smithy|aws-crypto)\//;

export function isRuntimeProvided(specifier: string): boolean {
  return RUNTIME_PROVIDED.test(specifier);
}

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

export function installSdkFallback(fallbackParentUrl: string, esm: boolean): void {
  const fallbackRequire = createRequire(fallbackParentUrl);
  const mod = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request, parent, isMain, options) {
    try {
      return original.call(this, request, parent, isMain, options);
    } catch (err) {
      if ((err as { code?: string }).code === 'MODULE_NOT_FOUND' && isRuntimeProvided(request)) {
        return fallbackRequire.resolve(request);
      }
      throw err;
    }
  };
  if (esm) {
    register(new URL('./sdk-resolve-hook.js', import.meta.url), {
      parentURL: import.meta.url,
      data: { fallbackParentUrl },
    });
  }
}
