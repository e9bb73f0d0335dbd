/**
 * The LabContext of a real run: the target's SDK clients, the deployers, and figures saved into
 * progress as they are measured. The runner says which step is running (`stepId`).
 */
import { LabError } from '../errors.js';
import type { IoHost } from '../io/host.js';
import { awsCommand } from '../targets/aws-command.js';
import { TargetClients, type TargetSpec } from '../targets/clients.js';
import { followEndpoint, readDeployRecord, type DeployRecord } from '../targets/deploy-record.js';
import type { AliasDeployment, DeployLog, DeployResult } from '../targets/deployers/types.js';
import type { FigureValue, LabContext } from './context.js';
import type { ProgressStore } from './progress.js';
import type { ReferenceBook } from './reference.js';
import type { Workspace } from './workspace.js';
import { cliCommand } from '../invocation.js';

export const STACK_NAME = 'ServerlessOps-stack';

export interface LiveContextOptions {
  io: IoHost;
  ws: Workspace;
  target: TargetSpec;
  progress: ProgressStore;
  reference: ReferenceBook;
  ci: boolean;
  speed: number;
  signal: AbortSignal;
  /** why long waits matter: shown under the deploy's progress (set by the runner per step) */
  stackName?: string;
  /** aws: real time between looks at the stack while sam deploy runs (tests make it short) */
  samPollMs?: number;
}

export class LiveLabContext implements LabContext {
  readonly io: IoHost;
  readonly ws: Workspace;
  readonly target: 'local' | 'aws';
  readonly targetName: string;
  readonly environmentFix: string;
  readonly clients: TargetClients;
  readonly ci: boolean;
  readonly speed: number;
  readonly endpoint?: string;
  readonly signal: AbortSignal;
  readonly stackName: string;
  readonly reference: ReferenceBook;
  readonly notes: string[] = [];
  /** the step figures go to */
  stepId = '';
  assisting = false;
  catchingUp = false;
  lastDeployAt?: Date;
  lastDeployments?: { deploymentId: string; functionName: string }[];
  readonly deploymentsThisRun: string[] = [];
  readonly #spec: TargetSpec;
  readonly #progress: ProgressStore;
  readonly #samPollMs?: number;
  /** aws: the sam deploy still running after deploy() returned (CloudFormation waits on CodeDeploy) */
  #pendingSam?: Promise<DeployResult>;
  /** ends that sam deploy (by its PID) when the run ends first */
  #samStop?: AbortController;
  /** where the running deploy's progress lines go */
  #deployLine: (line: string) => void = () => undefined;

  constructor(o: LiveContextOptions) {
    this.io = o.io;
    this.ws = o.ws;
    this.#spec = o.target;
    this.target = o.target.kind;
    this.#progress = o.progress;
    this.reference = o.reference;
    this.ci = o.ci;
    this.speed = o.speed;
    this.signal = o.signal;
    this.stackName = o.stackName ?? STACK_NAME;
    this.#samPollMs = o.samPollMs;
    this.clients = new TargetClients(o.target);
    if (o.target.kind === 'local') {
      this.endpoint = o.target.endpoint;
      this.targetName = `the local cloud at ${o.target.endpoint}`;
      this.environmentFix = `start it again: ${cliCommand(['emulator', 'start', '--workspace', o.ws.root])} (or run start again, which starts it)`;
    } else {
      this.targetName = `AWS${o.target.region ? ` (${o.target.region})` : ''}`;
      this.environmentFix = `check your network and credentials: ${cliCommand(['doctor', '--target', 'aws', ...(o.target.profile ? ['--profile', o.target.profile] : [])])}`;
    }
  }

  deployment(): DeployRecord {
    const rec = readDeployRecord(this.ws);
    if (!rec) throw new LabError(`nothing is deployed from ${this.ws.root} yet`, undefined, 'the deploy step deploys it: run start again');
    // the URLs on the port the cloud listens on now, as status says them: a cloud started again
    // elsewhere (4566 taken, --port) left the record's ApiUrl on a port nobody answers, or another cloud
    return followEndpoint(rec, this.endpoint);
  }

