/**
 * `deploy [--workspace DIR] [--target local|aws] [--profile P] [--region R] [--stack-name S]`:
 * the workspace's sam-app/ to the target. Progress goes to stderr; what changed and the outputs
 * (`ApiUrl: <url>`, one per line, then the local cloud's `Endpoint: <url>`) to stdout.
 * Ctrl-C stops at the deployer's next safe point and exits 130; a second Ctrl-C quits at once.
 * An alias with a DeploymentPreference moves through CodeDeploy: deploy prints the deployment id
 * and returns, or with `--wait` follows it to its end (deploy-wait.ts).
 */
import { LabError, UsageError } from '../errors.js';
import { InterruptPolicy } from '../interrupt.js';
import { existsSync } from 'node:fs';
import { workspacePaths, workspaceTwin, type Workspace } from '../lab/workspace.js';
import { labCommand } from '../lab/outside.js';
import { lockWorkspace } from '../lab/workspace-lock.js';
import { colorEnabled, paint, type Paint } from '../io/terminal.js';
import { reportHost, type ReportIoHost } from '../io/index.js';
import { breakLongWords, hang } from '../io/format.js';
import type { DeployLog, DeployResult, ResourceChange, StackRollback } from '../targets/deployers/types.js';
import { readDeployRecord } from '../targets/deploy-record.js';
import type { TargetSpec } from '../targets/clients.js';
import { canaryChapterShift, movedAlias, stageBesideAlias } from './deploy-stage.js';
import { progressPath, type LabProgress } from '../lab/progress.js';
import { readJsonFile } from '../lab/workspace.js';

export interface DeployOptions {
  workspace?: string;
  target?: string;
  profile?: string;
  region?: string;
  stackName?: string;
  /** follow the CodeDeploy deployments the deploy started to their end */
  wait?: boolean;
}

/** CloudFormation: a letter, then letters, digits and hyphens, at most 128 characters. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export async function deployCommand(opts: DeployOptions, interrupt: InterruptPolicy = new InterruptPolicy()): Promise<void> {
  const target = opts.target ?? 'local';
  const stackName = opts.stackName ?? 'ServerlessOps-stack';
  if (!opts.workspace) throw new UsageError('--workspace needs a folder');
  if (!STACK_NAME.test(stackName)) throw new UsageError(`invalid --stack-name "${stackName}"`, 'a letter, then letters, digits and hyphens (CloudFormation stack names), at most 128 characters');
  if (opts.region !== undefined && !REGION.test(opts.region)) throw new UsageError(`invalid --region "${opts.region}"`, 'for example --region us-east-1');
  if (target === 'local' && (opts.profile !== undefined || opts.region !== undefined)) {
    throw new UsageError('--profile and --region are for --target aws', 'the local cloud needs neither');
  }
  const ws = workspacePaths(opts.workspace);
  if (target !== 'local' && target !== 'aws') throw new UsageError(`unknown --target "${target}"`, 'use local or aws');
  const io = reportHost();
  // on stderr, wrapped at words on a terminal, a command on lines of its own to paste (the stage's update-stage)
  const log: DeployLog = { info: (l) => io.say(l), warn: (l) => io.warn(l) };

  // one command at a time changes a workspace (workspace-lock.ts), --wait included: it records a rollback at the end
  const lock = await lockWorkspace(ws, ['deploy']);
  try {
    await deployLocked(ws, target, stackName, opts, log, interrupt, io);
  } finally {
    await lock.release();
  }
}

async function deployLocked(ws: Workspace, target: string, stackName: string, opts: DeployOptions, log: DeployLog, interrupt: InterruptPolicy, io: ReportIoHost): Promise<void> {
  // Ctrl-C: the policy says "stopping at the next safe point…"; the deployer throws there
  let result: DeployResult;
  // the first deploy into a folder copies the app there (the deployers scaffold it)
  const isNew = !existsSync(ws.samApp);
  if (target === 'local') {
    const { deployLocal } = await import('../targets/deployers/local.js');
    result = await deployLocal({ workspace: ws, stackName, log, signal: interrupt.signal });
  } else {
    const { deployWithSam } = await import('../targets/deployers/sam.js');
    result = await deployWithSam({ workspace: ws, stackName, profile: opts.profile, region: opts.region, log, signal: interrupt.signal });
  }
  // a terminal's width (a table is no prose: its own, not proseWidth's 100 at most); piped, a line a row
  io.result(formatDeployResult(result, { color: colorEnabled(process.stdout), width: process.stdout.isTTY ? process.stdout.columns || 80 : Infinity }));
  // aws: sam deploy waited for the CodeDeploy deployment, and CloudFormation rolled back after it,
  // as `--wait` says it on the local target (deploy-wait.ts)
  if (result.rolledBack) throw rolledBackError(result.rolledBack);
  if (isNew) twinWarning(ws, target === 'aws' ? 'aws' : 'local', stackName, opts, io);
  // a release the API's stage does not call (after the canary chapter): said before --wait follows it
  const moved = movedAlias(result);
  const record = moved ? readDeployRecord(ws) : undefined;
  if (moved && record) {
    const spec: TargetSpec = result.endpoint ? { kind: 'local', endpoint: result.endpoint, stateDir: ws.stateDir } : { kind: 'aws', profile: opts.profile, region: record.region };
    const beside = await stageBesideAlias(record, spec, moved, interrupt.signal);
    if (beside) log.warn(beside);
  }
  // a shift started while the learner is in the canary chapter: said, since the chapter's stage calls live
  const shift = result.deployments?.find((d) => !d.joined);
  if (shift) {
    const progress = readProgress(ws);
    const said = canaryChapterShift(progress?.steps, shift);
    if (said) log.warn(said);
  }
  if (opts.wait && result.deployments?.length && target === 'local') {
    const { waitForDeployments } = await import('./deploy-wait.js');
    await waitForDeployments(ws, result, interrupt);
  }
}

/**
 * A mistyped --workspace (`lab-worksapce`) made a new workspace beside the learner's and deployed
 * the lab's app as it was bundled, not their edits (on the local target into a cloud of its own; on
 * AWS to the stack, which may be the one their workspace deploys to):
 * said after the deploy's own lines, with the command meant and, locally, the one that stops the
 * new workspace's cloud. As `start` says it (session.ts), from the same look at the folder's
 * neighbours (workspaceTwin).
 */
