/**
 * The LabContext of a real run: the target's SDK clients, the deployers, and figures saved into
 * progress as they are measured. The runner says which step is running (`stepId`).
 */
import { LabError } from '../errors.js';
import type { IoHost } from '../io/host.js';
import { TargetClients, type TargetSpec } from '../targets/clients.js';
import { readDeployRecord, type DeployRecord } from '../targets/deploy-record.js';
import type { DeployLog, DeployResult } from '../targets/deployers/types.js';
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
  lastDeployAt?: Date;
  lastDeployments?: { deploymentId: string; functionName: string }[];
  readonly #spec: TargetSpec;
  readonly #progress: ProgressStore;

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
    return rec;
  }

  async deploy(): Promise<DeployResult> {
    this.lastDeployAt = new Date();
    this.lastDeployments = undefined;
    const spinner = this.io.progress(`deploying sam-app/ to ${this.targetName}`);
    const log: DeployLog = {
      info: (l) => spinner.update(l),
      warn: (l) => this.io.warn(l),
    };
    try {
      let result: DeployResult;
      if (this.#spec.kind === 'local') {
        const { deployLocal } = await import('../targets/deployers/local.js');
        result = await deployLocal({ workspace: this.ws, stackName: this.stackName, log, signal: this.signal, emulator: { speed: this.speed } });
      } else {
        const { deployWithSam } = await import('../targets/deployers/sam.js');
        result = await deployWithSam({ workspace: this.ws, stackName: this.stackName, profile: this.#spec.profile, region: this.#spec.region, log, signal: this.signal });
      }
      this.lastDeployments = (result as DeployResult & { deployments?: { deploymentId: string; functionName: string }[] }).deployments ?? [];
      const changed = result.changes.filter((c) => c.change !== 'unchanged');
      spinner.succeed(`deployed: ${changed.length ? changed.map((c) => `${c.logicalId} ${c.change}${c.detail ? ` (${c.detail})` : ''}`).join('; ') : 'nothing changed'}`);
      return result;
    } catch (err) {
      spinner.fail('the deploy did not finish');
      throw err;
    }
  }

  aws(args: string): string {
    if (this.#spec.kind === 'local') return `aws ${args} --endpoint-url ${this.#spec.endpoint}`;
    const extra = [this.#spec.region ? `--region ${this.#spec.region}` : '', this.#spec.profile ? `--profile ${this.#spec.profile}` : ''].filter(Boolean);
    return [`aws ${args}`, ...extra].join(' ');
  }

  figure(key: string, value: FigureValue): void {
    if (!this.stepId) return;
    this.#progress.update(this.stepId, (s) => {
      s.figures[key] = value;
    });
  }

  stepProgress(stepId: string): { status: 'pending' | 'started' | 'done'; assisted: boolean; hintsShown: number } {
    const p = this.#progress.step(stepId);
    return { status: p.status, assisted: p.assisted, hintsShown: p.hintsShown };
  }

  allFigures(): Readonly<Record<string, Readonly<Record<string, FigureValue>>>> {
    return this.#progress.allFigures();
  }

  instructorNote(text: string): void {
    this.notes.push(text);
  }

  destroy(): void {
    this.clients.destroy();
  }
}
