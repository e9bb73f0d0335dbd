/**
 * The aws target's deployer: `sam build` then `sam deploy` in the workspace's sam-app/, their
 * output streamed, then the stack's outputs and resources read back with CloudFormation into the
 * deploy record (sam-record.ts), and the sample images put into the stack's images bucket.
 *
 * `sam deploy` runs as a child process the deployer owns (ended by its PID on Ctrl-C). While it
 * runs, the stack is watched for the CodeDeploy deployment its update starts (sam-codedeploy.ts):
 * CloudFormation waits for that deployment before sam returns, so the caller is told of it at
 * once (`onDeploymentStarted`) and can show the traffic shift while it happens. A stack update
 * that rolled back because CodeDeploy stopped its deployment is a result (`rolledBack`), not an
 * error: it is the release's verdict, and the template is fine.
 */
import { join } from 'node:path';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { S3Client } from '@aws-sdk/client-s3';
import { execa } from 'execa';
import { InterruptedError, LabError } from '../../errors.js';
import { scaffoldWorkspace, type Workspace } from '../../lab/workspace.js';
import { awsPreflight } from '../aws-preflight.js';
import { cliCommand } from '../../invocation.js';
import { cloudFormationCommands, TargetClients } from '../clients.js';
import { writeDeployRecord } from '../deploy-record.js';
import { uploadSamples } from '../samples.js';
import { formatCommand, samBuildCommand, samDeployCommand, type SamCommand } from '../sam-commands.js';
import { codeDeployRollback, StackDeploymentWatcher } from './sam-codedeploy.js';
import { recordFromStack } from './sam-record.js';
import type { AliasDeployment, DeployLog, DeployResult } from './types.js';

const { DescribeStackResourcesCommand, DescribeStacksCommand } = cloudFormationCommands;

export interface SamDeployInput {
  workspace: Workspace;
  stackName: string;
  profile?: string;
  region?: string;
  log: DeployLog;
  /** Ctrl-C: no further sam command starts; a running `sam deploy` is sent SIGINT by its PID */
  signal?: AbortSignal;
  /**
   * A CodeDeploy deployment of this stack update has started (CloudFormation waits for it, and
   * sam for CloudFormation): called while sam still runs, after the deploy record was rewritten
   * from the stack's resources at that point (the new deployment group and alarms are in it).
   */
  onDeploymentStarted?(d: AliasDeployment): void;
  /** real time between looks at the stack while sam deploy runs */
  pollMs?: number;
}

const POLL_MS = 3000;

export async function deployWithSam(input: SamDeployInput): Promise<DeployResult> {
  const { workspace: ws, log } = input;
  const doctor = cliCommand(['doctor', '--target', 'aws', ...(input.profile ? ['--profile', input.profile] : []), ...(input.region ? ['--region', input.region] : []), '--workspace', ws.root]);
  const ctx = await awsPreflight({ profile: input.profile, region: input.region, doctor });
  const { copied } = await scaffoldWorkspace(ws);
  if (copied) log.info(`copied the lab app into ${ws.samApp}`);

  // The resolved region goes on the command line: botocore reads AWS_DEFAULT_REGION, not the
  // SDK's AWS_REGION, and the outputs must be read from the region sam deployed to.
  await runSam(samBuildCommand(), ws.samApp, log, input.signal);
  if (input.signal?.aborted) throw new InterruptedError('deploy interrupted after `sam build`, before anything in AWS changed: run deploy again');

  // Clients as every aws-target client is built: the same credential chain, profile and region.
  const clients = new TargetClients({ kind: 'aws', profile: ctx.profile, region: ctx.region });
  try {
    const c = { cloudFormation: clients.cloudFormation, codeDeploy: clients.codeDeploy, s3: clients.s3 };
    const after: AfterDeployInput = { workspace: ws, stackName: input.stackName, region: ctx.region, profile: ctx.profile, log };
    const startedAt = new Date();
    const watcher = new StackDeploymentWatcher(c.cloudFormation, c.codeDeploy, input.stackName, startedAt);
    // the group's deployments before this update: none of them is this update's
    await watcher.baseline(input.signal).catch(() => undefined);
    // stopped meanwhile: nothing in AWS has changed yet, and sam deploy must not start
    if (input.signal?.aborted) throw new InterruptedError('deploy interrupted before `sam deploy` started: nothing in AWS changed; run deploy again');
    const cmd = samDeployCommand({ stackName: input.stackName, region: ctx.region, profile: ctx.profile });
    const sam = startSam(cmd, ws.samApp, log, input.signal);
    const ok = await watchWhileSamRuns(sam.exit, watcher, c, after, input);
    if (ok) {
      const result = await afterSamDeploy(c, after);
      // a deployment that began and ended between two looks is named too
      await watcher.poll(input.signal).catch(() => undefined);
      if (watcher.found.length) result.deployments = [...watcher.found];
      return result;
    }
    if (input.signal?.aborted) throw sam.interrupted();
    // a deployment that began and failed between two looks counts too
    await watcher.poll(input.signal).catch(() => undefined);
    const rolledBack = await codeDeployRollback(c.cloudFormation, c.codeDeploy, input.stackName, startedAt, watcher.found, input.signal, watcher.preexisting).catch(
      () => undefined,
    );
    if (!rolledBack) throw sam.failed();
    // the record says what the stack holds after its rollback
    const result = await afterSamDeploy(c, after);
    result.rolledBack = rolledBack;
    result.deployments = watcher.found.length ? [...watcher.found] : undefined;
    return result;
  } finally {
    clients.destroy();
  }
}

