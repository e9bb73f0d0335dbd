/**
 * The must-show behaviour with the real SDK clients: Lambda's metrics from real invocations,
 * SAM's alias alarm going INSUFFICIENT_DATA → ALARM → OK with AWS's texts and history, the
 * ExecutedVersion series of a weighted alias, exact sums (throttles only in Throttles).
 * A manual clock decides when evaluations happen; the --speed 60 test polls with a bound.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DescribeAlarmHistoryCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateAliasCommand,
  InvokeCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { ManualClock } from '../../../src/emulator/core/clock.js';
import { createFn, zip } from '../lambda/harness.js';
import { ALWAYS_THROWS, ANSWERS, FAILS_ON_ASK, alarmOf, samAliasAlarm, startCloudWatch, until, type CloudWatchFixture } from './fixture.js';

const MINUTE = 60_000;
const payload = (v: unknown) => Buffer.from(JSON.stringify(v));

async function aliasedFunction(f: CloudWatchFixture, name: string, source: string) {
  await createFn(f.lambda, name, source);
  await f.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await f.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
}

describe('CloudWatch × Lambda on a manual clock', () => {
  let f: CloudWatchFixture;
  let clock: ManualClock;
  before(async () => {
    // start 20 s into a minute: the scheduler evaluates at 10 s past each minute
    clock = new ManualClock(Date.UTC(2026, 7, 9, 1, 30, 20));
    f = await startCloudWatch({ clock });
  });
  after(() => f.close());

  test('SAM\'s alias alarm: INSUFFICIENT_DATA, then ALARM at the second evaluation after the errors, then OK; history shows each', async () => {
    await aliasedFunction(f, 'thrower', FAILS_ON_ASK);
    await f.cw.send(new PutMetricAlarmCommand(samAliasAlarm('thrower-alias-errors', 'thrower')));
    let alarm = await alarmOf(f.cw, 'thrower-alias-errors');
    assert.equal(alarm.StateValue, 'INSUFFICIENT_DATA');
    assert.equal(alarm.StateReason, 'Unchecked: Initial alarm creation');

    for (let i = 0; i < 3; i++) {
      const out = await f.lambda.send(new InvokeCommand({ FunctionName: 'thrower', Qualifier: 'live', Payload: payload({ fail: true }) }));
      assert.equal(out.FunctionError, 'Unhandled');
    }
    clock.advance(MINUTE); // evaluation at 01:31:10: one breaching minute of two: not yet
    alarm = await alarmOf(f.cw, 'thrower-alias-errors');
    assert.equal(alarm.StateValue, 'INSUFFICIENT_DATA');

    clock.advance(MINUTE); // 01:32:10: the 01:30 datapoint is now two periods old
    alarm = await alarmOf(f.cw, 'thrower-alias-errors');
    assert.equal(alarm.StateValue, 'ALARM');
    assert.equal(alarm.StateReason, 'Threshold Crossed: 1 datapoint [3.0 (09/08/26 01:30:00)] was greater than the threshold (0.0).');
    const data = JSON.parse(alarm.StateReasonData!);
    assert.deepEqual(data.evaluatedDatapoints, [{ timestamp: '2026-08-09T01:30:00.000+0000', sampleCount: 3, value: 3 }]);

    // the function stops failing: one good minute brings it back
    for (let i = 0; i < 2; i++) await f.lambda.send(new InvokeCommand({ FunctionName: 'thrower', Qualifier: 'live', Payload: payload({}) }));
    clock.advance(MINUTE); // 01:33:10: the 01:32 minute has Errors 0
    alarm = await alarmOf(f.cw, 'thrower-alias-errors');
    assert.equal(alarm.StateValue, 'OK');
    assert.equal(alarm.StateReason, 'Threshold Crossed: 1 datapoint [0.0 (09/08/26 01:32:00)] was not greater than the threshold (0.0).');

    const history = await f.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'thrower-alias-errors' }));
    assert.deepEqual(
      history.AlarmHistoryItems!.map((h) => [h.HistoryItemType, h.HistorySummary]),
      [
        ['StateUpdate', 'Alarm updated from ALARM to OK'],
        ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
        ['ConfigurationUpdate', 'Alarm "thrower-alias-errors" created'],
      ],
    );
    const toAlarm = JSON.parse(history.AlarmHistoryItems![1].HistoryData!);
    assert.deepEqual(toAlarm.oldState, { stateValue: 'INSUFFICIENT_DATA', stateReason: 'Unchecked: Initial alarm creation' });
    assert.equal(toAlarm.newState.stateValue, 'ALARM');
    assert.equal(toAlarm.newState.stateReasonData.period, 60);
  });

  test('a 90/10 weighted alias where only version 2 fails: the ExecutedVersion=2 alarm fires, ExecutedVersion=1 does not', async () => {
    await aliasedFunction(f, 'weighted', ANSWERS);
    await f.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'weighted', ZipFile: zip({ 'index.js': ALWAYS_THROWS }) }));
    await f.lambda.send(new PublishVersionCommand({ FunctionName: 'weighted' }));
    const { UpdateAliasCommand } = await import('@aws-sdk/client-lambda');
    await f.lambda.send(new UpdateAliasCommand({ FunctionName: 'weighted', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } }));
    for (const v of ['1', '2']) {
      await f.cw.send(new PutMetricAlarmCommand(samAliasAlarm(`weighted-v${v}`, 'weighted', [{ Name: 'ExecutedVersion', Value: v }])));
    }
    // 150 calls: the chance that none goes to version 2 is 0.9^150, about 1e-7
    const versions = new Map<string, number>();
    for (let round = 0; round < 15; round++) {
      const outs = await Promise.all(
        Array.from({ length: 10 }, () => f.lambda.send(new InvokeCommand({ FunctionName: 'weighted', Qualifier: 'live', Payload: payload({}) }))),
      );
      for (const o of outs) versions.set(o.ExecutedVersion!, (versions.get(o.ExecutedVersion!) ?? 0) + 1);
    }
    assert.ok((versions.get('2') ?? 0) > 0 && (versions.get('1') ?? 0) > 0, JSON.stringify([...versions]));
    clock.advance(2 * MINUTE);
    assert.equal((await alarmOf(f.cw, 'weighted-v2')).StateValue, 'ALARM');
    assert.equal((await alarmOf(f.cw, 'weighted-v1')).StateValue, 'OK');

    const listed = await f.cw.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'weighted' }] }));
    const sets = listed.Metrics!.map((m) => m.Dimensions!.map((d) => `${d.Name}=${d.Value}`).join(',')).sort();
    assert.deepEqual(sets, [
      'ExecutedVersion=1,FunctionName=weighted,Resource=weighted:live',
      'ExecutedVersion=2,FunctionName=weighted,Resource=weighted:live',
      'FunctionName=weighted',
      'FunctionName=weighted,Resource=weighted:live',
    ]);
  });

  test('GetMetricStatistics after a known mix: exact sums, throttled calls only in Throttles', async () => {
    await createFn(f.lambda, 'mix', FAILS_ON_ASK);
    for (let i = 0; i < 5; i++) await f.lambda.send(new InvokeCommand({ FunctionName: 'mix', Payload: payload({}) }));
    for (let i = 0; i < 3; i++) await f.lambda.send(new InvokeCommand({ FunctionName: 'mix', Payload: payload({ fail: true }) }));
    await f.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'mix', ReservedConcurrentExecutions: 0 }));
    for (let i = 0; i < 4; i++) {
      await assert.rejects(f.lambda.send(new InvokeCommand({ FunctionName: 'mix', Payload: payload({}) })), { name: 'TooManyRequestsException' });
    }
    const now = clock.now();
    const sum = async (metric: string) => {
      const out = await f.cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: 'mix' }],
          StartTime: new Date(now - 10 * MINUTE),
          EndTime: new Date(now + MINUTE),
          Period: 60,
          Statistics: ['Sum', 'SampleCount'],
        }),
      );
      return out.Datapoints!.reduce((s, d) => s + d.Sum!, 0);
    };
    assert.deepEqual(
      { Invocations: await sum('Invocations'), Errors: await sum('Errors'), Throttles: await sum('Throttles') },
      { Invocations: 8, Errors: 3, Throttles: 4 },
    );
    const duration = await f.cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/Lambda',
        MetricName: 'Duration',
        Dimensions: [{ Name: 'FunctionName', Value: 'mix' }],
        StartTime: new Date(now - 10 * MINUTE),
        EndTime: new Date(now + MINUTE),
        Period: 600,
        Statistics: ['SampleCount', 'Maximum'],
        ExtendedStatistics: undefined,
      }),
    );
    assert.equal(duration.Datapoints![0].SampleCount, 8);
    assert.equal(duration.Datapoints![0].Unit, 'Milliseconds');
    const account = await f.cw.send(
      new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName: 'ConcurrentExecutions', StartTime: new Date(now - 10 * MINUTE), EndTime: new Date(now + MINUTE), Period: 600, Statistics: ['Maximum'] }),
    );
    assert.ok(account.Datapoints![0].Maximum! >= 1, 'the account-wide series (no dimension) exists');
  });
});

describe('CloudWatch at --speed 60', () => {
  let f: CloudWatchFixture;
  before(async () => {
    f = await startCloudWatch({ speed: 60 });
  });
  after(() => f.close());

  test('a throwing function behind its alias raises SAM\'s alarm by itself, and a healthy one brings it back to OK', async () => {
    await aliasedFunction(f, 'fast', FAILS_ON_ASK);
    await f.cw.send(new PutMetricAlarmCommand(samAliasAlarm('fast-errors', 'fast')));
    const call = (fail: boolean) => f.lambda.send(new InvokeCommand({ FunctionName: 'fast', Qualifier: 'live', Payload: payload({ fail }) }));
    // keep failing until the alarm fires (a cloud minute is a real second)
    const fired = await until(
      'ALARM',
      async () => {
        await call(true);
        return alarmOf(f.cw, 'fast-errors');
      },
      (a) => a.StateValue === 'ALARM',
    );
    assert.match(fired.StateReason!, /^Threshold Crossed: [12] datapoints? \[.+\] (was|were) greater than the threshold \(0\.0\)\.$/);
    await until(
      'OK',
      async () => {
        await call(false);
        return alarmOf(f.cw, 'fast-errors');
      },
      (a) => a.StateValue === 'OK',
    );
    const history = await f.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'fast-errors', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
    assert.deepEqual(
      history.AlarmHistoryItems!.map((h) => h.HistorySummary),
      ['Alarm updated from INSUFFICIENT_DATA to ALARM', 'Alarm updated from ALARM to OK'],
    );
  });
});
