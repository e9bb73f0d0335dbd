/**
 * The deployment engine: reads the alarms, asks `decide` (schedule.ts) what is due, applies it,
 * and waits on the cloud clock until the next shift or the next tick. Every change is written to
 * the state dir before the alias is touched, so a crash leaves a record that says at least as much
 * as the alias shows; on the next start, `resume` rolls back what was in flight.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { StateWriteError } from '../../core/store.js';
import { ROLLBACK_CONFIG_NAME } from './configs.js';
import type { AlarmReader, AliasRouter, AliasRouting, HookInvoker } from './dependencies.js';
import { newDeploymentId } from './ids.js';
import {
  type AutoRollbackEvent,
  type DeploymentRecord,
  type LifecycleEventName,
  type LifecycleEventRecord,
  isActive,
  LIFECYCLE_EVENTS,
} from './model.js';
import { decide, HOOK_LIMIT_MS, type Decision } from './schedule.js';
import { HOOK_PREFIX, roleAllowsHook, rolePermissionsMessage } from './service-role.js';
import type { CodeDeployState } from './state.js';

/**
 * How often an active deployment looks at its alarms, in cloud time. AWS publishes no poll
 * interval; reactions of ≤16 s were observed (shared/aws §C.7) [inf].
 */
export const DEFAULT_TICK_MS = 1000;

/**
 * What CodeDeploy's monitor counts as an alarm that went off: one in ALARM when it looks, or one
 * that went into ALARM since its last look (the alarm's history) and may be back to OK already.
 * SetAlarmState holds only "until the next periodic alarm check", and the change is "typically
 * only visible in the alarm's History tab ... or through DescribeAlarmHistory"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html).
 * CodeDeploy documents that it stops a deployment "if any of the alarms ... is activated" during
 * it (https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html) and
 * publishes no poll interval: [inf] reading the history makes a forced ALARM stop the deployment
 * however soon the alarm's next evaluation put it back, as a learner who forced it expects; looking
 * at the state alone, a look a cloud second apart lost the race to an evaluation 42 real ms later.
 */
function activatedFrom(names: readonly string[], states: ReadonlyMap<string, string | undefined>, entered: readonly string[]): string[] {
  return names.filter((n) => states.get(n) === 'ALARM' || entered.includes(n));
}

/** [obs] AWS's text on the failed deployment and on its rollback (LAB-SAM, LAB-ECS) */
const rollbackMessages = (failed: string, rollback: string) => ({
  failed: `Deployment ${failed} terminated. Automatic rollback is triggered with a DeploymentId ${rollback}.`,
  rollback: `Deployment ${rollback} is triggered to roll back deployment ${failed}.`,
});

/** [obs] SAM#291: the alias was moved after the AppSpec was written */
const ALIAS_MISMATCH =
  'The deployment failed because the AppSpec file that specifies the AWS Lambda deployment configuration is missing or has an invalid configuration. The Lambda function alias version does not match the current version in AppSpec file.';

/**
 * [obs] the AppSpec's function, or its alias, does not exist (see checkAlias): AWS says so in one
 * sentence for both, naming the function
 */
const FUNCTION_OR_ALIAS_MISSING = (fn: string) =>
  `The deployment failed because either the target Lambda function ${fn} does not exist or the specified function version or alias cannot be found`;

/**
 * A split alias (left by a stop without rollback) makes the next deployment fail (CD-UG
 * troubleshooting-deployments-lambda); AWS's exact text is not published [inf].
 */
const ALIAS_SPLIT = (fn: string, alias: string) =>
  `The deployment failed because the AppSpec file that specifies the AWS Lambda deployment configuration is missing or has an invalid configuration. The alias ${fn}:${alias} shifts traffic between two versions; set its weighted alias to none and deploy again.`;

/** The emulator's own case: no AWS equivalent [inf]. */
export const INTERRUPTED_MESSAGE =
  'The local cloud stopped while this deployment was in progress. It was rolled back when the cloud started again, so the alias and the deployment agree.';

export interface EngineDeps {
  state: CodeDeployState;
  clock: Clock;
  aliases: AliasRouter;
  hooks: HookInvoker;
  alarms: AlarmReader;
  tickMs?: number;
  log: (line: string) => void;
}

