import type { FunctionRunConfig } from './types.js';

/**
 * The environment of a function: its own variables plus what Lambda's runtime sets.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 * The worker receives exactly this object (`new Worker(..., { env })`), never the host's process.env.
 */

/** Keys a function may not set itself (CreateFunction answers InvalidParameterValueException). */
export const RESERVED_ENVIRONMENT_KEYS: readonly string[] = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
];

export interface EnvironmentSettings {
  region: string;
  /** the embedded cloud's URL, so SDK v3 clients inside a function reach it (AWS_ENDPOINT_URL) */
  endpointUrl?: string;
}

/** Credentials of the emulator: any value signs, the emulator does not check them. */
const LOCAL_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIALOCALLAMBDAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'local/lambda/execution/role/secret/key00',
  AWS_SESSION_TOKEN: 'local-lambda-execution-role-session-token',
};

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** `2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef`, one per execution environment. */
export function newLogStreamName(version: string, now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  let hex = '';
  for (let i = 0; i < 32; i++) hex += Math.floor(Math.random() * 16).toString(16);
  return `${day}/[${version}]${hex}`;
}

export function functionEnvironment(
  config: FunctionRunConfig,
  logStream: string,
  settings: EnvironmentSettings,
): Record<string, string> {
  const env: Record<string, string> = {
    // Unreserved defaults: a function may override these.
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: '/usr/local/bin:/usr/bin/:/bin:/opt/bin',
    // The function runs on the host's Node (20 here) whatever nodejs*.x it declares; the SDK's
    // notice that its future releases need Node 22 is about the host, not the function's runtime,
    // and would otherwise open every cold start's log.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...config.environment,
    // Reserved: always the runtime's values.
    _HANDLER: config.handler,
    AWS_REGION: settings.region,
    AWS_DEFAULT_REGION: settings.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: config.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: config.version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySizeMB),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(config.functionName),
    AWS_LAMBDA_LOG_STREAM_NAME: logStream,
    LAMBDA_TASK_ROOT: config.codeDir,
    ...LOCAL_CREDENTIALS,
  };
  if (settings.endpointUrl && config.environment.AWS_ENDPOINT_URL === undefined) {
    env.AWS_ENDPOINT_URL = settings.endpointUrl;
  }
  return env;
}

/**
 * Heap bounds as the Node.js runtime's bootstrap script sets them from the memory size
 * (/var/runtime/bootstrap in the nodejs18.x+ base images: new_space = memory / 10,
 * semi_space = new_space / 2, old_space = memory - new_space).
 */
export function heapLimits(memorySizeMB: number): { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number } {
  const newSpace = Math.max(2, Math.floor(memorySizeMB / 10));
  return { maxOldGenerationSizeMb: Math.max(16, memorySizeMB - newSpace), maxYoungGenerationSizeMb: newSpace };
}
