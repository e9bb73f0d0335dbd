/**
 * What API Gateway needs from Lambda, declared here (the consumer) so that API Gateway does not
 * import the Lambda service; wiring.ts adapts Lambda to it (STYLE item 4).
 */

export interface LambdaInvocation {
  functionName: string;
  /** alias or version from the integration URI (after stage variables), if any */
  qualifier?: string;
  /**
   * the proxy event, as the parts the function's thread builds it from (Lambda's BuiltEvent):
   * `builder` names the module whose `buildEvent(parts)` makes it; `byteLength` measures it against
   * Invoke's payload limit
   */
  event: { readonly builder: string; readonly parts: readonly unknown[]; byteLength(limit: number): number };
}

export interface LambdaInvocationResult {
  /** the function's answer or, on a function error, the runtime's error object */
  payload: Buffer | Uint8Array | string;
  /** set when the function failed (threw, crashed, timed out): `Unhandled` / `Handled` */
  functionError?: string;
  executedVersion?: string;
}

/**
 * A synchronous (RequestResponse) invocation. When Lambda refuses the call it throws a
 * ServiceError as Invoke would answer it: `TooManyRequestsException` (429) for throttling,
 * `ResourceNotFoundException` (404) for an unknown function or qualifier.
 */
export interface LambdaInvoker {
  invoke(call: LambdaInvocation): Promise<LambdaInvocationResult>;
}
