/**
 * The SAM CLI command lines the aws target runs, built as data so tests check them as built.
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-deploy.html
 */
import { shellWord } from '../invocation.js';

export interface SamCommand {
  file: string;
  args: string[];
}

export interface SamDeployOptions {
  stackName: string;
  region?: string;
  profile?: string;
}

export function samBuildCommand(): SamCommand {
  return { file: 'sam', args: ['build'] };
}

export function samDeployCommand(o: SamDeployOptions): SamCommand {
  const args = [
    'deploy',
    '--stack-name', o.stackName,
    // SAM creates the function's execution role (and CodeDeploy's, with DeploymentPreference)
    '--capabilities', 'CAPABILITY_IAM',
    // a managed bucket for the packaged code, instead of asking for one
    '--resolve-s3',
    '--no-confirm-changeset',
    // a deploy with nothing changed is a success, as the local target treats it
    '--no-fail-on-empty-changeset',
  ];
  if (o.region) args.push('--region', o.region);
  if (o.profile) args.push('--profile', o.profile);
  return { file: 'sam', args };
}

/** For messages: the command as a learner would type it. */
export function formatCommand(c: SamCommand): string {
  return [c.file, ...c.args].map(shellWord).join(' ');
}
