/**
 * What is deployed in a workspace: the last deployment record, plus live alias routing, versions
 * and reserved concurrency read from the target through the Lambda API.
 */
import { noWorkspaceError } from '../lab/workspace-missing.js';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { LabError } from '../errors.js';
import { recordedTarget, type Workspace } from '../lab/workspace.js';
import { labCommand } from '../lab/outside.js';
import { lambdaSdk, TargetClients, type TargetSpec } from './clients.js';
import { followEndpoint, readDeployRecord } from './deploy-record.js';
import { listVersions } from './deployers/local/function.js';
import { readDeploymentStatus, readAlarms, type AlarmStatus, type DeploymentStatus } from './status-codedeploy.js';
import { cliCommand, hintCommand } from '../invocation.js';
import type { ApiStageStatus } from './status-api.js';
import { ProgressStore } from '../lab/progress.js';

/** the canary chapter's steps (steps/canary.ts), which move the API's stage by hand */
const CANARY_STEPS = ['canary-stage-variable', 'canary-create', 'canary-rollback', 'canary-promote'];

export type { AlarmStatus, ApiStageStatus, DeploymentStatus };

/**
 * How `note` starts for a local cloud that is not running (not one that does not answer): the
 * sentence stands alone in --json; the text report, whose cloud line already says it, drops it
 * (status-format.ts).
 */
export const NOT_RUNNING_NOTE = 'the embedded cloud is not running';

export interface AliasStatus {
  name: string;
  version: string;
  /** AdditionalVersionWeights: version → share of traffic */
  weights: Record<string, number>;
}

export interface FunctionStatus {
  logicalId: string;
  name: string;
  aliases: AliasStatus[];
  reservedConcurrency: number | null;
  /** published versions, oldest first */
  versions: string[];
  /** the latest CodeDeploy deployment of its deployment group (DeploymentPreference), if any */
  deployment?: DeploymentStatus;
}

export interface WorkspaceStatus {
  target: 'local' | 'aws';
  endpoint: string | null;
  stackName: string;
  region: string;
  deployedAt: string;
  outputs: Record<string, string>;
  functions: FunctionStatus[];
  /** the stack's CloudWatch alarms and their states */
  alarms: AlarmStatus[];
  /**
   * each REST API's stage: its deployment, variables, canary and what it calls; read (live) only
   * once a step of the canary chapter has begun, the chapter that moves the stage by hand, so a
   * status before it loads no API Gateway client (empty then)
   */
  apis: ApiStageStatus[];
  /** false when aliases, versions and concurrency could not be read from the target (see note) */
  live: boolean;
  /** local only */
  emulator?: {
    running: boolean;
    pid: number | null;
    /**
     * Not running, and its process record was left behind (a stop removes it): it was killed,
     * crashed, or the machine restarted. The pid and start time the record names, and its log.
     */
    stoppedUnexpectedly: { pid: number; startedAt: string | null; log: string | null } | null;
    /**
     * Not running as far as the lab can tell, yet alive: a cloud (its pid) holds the workspace's
     * state dir but does not answer (stopped with Ctrl-Z or SIGSTOP, or stuck). `note` says what
     * to do, in the words of `emulator status`. `pid` null: something holds the state dir's lock,
     * and neither a record nor the system names it; `note` says how to find it.
     */
    unresponsive: { pid: number | null } | null;
  };
  /** why live data is missing, when it is */
  note?: string;
}

/** the deploy on a line of its own, to paste: in the sentence, a temp workspace's went past 80 columns */
export function noDeploymentError(ws: Workspace): LabError {
  // a folder that is not there is no workspace (a typo?), as list says it
  const gone = noWorkspaceError(ws);
  if (gone) return gone;
  // a lab begun on AWS whose first deploy failed: `deploy` alone would deploy to the local cloud
  const where = { workspace: ws.root, target: recordedTarget(ws.labDir) ?? 'local' };
  return new LabError(`nothing deployed from ${ws.root} yet`, undefined, `run this first:${hintCommand(labCommand(['deploy'], where))}`);
}

