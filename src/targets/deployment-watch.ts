/**
 * Following a CodeDeploy deployment to its end, as `sam deploy` does while CloudFormation waits on
 * an alias with `CodeDeployLambdaAliasUpdate` (codedeploy-cloudwatch-sam.md §B.1): the stack stays
 * UPDATE_IN_PROGRESS until the deployment ends; on failure the alias fails with
 * `<id> failed. <errorInformation.message>` and the stack rolls back (UPDATE_ROLLBACK_COMPLETE),
 * after CodeDeploy's own rollback deployment put the alias back.
 */
import type { CodeDeployClient, DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { ENDED_DEPLOYMENT_STATUSES } from './codedeploy-lists.js';
import { codeDeployCommands, lambdaCommands } from './clients.js';

const { GetDeploymentCommand } = codeDeployCommands;
const { GetAliasCommand } = lambdaCommands;

/** CodeDeploy's final statuses (DeploymentStatus in the API model) */

export interface DeploymentProgress {
  deploymentId: string;
  status: string;
  /** alias routing: the version it is on, and the new version's share */
  aliasVersion?: string;
  weights: Record<string, number>;
}

export interface FollowInput {
  codeDeploy: CodeDeployClient;
  lambda: LambdaClient;
  deploymentId: string;
  functionName: string;
  alias: string;
  onProgress?(p: DeploymentProgress): void;
  signal?: AbortSignal;
  /** between polls; real time (the cloud's clock may run faster) */
  pollMs?: number;
}

export interface FollowResult {
  deployment: DeploymentInfo;
  /** the rollback deployment CodeDeploy started, followed to its end too */
  rollback?: DeploymentInfo;
  /** where the alias is when it is over */
  aliasVersion?: string;
}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function until(input: FollowInput, id: string): Promise<DeploymentInfo> {
  for (;;) {
    input.signal?.throwIfAborted();
    const info = (await input.codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }), { abortSignal: input.signal })).deploymentInfo!;
    if (input.onProgress) {
      const alias = await input.lambda.send(new GetAliasCommand({ FunctionName: input.functionName, Name: input.alias }), { abortSignal: input.signal });
      input.onProgress({ deploymentId: id, status: info.status ?? 'Unknown', aliasVersion: alias.FunctionVersion, weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {} });
    }
    if (ENDED_DEPLOYMENT_STATUSES.has(info.status ?? '')) return info;
    await sleep(input.pollMs ?? 500, input.signal);
  }
}

/**
 * Polls until the deployment (and a rollback it triggered) ends. Aborting ends it at once, a request
 * in flight too: it throws the signal's reason, or the SDK's AbortError.
 */
export async function followDeployment(input: FollowInput): Promise<FollowResult> {
  const deployment = await until(input, input.deploymentId);
  const out: FollowResult = { deployment };
  const rollbackId = deployment.rollbackInfo?.rollbackDeploymentId;
  if (deployment.status !== 'Succeeded' && rollbackId) out.rollback = await until(input, rollbackId);
  out.aliasVersion = (await input.lambda.send(new GetAliasCommand({ FunctionName: input.functionName, Name: input.alias }), { abortSignal: input.signal })).FunctionVersion;
  return out;
}

/** CloudFormation's reason on the alias: `d-XXXX failed. <message>` (§B.1, LAB-NDN and LAB-SAM). */
export function failureReason(d: DeploymentInfo): string {
  return `${d.deploymentId} failed. ${d.errorInformation?.message ?? `The deployment ended ${d.status}.`}`;
}
