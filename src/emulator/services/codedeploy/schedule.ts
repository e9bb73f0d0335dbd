/**
 * What a deployment does next: pure functions of (deployment, now, alarms), no timers, no I/O.
 * The engine (engine.ts) reads the alarms, calls `decide`, applies the decision, and repeats
 * until the answer is to wait; tests run these with plain numbers.
 *
 * Lifecycle (CD-UG reference-appspec-file-structure-hooks): Start → BeforeAllowTraffic →
 * AllowTraffic → AfterAllowTraffic → End; AfterAllowTraffic runs only once all traffic is shifted.
 */
import type { DeploymentRecord, LifecycleEventName, TrafficRoutingConfig } from './model.js';

const MINUTE = 60_000;

/** "The deployment is considered to have failed if CodeDeploy is not notified by the Lambda validation function within one hour" (CD-UG) */
export const HOOK_LIMIT_MS = 3600_000;

/**
 * The target version's share of the alias at `now`, for traffic shifting that began at `start`,
 * and when it next changes (undefined once everything is shifted). Percentages are whole numbers,
 * so the weights are exact decimals (0.3, not 0.30000000000000004).
 *
 * [inf] timing (shared/aws §C.6): the first increment is applied as soon as AllowTraffic begins
 * (LAB-SAM saw 10 % at once, 100 % five minutes later for Canary10Percent5Minutes); linear configs
 * add their percentage every interval after that, so Linear10PercentEvery1Minute shows
 * 0.1 … 0.9 at minutes 0 … 8 and flips at minute 9.
 */
export function targetWeightAt(routing: TrafficRoutingConfig, start: number, now: number): { weight: number; nextChangeAt?: number } {
  const elapsed = Math.max(0, now - start);
  switch (routing.type) {
    case 'AllAtOnce':
      return { weight: 1 };
    case 'TimeBasedCanary': {
      const { canaryPercentage, canaryInterval } = routing.timeBasedCanary;
      const flipAt = start + canaryInterval * MINUTE;
      return now >= flipAt ? { weight: 1 } : { weight: canaryPercentage / 100, nextChangeAt: flipAt };
    }
    case 'TimeBasedLinear': {
      const { linearPercentage, linearInterval } = routing.timeBasedLinear;
      const step = Math.floor(elapsed / (linearInterval * MINUTE));
      const percent = Math.min(100, (step + 1) * linearPercentage);
      if (percent >= 100) return { weight: 1 };
      return { weight: percent / 100, nextChangeAt: start + (step + 1) * linearInterval * MINUTE };
    }
  }
}

/** [obs] LAB-SAM, LAB-ECS, LAB-ES: each activated alarm's name in <>, space-separated */
export function alarmActiveMessage(activated: readonly string[]): string {
  return (
    'One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected ' +
    `deployments have been stopped. Activated alarms: ${activated.map((a) => `<${a}>`).join(' ')}`
  );
}

/** [obs] LAB-NDN */
export const HOOK_FAILURE_MESSAGE = 'The deployment failed because one or more of the lifecycle event validation functions failed.';

export type Decision =
  /** Created → InProgress: the engine checks the alias against the AppSpec first */
  | { kind: 'start' }
  | { kind: 'stop'; code: 'ALARM_ACTIVE'; message: string }
  | { kind: 'fail'; code: string; message: string; event: LifecycleEventName; diagnostic?: string }
  /** invoke the event's hook (or, with none, or in a rollback, complete the event at once) */
  | { kind: 'begin-hook'; event: LifecycleEventName }
  | { kind: 'complete-event'; event: LifecycleEventName }
  | { kind: 'begin-traffic' }
  /** set the target version's weight (0 < weight < 1) */
  | { kind: 'shift'; weight: number }
  /** the alias wholly on the target version, no weights; AllowTraffic done */
  | { kind: 'flip' }
  | { kind: 'succeed' }
  /** nothing to do before `until` (undefined: until something outside the clock happens, e.g. a hook report) */
  | { kind: 'wait'; until?: number }
  | { kind: 'done' };

/**
 * The next step of deployment `d` at `now`. `activatedAlarms` lists the group's alarms now in
 * ALARM, when the engine checked them (it does not for rollback deployments, which must run
 * while the alarm that caused them still fires, as LAB-ES shows).
 */
export function decide(d: DeploymentRecord, now: number, activatedAlarms: readonly string[] = []): Decision {
  if (d.status === 'Succeeded' || d.status === 'Failed' || d.status === 'Stopped') return { kind: 'done' };
  if (d.status === 'Created') return { kind: 'start' };
  // "If any of the specified alarms are activated, the deployment stops" (CD-UG monitoring-create-alarms),
  // also when the alarm already fired before the first shift (SAM deployment_preference.py, LAB-ES)
  if (activatedAlarms.length > 0) return { kind: 'stop', code: 'ALARM_ACTIVE', message: alarmActiveMessage(activatedAlarms) };

  const event = d.lifecycleEvents.find((e) => e.status !== 'Succeeded' && e.status !== 'Skipped');
  if (!event) return { kind: 'succeed' };
  const name = event.lifecycleEventName;

  if (name === 'AllowTraffic') {
    if (event.status === 'Pending' || d.trafficShiftStart === undefined) return { kind: 'begin-traffic' };
    const due = targetWeightAt(d.trafficRouting, d.trafficShiftStart, now);
    if (due.weight >= 1) return { kind: 'flip' };
    if (due.weight !== d.targetVersionWeight) return { kind: 'shift', weight: due.weight };
    return { kind: 'wait', until: due.nextChangeAt };
  }

  if (event.status === 'Pending') return { kind: 'begin-hook', event: name };
  if (event.hookStatus === 'Succeeded') return { kind: 'complete-event', event: name };
  if (event.hookStatus === 'Failed') return { kind: 'fail', code: 'HOOK_EXECUTION_FAILURE', message: HOOK_FAILURE_MESSAGE, event: name };
  if (event.hookDeadline !== undefined && now >= event.hookDeadline) {
    // AWS's text for a hook that never reports is not published [inf]: the code and message of a failed hook
    return {
      kind: 'fail',
      code: 'HOOK_EXECUTION_FAILURE',
      message: HOOK_FAILURE_MESSAGE,
      event: name,
      diagnostic: `The Lambda validation function ${event.hook ?? ''} did not report a status within one hour.`,
    };
  }
  return { kind: 'wait', until: event.hookDeadline };
}