export async function workspaceStatus(ws: Workspace): Promise<WorkspaceStatus> {
  // before the deploy record is read: through a file on the way, its read failed as the disk's
  const gone = noWorkspaceError(ws);
  if (gone) throw gone;
  const rec = readDeployRecord(ws);
  if (!rec) throw noDeploymentError(ws);
  const base: WorkspaceStatus = {
    target: rec.target,
    endpoint: rec.endpoint ?? null,
    stackName: rec.stackName,
    region: rec.region,
    deployedAt: rec.deployedAt,
    outputs: rec.outputs,
    functions: rec.functions.map((f) => ({ logicalId: f.logicalId, name: f.name, aliases: [], reservedConcurrency: null, versions: [] })),
    alarms: (rec.alarms ?? []).map((name) => ({ name, state: 'unknown' })),
    apis: [],
    live: false,
  };

  let target: TargetSpec;
  if (rec.target === 'local') {
    const { damagedStateError, emulatorStatus, existingLog, unresponsiveEmulator } = await import('../emulator/daemon.js');
    const emu = await emulatorStatus(ws.stateDir);
    const stale = emu.running ? undefined : emu.stale;
    const unresponsive = emu.running ? undefined : emu.unresponsive;
    base.emulator = {
      running: emu.running,
      pid: emu.running ? emu.pid : null,
      stoppedUnexpectedly: stale ? { pid: stale.pid, startedAt: typeof stale.startedAt === 'string' ? stale.startedAt : null, log: existingLog(ws.stateDir) } : null,
      unresponsive: unresponsive !== undefined ? { pid: unresponsive } : null,
    };
    if (unresponsive !== undefined) {
      // alive, so not 'start it again': the one message every command gives for it
      const err = unresponsiveEmulator(ws.stateDir, unresponsive);
      base.note = `${err.message}; ${err.hint}`;
      return base;
    }
    if (!emu.running) {
      const damaged = await damagedStateError(ws.stateDir);
      base.note = damaged
        ? `${NOT_RUNNING_NOTE}, and cannot start as it is: ${damaged.message.replace(/^the local cloud cannot start: /, '')}; ${damaged.hint}`
        : // the command on a line of its own, to paste (hintCommand): a code span in the sentence was cut mid-word at 80 columns
          `${NOT_RUNNING_NOTE}: this (or deploy) starts it again with its state:${hintCommand(cliCommand(['emulator', 'start', '--workspace', ws.root]))}`;
      return base;
    }
    // A restarted cloud may listen on another port: the recorded URLs follow it.
    base.outputs = followEndpoint(rec, emu.endpoint).outputs;
    base.endpoint = emu.endpoint;
    target = { kind: 'local', endpoint: emu.endpoint, region: rec.region, stateDir: ws.stateDir };
  } else {
    target = { kind: 'aws', profile: rec.profile, region: rec.region };
  }

  const clients = new TargetClients(target, { maxAttempts: 2 });
  try {
    base.functions = await Promise.all(rec.functions.map((f) => liveFunction(clients.lambda, f.logicalId, f.name)));
    base.live = true;
  } catch (err) {
    base.note = `could not read the functions from the target: ${(err as Error).message}`;
  }
  try {
    // CodeDeploy and CloudWatch after Lambda: a failure here leaves the functions' view intact
    for (const f of base.functions) {
      const group = rec.functions.find((r) => r.logicalId === f.logicalId)?.deploymentGroupName;
      if (base.live && rec.codeDeployApplication && group) {
        const d = await readDeploymentStatus(clients.codeDeploy, rec.codeDeployApplication, group);
        if (d) f.deployment = d;
      }
    }
    if (base.live && rec.alarms?.length) base.alarms = await readAlarms(clients.cloudWatch, rec.alarms);
  } catch (err) {
    base.note = `could not read deployments or alarms from the target: ${(err as Error).message}`;
  }
  try {
    // what the API's stage calls: the canary chapter moves it by hand, away from the alias above
    if (base.live && canaryBegun(ws, rec.target)) {
      // loaded here: a status before the chapter loads no API Gateway client (cli/startup)
      const { readApiStage } = await import('./status-api.js');
      base.apis = await Promise.all(rec.apis.map((a) => readApiStage(clients.apiGateway, a)));
    }
  } catch (err) {
    base.note = `could not read the API's stage from the target: ${(err as Error).message}`;
  } finally {
    clients.destroy();
  }
  return base;
}

/** a step of the canary chapter is not pending (a progress file that cannot be read: as if one were) */
function canaryBegun(ws: Workspace, target: 'local' | 'aws'): boolean {
  try {
    const progress = ProgressStore.load(ws, target);
    return CANARY_STEPS.some((id) => progress.step(id).status !== 'pending');
  } catch {
    return true;
  }
}

async function liveFunction(lambda: LambdaClient, logicalId: string, name: string): Promise<FunctionStatus> {
  const { GetFunctionConcurrencyCommand, ListAliasesCommand } = lambdaSdk();
  const [aliases, versions, concurrency] = await Promise.all([
    lambda.send(new ListAliasesCommand({ FunctionName: name })),
    listVersions(lambda, name),
    lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name })),
  ]);
  return {
    logicalId,
    name,
    aliases: (aliases.Aliases ?? []).map((a) => ({ name: a.Name!, version: a.FunctionVersion!, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {} })),
    reservedConcurrency: concurrency.ReservedConcurrentExecutions ?? null,
    versions: versions.map((v) => v.Version!).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(a) - Number(b)),
  };
}

