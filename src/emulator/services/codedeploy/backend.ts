/**
 * Local CodeDeploy for the Lambda compute platform: applications, deployment groups, deployment
 * configs, and deployments that shift a Lambda alias's traffic, run the BeforeAllowTraffic /
 * AfterAllowTraffic hooks, stop on alarms and roll back, as shared/aws/codedeploy-cloudwatch-sam.md
 * describes AWS doing it.
 *
 * Known limits (the emulator's, not AWS's):
 * - deployments run on the Lambda compute platform only; Server and ECS applications and groups
 *   can be created and read, not deployed to;
 * - the AppSpec comes from an AppSpecContent or String revision (no S3 or GitHub revisions);
 * - no triggers (SNS), no IAM: only the role SAM creates is understood (service-role.ts); other
 *   service roles are recorded, not enforced;
 * - a deployment in flight when the cloud stops is rolled back when it starts again.
 */
import type { Clock } from '../../core/clock.js';
import type { StateStore } from '../../core/store.js';
import type { AlarmReader, AliasRouter, HookInvoker } from './dependencies.js';
import { Deployments } from './deployments.js';
import { DeploymentEngine } from './engine.js';
import { Registry } from './registry.js';
import { CodeDeployState } from './state.js';

export interface CodeDeployDeps {
  store: StateStore;
  clock: Clock;
  region: string;
  accountId: string;
  aliases: AliasRouter;
  hooks: HookInvoker;
  alarms: AlarmReader;
  log: (line: string) => void;
  /** how often active deployments look at their alarms, in cloud ms (engine.ts) */
  tickMs?: number;
}

export class CodeDeployBackend {
  readonly state: CodeDeployState;
  readonly registry: Registry;
  readonly engine: DeploymentEngine;
  readonly deployments: Deployments;
  readonly region: string;
  readonly accountId: string;

  constructor(deps: CodeDeployDeps) {
    this.region = deps.region;
    this.accountId = deps.accountId;
    this.state = new CodeDeployState(deps.store);
    this.registry = new Registry(this.state, deps.clock);
    this.engine = new DeploymentEngine({
      state: this.state,
      clock: deps.clock,
      aliases: deps.aliases,
      hooks: deps.hooks,
      alarms: deps.alarms,
      tickMs: deps.tickMs,
      log: deps.log,
    });
    this.deployments = new Deployments(this.state, this.registry, this.engine, deps.clock);
    this.engine.resume();
  }

  close(): void {
    this.engine.close();
  }
}
