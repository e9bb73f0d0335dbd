/**
 * The Lambda runtimes this emulator can run. Every Node.js runtime runs on the host's Node, in a
 * worker thread; the runtime identifier only changes AWS_EXECUTION_ENV.
 * Runtime identifiers: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */
export const SUPPORTED_RUNTIMES = ['nodejs18.x', 'nodejs20.x', 'nodejs22.x'] as const;
export type SupportedRuntime = (typeof SUPPORTED_RUNTIMES)[number];

export function isSupportedRuntime(runtime: string): runtime is SupportedRuntime {
  return (SUPPORTED_RUNTIMES as readonly string[]).includes(runtime);
}

/**
 * The sentence the Lambda API can put in an InvalidParameterValueException at CreateFunction /
 * UpdateFunctionConfiguration. AWS's own text for an unknown runtime is "Value <x> at 'runtime'
 * failed to satisfy constraint: Member must satisfy enum value set: [...]"; a runtime AWS knows but
 * this emulator cannot run gets this clearer sentence.
 */
export function unsupportedRuntimeMessage(runtime: string): string {
  return (
    `The runtime parameter of ${runtime} is not supported by the local emulator. ` +
    `Supported runtimes: ${SUPPORTED_RUNTIMES.join(', ')}.`
  );
}

/** Thrown by `invoke` for a configuration whose runtime cannot run here. */
export class UnsupportedRuntimeError extends Error {
  override readonly name = 'UnsupportedRuntimeError';
  constructor(readonly runtime: string) {
    super(unsupportedRuntimeMessage(runtime));
  }
}
