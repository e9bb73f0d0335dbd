/**
 * `status`'s view of CodeDeploy and CloudWatch: the latest deployment of a function's deployment
 * group (status, error, the Lambda target's lifecycle events and weight) and the stack's alarms
 * with their states. Read through the API as the console shows them.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_LambdaTarget.html
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { cloudWatchSdk } from './clients.js';
import { batchGetDeployments, deploymentLambdaTarget, listDeploymentIds, UNFINISHED_DEPLOYMENT_STATUSES } from './codedeploy-lists.js';

export interface DeploymentStatus {
  deploymentId: string;
  status: string;
  deploymentConfigName?: string;
  creator?: string;
  createTime?: string;
  completeTime?: string;
  /** `errorInformation`, e.g. ALARM_ACTIVE and AWS's text */
  error?: { code?: string; message?: string };
  /** the rollback deployment it triggered, or the deployment it rolls back */
  rollback?: { rollbackDeploymentId?: string; rollbackTriggeringDeploymentId?: string; rollbackMessage?: string };
  currentVersion?: string;
  targetVersion?: string;
  /** the target version's share, 0–1 */
  targetVersionWeight?: number;
  lifecycleEvents: { name: string; status: string }[];
}

export interface AlarmStatus {
  name: string;
  /** OK | ALARM | INSUFFICIENT_DATA, or `unknown` when it could not be read */
  state: string;
  reason?: string;
  metric?: string;
}

/** The newest deployment of the group, or undefined when it has none. */
export async function readDeploymentStatus(cd: CodeDeployClient, applicationName: string, deploymentGroupName: string): Promise<DeploymentStatus | undefined> {
  const ids = await listDeploymentIds(cd, { applicationName, deploymentGroupName }, 1000);
  if (ids.length === 0) return undefined;
  const infos = await batchGetDeployments(cd, ids);
  infos.sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
  const d = infos[0];
  const out: DeploymentStatus = {
    deploymentId: d.deploymentId!,
    status: d.status ?? 'Unknown',
    deploymentConfigName: d.deploymentConfigName,
    creator: d.creator,
    createTime: d.createTime?.toISOString(),
    completeTime: d.completeTime?.toISOString(),
    lifecycleEvents: [],
  };
  if (d.errorInformation) out.error = { code: d.errorInformation.code, message: d.errorInformation.message };
  if (d.rollbackInfo && (d.rollbackInfo.rollbackDeploymentId || d.rollbackInfo.rollbackTriggeringDeploymentId)) out.rollback = { ...d.rollbackInfo };
  const t = await deploymentLambdaTarget(cd, d.deploymentId!);
  if (t) {
    out.lifecycleEvents = (t.lifecycleEvents ?? []).map((e) => ({ name: e.lifecycleEventName ?? '?', status: e.status ?? 'Unknown' }));
    const info = t.lambdaFunctionInfo;
    if (info) Object.assign(out, { currentVersion: info.currentVersion, targetVersion: info.targetVersion, targetVersionWeight: info.targetVersionWeight });
  }
  return out;
}

export async function readAlarms(cw: CloudWatchClient, names: string[]): Promise<AlarmStatus[]> {
  const found = new Map<string, AlarmStatus>();
  for (let i = 0; i < names.length; i += 100) {
    const { DescribeAlarmsCommand } = cloudWatchSdk();
    const page = await cw.send(new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100) }));
    for (const a of page.MetricAlarms ?? []) found.set(a.AlarmName!, { name: a.AlarmName!, state: a.StateValue ?? 'unknown', reason: a.StateReason, metric: a.MetricName });
  }
  return names.map((n) => found.get(n) ?? { name: n, state: 'missing' });
}

export interface DeploymentInFlight {
  deploymentId: string;
  status: string;
  applicationName?: string;
  deploymentGroupName?: string;
}

/**
 * Every deployment of the account that has not ended: ListDeployments with no application lists
 * them all (codedeploy-lists.ts: UNFINISHED_DEPLOYMENT_STATUSES).
 */
export async function deploymentsInFlight(cd: CodeDeployClient, signal?: AbortSignal): Promise<DeploymentInFlight[]> {
  const ids = await listDeploymentIds(cd, { includeOnlyStatuses: UNFINISHED_DEPLOYMENT_STATUSES }, 1000, signal);
  return (await batchGetDeployments(cd, ids, signal)).map((d) => ({
    deploymentId: d.deploymentId!,
    status: d.status ?? 'Unknown',
    applicationName: d.applicationName,
    deploymentGroupName: d.deploymentGroupName,
  }));
}
