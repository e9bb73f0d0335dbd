/**
 * Before running `sam` against a real account: is `sam` installed, are there credentials, is
 * there a region? Every missing piece at once, each with its fix, found fast, and exits 3: the
 * environment, not the learner's work (README's exit codes). doctor --target aws lists the same
 * checks (awsPrerequisites), with the account's.
 */
import { ExitCode, LabError } from '../errors.js';
import { clientConfig, cloudFormationSdk } from './clients.js';
import { cliCommand } from '../invocation.js';
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

/**
 * One thing the aws target needs, as `doctor --target aws` lists it (doctor.ts Finding): what was
 * found, and when it is missing, the error a command meets for it (its words and fix).
 */
export interface AwsPrerequisite {
  name: string;
  ok: boolean;
  found: string;
  /** missing: why a command cannot go on, with its fix */
  error?: LabError;
}

/** How long the credential chain may take before we call it missing (IMDS probes can hang). */
const CREDENTIALS_TIMEOUT_MS = 5000;

/**
 * The SAM CLI, the region and credentials, each checked whatever the others say: doctor lists them
 * all, and a command on the aws target names every one missing at once (it named one per run:
 * install sam, run again, then the region, then the credentials). A client resolves region and
 * credentials exactly as the deploy will: the same chain and profile. The credentials are found in
 * the chain here, not tried against AWS (doctor's account call does that).
 */
export async function awsPrerequisites(o: { profile?: string; region?: string; env?: NodeJS.ProcessEnv }): Promise<{ found: AwsPrerequisite[]; samPath?: string; region?: string }> {
  const samPath = findOnPath('sam', o.env ?? process.env);
  const found: AwsPrerequisite[] = [{ name: 'SAM CLI', ok: !!samPath, found: samPath ?? 'not on PATH', ...(samPath ? {} : { error: samNotFoundError() }) }];
  const cfn = new (cloudFormationSdk().CloudFormationClient)(clientConfig({ kind: 'aws', profile: o.profile, region: o.region }));
  try {
    let region = '';
    try {
      region = await cfn.config.region();
    } catch {
      // none: said below
    }
    found.push({ name: 'region', ok: !!region, found: region || 'none set', ...(region ? {} : { error: noRegionError(o.profile) }) });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        cfn.config.credentials(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`none found within ${CREDENTIALS_TIMEOUT_MS / 1000} s`)), CREDENTIALS_TIMEOUT_MS);
        }),
      ]);
      found.push({ name: 'credentials', ok: true, found: `found${o.profile ? ` (profile ${o.profile})` : ''}` });
    } catch (err) {
      const error = noCredentialsError(o.profile, firstLine((err as Error).message));
      found.push({ name: 'credentials', ok: false, found: error.message.replace(/^no AWS credentials found/, 'none found'), error });
    } finally {
      clearTimeout(timer);
    }
    return { found, ...(samPath ? { samPath } : {}), ...(region ? { region } : {}) };
  } finally {
    cfn.destroy();
  }
}

/**
 * Before running `sam` against a real account: every missing prerequisite in one error (exit 3),
 * each with its fix, and doctor's command, which checks them again with the rest (`doctor`: the
 * command that checks it all, with this run's workspace, profile and region).
 */
export async function awsPreflight(o: { profile?: string; region?: string; env?: NodeJS.ProcessEnv; doctor?: string }): Promise<AwsContext> {
  const p = await awsPrerequisites(o);
  const missing = p.found.filter((f) => !f.ok).map((f) => f.error!);
  if (!missing.length) return { samPath: p.samPath!, region: p.region!, profile: o.profile };
  const doctor = `\`${o.doctor ?? cliCommand(['doctor', '--target', 'aws', ...(o.profile ? ['--profile', o.profile] : []), ...(o.region ? ['--region', o.region] : [])])}\` checks them again, with the rest the lab needs`;
  if (missing.length === 1) throw new LabError(missing[0]!.message, ExitCode.environment, `${missing[0]!.hint}\n${doctor}`);
  // each with its fix on its line: three runs' worth of errors in one
  throw new LabError(`the aws target needs ${missing.length} things this machine does not have:`, ExitCode.environment, `${missing.map((m) => `- ${m.message}: ${m.hint}`).join('\n')}\n${doctor}`);
}

function firstLine(s: string): string {
  return (s ?? '').split('\n')[0].trim() || 'unknown reason';
}
