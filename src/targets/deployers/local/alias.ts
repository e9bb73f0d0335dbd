/**
 * Moving an alias to a new version: directly (UpdateAlias), as CloudFormation does for an alias
 * without an update policy, or through CodeDeploy when SAM's DeploymentPreference gave the alias
 * `UpdatePolicy.CodeDeployLambdaAliasUpdate`: CloudFormation then does not call UpdateAlias, it
 * starts a deployment with an AppSpec naming the current and target versions and the hooks, and
 * CodeDeploy shifts the weights (codedeploy-cloudwatch-sam.md §B.1).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatepolicy.html#cfn-attributes-updatepolicy-codedeploylambdaaliasupdate
 */
import { createHash } from 'node:crypto';
import { CreateDeploymentCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CreateAliasCommand, GetAliasCommand, UpdateAliasCommand, type AliasConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import { isNotFound } from './bucket.js';
import type { StartedDeployment } from './context.js';

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

export function codeDeployShift(codeDeploy: CodeDeployClient, u: CodeDeployLambdaAliasUpdate, started: (d: StartedDeployment) => void): AliasShifter {
  return {
    describe: () => 'starting a CodeDeploy deployment of',
    async shift(_lambda, s) {
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
