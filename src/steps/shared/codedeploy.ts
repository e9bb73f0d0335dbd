/**
 * CodeDeploy as the steps read it: the deployment group SAM made for the app's function (found in
 * the deployment's physical ids, as CloudFormation names them), its deployments newest first, and
 * the Lambda target of a deployment (lifecycle events, versions, the target version's weight).
 */
import type { DeploymentInfo, LambdaTarget } from '@aws-sdk/client-codedeploy';
import { batchGetDeployments, deploymentLambdaTarget, ENDED_DEPLOYMENT_STATUSES, listDeploymentIds } from '../../targets/codedeploy-lists.js';
import type { LabContext } from '../../lab/context.js';
import { APP_FUNCTION, deployment, NotDeployed } from './app.js';

/** SAM's logical ids (codedeploy-cloudwatch-sam.md A.1) */
export const APPLICATION_LOGICAL_ID = 'ServerlessDeploymentApplication';
export const groupLogicalId = (fn: string) => `${fn}DeploymentGroup`;

export interface GroupRef {
  application: string;
  group: string;
}

/** the app function's deployment group; NotDeployed when the template has no DeploymentPreference deployed */
export function deploymentGroup(ctx: LabContext): GroupRef {
  const rec = deployment(ctx) as ReturnType<typeof deployment> & { codeDeployApplication?: string };
  const ids = rec.physicalIds;
  const fn = rec.functions.find((f) => f.logicalId === APP_FUNCTION) as { deploymentGroupName?: string } | undefined;
  const application = ids[APPLICATION_LOGICAL_ID] ?? rec.codeDeployApplication;
  const group = ids[groupLogicalId(APP_FUNCTION)] ?? fn?.deploymentGroupName;
  if (!application || !group) throw new NotDeployed('no CodeDeploy deployment group: DeploymentPreference is not deployed yet');
  // CloudFormation's physical id of a deployment group is its name
  return { application, group: group.includes('/') ? group.split('/').pop()! : group };
}

export function groupNames(ctx: LabContext): GroupRef {
  try {
    return deploymentGroup(ctx);
  } catch {
    return { application: 'APPLICATION', group: 'DEPLOYMENT_GROUP' };
  }
}

/** the group's deployments, newest first (at most `max`) */
export async function deployments(ctx: LabContext, ref: GroupRef, signal?: AbortSignal, max = 25): Promise<DeploymentInfo[]> {
  const cd = ctx.clients.codeDeploy;
  const ids = await listDeploymentIds(cd, { applicationName: ref.application, deploymentGroupName: ref.group }, 500, signal);
  const infos = await batchGetDeployments(cd, ids, signal);
  return infos.sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0)).slice(0, max);
}

/** the one Lambda target of a deployment; undefined before CodeDeploy lists it */
export function lambdaTarget(ctx: LabContext, deploymentId: string, signal?: AbortSignal): Promise<LambdaTarget | undefined> {
  return deploymentLambdaTarget(ctx.clients.codeDeploy, deploymentId, signal);
}

export const TERMINAL = ENDED_DEPLOYMENT_STATUSES;

/** `CodeDeployDefault.LambdaLinear10PercentEvery1Minute` → its shift interval in minutes (undefined for AllAtOnce) */
export function shiftIntervalMinutes(config: string | undefined): number | undefined {
  const m = /(?:Linear10PercentEvery|Canary10Percent)(\d+)Minutes?$/.exec(config ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * The command that shows a deployment's status and why it ended so: `list-deployments` gives only
 * ids; GetDeployment's `errorInformation` holds the code (HOOK_EXECUTION_FAILURE, ALARM_ACTIVE) and
 * CodeDeploy's message.
 */
export function getDeploymentCommand(ctx: LabContext, deploymentId: string): string {
  return ctx.aws(`deploy get-deployment --deployment-id ${deploymentId} --query 'deploymentInfo.[status,errorInformation]'`);
}
