/**
 * CodeDeploy's deployment lists, read whole: ListDeployments comes in pages (nextToken), and
 * BatchGetDeployments and BatchGetDeploymentTargets take at most 25 ids a call; and the one Lambda
 * target of a deployment.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BatchGetDeployments.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BatchGetDeploymentTargets.html
 */
import type {
  CodeDeployClient,
  DeploymentInfo,
  DeploymentStatus,
  LambdaTarget,
  ListDeploymentsCommandInput,
} from '@aws-sdk/client-codedeploy';
import { codeDeploySdk } from './clients.js';

/**
 * The statuses of a deployment that has not ended: all but Succeeded, Failed and Stopped
 * (DeploymentStatus: Created | Queued | InProgress | Baking | Succeeded | Failed | Stopped | Ready).
 */
export const UNFINISHED_DEPLOYMENT_STATUSES: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];

/** the statuses of a deployment that has ended */
export const ENDED_DEPLOYMENT_STATUSES: ReadonlySet<string> = new Set<DeploymentStatus>(['Succeeded', 'Failed', 'Stopped']);

/** The ids ListDeployments lists for `input`, page after page, until there are `max` or more. */
export async function listDeploymentIds(
  cd: CodeDeployClient,
  input: Omit<ListDeploymentsCommandInput, 'nextToken'>,
  max: number,
  signal?: AbortSignal,
): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cd.send(new (codeDeploySdk().ListDeploymentsCommand)({ ...input, nextToken }), { abortSignal: signal });
    ids.push(...(page.deployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken && ids.length < max);
  return ids;
}

/** The deployments of `ids`, 25 to a BatchGetDeployments call. */
export async function batchGetDeployments(cd: CodeDeployClient, ids: readonly string[], signal?: AbortSignal): Promise<DeploymentInfo[]> {
  const infos: DeploymentInfo[] = [];
  for (let i = 0; i < ids.length; i += 25) {
    const r = await cd.send(new (codeDeploySdk().BatchGetDeploymentsCommand)({ deploymentIds: ids.slice(i, i + 25) }), { abortSignal: signal });
    infos.push(...(r.deploymentsInfo ?? []));
  }
  return infos;
}

/** The Lambda target of a deployment (a Lambda deployment has one: its alias); undefined before CodeDeploy lists it. */
export async function deploymentLambdaTarget(cd: CodeDeployClient, deploymentId: string, signal?: AbortSignal): Promise<LambdaTarget | undefined> {
  const ids = (await cd.send(new (codeDeploySdk().ListDeploymentTargetsCommand)({ deploymentId }), { abortSignal: signal })).targetIds ?? [];
  if (!ids.length) return undefined;
  const got = await cd.send(new (codeDeploySdk().BatchGetDeploymentTargetsCommand)({ deploymentId, targetIds: ids.slice(0, 25) }), { abortSignal: signal });
  return got.deploymentTargets?.find((t) => t.lambdaTarget)?.lambdaTarget;
}
