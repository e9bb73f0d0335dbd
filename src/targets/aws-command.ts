/**
 * An `aws …` command as the learner types it for a target: the local cloud's `--endpoint-url`, or
 * on AWS the `--region` and `--profile` the lab was given. Every word goes through the one shell
 * quoting of the CLI (invocation.ts shellWord), so what is printed runs as printed: an endpoint on
 * an IPv6 host (`http://[::1]:4566`) is a glob to the shell unquoted, which zsh refuses ("no
 * matches found").
 */
import { shellLine } from '../invocation.js';
import type { TargetSpec } from './clients.js';

/**
 * `args`: the words after `aws` (quoted here where they need it), or a string the caller already
 * wrote for the shell (a step's printed command, with its own quoting).
 */
export function awsCommand(args: string | readonly string[], target: TargetSpec): string {
  const own = target.kind === 'local' ? ['--endpoint-url', target.endpoint] : [...(target.region ? ['--region', target.region] : []), ...(target.profile ? ['--profile', target.profile] : [])];
  return [`aws ${typeof args === 'string' ? args : shellLine(args)}`, ...(own.length ? [shellLine(own)] : [])].join(' ');
}