  async deploy(): Promise<DeployResult> {
    // one stack update at a time: CloudFormation refuses a second while the first runs
    await this.#previousSam();
    this.lastDeployAt = new Date();
    this.lastDeployments = undefined;
    const spinner = this.io.progress(`deploying sam-app/ to ${this.targetName}`);
    this.#deployLine = (l) => spinner.update(l);
    const log: DeployLog = {
      info: (l) => this.#deployLine(l),
      warn: (l) => this.io.warn(l),
    };
    try {
      let result: DeployResult;
      if (this.#spec.kind === 'local') {
        const { deployLocal } = await import('../targets/deployers/local.js');
        result = await deployLocal({ workspace: this.ws, stackName: this.stackName, log, signal: this.signal, emulator: { speed: this.speed } });
      } else {
        const { deployWithSam } = await import('../targets/deployers/sam.js');
        let started!: (d: AliasDeployment) => void;
        const deploymentStarted = new Promise<AliasDeployment>((r) => (started = r));
        this.#samStop = new AbortController();
        const signal = AbortSignal.any([this.signal, this.#samStop.signal]);
        const run = deployWithSam({ workspace: this.ws, stackName: this.stackName, profile: this.#spec.profile, region: this.#spec.region, log, signal, pollMs: this.#samPollMs, onDeploymentStarted: (d) => started(d) });
        // whoever waits for it (here, or settleDeploy) sees its error
        run.catch(() => undefined);
        const first = await Promise.race([run.then((r) => ({ done: r })), deploymentStarted.then((d) => ({ started: d }))]);
        if ('started' in first) {
          // CloudFormation waits for this deployment before sam returns: the steps follow it now
          this.#pendingSam = run;
          this.lastDeployments = [first.started];
          this.deploymentsThisRun.push(first.started.deploymentId);
          spinner.succeed(`CodeDeploy deployment ${first.started.deploymentId} started; sam deploy goes on until it ends (CloudFormation waits for it)`);
          this.#deployLine = () => undefined;
          return { target: 'aws', outputs: {}, changes: [], warnings: [], deployments: [first.started] };
        }
        result = first.done;
      }
      this.lastDeployments = result.deployments ?? [];
      this.deploymentsThisRun.push(...this.lastDeployments.map((d) => d.deploymentId));
      if (result.rolledBack) {
        spinner.fail(`the stack update rolled back: ${result.rolledBack.reason}`);
        this.#sayRollback(result);
        return result;
      }
      const changed = result.changes.filter((c) => c.change !== 'unchanged');
      spinner.succeed(`deployed: ${changed.length ? changed.map((c) => `${c.logicalId} ${c.change}${c.detail ? ` (${c.detail})` : ''}`).join('; ') : 'nothing changed'}`);
      return result;
    } catch (err) {
      spinner.fail('the deploy did not finish');
      throw err;
    } finally {
      if (!this.#pendingSam) this.#deployLine = () => undefined;
    }
  }

  async settleDeploy(): Promise<void> {
    const run = this.#pendingSam;
    if (!run) return;
    const spinner = this.io.progress('sam deploy: CloudFormation finishes the stack update after the CodeDeploy deployment');
    this.#deployLine = (l) => spinner.update(l);
    try {
      const result = await run;
      if (result.rolledBack) {
        spinner.fail(`the stack update rolled back: ${result.rolledBack.reason}`);
        this.#sayRollback(result);
      } else spinner.succeed('sam deploy finished: the stack update is complete');
    } catch (err) {
      spinner.fail('sam deploy did not finish');
      throw err;
    } finally {
      this.#pendingSam = undefined;
      this.#deployLine = () => undefined;
    }
  }

  /**
   * A sam deploy left running (its view stopped while a hook held the deployment): waited for,
   * said why, with the deployment it waits on and how to end it. A hook that never reports holds
   * the deployment until CodeDeploy fails it, an hour later ("The deployment is considered to have
   * failed if CodeDeploy is not notified by the Lambda validation function within one hour",
   * CodeDeploy User Guide, AppSpec 'hooks' section for Lambda); `aws deploy stop-deployment
   * --auto-rollback-enabled` stops it now and rolls the alias back ("Indicates, when a deployment
   * is stopped, whether instances that have been updated should be rolled back", CodeDeploy API
   * Reference, StopDeployment), and CloudFormation then rolls the stack update back.
   */
  async #previousSam(): Promise<void> {
    if (!this.#pendingSam) return;
    const ids = (this.lastDeployments ?? []).map((d) => d.deploymentId);
    if (!ids.length) {
      this.io.say('the previous sam deploy still runs (CloudFormation waits for its CodeDeploy deployment): waiting for it first; Ctrl-C stops waiting (progress is saved)');
    } else {
      this.io.say(
        `the previous sam deploy still runs: CloudFormation waits for CodeDeploy deployment ${ids.join(', ')} (a hook that never reports holds it for up to an hour). Waiting for it first; this stops it now and moves the alias back:`,
      );
      for (const id of ids) this.io.command(this.aws(`deploy stop-deployment --deployment-id ${id} --auto-rollback-enabled`));
      this.io.say('Ctrl-C stops waiting (progress is saved)');
    }
    await this.settleDeploy().catch((err: unknown) => {
      // its failure was that deploy's; this one goes on unless the run itself is stopping
      if (err instanceof LabError && !this.signal.aborted) this.io.warn(err.message);
      else throw err;
    });
  }

  /** CodeDeploy refused the release and CloudFormation undid the update with it: said as such, not as an error */
  #sayRollback(result: DeployResult): void {
    const r = result.rolledBack!;
    this.io.say(
      `CodeDeploy ${r.status === 'Stopped' ? 'stopped' : 'failed'} deployment ${r.deploymentId}${r.errorCode ? ` (${r.errorCode})` : ''}, so CloudFormation rolled the stack update back (${r.stackStatus}): the alias is back on the version it served, and the rest of this update is undone with it. The template is fine; the release was refused.`,
    );
  }

  async repairCloud(): Promise<{ repaired: string } | { cannot: string } | undefined> {
    if (this.#spec.kind !== 'local') return undefined;
    const { CannotRestore, describeDrift, repairDrift } = await import('../targets/deployers/local/restore.js');
    try {
      const r = await repairDrift(this.clients.lambda, this.ws, this.signal);
      return r && { repaired: r.said };
    } catch (err) {
      if (err instanceof CannotRestore) return { cannot: `the cloud no longer holds what the last deploy left (${err.drift.map(describeDrift).join('; ')}), and ${err.message}` };
      throw err;
    }
  }

  aws(args: string): string {
    return awsCommand(args, this.#spec);
  }

  figure(key: string, value: FigureValue): void {
    if (!this.stepId) return;
    this.#progress.update(this.stepId, (s) => {
      s.figures[key] = value;
    });
  }

  stepProgress(stepId: string): { status: 'pending' | 'started' | 'done'; assisted: boolean; hintsShown: number; doneAt?: string } {
    const p = this.#progress.step(stepId);
    return { status: p.status, assisted: p.assisted, hintsShown: p.hintsShown, doneAt: p.doneAt };
  }

  allFigures(): Readonly<Record<string, Readonly<Record<string, FigureValue>>>> {
    return this.#progress.allFigures();
  }

  instructorNote(text: string): void {
    this.notes.push(text);
  }

  following(deploymentId: string | undefined): void {
    this.#progress.setFollowing(deploymentId ? { deploymentId, stepId: this.stepId } : undefined);
  }

  destroy(): void {
    // a sam deploy still running ends with the run: the deployer sends it SIGINT by its PID
    // (CloudFormation goes on with the update; `status` and the stack events show it)
    if (this.#pendingSam) this.#samStop?.abort();
    this.clients.destroy();
  }
}
