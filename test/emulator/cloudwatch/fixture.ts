/**
 * CloudWatch tests' emulator: every service wired, on a manual clock (alarm evaluations happen
 * exactly when the test advances it) or a fast real one; the SDK clients to drive it.
 */
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ManualClock, type Clock } from '../../../src/emulator/core/clock.js';
import { clientConfig, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

export interface CloudWatchFixture {
  emu: TestEmulator;
  cw: CloudWatchClient;
  lambda: LambdaClient;
  clock?: ManualClock;
  close(): Promise<void>;
}

export async function startCloudWatch(opts: { clock?: Clock; speed?: number; stateDir?: string } = {}): Promise<CloudWatchFixture> {
  const emu = await startTestEmulator({ clock: opts.clock, speed: opts.speed, stateDir: opts.stateDir });
  const cw = new CloudWatchClient(clientConfig(emu.endpoint));
  const lambda = new LambdaClient(clientConfig(emu.endpoint));
  return {
    emu,
    cw,
    lambda,
    clock: opts.clock instanceof ManualClock ? opts.clock : undefined,
    async close() {
      cw.destroy();
      lambda.destroy();
      await emu.close();
    },
  };
}

export async function alarmOf(cw: CloudWatchClient, name: string): Promise<MetricAlarm> {
  const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  const alarm = out.MetricAlarms?.[0];
  if (!alarm) throw new Error(`no alarm ${name}`);
  return alarm;
}

/** poll until `check` holds (bounded: a condition, never a duration, decides the test) */
export async function until<T>(what: string, probe: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (check(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SAM's documented alias alarm (safe_lambda_deployments.rst): Sum of Errors > 0 over 2 periods of 60 s */
export function samAliasAlarm(name: string, fn: string, extra: { Name: string; Value: string }[] = []) {
  return {
    AlarmName: name,
    ComparisonOperator: 'GreaterThanThreshold' as const,
    EvaluationPeriods: 2,
    MetricName: 'Errors',
    Namespace: 'AWS/Lambda',
    Period: 60,
    Statistic: 'Sum' as const,
    Threshold: 0,
    Dimensions: [{ Name: 'Resource', Value: `${fn}:live` }, { Name: 'FunctionName', Value: fn }, ...extra],
  };
}

/** a handler that throws when the event asks, and answers its version otherwise */
export const FAILS_ON_ASK =
  'exports.handler = async (event, context) => { if (event && event.fail) throw new Error("asked to fail"); return context.functionVersion; };';
export const ALWAYS_THROWS = 'exports.handler = async () => { throw new Error("version 2 is broken"); };';
export const ANSWERS = 'exports.handler = async (event, context) => context.functionVersion;';
