/**
 * The aws CLI (v1 on these machines) as the tests run it against an embedded cloud: any keys, a
 * region, and neither the machine's shared files nor instance metadata, so a developer's own AWS
 * set-up never leaks in. A test that needs it skips when `aws` is not on PATH.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const awsOnPath = (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, 'aws')));

/** for `{ skip }`: false when the aws CLI is there, else the reason */
export const skipWithoutAws: false | string = awsOnPath ? false : 'aws is not on PATH';

export const AWS_CLI_ENV: Readonly<Record<string, string | undefined>> = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  timeoutMs?: number;
  maxBuffer?: number;
  /** more variables over AWS_CLI_ENV (AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '') */
  env?: Record<string, string>;
}

/** a program run with AWS_CLI_ENV; it never rejects: a failure is its exit code (1 when it had none) */
export function runWithAwsEnv(file: string, args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], { env: { ...AWS_CLI_ENV, ...opts.env }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: opts.maxBuffer }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** `aws --endpoint-url ENDPOINT …args` */
export function awsCli(endpoint: string, args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  return runWithAwsEnv('aws', ['--endpoint-url', endpoint, ...args], opts);
}
