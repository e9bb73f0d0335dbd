/**
 * CodeDeploy's records for the Lambda compute platform, as persisted in the state dir. Times are
 * epoch milliseconds of the cloud clock; handlers turn them into the wire's epoch seconds.
 * Shapes and enums: botocore `codedeploy/2014-10-06/service-2.json` (shared/aws §C).
 */

/** https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_TrafficRoutingConfig.html */
export type TrafficRoutingConfig =
  | { type: 'AllAtOnce' }
  | { type: 'TimeBasedCanary'; timeBasedCanary: { canaryPercentage: number; canaryInterval: number } }
  | { type: 'TimeBasedLinear'; timeBasedLinear: { linearPercentage: number; linearInterval: number } };

export interface DeploymentConfigRecord {
  deploymentConfigId: string;
  deploymentConfigName: string;
  computePlatform: 'Lambda' | 'Server' | 'ECS';
  trafficRoutingConfig: TrafficRoutingConfig;
  createTime: number;
}

/** https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_Tag.html */
export interface Tag {
  Key: string;
  Value?: string;
}

export type TriggerEventType =
  | 'DeploymentStart'
  | 'DeploymentSuccess'
  | 'DeploymentFailure'
  | 'DeploymentStop'
  | 'DeploymentRollback'
  | 'DeploymentReady'
  | 'InstanceStart'
  | 'InstanceSuccess'
  | 'InstanceFailure'
  | 'InstanceReady';

/** https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_TriggerConfig.html */
export interface TriggerConfig {
  triggerName?: string;
  triggerTargetArn?: string;
  triggerEvents?: TriggerEventType[];
}

export interface ApplicationRecord {
  applicationId: string;
  applicationName: string;
  computePlatform: 'Lambda' | 'Server' | 'ECS';
  createTime: number;
  linkedToGitHub: boolean;
  tags: Tag[];
}

export type AutoRollbackEvent = 'DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' | 'DEPLOYMENT_STOP_ON_REQUEST';

export interface AutoRollbackConfiguration {
  enabled: boolean;
  events: AutoRollbackEvent[];
}

export interface AlarmConfiguration {
  enabled: boolean;
  ignorePollAlarmFailure: boolean;
  alarms: { name: string }[];
}

export interface DeploymentStyle {
  deploymentType: 'IN_PLACE' | 'BLUE_GREEN';
  deploymentOption: 'WITH_TRAFFIC_CONTROL' | 'WITHOUT_TRAFFIC_CONTROL';
}

export interface DeploymentGroupRecord {
  applicationName: string;
  deploymentGroupId: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  serviceRoleArn: string;
  alarmConfiguration: AlarmConfiguration;
  autoRollbackConfiguration: AutoRollbackConfiguration;
  deploymentStyle: DeploymentStyle;
  triggerConfigurations: TriggerConfig[];
  tags: Tag[];
  /** the newest deployment that reached InProgress and its end (GetDeploymentGroup's lastAttemptedDeployment) */
  lastAttemptedDeployment?: { deploymentId: string; status: DeploymentStatus; endTime?: number; createTime: number };
  lastSuccessfulDeployment?: { deploymentId: string; status: DeploymentStatus; endTime?: number; createTime: number };
}

export type DeploymentStatus = 'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Succeeded' | 'Failed' | 'Stopped' | 'Ready';
export type LifecycleEventStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown';
export type LifecycleEventName = 'BeforeAllowTraffic' | 'AllowTraffic' | 'AfterAllowTraffic';
export type DeploymentCreator = 'user' | 'codeDeployRollback';

export const LIFECYCLE_EVENTS: readonly LifecycleEventName[] = ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'];
/** the lifecycle events of a Lambda deployment that an AppSpec may hook (its Hooks section) */
export type HookEventName = Exclude<LifecycleEventName, 'AllowTraffic'>;
export const HOOK_EVENTS: readonly HookEventName[] = ['BeforeAllowTraffic', 'AfterAllowTraffic'];

export interface LifecycleEventRecord {
  lifecycleEventName: LifecycleEventName;
  status: LifecycleEventStatus;
  startTime?: number;
  endTime?: number;
  /** the hook function (BeforeAllowTraffic / AfterAllowTraffic), from the AppSpec */
  hook?: string;
  /** set when the hook is invoked; the id PutLifecycleEventHookExecutionStatus names */
  hookExecutionId?: string;
  /** what the hook reported */
  hookStatus?: 'Succeeded' | 'Failed';
  /** the one-hour limit for the hook's report, on the cloud clock */
  hookDeadline?: number;
  /** why the event failed, shown as its diagnostics message */
  diagnostic?: string;
}

/** the one Lambda resource of a Lambda AppSpec */
export interface LambdaAppSpecTarget {
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
  hooks: Partial<Record<HookEventName, string>>;
}

export interface ErrorInformation {
  code: string;
  message: string;
}

export interface RollbackInfo {
  rollbackDeploymentId?: string;
  rollbackTriggeringDeploymentId?: string;
  rollbackMessage?: string;
}

export interface DeploymentRecord {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  /** the routing the deployment runs with, read from its config when it was created */
  trafficRouting: TrafficRoutingConfig;
  status: DeploymentStatus;
  creator: DeploymentCreator;
  description?: string;
  /** as the client sent it (GetDeployment answers it back) */
  revision: Record<string, unknown>;
  target: LambdaAppSpecTarget;
  /** the target version's share of the alias's traffic, 0 … 1 */
  targetVersionWeight: number;
  lifecycleEvents: LifecycleEventRecord[];
  /** when AllowTraffic began: the origin of the shift schedule */
  trafficShiftStart?: number;
  createTime: number;
  startTime?: number;
  completeTime?: number;
  lastUpdatedAt: number;
  errorInformation?: ErrorInformation;
  rollbackInfo?: RollbackInfo;
  autoRollbackConfiguration: AutoRollbackConfiguration;
  alarmConfiguration: AlarmConfiguration;
  deploymentStyle: DeploymentStyle;
  /** the group's service role when the deployment was created: what it may invoke (service-role.ts) */
  serviceRoleArn?: string;
}

export const TERMINAL: ReadonlySet<DeploymentStatus> = new Set(['Succeeded', 'Failed', 'Stopped']);

export function isActive(d: DeploymentRecord): boolean {
  return !TERMINAL.has(d.status);
}
