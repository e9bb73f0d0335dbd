/**
 * What CodeDeploy needs from other services, declared here and handed over in wiring.ts
 * (DESIGN: services meet through small interfaces declared by the one that needs them).
 * Each method may answer synchronously or with a promise.
 */

/** A Lambda alias's routing: its main version and the weights of additional versions. */
export interface AliasRouting {
  functionVersion: string;
  /** version → share of traffic (0 … 1); empty when the alias routes to one version */
  additionalVersionWeights: Record<string, number>;
}

/**
 * Reads and moves a Lambda alias (AWSCodeDeployRoleForLambda's lambda:GetAlias / lambda:UpdateAlias).
 * Both throw a ServiceError (ResourceNotFoundException …) when the function, alias or version is missing.
 */
export interface AliasRouter {
  getAliasRouting(functionName: string, alias: string): AliasRouting | Promise<AliasRouting>;
  updateAliasRouting(functionName: string, alias: string, routing: AliasRouting): void | Promise<void>;
  /** whether a published version exists (AppSpec validation) */
  versionExists(functionName: string, version: string): boolean | Promise<boolean>;
}

/**
 * Invokes a hook function asynchronously (InvocationType Event), as CodeDeploy does: "CodeDeploy
 * invokes the hook function asynchronously" (SAM docs/safe_lambda_deployments.rst). Resolves once
 * Lambda has accepted the event; throws a ServiceError when Lambda refuses it (no such function …).
 */
export interface HookInvoker {
  invokeEvent(functionName: string, payload: { DeploymentId: string; LifecycleEventHookExecutionId: string }): Promise<void>;
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/**
 * The states of named CloudWatch alarms (cloudwatch:DescribeAlarms). An alarm that does not exist
 * is left out of the answer (or maps to undefined), as DescribeAlarms leaves it out; CloudWatch's
 * backend satisfies this as it is.
 */
export interface AlarmReader {
  alarmStates(names: readonly string[]): ReadonlyMap<string, AlarmState | undefined> | Promise<ReadonlyMap<string, AlarmState | undefined>>;
  /**
   * The named alarms that went into ALARM after `since` (cloud time), whatever their state
   * now: their history's StateUpdate items (cloudwatch:DescribeAlarmHistory). An alarm forced with
   * SetAlarmState "returns to [its] actual state quickly, often within seconds", and the change
   * "is typically only visible in the alarm's History tab ... or through DescribeAlarmHistory"
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html).
   */
  enteredAlarmSince?(names: readonly string[], since: number): readonly string[] | Promise<readonly string[]>;
}
