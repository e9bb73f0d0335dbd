/**
 * The aws CLI (v1 on these machines) as the tests run it against an embedded cloud: any keys, a
 * region, and neither the machine's shared files nor instance metadata, so a developer's own AWS
 * set-up never leaks in. A test that needs it skips when `aws` is not on PATH.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** the `aws` a shell finds on PATH */
const awsFound = (process.env.PATH ?? '')
  .split(delimiter)
  .map((d) => d && join(d, 'aws'))
  .find((p) => p && existsSync(p));

export const awsOnPath = awsFound !== undefined;

/**
 * The PATH the aws CLI runs with. pyenv's shim (`~/.pyenv/shims/aws`) is a bash script that runs
 * pyenv to find the real aws on every call, about 0.3 s of CPU over the aws CLI's own 0.8 s; the
 * suite makes over a hundred calls. So the aws the shim would run (`pyenv which aws`, with the
 * same HOME and working directory) is found once and its folder goes first on PATH, where a bare
 * `aws` in a printed command finds it too. Any other `aws` (or pyenv failing): PATH as it is.
 */
export function awsCliPath(path = process.env.PATH, found = awsFound): string | undefined {
  let shim = '';
  try {
    shim = found ? readFileSync(found, 'utf8').slice(0, 2000) : '';
  } catch {
    // not readable: run it as it is
  }
  if (!/\bpyenv\b.*\bexec\b/.test(shim)) return path;
  try {
    const real = execFileSync('pyenv', ['which', 'aws'], { encoding: 'utf8', env: { PATH: path, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 }).trim();
    return real.startsWith('/') && existsSync(real) ? `${dirname(real)}${delimiter}${path}` : path;
  } catch {
    return path;
  }
}

/** for `{ skip }`: false when the aws CLI is there, else the reason */
export const skipWithoutAws: false | string = awsOnPath ? false : 'aws is not on PATH';

export const AWS_CLI_ENV: Readonly<Record<string, string | undefined>> = {
  PATH: awsCliPath(),
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
