/**
 * SDK v3 clients for a target. The only difference between the local and the aws target is here:
 * the local cloud gets its endpoint, dummy credentials and path-style S3; aws gets the standard
 * credential chain with the learner's --profile/--region. Steps and deployers get their clients
 * from here and nowhere else.
 */
import { createRequire } from 'node:module';
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { RekognitionClient } from '@aws-sdk/client-rekognition';
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * Each SDK package is loaded when its client is first asked for, not when this file is: `status`
 * needs Lambda only, and seven clients cost about 150 ms of start-up. The packages are CommonJS
 * (no `exports` map: `import` loads the same dist-cjs file), so a synchronous require keeps these
 * getters synchronous and yields the very module a static import would.
 */
const sdk = createRequire(import.meta.url);

/**
 * An SDK package's commands, by that same require. A static `import { XCommand }` of one of these
 * CommonJS packages makes Node's ESM loader first lex the whole dist-cjs bundle for its named
 * exports (cjs-module-lexer) and detect its format: `status` paid 0.29 s of its 0.83 s of CPU for
 * that (Lambda, CodeDeploy and CloudWatch; 6 runs each way at load 24) before it asked anything.
 * Every module of the CLI side gets the SDK's commands and clients through these, never by
 * `import` (test/cli/startup.test.ts checks it); types are `import type`, which emits nothing.
 */
export const lambdaSdk = (): typeof import('@aws-sdk/client-lambda') => sdk('@aws-sdk/client-lambda');
export const codeDeploySdk = (): typeof import('@aws-sdk/client-codedeploy') => sdk('@aws-sdk/client-codedeploy');
export const cloudWatchSdk = (): typeof import('@aws-sdk/client-cloudwatch') => sdk('@aws-sdk/client-cloudwatch');
export const apiGatewaySdk = (): typeof import('@aws-sdk/client-api-gateway') => sdk('@aws-sdk/client-api-gateway');
export const s3Sdk = (): typeof import('@aws-sdk/client-s3') => sdk('@aws-sdk/client-s3');
export const cloudFormationSdk = (): typeof import('@aws-sdk/client-cloudformation') => sdk('@aws-sdk/client-cloudformation');
export const rekognitionSdk = (): typeof import('@aws-sdk/client-rekognition') => sdk('@aws-sdk/client-rekognition');

/**
 * An SDK package's commands for a module's top (`const { GetAliasCommand } = lambdaCommands`),
 * the package required when a command is first made (`new GetAliasCommand(…)`), not when the
 * module is loaded: the steps' modules named theirs with `= lambdaSdk()` at their top, so every
 * process that loaded the steps (reset's words, the lab's outline of checks, each test file that
 * imports a step) required four SDK packages, 0.18 s of CPU, before it asked AWS anything. Each
 * name is a constructor that makes the package's own command (`new` returns what it returns), so
 * what `send` gets is the SDK's command itself.
 */
function lazyCommands<T extends object>(load: () => T): T {
  return new Proxy({} as T, {
    get: (_, name) =>
      function command(...args: unknown[]): object {
        const Command = (load() as Record<string | symbol, new (...a: unknown[]) => object>)[name];
        return new Command(...args);
      },
  });
}
export const lambdaCommands = lazyCommands(lambdaSdk);
export const codeDeployCommands = lazyCommands(codeDeploySdk);
export const cloudWatchCommands = lazyCommands(cloudWatchSdk);
export const apiGatewayCommands = lazyCommands(apiGatewaySdk);
export const s3Commands = lazyCommands(s3Sdk);
export const cloudFormationCommands = lazyCommands(cloudFormationSdk);

// The package supports Node >= 20.12 (package.json engines); the SDK's notice about its own future
// Node requirement is noise in a learner's terminal. A value the user set wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The region the local cloud signs and answers for. */
export const LOCAL_REGION = 'us-east-1';

/** The account the local cloud puts in its ARNs. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** Dummy keys: the local cloud checks the SigV4 shape, not the secret. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export type TargetSpec =
  /**
   * `stateDir`: the state dir whose cloud this is; each call names it, and a cloud of another one
   * that took the port refuses it (emulator/cloud-identity.ts), which throws a WrongCloudError
   */
  | { kind: 'local'; endpoint: string; region?: string; stateDir?: string }
  | { kind: 'aws'; profile?: string; region?: string };

export interface ClientOptions {
  /** SDK retry attempts; 1 to see every throttle (load tests), default the SDK's 3 */
  maxAttempts?: number;
}

