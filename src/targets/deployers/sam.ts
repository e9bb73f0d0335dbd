/**
 * The aws target's deployer: `sam build` then `sam deploy` in the workspace's sam-app/, their
 * output streamed, then the stack outputs read back with CloudFormation.
 */
import { CloudFormationClient, DescribeStackResourcesCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { execa } from 'execa';
import { InterruptedError, LabError } from '../../errors.js';
import { scaffoldWorkspace, type Workspace } from '../../lab/workspace.js';
import { awsPreflight } from '../aws-preflight.js';
import { clientConfig } from '../clients.js';
import { writeDeployRecord, type DeployRecord } from '../deploy-record.js';
import { formatCommand, samBuildCommand, samDeployCommand, type SamCommand } from '../sam-commands.js';
import type { DeployLog, DeployResult } from './types.js';

export interface SamDeployInput {
  workspace: Workspace;
  stackName: string;
  profile?: string;
  region?: string;
  log: DeployLog;
  /** Ctrl-C: no further sam command starts; sam itself gets the terminal's SIGINT */
  signal?: AbortSignal;
}

export async function deployWithSam(input: SamDeployInput): Promise<DeployResult> {
  const { workspace: ws, log } = input;
  const ctx = await awsPreflight({ profile: input.profile, region: input.region });
  const { copied } = await scaffoldWorkspace(ws);
  if (copied) log.info(`copied the lab app into ${ws.samApp}`);

  // The resolved region goes on the command line: botocore reads AWS_DEFAULT_REGION, not the
  // SDK's AWS_REGION, and the outputs must be read from the region sam deployed to.
  await runSam(samBuildCommand(), ws.samApp, log, input.signal);
  if (input.signal?.aborted) throw new InterruptedError('deploy interrupted after `sam build`, before anything in AWS changed: run deploy again');
  await runSam(samDeployCommand({ stackName: input.stackName, region: ctx.region, profile: ctx.profile }), ws.samApp, log, input.signal);

  const cfn = new CloudFormationClient(clientConfig({ kind: 'aws', profile: ctx.profile, region: ctx.region }));
  try {
    const stacks = await cfn.send(new DescribeStacksCommand({ StackName: input.stackName }));
    const stack = stacks.Stacks?.[0];
    if (!stack) throw new LabError(`stack ${input.stackName} not found after sam deploy`);
    const outputs: Record<string, string> = {};
    for (const o of stack.Outputs ?? []) if (o.OutputKey) outputs[o.OutputKey] = o.OutputValue ?? '';
    const res = await cfn.send(new DescribeStackResourcesCommand({ StackName: input.stackName }));
    const physicalIds: Record<string, string> = {};
    const functions: DeployRecord['functions'] = [];
    for (const r of res.StackResources ?? []) {
      if (!r.LogicalResourceId || !r.PhysicalResourceId) continue;
      physicalIds[r.LogicalResourceId] = r.PhysicalResourceId;
      // status reads aliases, versions and concurrency of these live
      if (r.ResourceType === 'AWS::Lambda::Function') functions.push({ logicalId: r.LogicalResourceId, name: r.PhysicalResourceId, arn: '', codeSha256: '' });
    }

    const record: DeployRecord = {
      schema: 1,
      target: 'aws',
      region: ctx.region,
      profile: ctx.profile,
      stackName: input.stackName,
      deployedAt: new Date().toISOString(),
      outputs,
      physicalIds,
      functions,
      apis: [],
    };
    await writeDeployRecord(ws, record);
    return { target: 'aws', outputs, changes: [], warnings: [] };
  } finally {
    cfn.destroy();
  }
}

async function runSam(cmd: SamCommand, cwd: string, log: DeployLog, signal?: AbortSignal): Promise<void> {
  log.info(`$ ${formatCommand(cmd)}`);
  // sam's own output goes to stderr, as progress; stdout is kept for the outputs we print.
  const r = await execa(cmd.file, cmd.args, { cwd, stdin: 'ignore', stdout: 2, stderr: 2, reject: false });
  if (r.failed && signal?.aborted) {
    // CloudFormation goes on with a change set it already executes, and rolls back a failed one itself.
    const after = cmd.args[0] === 'deploy' ? ' (if sam had started the change set, CloudFormation finishes it: see the stack events)' : '';
    throw new InterruptedError(`deploy interrupted during \`${formatCommand(cmd)}\`${after}: run deploy again`);
  }
  if (r.failed) {
    const why = r.exitCode !== undefined ? `exit code ${r.exitCode}` : (r.originalMessage ?? r.shortMessage);
    throw new LabError(`\`${formatCommand(cmd)}\` failed (${why})`, undefined, 'read sam\'s output above; fix the template or the account, then deploy again');
  }
}
