/**
 * ESM resolve hook for the function's worker (see sdk-resolution.ts): a bare `@aws-sdk/...`,
 * `@smithy/...` or `@aws-crypto/...` specifier the function's own code cannot resolve is resolved
 * again from the lab package, as Lambda's runtime provides the SDK.
 */
const RUNTIME_PROVIDED = /^@(aws-sdk|smithy|aws-crypto)\//;
let fallbackParentUrl = '';

export function initialize(data: { fallbackParentUrl: string }): void {
  fallbackParentUrl = data.fallbackParentUrl;
}

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
  importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<{ url: string; format?: string | null }>;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve) {
  try {
    return await next(specifier, context);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (RUNTIME_PROVIDED.test(specifier) && (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')) {
      return next(specifier, { ...context, parentURL: fallbackParentUrl });
    }
    throw err;
  }
}
