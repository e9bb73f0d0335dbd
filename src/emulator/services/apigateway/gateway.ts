/**
 * The data plane: an invoke URL's request routed through the stage's deployment to its
 * integration, as API Gateway does it for REST APIs.
 *
 * - The stage serves the deployment it points at (a frozen snapshot, compiled once).
 * - Canary ("Set up an API Gateway canary release deployment"): `percentTraffic` percent of the
 *   requests, chosen at random, go to `canarySettings.deploymentId` and see the stage variables
 *   with `stageVariableOverrides` merged over them. The random source is injectable for tests.
 * - AWS_PROXY to Lambda only (plus MOCK answering an empty 200). "API Gateway does not retry any
 *   Lambda invocations" (services-apigateway-errors.html): one invoke per request.
 *
 * - The integration timeout: an integration that has not answered within the method's
 *   `timeoutInMillis` (29 s unless set; "50 milliseconds - 29 seconds for all integration types",
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html) is answered with
 *   504 and `{"message": "Endpoint request timed out"}` (the INTEGRATION_TIMEOUT gateway response,
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
 *   The invocation goes on in Lambda, as on AWS; its answer is dropped. The limit counts real
 *   time, as the function's own Timeout does (function code runs in real time, not at --speed).
 *
 * Known limits: no authorizers, API keys, usage plans, request validation, caching or mapping
 * templates; multi-value request headers arrive as node joins them; header names are lower-case
 * (as HTTP/2 clients send them).
 */
import type { Clock } from '../../core/clock.js';
import { Deadlines, type TimerHost } from '../../core/deadlines.js';
import { getOwn, setOwn } from '../../core/own-key.js';
import { randomBase64, randomUuid } from '../../core/random-ids.js';
import { ServiceError } from '../../core/service-error.js';
import type { WireRequest, WireResponse } from '../../protocols/types.js';
import type { ApiGatewayBackend } from './backend.js';
import type { InvokeTarget } from './front-door.js';
import { resolveLambdaTarget } from './integration-uri.js';
import type { LambdaInvocationResult, LambdaInvoker } from './invoker.js';
import { mapProxyResult, proxyEvent } from './proxy-event.js';
import {
  contentLengthExceeded,
  endpointRequestTimedOut,
  forbidden,
  internalServerError,
  INTEGRATION_TIMEOUT_MS,
  missingAuthenticationToken,
  PAYLOAD_LIMIT,
  requestTooLong,
  type GatewayIds,
} from './responses.js';
import { compiledDeployment } from './router.js';

export interface ApiGatewayDataPlaneOptions {
  accountId: string;
  /** the cloud's clock: requestContext.requestTime and requestTimeEpoch are cloud time, as every timestamp a client sees */
  clock: Pick<Clock, 'now'>;
  /** Lambda's in-process invoke (wiring.ts: Lambda is built before API Gateway) */
  invoker: LambdaInvoker;
  /** what a throttled (refused) invocation answers: AWS today 500; the workshop recorded 502 */
  throttleStatus?: 500 | 502;
  /** [0, 1), for the canary split; default Math.random */
  random?: () => number;
  log?: (line: string) => void;
  /** the clock and timer of integration timeouts (default Node's, real time; tests pass a manual one) */
  timers?: TimerHost;
}

/**
 * `x-amz-apigw-id` (and the event's extendedRequestId) looks like `JJbxmplHYosFVYQ=`: 11 opaque
 * bytes in base64, a value of its own beside the request id.
 */
export const newApigwId = (): string => randomBase64(11);

export class ApiGateway {
  private readonly invoker: LambdaInvoker;
  private readonly random: () => number;
  private readonly throttleStatus: 500 | 502;
  private readonly log: (line: string) => void;
  /** every request's integration timeout, on one timer */
  private readonly deadlines: Deadlines;

  constructor(
    private readonly backend: ApiGatewayBackend,
    private readonly opts: ApiGatewayDataPlaneOptions,
  ) {
    this.invoker = opts.invoker;
    this.random = opts.random ?? Math.random;
    this.throttleStatus = opts.throttleStatus ?? 500;
    this.log = opts.log ?? (() => undefined);
    this.deadlines = new Deadlines(false, opts.timers);
  }