/**
 * Looks at the stack while sam deploy runs; on the first CodeDeploy deployment of the update,
 * rewrites the deploy record from the stack as it is and tells the caller. Resolves with sam's
 * success. A look that fails (throttled, a network blip) is tried again at the next one.
 */
async function watchWhileSamRuns(
  exit: Promise<boolean>,
  watcher: StackDeploymentWatcher,
  c: { cloudFormation: CloudFormationClient; codeDeploy: CodeDeployClient },
  after: AfterDeployInput,
  input: SamDeployInput,
): Promise<boolean> {
  let ended: boolean | undefined;
  void exit.then((ok) => (ended = ok));
  let recorded = false;
  while (ended === undefined) {
    const tick = new Promise<void>((r) => setTimeout(r, input.pollMs ?? POLL_MS).unref());
    await Promise.race([exit, tick]);
    if (ended !== undefined || input.signal?.aborted) break;
    try {
      const fresh = await watcher.poll(input.signal);
      if (fresh.length && !recorded) {
        try {
          await writeRecordFromStack(c.cloudFormation, after);
          recorded = true;
        } catch {
          // written at the next deployment's start, or from the stack once sam ends; the lab is
          // told of this one now all the same
        }
      }
      for (const d of fresh) {
        after.log.info(`CodeDeploy deployment started: ${d.deploymentId} (${d.functionName}:${d.alias}); CloudFormation waits for it, and sam deploy with it`);
        input.onDeploymentStarted?.(d);
      }
    } catch {
      // the next look tries again
    }
  }
  return exit;
}

interface SamRun {
  /** true when sam exited 0 */
  exit: Promise<boolean>;
  interrupted(): InterruptedError;
  failed(): LabError;
}

/** what a failed sam deploy's message quotes of its output */
const SAM_TAIL_LINES = 15;

/**
 * `sam deploy` as a child process; Ctrl-C sends it SIGINT by its PID (CloudFormation goes on). Its
 * output is read, not written to the terminal: it runs on while the lab draws the deployment's live
 * view in place, which lines of its own would break. Each line goes to the deploy's progress (the
 * spinner's line, when one shows), and the last lines into the message when it fails.
 */
function startSam(cmd: SamCommand, cwd: string, log: DeployLog, signal?: AbortSignal): SamRun {
  log.info(`$ ${formatCommand(cmd)}`);
  const child = execa(cmd.file, cmd.args, { cwd, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', reject: false, buffer: false });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const raw of lines) {
        // a line redrawn with carriage returns: its last state
        const line = raw.split('\r').pop()!.trimEnd();
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > SAM_TAIL_LINES) tail.shift();
        log.info(line.trim());
      }
    });
  }
  const onAbort = () => child.kill('SIGINT');
  signal?.addEventListener('abort', onAbort, { once: true });
  let why = '';
  const exit = child.then((r) => {
    signal?.removeEventListener('abort', onAbort);
    why = r.exitCode !== undefined ? `exit code ${r.exitCode}` : (r.originalMessage ?? r.shortMessage ?? 'unknown');
    return !r.failed;
  });
  return {
    exit,
    // CloudFormation goes on with a change set it already executes, and rolls back a failed one itself.
    interrupted: () => new InterruptedError(`deploy interrupted during \`${formatCommand(cmd)}\` (if sam had started the change set, CloudFormation finishes it: see the stack events): run deploy again`),
    failed: () =>
      new LabError(
        `\`${formatCommand(cmd)}\` failed (${why})${tail.length ? `; its last lines:\n${tail.map((l) => `  ${l}`).join('\n')}` : ''}`,
        undefined,
        'fix the template or the account, then deploy again',
      ),
  };
}

/** The deploy record from the stack as DescribeStacks and DescribeStackResources say it now. */
async function writeRecordFromStack(cfn: CloudFormationClient, input: AfterDeployInput) {
  const stacks = await cfn.send(new DescribeStacksCommand({ StackName: input.stackName }));
  const stack = stacks.Stacks?.[0];
  if (!stack) throw new LabError(`stack ${input.stackName} not found after sam deploy`);
  // At most 100 resources (DescribeStackResources); the lab's stack has about twenty.
  const res = await cfn.send(new DescribeStackResourcesCommand({ StackName: input.stackName }));
  const record = recordFromStack({
    stackName: input.stackName,
    stackId: stack.StackId,
    region: input.region,
    profile: input.profile,
    outputs: stack.Outputs ?? [],
    resources: res.StackResources ?? [],
    deployedAt: new Date(),
  });
  await writeDeployRecord(input.workspace, record);
  return record;
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
  // Written before the upload: the stack is deployed whatever happens to the samples.
  const record = await writeRecordFromStack(c.cloudFormation, input);

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