export class DeploymentEngine {
  private readonly timers = new Map<string, { cancel(): void }>();
  /** deployments whose loop is running, and whether it must run once more */
  private readonly busy = new Map<string, boolean>();
  private readonly tickMs: number;
  private closed = false;
  /** per deployment, the cloud time of its last look at its alarms (their history is read from there) */
  private readonly lastAlarmLook = new Map<string, number>();

  constructor(private readonly deps: EngineDeps) {
    this.tickMs = deps.tickMs ?? DEFAULT_TICK_MS;
  }

  /** run the deployment's loop now (after a create, a hook report, a timer) */
  kick(deploymentId: string): void {
    if (this.closed) return;
    if (this.busy.has(deploymentId)) {
      this.busy.set(deploymentId, true);
      return;
    }
    this.busy.set(deploymentId, false);
    void this.run(deploymentId)
      .catch((err) => {
        // e.g. the state dir became read-only: nothing was changed; try again at the next tick
        this.deps.log(`codedeploy: ${deploymentId}: ${(err as Error)?.message ?? String(err)}`);
        if (!this.closed) this.timers.set(deploymentId, this.deps.clock.setTimeout(() => this.kick(deploymentId), this.tickMs));
      })
      .finally(() => {
        const again = this.busy.get(deploymentId);
        this.busy.delete(deploymentId);
        if (again) this.kick(deploymentId);
      });
  }

  /** resolves when no loop is running (tests) */
  async settled(): Promise<void> {
    while (this.busy.size > 0) await new Promise((r) => setImmediate(r));
  }

  /**
   * After a restart: a deployment in flight when the cloud died is failed and rolled back, so the
   * alias and the record agree; a rollback in flight simply runs again (it only puts the alias back).
   */
  resume(): void {
    for (const d of [...this.deps.state.deployments.values()]) {
      if (!isActive(d)) continue;
      if (d.creator === 'codeDeployRollback') this.kick(d.deploymentId);
      else this.terminate(d, 'Failed', { code: 'INTERNAL_ERROR', message: INTERRUPTED_MESSAGE }, 'forced');
    }
  }

