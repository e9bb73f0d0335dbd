/**
 * Records as the wire shows them (member names from the API model); times become Dates, which the
 * JSON codec writes as epoch seconds.
 */
import { targetIdOf, targetStatus } from './deployments.js';
import type { ApplicationRecord, DeploymentConfigRecord, DeploymentGroupRecord, DeploymentRecord, LifecycleEventRecord } from './model.js';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

export function applicationInfo(a: ApplicationRecord) {
  return {
    applicationId: a.applicationId,
    applicationName: a.applicationName,
    createTime: date(a.createTime),
    linkedToGitHub: a.linkedToGitHub,
    computePlatform: a.computePlatform,
  };
}

export function deploymentConfigInfo(c: DeploymentConfigRecord) {
  return {
    deploymentConfigId: c.deploymentConfigId,
    deploymentConfigName: c.deploymentConfigName,
    createTime: date(c.createTime),
    computePlatform: c.computePlatform,
    trafficRoutingConfig: c.trafficRoutingConfig,
  };
}

function deploymentSummary(s: DeploymentGroupRecord['lastAttemptedDeployment']) {
  return s && { deploymentId: s.deploymentId, status: s.status, endTime: date(s.endTime), createTime: date(s.createTime) };
}

export function deploymentGroupInfo(g: DeploymentGroupRecord, computePlatform: string) {
  return {
    applicationName: g.applicationName,
    deploymentGroupId: g.deploymentGroupId,
    deploymentGroupName: g.deploymentGroupName,
    deploymentConfigName: g.deploymentConfigName,
    ec2TagFilters: [],
    onPremisesInstanceTagFilters: [],
    autoScalingGroups: [],
    serviceRoleArn: g.serviceRoleArn,
    triggerConfigurations: g.triggerConfigurations,
    alarmConfiguration: g.alarmConfiguration,
    autoRollbackConfiguration: g.autoRollbackConfiguration,
    deploymentStyle: g.deploymentStyle,
    outdatedInstancesStrategy: 'UPDATE',
    lastSuccessfulDeployment: deploymentSummary(g.lastSuccessfulDeployment),
    lastAttemptedDeployment: deploymentSummary(g.lastAttemptedDeployment),
    computePlatform,
    terminationHookEnabled: false,
  };
}

/** the one target counted by its status (documented for instances; for Lambda [inf]) */
function overview(d: DeploymentRecord) {
  const counts = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  counts[targetStatus(d)] = 1;
  return counts;
}

export function deploymentInfo(d: DeploymentRecord) {
  return {
    applicationName: d.applicationName,
    deploymentGroupName: d.deploymentGroupName,
    deploymentConfigName: d.deploymentConfigName,
    deploymentId: d.deploymentId,
    revision: d.revision,
    status: d.status,
    errorInformation: d.errorInformation,
    createTime: date(d.createTime),
    startTime: date(d.startTime),
    completeTime: date(d.completeTime),
    deploymentOverview: overview(d),
    description: d.description,
    creator: d.creator,
    ignoreApplicationStopFailures: false,
    autoRollbackConfiguration: d.autoRollbackConfiguration,
    updateOutdatedInstancesOnly: false,
    rollbackInfo: d.rollbackInfo,
    deploymentStyle: d.deploymentStyle,
    instanceTerminationWaitTimeStarted: false,
    deploymentStatusMessages: [],
    computePlatform: 'Lambda',
  };
}

/**
 * Diagnostics of a Lambda event: AWS's content is unverified; the EC2 examples' shape is used
 * (`{scriptName, errorCode, logTail, message}`) [inf] (shared/aws §C.1).
 */
function lifecycleEvent(ev: LifecycleEventRecord) {
  const diagnostics =
    ev.status === 'Succeeded'
      ? { errorCode: 'Success', scriptName: ev.hook ?? '', message: 'Succeeded', logTail: '' }
      : ev.status === 'Failed'
        ? { errorCode: 'ScriptFailed', scriptName: ev.hook ?? '', message: ev.diagnostic ?? 'Failed', logTail: '' }
        : undefined;
  return {
    lifecycleEventName: ev.lifecycleEventName,
    diagnostics,
    startTime: date(ev.startTime),
    endTime: date(ev.endTime),
    status: ev.status,
  };
}

export function deploymentTarget(d: DeploymentRecord, region: string, accountId: string) {
  const t = d.target;
  return {
    deploymentTargetType: 'LambdaTarget',
    lambdaTarget: {
      deploymentId: d.deploymentId,
      targetId: targetIdOf(d),
      // the alias's ARN [inf]
      targetArn: `arn:aws:lambda:${region}:${accountId}:function:${t.functionName}:${t.alias}`,
      status: targetStatus(d),
      lastUpdatedAt: date(d.lastUpdatedAt),
      lifecycleEvents: d.lifecycleEvents.map(lifecycleEvent),
      lambdaFunctionInfo: {
        functionName: t.functionName,
        functionAlias: t.alias,
        currentVersion: t.currentVersion,
        targetVersion: t.targetVersion,
        // a fraction 0 … 1, like the alias's weights [obs, one sample] (shared/aws §C.2)
        targetVersionWeight: d.targetVersionWeight,
      },
    },
  };
}
