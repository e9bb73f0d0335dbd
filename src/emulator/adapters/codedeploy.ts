/**
 * CodeDeploy's interfaces (services/codedeploy/dependencies.ts) over the other services' backends,
 * for wiring.ts: Lambda moves aliases and runs the hooks; CloudWatch answers alarm states.
 */
import { ServiceError } from '../core/service-error.js';
import type { AlarmReader, AliasRouter, HookInvoker } from '../services/codedeploy/index.js';
import type { LambdaService } from '../services/lambda/index.js';

export function lambdaAliasRouter(lambda: LambdaService): AliasRouter {
  const backend = lambda.backend;
  return {
    getAliasRouting(functionName, alias) {
      const a = backend.getAlias(functionName, alias);
      return { functionVersion: a.FunctionVersion, additionalVersionWeights: { ...(a.RoutingConfig?.AdditionalVersionWeights ?? {}) } };
    },
    updateAliasRouting(functionName, alias, routing) {
      backend.updateAlias({
        FunctionName: functionName,
        Name: alias,
        FunctionVersion: routing.functionVersion,
        // an empty map clears the routing (aliases.ts)
        RoutingConfig: { AdditionalVersionWeights: routing.additionalVersionWeights },
      });
    },
    versionExists(functionName, version) {
      try {
        backend.getFunctionConfiguration(functionName, version);
        return true;
      } catch (err) {
        if (err instanceof ServiceError && err.status === 404) return false;
        throw err;
      }
    },
  };
}

export function lambdaHookInvoker(lambda: LambdaService): HookInvoker {
  return {
    async invokeEvent(functionName, payload) {
      await lambda.invokeFunction({ functionName, invocationType: 'Event', payload });
    },
  };
}

/**
 * Until CloudWatch is wired: no alarm exists, as DescribeAlarms answers for unknown names, so
 * no deployment is stopped by an alarm.
 */
export const noAlarms: AlarmReader = {
  alarmStates: () => new Map(),
};
