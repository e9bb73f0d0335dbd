/**
 * Before running `sam` against a real account: is `sam` installed, are there credentials, is
 * there a region? Each missing piece is one clear message with its fix, found fast, and exits 3:
 * the environment, not the learner's work (README's exit codes), as doctor's checks of the same.
 */
import { ExitCode, LabError } from '../errors.js';
import { clientConfig, cloudFormationSdk } from './clients.js';
import { findOnPath } from '../which.js';

export { findOnPath };

export function samNotFoundError(): LabError {
  return new LabError(
    'the AWS SAM CLI (`sam`) is not on PATH',
    ExitCode.environment,
    'install it: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html (or deploy to the embedded cloud with --target local)',
  );
}

export function noCredentialsError(profile: string | undefined, cause: string): LabError {
  const where = profile ? `for profile "${profile}"` : 'in the standard chain (environment, ~/.aws/credentials, ~/.aws/config, SSO, instance role)';
  return new LabError(
    `no AWS credentials found ${where}: ${cause}`,
    ExitCode.environment,
    profile
      ? `run \`aws configure --profile ${profile}\` (or \`aws sso login --profile ${profile}\`), or pick another --profile`
      : 'run `aws configure`, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --profile NAME',
  );
}

export function noRegionError(profile: string | undefined): LabError {
  return new LabError(
    'no AWS region is set',
    ExitCode.environment,
    `pass --region (e.g. --region us-east-1), set AWS_REGION, or add \`region = ...\` to ${profile ? `profile "${profile}"` : 'the default profile'} in ~/.aws/config`,
  );
}

export interface AwsContext {
  samPath: string;
  region: string;
  profile?: string;
}

/** How long the credential chain may take before we call it missing (IMDS probes can hang). */
const CREDENTIALS_TIMEOUT_MS = 5000;

export async function awsPreflight(o: { profile?: string; region?: string; env?: NodeJS.ProcessEnv }): Promise<AwsContext> {
  const samPath = findOnPath('sam', o.env ?? process.env);
  if (!samPath) throw samNotFoundError();
  // A client resolves region and credentials exactly as the deploy will: the same chain and profile.
  const cfn = new (cloudFormationSdk().CloudFormationClient)(clientConfig({ kind: 'aws', profile: o.profile, region: o.region }));
  try {
    let region: string;
    try {
      region = await cfn.config.region();
    } catch {
      throw noRegionError(o.profile);
    }
    if (!region) throw noRegionError(o.profile);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        cfn.config.credentials(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`none found within ${CREDENTIALS_TIMEOUT_MS / 1000} s`)), CREDENTIALS_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      throw noCredentialsError(o.profile, firstLine((err as Error).message));
    } finally {
      clearTimeout(timer);
    }
    return { samPath, region, profile: o.profile };
  } finally {
    cfn.destroy();
  }
}

function firstLine(s: string): string {
  return (s ?? '').split('\n')[0].trim() || 'unknown reason';
}