/**
 * The constructor options every client of a target shares. S3 additionally needs forcePathStyle
 * on the local target (wire-protocols.md §7.1: with `localhost` the SDK would pick virtual hosts).
 */
export function clientConfig(target: TargetSpec, opts: ClientOptions = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  if (opts.maxAttempts !== undefined) base.maxAttempts = opts.maxAttempts;
  if (target.kind === 'local') {
    return { ...base, region: target.region ?? LOCAL_REGION, endpoint: target.endpoint, credentials: LOCAL_CREDENTIALS };
  }
  // Standard chain: env vars, shared config/credentials files (with `profile`), SSO, IMDS…
  if (target.region) base.region = target.region;
  if (target.profile) base.profile = target.profile;
  return base;
}

/** One lazily built client per service; `destroy()` closes their keep-alive sockets. */
export class TargetClients {
  #made: { destroy(): void }[] = [];
  #cache = new Map<string, unknown>();
  constructor(
    readonly target: TargetSpec,
    readonly options: ClientOptions = {},
  ) {}

  #get<T extends { destroy(): void }>(key: string, make: (cfg: Record<string, unknown>) => T): T {
    let c = this.#cache.get(key) as T | undefined;
    if (!c) {
      c = make(clientConfig(this.target, this.options));
      if (this.target.kind === 'local' && this.target.stateDir !== undefined) ownCloudOnly(c as unknown as WithMiddleware, this.target.stateDir, this.target.endpoint);
      this.#cache.set(key, c);
      this.#made.push(c);
    }
    return c;
  }

  get lambda(): LambdaClient {
    return this.#get('lambda', (c) => new (lambdaSdk().LambdaClient)(c));
  }
  get s3(): S3Client {
    return this.#get('s3', (c) => {
      const { S3Client } = s3Sdk();
      return new S3Client({ ...c, forcePathStyle: this.target.kind === 'local' });
    });
  }
  get apiGateway(): APIGatewayClient {
    return this.#get('apigw', (c) => new (apiGatewaySdk().APIGatewayClient)(c));
  }
  get rekognition(): RekognitionClient {
    return this.#get('rek', (c) => new (rekognitionSdk().RekognitionClient)(c));
  }
  get cloudWatch(): CloudWatchClient {
    return this.#get('cw', (c) => new (cloudWatchSdk().CloudWatchClient)(c));
  }
  get codeDeploy(): CodeDeployClient {
    return this.#get('cd', (c) => new (codeDeploySdk().CodeDeployClient)(c));
  }
  get cloudFormation(): CloudFormationClient {
    return this.#get('cfn', (c) => new (cloudFormationSdk().CloudFormationClient)(c));
  }

  destroy(): void {
    for (const c of this.#made) c.destroy();
    this.#made = [];
    this.#cache.clear();
  }
}

interface WithMiddleware {
  middlewareStack: {
    add(mw: (next: (args: { request: unknown }) => Promise<{ response: unknown }>) => (args: { request: unknown }) => Promise<{ response: unknown }>, opts: { step: 'deserialize'; priority: 'low'; name: string }): void;
  };
}

/**
 * Each call names the state dir whose cloud it is for; a cloud of another state dir that answers
 * on the port (this one stopped, the other took its port) refuses it with 421, and the call throws
 * a WrongCloudError instead of reading or changing the other workspace's cloud. In the deserialize
 * step, below the SDK's deserializer (priority low), so the raw answer is seen before it is parsed,
 * and below the retries, which do not retry it.
 */
function ownCloudOnly(client: WithMiddleware, stateDir: string, endpoint: string): void {
  let key: Promise<typeof import('../emulator/cloud-identity.js') & { key: string }> | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      key ??= import('../emulator/cloud-identity.js').then((m) => ({ ...m, key: m.cloudKey(stateDir) }));
      const id = await key;
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers[id.CLOUD_HEADER] = id.key;
      const out = await next(args);
      const response = out.response as { statusCode?: number; headers?: Record<string, string | undefined>; body?: { resume?: () => void } };
      const theirs = response.headers?.[id.CLOUD_HEADER];
      if (response.statusCode === id.MISDIRECTED && theirs !== undefined && theirs !== id.key) {
        response.body?.resume?.(); // read to its end, so the connection can serve the next call
        throw await id.wrongCloudError(stateDir, endpoint, decodeURIComponent(theirs), Number(response.headers?.[id.CLOUD_PID_HEADER]));
      }
      return out;
    },
    { step: 'deserialize', priority: 'low', name: 'labOwnCloudOnly' },
  );
}
