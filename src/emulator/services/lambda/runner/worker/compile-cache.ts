import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { atomicWrite } from '../../../../../files.js';
import type { CompileCacheBoot } from '../messages.js';

/**
 * The V8 code cache of the SDK the runtime provides (runtime-modules.ts), as Node 22's
 * `module.enableCompileCache()` keeps one (Node 20 has no such switch). Every execution
 * environment is its own isolate, so each one parses and compiles the SDK's CommonJS bundles
 * (some 800 KB for a Rekognition client) and, at its first invocation, every SDK function that
 * call runs: about a third of a cold start's CPU. The first environment that served an invocation
 * writes the code V8 compiled for those files to the state dir; later environments, in this run of
 * the cloud or the next, start from it. Only files of the lab's own node_modules (the runtime's SDK
 * and its dependencies) are cached: a function's own code and the modules it bundles compile as
 * Node always does, and a function that bundles its own SDK is not affected at all.
 *
 * Node compiles a CommonJS file in `Module.prototype._compile`, with no way to pass cached data,
 * so for those files this does what it does (the module wrapper, compiled as a vm.Script with the
 * cached data, called with a `require` made as Node makes it), as the v8-compile-cache package
 * does. A cache V8 rejects (another Node build) is compiled afresh and written again; anything that
 * is not plain CommonJS (a syntax error, ESM in a .js file) goes to Node's own _compile.
 *
 * The cache is bounded: one file per module path (named by the path's hash), which starts with
 * the hash of the source it was compiled from. A module whose source changed (the lab's
 * dependencies updated) misses, and its file is written over: the folder never holds more files
 * than the lab's node_modules has modules. The folders of other Node builds are dropped when a
 * cloud starts (compile-cache-folders.ts).
 */

type CompileFn = (this: NodeModule, content: string, filename: string, format?: string) => unknown;
interface ModuleInternals {
  prototype: { _compile: CompileFn; require(id: string): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: NodeModule, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: NodeModule): string[] | null;
  _extensions: NodeJS.RequireExtensions;
  _cache: NodeJS.Dict<NodeModule>;
}

interface Compiled {
  file: string;
  /** the hash of the source, the first SOURCE_HASH_BYTES of the file */
  sourceHash: Buffer;
  script: vm.Script;
  /** its cache file exists but is of another source, or V8 refused it (another build, a damaged file) */
  refused: boolean;
}

/** a SHA-1 */
const SOURCE_HASH_BYTES = 20;

export class CompileCache {
  /** scripts compiled with no usable cache: what this environment can write */
  private readonly missed: Compiled[] = [];
  private readonly claim: Int32Array;
  hits = 0;

  constructor(private readonly boot: CompileCacheBoot) {
    this.claim = new Int32Array(boot.claim);
  }

  /** from now on, the runtime's modules compile from (and for) the cache */
  install(): void {
    const M = Module as unknown as ModuleInternals;
    const nodeCompile = M.prototype._compile;
    const prefix = this.boot.modulesDir + path.sep;
    const cache = this;
    M.prototype._compile = function (content, filename, format) {
      if (format === 'module' || !filename.startsWith(prefix)) return nodeCompile.call(this, content, filename, format);
      const wrapper = cache.compile(content, filename);
      if (!wrapper) return nodeCompile.call(this, content, filename, format);
      return wrapper.call(this.exports, this.exports, makeRequire(M, this), this, filename, path.dirname(filename));
    };
  }

  /**
   * Writes the code of the modules this environment compiled without a cache, unless another
   * environment is writing (one writer at a time: a burst of cold starts writes it once; what the
   * others compiled that the writer did not, the next cold start writes). Called once.
   */
  write(): void {
    const missed = this.missed.splice(0);
    if (missed.length === 0 || Atomics.compareExchange(this.claim, 0, 0, 1) !== 0) return;
    try {
      for (const { file, sourceHash, script, refused } of missed) {
        // another environment may have written it meanwhile
        if (refused || !existsSync(file)) atomicWrite(file, Buffer.concat([sourceHash, script.createCachedData()]));
      }
    } catch {
      // best effort: a read-only or full state dir only means no cache
    } finally {
      Atomics.store(this.claim, 0, 0);
    }
  }

  private compile(content: string, filename: string): ((...args: unknown[]) => unknown) | undefined {
    const file = path.join(this.boot.dir, `${createHash('sha1').update(filename).digest('hex')}.bin`);
    const sourceHash = createHash('sha1').update(content).digest();
    let stored: Buffer | undefined;
    try {
      stored = readFileSync(file);
    } catch {
      // not cached yet
    }
    // the code of another source of this module (an older version of the package) is no cache
    const cachedData =
      stored && stored.length > SOURCE_HASH_BYTES && sourceHash.equals(stored.subarray(0, SOURCE_HASH_BYTES)) ? stored.subarray(SOURCE_HASH_BYTES) : undefined;
    let script: vm.Script;
    try {
      script = new vm.Script(Module.wrap(content), {
        filename,
        cachedData,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch {
      return undefined; // Node's own compile reports it (or loads the file as ESM)
    }
    if (cachedData && !script.cachedDataRejected) this.hits++;
    else this.missed.push({ file, sourceHash, script, refused: stored !== undefined });
    return script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
  }
}

/** `require` as Node's makeRequireFunction builds it for a module */
function makeRequire(M: ModuleInternals, mod: NodeModule): NodeJS.Require {
  const require = ((id: string) => mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) => M._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => M._resolveLookupPaths(request, mod);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = M._extensions;
  require.cache = M._cache;
  return require;
}
