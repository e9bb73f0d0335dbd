/**
 * The aws target's deployer: `sam build` then `sam deploy` in the workspace's sam-app/, their
 * output streamed, then the stack's outputs and resources read back with CloudFormation into the
 * deploy record (sam-record.ts), and the sample images put into the stack's images bucket.
 */
import { join } from 'node:path';
import { DescribeStackResourcesCommand, DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { S3Client } from '@aws-sdk/client-s3';
import { execa } from 'execa';
import { InterruptedError, LabError } from '../../errors.js';
import { scaffoldWorkspace, type Workspace } from '../../lab/workspace.js';
import { awsPreflight } from '../aws-preflight.js';
import { TargetClients } from '../clients.js';
import { writeDeployRecord } from '../deploy-record.js';
import { uploadSamples } from '../samples.js';
import { formatCommand, samBuildCommand, samDeployCommand, type SamCommand } from '../sam-commands.js';
import { recordFromStack } from './sam-record.js';
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

  // Clients as every aws-target client is built: the same credential chain, profile and region.
  const clients = new TargetClients({ kind: 'aws', profile: ctx.profile, region: ctx.region });
  try {
    return await afterSamDeploy({ cloudFormation: clients.cloudFormation, s3: clients.s3 }, { workspace: ws, stackName: input.stackName, region: ctx.region, profile: ctx.profile, log });
  } finally {
    clients.destroy();
  }
}

export interface AfterDeployInput {
  workspace: Workspace;
  stackName: string;
  region: string;
  profile?: string;
  log: DeployLog;
}

/** The bucket the sample images go to: the stack's `ImagesBucket` output, as the README tells learners. */
const SAMPLES_BUCKET = 'ImagesBucket';

/**
 * After a successful `sam deploy`: the deploy record from the stack's outputs and resources, then
 * the sample images into the images bucket, which CloudFormation creates empty (without them,
 * Rekognition answers InvalidS3ObjectException for the lab's requests).
 */
export async function afterSamDeploy(c: { cloudFormation: CloudFormationClient; s3: S3Client }, input: AfterDeployInput): Promise<DeployResult> {
  const { workspace: ws, log } = input;
  const stacks = await c.cloudFormation.send(new DescribeStacksCommand({ StackName: input.stackName }));
  const stack = stacks.Stacks?.[0];
  if (!stack) throw new LabError(`stack ${input.stackName} not found after sam deploy`);
  // At most 100 resources (DescribeStackResources); the lab's stack has about twenty.
  const res = await c.cloudFormation.send(new DescribeStackResourcesCommand({ StackName: input.stackName }));
  const record = recordFromStack({
    stackName: input.stackName,
    stackId: stack.StackId,
    region: input.region,
    profile: input.profile,
    outputs: stack.Outputs ?? [],
    resources: res.StackResources ?? [],
    deployedAt: new Date(),
  });
  // Written before the upload: the stack is deployed whatever happens to the samples.
  await writeDeployRecord(ws, record);

  const warnings: string[] = [];
  const bucket = record.outputs[SAMPLES_BUCKET] || record.physicalIds[SAMPLES_BUCKET];
  const samples = join(ws.samApp, 'samples');
  if (!bucket) {
    const w = `the stack has no ${SAMPLES_BUCKET} output: the sample images were not uploaded`;
    log.warn(w);
    warnings.push(w);
  } else {
    log.info(`uploading the sample images to s3://${bucket}`);
    try {
      const up = await uploadSamples(c.s3, bucket, samples);
      log.info(up.uploaded.length ? `${up.uploaded.length} of ${up.total} sample files uploaded` : `the ${up.total} sample files are already there`);
    } catch (err) {
      const e = err as Error;
      throw new LabError(
        `the stack is deployed, but uploading the sample images to s3://${bucket} failed: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`,
        undefined,
        `deploy again, or upload them yourself: aws s3 cp ${samples} s3://${bucket}/ --recursive --region ${input.region}${input.profile ? ` --profile ${input.profile}` : ''}`,
      );
    }
  }
  return { target: 'aws', outputs: record.outputs, changes: [], warnings };
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