  /**
   * Not async: a gateway-generated answer is returned as it is, and the function's answer is mapped
   * in the one continuation of Lambda's promise (the server awaits either without another hop).
   */
  invoke(target: InvokeTarget, req: WireRequest): WireResponse | Promise<WireResponse> {
    const requestId = randomUuid();
    const ids: GatewayIds = { requestId, apigwId: newApigwId() };

    if (req.body.length > PAYLOAD_LIMIT) return contentLengthExceeded(ids);
    const api = this.backend.lookup(target.apiId);
    const stage = api && target.stage ? getOwn(api.stages, target.stage) : undefined;
    if (!api || !stage) return forbidden(ids);

    let deploymentId = stage.deploymentId;
    let variables = stage.variables;
    const canary = stage.canarySettings;
    if (canary && canary.percentTraffic > 0 && canary.deploymentId && this.random() * 100 < canary.percentTraffic) {
      deploymentId = canary.deploymentId;
      variables = { ...variables, ...canary.stageVariableOverrides };
    }
    const deployment = getOwn(api.deployments, deploymentId);
    if (!deployment) return forbidden(ids);

    const compiled = compiledDeployment(deployment);
    const matched = compiled.matchPath(target.path, req.method);
    if (!matched) return missingAuthenticationToken(ids);
    const { target: route, pathParameters } = matched;

    const type = route.integration?.type;
    if (type === 'MOCK') {
      return { status: 200, headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, 'x-amz-apigw-id': ids.apigwId }, body: '' };
    }
    if (type !== 'AWS_PROXY' || !route.lambda) {
      this.log(`apigateway: ${target.apiId}/${target.stage} ${req.method} ${route.resource.path}: integration type ${type ?? '(none)'} is not emulated`);
      return internalServerError(500, ids);
    }
    let hasVariables = false;
    for (const _ in variables) {
      hasVariables = true;
      break;
    }
    const fn = resolveLambdaTarget(route.lambda, variables);
    if (!fn) {
      this.log(`apigateway: ${target.apiId}/${target.stage}: integration URI names a stage variable that is not set`);
      return internalServerError(500, ids);
    }

    const event = proxyEvent(
      { method: req.method, path: target.path, query: req.query, headers: req.headers, rawHeaders: req.rawHeaders, body: req.body },
      route,
      {
        accountId: this.opts.accountId,
        apiId: target.apiId,
        stage: target.stage,
        requestId,
        extendedRequestId: ids.apigwId,
        now: this.opts.clock.now(),
        stageVariables: hasVariables ? variables : null,
        pathParameters,
        binaryMediaTypes: compiled.binaryMediaTypes,
      },
    );

    let invoked: Promise<LambdaInvocationResult>;
    try {
      invoked = this.invoker.invoke({ functionName: fn.functionName, qualifier: fn.qualifier, event });
    } catch (err) {
      invoked = Promise.reject(err);
    }
    const limitMs = route.integration?.timeoutInMillis ?? INTEGRATION_TIMEOUT_MS;
    // the first to settle answers: the function's answer (or Lambda's refusal), or the timeout
    return new Promise<WireResponse>((resolve, reject) => {
      const deadline = this.deadlines.add(limitMs, () =>
        resolve({ ...endpointRequestTimedOut(ids), logNote: `the integration did not answer within ${limitMs} ms (Lambda goes on running it)` }),
      );
      invoked.then(
        (result) => {
          this.deadlines.cancel(deadline);
          try {
            resolve(this.answer(result, fn.functionName, ids));
          } catch (err) {
            reject(err);
          }
        },
        (err) => {
          this.deadlines.cancel(deadline);
          resolve(this.refused(err, fn.functionName, ids));
        },
      );
    });
  }

  private refused(err: unknown, functionName: string, ids: GatewayIds): WireResponse {
    // Lambda refused the call: 500 (throttling may be configured to answer 502, as the workshop saw)
    if (err instanceof ServiceError && err.code === 'RequestEntityTooLargeException') return requestTooLong(ids);
    const throttled = err instanceof ServiceError && err.code === 'TooManyRequestsException';
    if (!(err instanceof ServiceError)) this.log(`apigateway: invoking ${functionName} failed: ${(err as Error)?.message ?? String(err)}`);
    // the request log says why: the client sees only "Internal server error", as on AWS
    const note = throttled
      ? `Lambda throttled the invocation: ${String(err.fields?.Reason ?? 'Rate Exceeded')}`
      : `Lambda refused the invocation: ${err instanceof ServiceError ? err.code : 'internal error'}`;
    return { ...internalServerError(throttled ? this.throttleStatus : 500, ids), logNote: note };
  }

  /** the function's answer, as the proxy integration maps it */
  private answer(result: LambdaInvocationResult, functionName: string, ids: GatewayIds): WireResponse {
    if (result.functionError) return { ...internalServerError(502, ids), logNote: `the function failed (${failureOf(result.functionError, result.payload)})` };
    const mapped = mapProxyResult(result.payload);
    if (!mapped) {
      this.log(`apigateway: ${functionName}: Execution failed due to configuration error: Malformed Lambda proxy response`);
      return { ...internalServerError(502, ids), logNote: 'malformed Lambda proxy response' };
    }

    // the mapped headers are this answer's own: completed in place
    const headers = mapped.headers;
    for (const k in headers) {
      const v = headers[k];
      // Set-Cookie values must stay separate header lines; other repeated headers may be joined
      // (RFC 9110 5.3)
      if (typeof v !== 'string' && k.toLowerCase() !== 'set-cookie') setOwn(headers, k, v.join(', '));
    }
    headers['x-amzn-RequestId'] = ids.requestId;
    headers['x-amz-apigw-id'] = ids.apigwId;
    return { status: mapped.status, headers, body: mapped.body };
  }
}

/** `Unhandled: Sandbox.Timedout`: Lambda's FunctionError and the errorType of its error payload */
function failureOf(functionError: string, payload: Buffer | Uint8Array | string): string {
  try {
    const errorType = (JSON.parse(Buffer.from(payload).toString('utf8')) as { errorType?: unknown }).errorType;
    return typeof errorType === 'string' ? `${functionError}: ${errorType}` : functionError;
  } catch {
    return functionError;
  }
}
