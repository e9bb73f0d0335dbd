/**
 * API Gateway (REST, v1): the control plane as a restJson1 service, and the front door that
 * answers invoke URLs. Built by wiring.ts:
 *
 *   const apigateway = createApiGatewayService(deps, { invoker: lambda.invoker });
 *   services.push(apigateway.definition); ... frontDoors: [apigateway.frontDoor, ...]
 */
import { serviceUnavailable } from './errors.js';
import type { Clock } from '../../core/clock.js';
import type { TimerHost } from '../../core/deadlines.js';
import type { ServiceDefinition } from '../../core/service.js';
import type { StateStore } from '../../core/store.js';
import type { FrontDoor } from '../../protocols/types.js';
import { ApiGatewayBackend } from './backend.js';
import { ApiGatewayFrontDoor } from './front-door.js';
import { ApiGateway } from './gateway.js';
import { makeHandlers } from './handlers.js';
import type { LambdaInvoker } from './invoker.js';
import { operations } from './routes.js';

export type { LambdaInvocation, LambdaInvocationResult, LambdaInvoker } from './invoker.js';
export { frontDoorUrl } from '../../front-door-url.js';
export { PROXY_EVENT_BUILDER } from './proxy-event.js';
export { ApiGatewayBackend } from './backend.js';

/** What API Gateway takes from the shared service deps (a subset of wiring's ServiceDeps). */
export interface ApiGatewayDeps {
  clock: Clock;
  region: string;
  accountId: string;
  store?: StateStore;
  /** AWS today: 500; `--throttle-status 502` reproduces the workshop */
  throttleStatus?: 500 | 502;
  log?: (line: string) => void;
}

export interface ApiGatewayLinks {
  /** Lambda's in-process invoke, for AWS_PROXY integrations */
  invoker: LambdaInvoker;
  /** [0, 1) source for the canary split; default Math.random */
  random?: () => number;
  /** the timer of integration timeouts (tests pass a manual one) */
  timers?: TimerHost;
}

export interface ApiGatewayService {
  definition: ServiceDefinition;
  frontDoor: FrontDoor;
  backend: ApiGatewayBackend;
}

export function createApiGatewayService(deps: ApiGatewayDeps, links: ApiGatewayLinks): ApiGatewayService {
  const backend = new ApiGatewayBackend({ accountId: deps.accountId, region: deps.region, clock: deps.clock, store: deps.store });
  const gateway = new ApiGateway(backend, {
    accountId: deps.accountId,
    clock: deps.clock,
    invoker: links.invoker,
    throttleStatus: deps.throttleStatus,
    random: links.random,
    log: deps.log,
    timers: links.timers,
  });
  const definition: ServiceDefinition = {
    id: 'apigateway',
    signingName: 'apigateway',
    protocols: ['restJson1'],
    operations: operations(makeHandlers(backend)),
    storeFailure: (cause) => serviceUnavailable(cause.message),
  };
  return {
    definition,
    frontDoor: new ApiGatewayFrontDoor(gateway),
    backend,
  };
}
