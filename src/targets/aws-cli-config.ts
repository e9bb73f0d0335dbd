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
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** the line a learner pastes into the terminal where they run the printed commands */
export const LOCAL_AWS_ENV = 'export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1';

export interface AwsCliConfig {
  credentials: boolean;
  region: boolean;
}

/** the keys of one `[section]` of an ini file (section names as the files spell them) */
function section(file: string, name: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let inside = false;
  let keys: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      inside = header[1] === name;
      if (inside) keys ??= {};
      continue;
    }
    const kv = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (inside && kv) keys![kv[1]!.toLowerCase()] = kv[2]!;
  }
  return keys;
}

export function awsCliConfig(env: NodeJS.ProcessEnv = process.env, home = homedir()): AwsCliConfig {
  const profile = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default';
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials');
  const configFile = env.AWS_CONFIG_FILE || join(home, '.aws', 'config');
  // in the config file every profile but the default one is `[profile NAME]`
  const config = section(configFile, profile === 'default' ? 'default' : `profile ${profile}`) ?? {};
  const creds = section(credentialsFile, profile) ?? {};
  const credentials =
    !!(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
    !!(creds.aws_access_key_id || config.aws_access_key_id) ||
    // SSO, a role to assume or a credential process: the CLI gets keys itself
    !!(config.sso_session || config.sso_start_url || config.role_arn || config.credential_process);
  // AWS_REGION alone is not enough: the CLI v1 (botocore) reads only AWS_DEFAULT_REGION
  const region = !!(env.AWS_DEFAULT_REGION || config.region);
  return { credentials, region };
}
