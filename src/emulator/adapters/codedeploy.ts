/**
 * CodeDeploy's interfaces (services/codedeploy/dependencies.ts) over the other services' backends,
 * for wiring.ts: Lambda moves aliases and runs the hooks; CloudWatch answers alarm states.
 */
import { ServiceError } from '../core/service-error.js';
import type { AlarmReader, AliasRouter, HookInvoker } from '../services/codedeploy/index.js';
import type { LambdaService } from '../services/lambda/index.js';
import type { CloudWatchBackend } from '../services/cloudwatch/index.js';

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
 * The group's alarms as CloudWatch holds them. A name CloudWatch does not know is left out, as
 * DescribeAlarms leaves it out, so it never stops a deployment.
 */
export function cloudWatchAlarmReader(cloudwatch: Pick<CloudWatchBackend, 'alarmStates' | 'enteredAlarmSince'>): AlarmReader {
  return {
    alarmStates(names) {
      const states = new Map<string, 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'>();
      for (const [name, state] of cloudwatch.alarmStates(names)) if (state) states.set(name, state);
      return states;
    },
    enteredAlarmSince: (names, since) => cloudwatch.enteredAlarmSince(names, since),
  };
}
