/**
 * Whether the aws CLI on this machine would find a region and credentials without flags: the lab
 * prints `aws … --endpoint-url …` commands for the learner to run, and the CLI refuses them without
 * both ("Unable to locate credentials", "You must specify a region"), even against the local cloud,
 * which accepts any keys. Sources, as the CLI reads them
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html, cli-configure-files.html):
 * AWS_ACCESS_KEY_ID / AWS_PROFILE and AWS_DEFAULT_REGION in the environment, or the
 * shared files (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE; default ~/.aws/credentials and
 * ~/.aws/config) for the profile in use.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

/** the line a learner pastes into the terminal where they run the printed commands */
export const LOCAL_AWS_ENV = 'export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1';

export interface AwsCliConfig {
  credentials: boolean;
  region: boolean;
}

export async function awsCliConfig(env: NodeJS.ProcessEnv = process.env, home = homedir()): Promise<AwsCliConfig> {
  const profile = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default';
  // the SDK's own reader of the shared files (a file that is missing reads as empty); it names a
  // config file's `[profile NAME]` section NAME, as the credentials file does
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    filepath: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
    configFilepath: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    ignoreCache: true,
  });
  const config = configFile[profile] ?? {};
  const creds = credentialsFile[profile] ?? {};
  const credentials =
    !!(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
    !!(creds.aws_access_key_id || config.aws_access_key_id) ||
    // SSO, a role to assume or a credential process: the CLI gets keys itself
    !!(config.sso_session || config.sso_start_url || config.role_arn || config.credential_process);
  // AWS_REGION alone is not enough: the CLI v1 (botocore) reads only AWS_DEFAULT_REGION
  const region = !!(env.AWS_DEFAULT_REGION || config.region);
  return { credentials, region };
}
