/**
 * Moving an AutoPublishAlias to a new version. Today the move is direct (UpdateAlias), as SAM
 * does without a DeploymentPreference. The seam: when CodeDeploy is emulated, a shifter that
 * creates a CodeDeploy deployment (weights on the alias's RoutingConfig, hooks, alarms) takes the
 * place of `directShift` for functions with a DeploymentPreference; the deployer does not change.
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html
 */
import { CreateAliasCommand, GetAliasCommand, UpdateAliasCommand, type AliasConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import { isNotFound } from './not-found.js';

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
}

export const directShift: AliasShifter = {
  async shift(lambda, s) {
    // An empty AdditionalVersionWeights clears a leftover split (wire-protocols.md §6.3).
    await lambda.send(new UpdateAliasCommand({ FunctionName: s.functionName, Name: s.alias, FunctionVersion: s.to, RoutingConfig: { AdditionalVersionWeights: {} } }));
    return 'moved';
  },
};

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