  /** StopDeployment: Stopped with MANUAL_STOP, rolled back as asked or as the group says */
  stopByRequest(d: DeploymentRecord, autoRollbackEnabled: boolean | undefined): void {
    // AWS's text for a manual stop is not published [inf]
    this.terminate(
      d,
      'Stopped',
      { code: 'MANUAL_STOP', message: 'The deployment was stopped by a StopDeployment request.' },
      autoRollbackEnabled === undefined ? 'DEPLOYMENT_STOP_ON_REQUEST' : autoRollbackEnabled ? 'forced' : 'never',
    );
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private async run(id: string): Promise<void> {
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
    for (let steps = 0; steps < 100 && !this.closed; steps++) {
      const d = this.deps.state.deployments.get(id);
      if (!d || !isActive(d)) {
        this.lastAlarmLook.delete(id);
        return;
      }
      let decision: Decision;
      const alarms = await this.activatedAlarms(d);
      if (!isActive(d)) return; // stopped while the alarms were read
      if ('pollError' in alarms) {
        decision = {
          kind: 'stop',
          code: 'ALARM_ACTIVE',
          message: `The deployment was stopped because the states of its alarms could not be read: ${alarms.pollError} [local cloud]`,
        };
      } else {
        decision = decide(d, this.deps.clock.now(), alarms.activated);
      }
      if (decision.kind === 'done') return;
      if (decision.kind === 'wait') {
        const now = this.deps.clock.now();
        const next = Math.min(decision.until ?? Infinity, now + this.tickMs);
        this.timers.set(id, this.deps.clock.setTimeout(() => this.kick(id), Math.max(0, next - now)));
        return;
      }
      try {
        await this.apply(d, decision);
      } catch (err) {
        if (err instanceof StateWriteError) throw err; // nothing was stored: retried at the next tick
        this.deps.log(`codedeploy: ${id}: ${(err as Error)?.message ?? String(err)}`);
        // the alias could not be moved (function or alias deleted mid-way …) [inf]
        const current = this.deps.state.deployments.get(id);
        if (current && isActive(current)) {
          this.terminate(current, 'Failed', { code: 'INVALID_LAMBDA_FUNCTION', message: `The deployment failed because the Lambda alias could not be updated: ${(err as Error)?.message}` }, 'DEPLOYMENT_FAILURE');
        }
        return;
      }
    }
    if (!this.closed) this.timers.set(id, this.deps.clock.setTimeout(() => this.kick(id), 0));
  }

  private async activatedAlarms(d: DeploymentRecord): Promise<{ activated: string[] } | { pollError: string }> {
    const config = d.alarmConfiguration;
    if (d.creator === 'codeDeployRollback' || d.status !== 'InProgress' || !config.enabled || config.alarms.length === 0) {
      return { activated: [] };
    }
    const names = config.alarms.map((a) => a.name);
    // from the deployment's start on the first look: an ALARM before it began shows in the state
    const since = this.lastAlarmLook.get(d.deploymentId) ?? d.startTime ?? d.createTime;
    const now = this.deps.clock.now();
    try {
      const states = await this.deps.alarms.alarmStates(names);
      const entered = (await this.deps.alarms.enteredAlarmSince?.(names, since)) ?? [];
      this.lastAlarmLook.set(d.deploymentId, now);
      return { activated: activatedFrom(names, states, entered) };
    } catch (err) {
      // "The deployment stops if alarm status information can't be retrieved" unless ignorePollAlarmFailure (CD-UG)
      if (config.ignorePollAlarmFailure) return { activated: [] };
      return { pollError: (err as Error)?.message ?? String(err) };
    }
  }

  private async apply(d: DeploymentRecord, decision: Exclude<Decision, { kind: 'wait' } | { kind: 'done' }>): Promise<void> {
    const now = this.deps.clock.now();
    const { aliases, hooks } = this.deps;
    const t = d.target;
    switch (decision.kind) {
      case 'start': {
        d.status = 'InProgress';
        d.startTime = now;
        this.touch(d);
        const group = this.deps.state.groupsOf(d.applicationName).get(d.deploymentGroupName);
        if (group) group.lastAttemptedDeployment = { deploymentId: d.deploymentId, status: 'InProgress', createTime: d.createTime };
        this.deps.state.save();
        if (d.creator === 'codeDeployRollback') return; // it puts the alias back, whatever the alias shows
        const problem = await this.checkAlias(d);
        // nothing was deployed, so there is nothing to roll back [inf]; a rollback here would also
        // quietly repair a split alias, which AWS leaves to the user (troubleshooting-deployments-lambda)
        if (problem) this.terminate(d, 'Failed', problem, 'never');
        return;
      }
      case 'stop':
        this.terminate(d, 'Stopped', { code: decision.code, message: decision.message }, 'DEPLOYMENT_STOP_ON_ALARM');
        return;
      case 'fail':
        this.terminate(d, 'Failed', { code: decision.code, message: decision.message }, 'DEPLOYMENT_FAILURE', decision.diagnostic);
        return;
      case 'begin-hook': {
        const event = this.event(d, decision.event);
        event.status = 'InProgress';
        event.startTime = now;
        // a rollback reports its hooks Succeeded without invoking them [obs LAB-SAM E4.4]
        if (!event.hook || d.creator === 'codeDeployRollback') {
          event.status = 'Succeeded';
          event.endTime = now;
          this.save(d);
          return;
        }
        if (!roleAllowsHook(d.serviceRoleArn, event.hook)) {
          // SAM's role may invoke only CodeDeployHook_* functions: the deployment fails at this hook [obs SAM#219]
          this.terminate(d, 'Failed', { code: 'IAM_ROLE_PERMISSIONS', message: rolePermissionsMessage(d.serviceRoleArn!) }, 'DEPLOYMENT_FAILURE', `The service role may invoke only functions named ${HOOK_PREFIX}*, not ${event.hook}.`);
          return;
        }
        event.hookExecutionId = newHookExecutionId();
        event.hookDeadline = now + HOOK_LIMIT_MS;
        this.save(d);
        try {
          await hooks.invokeEvent(event.hook, { DeploymentId: d.deploymentId, LifecycleEventHookExecutionId: event.hookExecutionId });
        } catch (err) {
          // the hook could not be invoked at all (no such function …): its event fails [inf]
          if (isActive(d)) {
            this.terminate(d, 'Failed', { code: 'HOOK_EXECUTION_FAILURE', message: 'The deployment failed because one or more of the lifecycle event validation functions failed.' }, 'DEPLOYMENT_FAILURE', `The Lambda validation function ${event.hook} could not be invoked: ${(err as Error)?.message}`);
          }
        }
        return;
      }
      case 'complete-event': {
        const event = this.event(d, decision.event);
        event.status = 'Succeeded';
        event.endTime = now;
        this.save(d);
        return;
      }
      case 'begin-traffic': {
        const event = this.event(d, 'AllowTraffic');
        event.status = 'InProgress';
        event.startTime = now;
        d.trafficShiftStart = now;
        this.save(d);
        return;
      }
      case 'shift':
        d.targetVersionWeight = decision.weight;
        this.save(d);
        await aliases.updateAliasRouting(t.functionName, t.alias, {
          functionVersion: t.currentVersion,
          additionalVersionWeights: { [t.targetVersion]: decision.weight },
        });
        return;
      case 'flip': {
        d.targetVersionWeight = 1;
        const event = this.event(d, 'AllowTraffic');
        event.status = 'Succeeded';
        event.endTime = now;
        this.save(d);
        await aliases.updateAliasRouting(t.functionName, t.alias, { functionVersion: t.targetVersion, additionalVersionWeights: {} });
        return;
      }
      case 'succeed': {
        d.status = 'Succeeded';
        d.completeTime = now;
        this.touch(d);
        const group = this.deps.state.groupsOf(d.applicationName).get(d.deploymentGroupName);
        if (group) {
          const summary = { deploymentId: d.deploymentId, status: d.status, endTime: now, createTime: d.createTime };
          group.lastAttemptedDeployment = summary;
          group.lastSuccessfulDeployment = summary;
        }
        this.deps.state.save();
        return;
      }
    }
  }

  /**
   * The function and its alias must exist, then the target version, and the alias must route
   * wholly to the AppSpec's CurrentVersion. The function and alias come first: a deployment whose
   * AppSpec names a function that does not exist fails saying so, not that a version of it is missing.
   */
  private async checkAlias(d: DeploymentRecord): Promise<{ code: string; message: string } | undefined> {
    const t = d.target;
    let routing: AliasRouting;
    try {
      routing = await this.deps.aliases.getAliasRouting(t.functionName, t.alias);
    } catch {
      // [obs] AWS's text for an AppSpec whose function or alias cannot be found (a deployment of a
      // function 'foo' with no such alias, recorded at https://zenn.dev/shunsuke_suzuki/scraps/64bf029c5eeb7b);
      // its code: INVALID_LAMBDA_FUNCTION (ErrorInformation's codes,
      // https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ErrorInformation.html)
      return { code: 'INVALID_LAMBDA_FUNCTION', message: FUNCTION_OR_ALIAS_MISSING(t.functionName) };
    }
    try {
      if (!(await this.deps.aliases.versionExists(t.functionName, t.targetVersion))) {
        return { code: 'INVALID_LAMBDA_FUNCTION', message: `The deployment failed because version ${t.targetVersion} of the Lambda function ${t.functionName} does not exist.` };
      }
    } catch {
      return { code: 'INVALID_LAMBDA_FUNCTION', message: FUNCTION_OR_ALIAS_MISSING(t.functionName) };
    }
    if (Object.keys(routing.additionalVersionWeights).length > 0) return { code: 'INVALID_LAMBDA_CONFIGURATION', message: ALIAS_SPLIT(t.functionName, t.alias) };
    if (routing.functionVersion !== t.currentVersion) return { code: 'INVALID_LAMBDA_CONFIGURATION', message: ALIAS_MISMATCH };
    return undefined;
  }

  /**
   * Ends a deployment: the event under way Failed, the ones not reached Skipped ([obs] LAB-SAM:
   * Succeeded / Failed / Skipped after an alarm stop), then a rollback deployment when `rollback`
   * says so: an auto-rollback event the group enabled, `forced`, or `never`.
   */
  private terminate(
    d: DeploymentRecord,
    status: 'Failed' | 'Stopped',
    error: { code: string; message: string },
    rollback: AutoRollbackEvent | 'forced' | 'never',
    diagnostic?: string,
  ): void {
    const now = this.deps.clock.now();
    this.lastAlarmLook.delete(d.deploymentId);
    let failedOne = false;
    for (const event of d.lifecycleEvents) {
      if (event.status === 'Succeeded' || event.status === 'Skipped') continue;
      if (!failedOne) {
        failedOne = true;
        event.status = 'Failed';
        event.startTime ??= now;
        event.endTime = now;
        if (diagnostic) event.diagnostic = diagnostic;
      } else {
        event.status = 'Skipped';
      }
    }
    d.status = status;
    d.completeTime = now;
    d.errorInformation = error;
    this.touch(d);
    const group = this.deps.state.groupsOf(d.applicationName).get(d.deploymentGroupName);
    if (group) group.lastAttemptedDeployment = { deploymentId: d.deploymentId, status, endTime: now, createTime: d.createTime };
    const wanted =
      rollback === 'forced' ||
      (rollback !== 'never' && d.creator !== 'codeDeployRollback' && d.autoRollbackConfiguration.enabled && d.autoRollbackConfiguration.events.includes(rollback));
    let rollbackId: string | undefined;
    if (wanted && d.creator !== 'codeDeployRollback') {
      const rb = this.rollbackOf(d, now);
      rollbackId = rb.deploymentId;
      this.deps.state.deployments.set(rb.deploymentId, rb);
    }
    this.deps.state.save();
    this.timers.get(d.deploymentId)?.cancel();
    this.timers.delete(d.deploymentId);
    if (rollbackId) this.kick(rollbackId);
  }

  /** "rolled-back deployments are technically new deployments, with new deployment IDs" (CD-UG) */
  private rollbackOf(d: DeploymentRecord, now: number): DeploymentRecord {
    const id = newDeploymentId(this.deps.state.deployments);
    const texts = rollbackMessages(d.deploymentId, id);
    d.rollbackInfo = { rollbackDeploymentId: id, rollbackMessage: texts.failed };
    return {
      deploymentId: id,
      applicationName: d.applicationName,
      deploymentGroupName: d.deploymentGroupName,
      deploymentConfigName: ROLLBACK_CONFIG_NAME,
      trafficRouting: { type: 'AllAtOnce' },
      status: 'Created',
      creator: 'codeDeployRollback',
      revision: d.revision,
      // it moves the alias from the failed deployment's target back to its current version
      target: { ...d.target, currentVersion: d.target.targetVersion, targetVersion: d.target.currentVersion },
      targetVersionWeight: 0,
      lifecycleEvents: newLifecycleEvents(d.target.hooks),
      createTime: now,
      lastUpdatedAt: now,
      rollbackInfo: { rollbackTriggeringDeploymentId: d.deploymentId, rollbackMessage: texts.rollback },
      autoRollbackConfiguration: d.autoRollbackConfiguration,
      alarmConfiguration: d.alarmConfiguration,
      deploymentStyle: d.deploymentStyle,
      serviceRoleArn: d.serviceRoleArn,
    };
  }

  private event(d: DeploymentRecord, name: LifecycleEventName): LifecycleEventRecord {
    const event = d.lifecycleEvents.find((e) => e.lifecycleEventName === name);
    if (!event) throw new Error(`deployment ${d.deploymentId} has no ${name} event`);
    return event;
  }

  private touch(d: DeploymentRecord): void {
    d.lastUpdatedAt = this.deps.clock.now();
  }

  private save(d: DeploymentRecord): void {
    this.touch(d);
    this.deps.state.save();
  }
}

/** All three events listed from the start, Pending until reached (shared/aws §C.1 [inf for Pending]). */
export function newLifecycleEvents(hooks: DeploymentRecord['target']['hooks']): LifecycleEventRecord[] {
  return LIFECYCLE_EVENTS.map((name) => {
    const hook = name === 'AllowTraffic' ? undefined : hooks[name];
    return { lifecycleEventName: name, status: 'Pending' as const, ...(hook ? { hook } : {}) };
  });
}

/** opaque, like AWS's base64 of `{"encryptedData":"…"}` [obs LAB-SAM] */
function newHookExecutionId(): string {
  const inner = JSON.stringify({ encryptedData: randomBytes(36).toString('base64'), ivParameterSpec: randomBytes(12).toString('base64'), version: '2' });
  return Buffer.from(inner).toString('base64');
}
