/**
 * CodeDeploy's backend on a ManualClock with in-memory fakes of what it needs: an alias that
 * records every routing it was given, a hook invoker that records invocations, alarms set by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/emulator/core/clock.js';
import { ServiceError } from '../../../src/emulator/core/service-error.js';
import { StateStore } from '../../../src/emulator/core/store.js';
import { CodeDeployBackend } from '../../../src/emulator/services/codedeploy/backend.js';
import type { AlarmState, AliasRouting } from '../../../src/emulator/services/codedeploy/dependencies.js';
import { codeDeployHandlers } from '../../../src/emulator/services/codedeploy/handlers.js';

export const TICK = 1000;

export class FakeLambda {
  alias: AliasRouting = { functionVersion: '1', additionalVersionWeights: {} };
  versions = new Set(['1', '2', '3']);
  /** every routing applied, in order */
  history: AliasRouting[] = [];
  invocations: { fn: string; payload: { DeploymentId: string; LifecycleEventHookExecutionId: string } }[] = [];
  router = {
    getAliasRouting: (fn: string, alias: string) => {
      if (fn !== 'fn' || alias !== 'live') throw new ServiceError('ResourceNotFoundException', 'Cannot find alias', 404);
      return structuredClone(this.alias);
    },
    updateAliasRouting: (_fn: string, _alias: string, routing: AliasRouting) => {
      this.alias = structuredClone(routing);
      this.history.push(structuredClone(routing));
    },
    versionExists: (_fn: string, v: string) => this.versions.has(v),
  };
  hooks = {
    invokeEvent: async (fn: string, payload: { DeploymentId: string; LifecycleEventHookExecutionId: string }) => {
      if (!fn.startsWith('CodeDeployHook_')) throw new ServiceError('ResourceNotFoundException', `Function not found: ${fn}`, 404);
      this.invocations.push({ fn, payload });
    },
  };
}

export interface Harness {
  clock: ManualClock;
  lambda: FakeLambda;
  alarms: Map<string, AlarmState>;
  /** the alarms' changes to ALARM (their history's StateUpdate items), at cloud times */
  wentToAlarm: { name: string; at: number }[];
  backend: CodeDeployBackend;
  call: ReturnType<typeof codeDeployHandlers>;
  stateDir: string;
  /** move the cloud clock in ticks, letting the engine's loops run after each */
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
  /** a new backend on the same state dir and fakes, as after a restart */
  restart(): Harness;
  close(): void;
}

export function harness(opts: { stateDir?: string; clock?: ManualClock; lambda?: FakeLambda; alarms?: Map<string, AlarmState> } = {}): Harness {
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'sol-cd-'));
  const clock = opts.clock ?? new ManualClock();
  const lambda = opts.lambda ?? new FakeLambda();
  const alarms = opts.alarms ?? new Map<string, AlarmState>();
  const wentToAlarm: { name: string; at: number }[] = [];
  const backend = new CodeDeployBackend({
    store: new StateStore(stateDir),
    clock,
    region: 'us-east-1',
    accountId: '000000000000',
    aliases: lambda.router,
    hooks: lambda.hooks,
    alarms: { alarmStates: () => alarms, enteredAlarmSince: (names, since) => names.filter((n) => wentToAlarm.some((w) => w.name === n && w.at >= since)) },
    log: () => {},
    tickMs: TICK,
  });
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await backend.engine.settled();
      await new Promise((r) => setImmediate(r));
    }
  };
  const h: Harness = {
    clock,
    lambda,
    alarms,
    wentToAlarm,
    backend,
    call: codeDeployHandlers(backend),
    stateDir,
    settle,
    async advance(ms) {
      await settle();
      for (let t = 0; t < ms; t += TICK) {
        clock.advance(Math.min(TICK, ms - t));
        await settle();
      }
    },
    restart() {
      backend.close();
      const next = harness({ stateDir, clock, lambda, alarms });
      // the restarted harness is the one a test closes: it removes the state dir this one made
      if (!opts.stateDir) {
        const closeNext = next.close;
        next.close = () => {
          closeNext();
          rmSync(stateDir, { recursive: true, force: true });
        };
      }
      return next;
    },
    close() {
      backend.close();
      if (!opts.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return h;
}

export function appSpec(current = '1', target = '2', hooks: { pre?: string; post?: string } = {}) {
  return JSON.stringify({
    version: 0.0,
    Resources: [{ fn: { Type: 'AWS::Lambda::Function', Properties: { Name: 'fn', Alias: 'live', CurrentVersion: current, TargetVersion: target } } }],
    Hooks: [...(hooks.pre ? [{ BeforeAllowTraffic: hooks.pre }] : []), ...(hooks.post ? [{ AfterAllowTraffic: hooks.post }] : [])],
  });
}

export function setUp(h: Harness, config: string, group: Record<string, unknown> = {}) {
  h.call.CreateApplication({ applicationName: 'app', computePlatform: 'Lambda' });
  h.call.CreateDeploymentGroup({
    applicationName: 'app',
    deploymentGroupName: 'dg',
    serviceRoleArn: 'arn:aws:iam::000000000000:role/cd',
    deploymentConfigName: config,
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    ...group,
  });
}

export function deploy(h: Harness, spec = appSpec()): string {
  return h.call.CreateDeployment({ applicationName: 'app', deploymentGroupName: 'dg', revision: { revisionType: 'AppSpecContent', appSpecContent: { content: spec } } }).deploymentId;
}
