/**
 * `deploy [--workspace DIR] [--target local|aws] [--profile P] [--region R] [--stack-name S]`:
 * the workspace's sam-app/ to the target. Progress goes to stderr; what changed and the outputs
 * (`ApiUrl: <url>`, one per line) to stdout.
 */
import { UsageError } from '../errors.js';
import { workspacePaths } from '../lab/workspace.js';
import type { DeployLog, DeployResult, ResourceChange } from '../target/deployers/types.js';

export interface DeployOptions {
  workspace?: string;
  target?: string;
  profile?: string;
  region?: string;
  stackName?: string;
}

/** CloudFormation: a letter, then letters, digits and hyphens, at most 128 characters. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export async function deployCommand(opts: DeployOptions): Promise<void> {
  const target = opts.target ?? 'local';
  const stackName = opts.stackName ?? 'ServerlessOps-stack';
  if (!opts.workspace) throw new UsageError('--workspace needs a folder');
  if (!STACK_NAME.test(stackName)) throw new UsageError(`invalid --stack-name "${stackName}"`, 'a letter, then letters, digits and hyphens (CloudFormation stack names), at most 128 characters');
  if (opts.region !== undefined && !REGION.test(opts.region)) throw new UsageError(`invalid --region "${opts.region}"`, 'for example --region us-east-1');
  if (target === 'local' && (opts.profile !== undefined || opts.region !== undefined)) {
    throw new UsageError('--profile and --region are for --target aws', 'the local cloud needs neither');
  }
  const ws = workspacePaths(opts.workspace);
  const log: DeployLog = {
    info: (l) => process.stderr.write(`${l}\n`),
    warn: (l) => process.stderr.write(`warning: ${l}\n`),
  };

  let result: DeployResult;
  if (target === 'local') {
    const { deployLocal } = await import('../target/deployers/local.js');
    result = await deployLocal({ workspace: ws, stackName, log });
  } else if (target === 'aws') {
    const { deployWithSam } = await import('../target/deployers/sam.js');
    result = await deployWithSam({ workspace: ws, stackName, profile: opts.profile, region: opts.region, log });
  } else {
    throw new UsageError(`unknown --target "${target}"`, 'use local or aws');
  }
  process.stdout.write(formatDeployResult(result));
}

export function formatDeployResult(r: DeployResult): string {
  const lines: string[] = [];
  if (r.changes.length) {
    lines.push('Changes:');
    for (const c of r.changes) lines.push(`  ${formatChange(c)}`);
    lines.push('');
  }
  lines.push('Outputs:');
  for (const [k, v] of Object.entries(r.outputs)) lines.push(`${k}: ${v}`);
  return `${lines.join('\n')}\n`;
}

export function formatChange(c: ResourceChange): string {
  const id = c.physicalId ? `${c.logicalId} ${c.physicalId}` : c.logicalId;
  return `${c.change.padEnd(9)} ${c.type.padEnd(28)} ${id}${c.detail ? ` — ${c.detail}` : ''}`;
}