function twinWarning(ws: Workspace, target: 'local' | 'aws', stackName: string, opts: DeployOptions, io: ReportIoHost): void {
  const twin = workspaceTwin(ws.root);
  if (twin === undefined) return;
  const where = { target, profile: opts.profile, region: opts.region };
  const cloud = target === 'local' ? ', into a cloud of its own' : ` to the stack ${stackName}`;
  io.warn(`${ws.root} is a new workspace: this deploy copied the lab's app there and deployed it as bundled${cloud}. ${twin} is a workspace with a near-identical name (a typo?). To deploy that one:`);
  io.command(labCommand(['deploy'], { ...where, workspace: twin }));
  if (target === 'local') {
    io.say('and to stop the new workspace\'s cloud:');
    io.command(labCommand(['emulator', 'stop'], { ...where, workspace: ws.root }));
  }
}

/** progress.json as the lab left it, or undefined: a deploy goes on whatever it holds */
function readProgress(ws: Workspace): LabProgress | undefined {
  try {
    return readJsonFile<LabProgress>(progressPath(ws));
  } catch {
    return undefined;
  }
}

/** CloudFormation's reason, and what the rollback left: the release was refused, the template is fine. */
export function rolledBackError(r: StackRollback): LabError {
  const rollback = r.rollbackDeploymentId ? ` by rollback deployment ${r.rollbackDeploymentId}` : '';
  return new LabError(
    r.reason,
    undefined,
    `the stack rolled back (${r.stackStatus}): CodeDeploy ${r.status === 'Stopped' ? 'stopped' : 'failed'} deployment ${r.deploymentId}${r.errorCode ? ` (${r.errorCode})` : ''} and moved the alias back${rollback}; the new Lambda version stays published (DeletionPolicy: Retain)`,
  );
}

/**
 * `width`: a terminal's columns. A line wider than them goes on at words, under an indent (a change
 * row's names and detail under its type, an output's value under its name): at 80 columns the
 * terminal cut the physical ids and the outputs mid-word (`serverlessops-stack-im` / `agesbucket-…`).
 * A word wider than the line stays whole on a line of its own. Infinite (piped): a line a row, for grep.
 */
export function formatDeployResult(r: DeployResult, opts: { color?: boolean; width?: number } = {}): string {
  const p = paint(opts.color ?? false);
  const width = opts.width ?? Infinity;
  const lines: string[] = [];
  const fit = (line: string, indent: string) => {
    const lead = /^ */.exec(line)![0];
    // a word wider than the line (the alias's ARN, 86 columns) cut after a `:` or `/`, as
    // io/format.ts fitted cuts one, under the indent: the terminal cut it mid-word
    // (`…:function:ServerlessOps-stack-GetInfo` / `Function-…:live`). A URL stays whole, to be clicked.
    const cut = breakLongWords(line.slice(lead.length), width - lead.length - indent.length, (w) => !w.includes('://'));
    lines.push(...hang(cut, width - lead.length, indent).map((l) => lead + l));
  };
  if (r.changes.length) {
    lines.push('Changes:');
    const typeWidth = Math.max(TYPE_WIDTH, ...r.changes.map((c) => c.type.length));
    for (const c of r.changes) fit(`  ${formatChange(c, p, typeWidth)}`, '    ');
    lines.push('');
  }
  lines.push('Outputs:');
  for (const [k, v] of Object.entries(r.outputs)) fit(`${k}: ${v}`, '  ');
  // not a stack output: where `aws --endpoint-url` and SDK clients reach the embedded cloud
  if (r.endpoint) fit(`Endpoint: ${r.endpoint}`, '  ');
  // as CloudFormation's event on the alias says it (codedeploy-cloudwatch-sam.md §B.1)
  for (const d of r.deployments ?? []) fit(`CodeDeploy deployment ${d.joined ? 'in progress' : 'started'}: ${d.deploymentId} (${d.functionName}:${d.alias}, Lambda version ${d.from} → ${d.to})`, '  ');
  return `${lines.join('\n')}\n`;
}

const CHANGE_COLOR = { created: 'green', updated: 'yellow', unchanged: 'dim', skipped: 'dim', deleted: 'red', retained: 'yellow' } as const;

const TYPE_WIDTH = 28;

export function formatChange(c: ResourceChange, p: Paint = paint(false), typeWidth = TYPE_WIDTH): string {
  const id = c.physicalId ? `${c.logicalId} ${c.physicalId}` : c.logicalId;
  return `${p[CHANGE_COLOR[c.change]](c.change.padEnd(9))} ${c.type.padEnd(typeWidth)} ${id}${c.detail ? ` — ${c.detail}` : ''}`;
}
