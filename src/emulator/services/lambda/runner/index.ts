/** The embedded Lambda's execution environments: what the Lambda API uses. */
export { WorkerPool, DEFAULT_IDLE_TIMEOUT_MS, type WorkerPoolOptions } from './pool.js';
export type { LogEntry } from './execution-environment.js';
export { isSupportedRuntime, SUPPORTED_RUNTIMES, unsupportedRuntimeMessage, UnsupportedRuntimeError } from './runtimes.js';
export { RESERVED_ENVIRONMENT_KEYS, logGroupName } from './function-environment.js';
export type { BuiltEvent, EventPayload, ExecutionEnvironments, FunctionRunConfig, InvokeRequest, InvokeResult } from './types.js';
export { provideRuntimeModules } from './runtime-modules.js';
