/**
 * Moving an alias to a new version: directly (UpdateAlias), as CloudFormation does for an alias
 * without an update policy, or through CodeDeploy when SAM's DeploymentPreference gave the alias
 * `UpdatePolicy.CodeDeployLambdaAliasUpdate`: CloudFormation then does not call UpdateAlias, it
 * starts a deployment with an AppSpec naming the current and target versions and the hooks, and
 * CodeDeploy shifts the weights (codedeploy-cloudwatch-sam.md §B.1).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatepolicy.html#cfn-attributes-updatepolicy-codedeploylambdaaliasupdate
 */
import { createHash } from 'node:crypto';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LabError } from '../../../errors.js';
import type { AliasConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import { deploymentLambdaTarget, UNFINISHED_DEPLOYMENT_STATUSES } from '../../codedeploy-lists.js';
import { awsCommand } from '../../aws-command.js';
import { hintCommand } from '../../../invocation.js';
import { codeDeployCommands, lambdaCommands, type TargetSpec } from '../../clients.js';
import { isNotFound } from './not-found.js';
import type { StartedDeployment } from './context.js';

const { CreateDeploymentCommand, ListDeploymentsCommand } = codeDeployCommands;
const { CreateAliasCommand, GetAliasCommand, UpdateAliasCommand } = lambdaCommands;

export interface AliasShift {
  functionName: string;
  alias: string;
  /** the version the alias is on now */
  from: string;
  to: string;
}

export interface AliasShifter {
  /** a short word for what it does, for the deploy report: `moved`, `deployment d-XXXX started`… */
  shift(lambda: LambdaClient, s: AliasShift): Promise<string>;
  /** the step's name in messages, before `<fn>:<alias> to version N` (default `moving alias`) */
  describe?(s: AliasShift): string;
}

export const directShift: AliasShifter = {
  async shift(lambda, s) {
    // An empty AdditionalVersionWeights clears a leftover split (wire-protocols.md §6.3).
    await lambda.send(new UpdateAliasCommand({ FunctionName: s.functionName, Name: s.alias, FunctionVersion: s.to, RoutingConfig: { AdditionalVersionWeights: {} } }));
    return 'moved';
  },
};

export interface CodeDeployLambdaAliasUpdate {
  applicationName: string;
  deploymentGroupName: string;
  /** function names, as SAM passes `!Ref HookFunction` */
  beforeAllowTrafficHook?: string;
  afterAllowTrafficHook?: string;
}

/**
 * The AppSpec CloudFormation sends is not published; this is the documented Lambda AppSpec
 * (CodeDeploy user guide, reference-appspec-file-example.md) built from the alias's current and
 * target versions and the hooks [inf, §B.1].
 */
export function lambdaAppSpec(u: CodeDeployLambdaAliasUpdate, s: AliasShift): string {
  const hooks: Record<string, string>[] = [];
  if (u.beforeAllowTrafficHook) hooks.push({ BeforeAllowTraffic: u.beforeAllowTrafficHook });
  if (u.afterAllowTrafficHook) hooks.push({ AfterAllowTraffic: u.afterAllowTrafficHook });
  const spec = {
    version: 0.0,
    Resources: [{ [s.functionName]: { Type: 'AWS::Lambda::Function', Properties: { Name: s.functionName, Alias: s.alias, CurrentVersion: s.from, TargetVersion: s.to } } }],
    ...(hooks.length ? { Hooks: hooks } : {}),
  };
  return JSON.stringify(spec);
}

/**
 * `target`: where the printed `aws deploy …` commands of a conflict must go (the local cloud's
 * --endpoint-url): printed bare, they would ask the learner's real account.
 */
export function codeDeployShift(codeDeploy: CodeDeployClient, target: TargetSpec, u: CodeDeployLambdaAliasUpdate, started: (d: StartedDeployment) => void): AliasShifter {
  return {
    describe: () => 'starting a CodeDeploy deployment of',
    async shift(_lambda, s) {
      // One deployment at a time per group. A deploy run again while its own deployment shifts
      // joins it; any other is CloudFormation's conflict (§B.1, SAM #291).
      const active = await activeDeployment(codeDeploy, u);
      if (active) {
        const joined = { deploymentId: active.id, applicationName: u.applicationName, deploymentGroupName: u.deploymentGroupName, functionName: s.functionName, alias: s.alias, from: s.from, to: s.to, joined: true };
        if (active.targetVersion === s.to) {
          started(joined);
          return `CodeDeploy deployment ${active.id} already under way`;
        }
        throw conflictingDeployment(active.id, u.deploymentGroupName, target);
      }
      const content = lambdaAppSpec(u, s);
      const out = await codeDeploy.send(
        new CreateDeploymentCommand({
          applicationName: u.applicationName,
          deploymentGroupName: u.deploymentGroupName,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') } },
        }),
      );
      const deploymentId = out.deploymentId!;
      started({ deploymentId, applicationName: u.applicationName, deploymentGroupName: u.deploymentGroupName, functionName: s.functionName, alias: s.alias, from: s.from, to: s.to });
      return `CodeDeploy deployment ${deploymentId} started`;
    },
  };
}

/**
 * CloudFormation's refusal while a deployment of the group runs (its stack is still updating), with
 * what ends the wait. `target`: where the printed `aws deploy …` commands must go.
 */
export function conflictingDeployment(deploymentId: string, groupName: string, target: TargetSpec): LabError {
  return new LabError(
    `A conflicting deployment is in progress: ${deploymentId} in deployment group ${groupName}`,
    undefined,
    // the commands on lines of their own, to paste (hintCommand): code spans in the sentence were cut mid-word at 80 columns
    `wait for it to end (status shows it, and so does this), or stop it, then deploy again:${hintCommand(awsCommand(['deploy', 'get-deployment', '--deployment-id', deploymentId], target))}${hintCommand(awsCommand(['deploy', 'stop-deployment', '--deployment-id', deploymentId], target))}`,
  );
}

/** The group's deployment that has not ended yet, with the version it shifts to. */
export async function activeDeployment(
  cd: CodeDeployClient,
  u: Pick<CodeDeployLambdaAliasUpdate, 'applicationName' | 'deploymentGroupName'>,
): Promise<{ id: string; targetVersion?: string } | undefined> {
  const list = await cd.send(
    new ListDeploymentsCommand({ applicationName: u.applicationName, deploymentGroupName: u.deploymentGroupName, includeOnlyStatuses: UNFINISHED_DEPLOYMENT_STATUSES }),
  );
  const id = list.deployments?.[0];
  if (!id) return undefined;
  const target = await deploymentLambdaTarget(cd, id);
  return { id, targetVersion: target?.lambdaFunctionInfo?.targetVersion };
}

export async function getAlias(lambda: LambdaClient, functionName: string, alias: string): Promise<AliasConfiguration | undefined> {
  try {
    return await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function createAlias(lambda: LambdaClient, functionName: string, alias: string, version: string): Promise<AliasConfiguration> {
  return lambda.send(new CreateAliasCommand({ FunctionName: functionName, Name: alias, FunctionVersion: version }));
}
