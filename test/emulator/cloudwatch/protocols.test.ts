/**
 * One CloudWatch spoken three ways, each detected per request and each with a real client:
 * JSON 1.0 (today's SDK and the aws CLI), RPC v2 CBOR (the SDK when asked), Query (SDK ≤ 3.948).
 * The same scenario runs in each and the client's parsed answers are compared; errors carry the
 * query code (ResourceNotFound) everywhere. The aws CLI drives set-alarm-state: ALARM now, the
 * computed state at the next evaluation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as current from '@aws-sdk/client-cloudwatch';
import * as legacy from 'cloudwatch-query-sdk';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { ManualClock } from '../../../src/emulator/core/clock.js';
import { awsCli, stopAwsCli } from '../../helpers/aws-cli.js';
import { clientConfig, scopeOnlyAuthorization } from '../../helpers/emulator.js';
import { diagnose, encode } from 'cbor2';
import { alarmOf, startCloudWatch, type CloudWatchFixture } from './fixture.js';

// the aws CLI driver this file's calls started (see test/helpers/aws-cli.ts), ended by its PID
after(stopAwsCli);

const START = Date.UTC(2026, 7, 9, 1, 30, 20);

type Sdk = typeof current;
interface Variant {
  name: string;
  sdk: Sdk;
  client(endpoint: string): current.CloudWatchClient;
}

const variants: Variant[] = [
  { name: 'JSON 1.0', sdk: current, client: (e) => new current.CloudWatchClient(clientConfig(e)) },
  {
    name: 'RPC v2 CBOR',
    sdk: current,
    client: (e) => new current.CloudWatchClient({ ...clientConfig(e), protocol: AwsSmithyRpcV2CborProtocol } as current.CloudWatchClientConfig),
  },
  {
    name: 'Query (SDK 3.948)',
    sdk: legacy as unknown as Sdk,
    client: (e) => new legacy.CloudWatchClient(clientConfig(e)) as unknown as current.CloudWatchClient,
  },
];

describe('CloudWatch protocols', () => {
  let f: CloudWatchFixture;
  let clock: ManualClock;
  before(async () => {
    clock = new ManualClock(START);
    f = await startCloudWatch({ clock });
  });
  after(() => f.close());

  for (const v of variants) {
    test(`${v.name}: alarms, state, history, metric data and errors, as the client parses them`, async () => {
      const cw = v.client(f.emu.endpoint);
      const { sdk } = v;
      const name = `proto-${v.name.split(' ')[0].toLowerCase()}`;
      try {
        await cw.send(
          new sdk.PutMetricAlarmCommand({
            AlarmName: name,
            AlarmDescription: 'errors of my app',
            Namespace: 'MyApp',
            MetricName: 'Failures',
            Dimensions: [{ Name: 'Service', Value: name }],
            Statistic: 'Sum',
            Period: 60,
            EvaluationPeriods: 1,
            Threshold: 1,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            TreatMissingData: 'notBreaching',
          }),
        );
        const described = await cw.send(new sdk.DescribeAlarmsCommand({ AlarmNames: [name] }));
        const alarm = described.MetricAlarms![0];
        assert.equal(alarm.AlarmName, name);
        assert.equal(alarm.StateValue, 'INSUFFICIENT_DATA');
        assert.equal(alarm.StateReason, 'Unchecked: Initial alarm creation');
        assert.equal(alarm.Threshold, 1);
        assert.equal(alarm.Period, 60);
        assert.ok(alarm.StateUpdatedTimestamp instanceof Date && alarm.StateUpdatedTimestamp.getTime() === START);
        assert.deepEqual(alarm.Dimensions, [{ Name: 'Service', Value: name }]);
        assert.equal(alarm.DatapointsToAlarm, undefined, 'left out when not set, as AWS does');
        assert.deepEqual(described.CompositeAlarms, []);

        await cw.send(
          new sdk.PutMetricDataCommand({
            Namespace: 'MyApp',
            MetricData: [
              { MetricName: 'Failures', Dimensions: [{ Name: 'Service', Value: name }], Value: 2, Unit: 'Count' },
              { MetricName: 'Failures', Dimensions: [{ Name: 'Service', Value: name }], Values: [1, 3], Counts: [2, 1], Unit: 'Count' },
            ],
          }),
        );
        const stats = await cw.send(
          new sdk.GetMetricStatisticsCommand({
            Namespace: 'MyApp',
            MetricName: 'Failures',
            Dimensions: [{ Name: 'Service', Value: name }],
            StartTime: new Date(START - 60_000),
            EndTime: new Date(START + 60_000),
            Period: 60,
            Statistics: ['Sum', 'SampleCount', 'Maximum', 'Average'],
          }),
        );
        assert.equal(stats.Label, 'Failures');
        assert.deepEqual(
          stats.Datapoints!.map((d) => ({ t: d.Timestamp!.getTime(), Sum: d.Sum, SampleCount: d.SampleCount, Maximum: d.Maximum, Average: d.Average, Unit: d.Unit })),
          [{ t: START - (START % 60_000), Sum: 7, SampleCount: 4, Maximum: 3, Average: 1.75, Unit: 'Count' }],
        );
        const data = await cw.send(
          new sdk.GetMetricDataCommand({
            StartTime: new Date(START - 60_000),
            EndTime: new Date(START + 60_000),
            MetricDataQueries: [{ Id: 'f', MetricStat: { Metric: { Namespace: 'MyApp', MetricName: 'Failures', Dimensions: [{ Name: 'Service', Value: name }] }, Period: 60, Stat: 'Sum' } }],
          }),
        );
        assert.deepEqual(data.MetricDataResults!.map((r) => [r.Id, r.Values, r.StatusCode]), [['f', [7], 'Complete']]);

        await cw.send(new sdk.SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'testing the pager' }));
        assert.equal((await cw.send(new sdk.DescribeAlarmsCommand({ StateValue: 'ALARM', AlarmNamePrefix: name }))).MetricAlarms![0].StateReason, 'testing the pager');
        const history = await cw.send(new sdk.DescribeAlarmHistoryCommand({ AlarmName: name }));
        assert.deepEqual(history.AlarmHistoryItems!.map((h) => h.HistorySummary), ['Alarm updated from INSUFFICIENT_DATA to ALARM', `Alarm "${name}" created`]);
        assert.ok(history.AlarmHistoryItems![0].Timestamp instanceof Date);

        const missing = await cw.send(new sdk.SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'r' })).catch((e: unknown) => e);
        assert.equal((missing as Error).name, 'ResourceNotFound');
        assert.equal((missing as Error).message, 'Alarm nope does not exist');
        assert.equal((missing as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 404);

        const invalid = await cw.send(new sdk.SetAlarmStateCommand({ AlarmName: name, StateValue: 'BROKEN' as 'OK', StateReason: 'r' })).catch((e: unknown) => e);
        assert.match((invalid as Error).message, /Value 'BROKEN' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: \[INSUFFICIENT_DATA, ALARM, OK\]/);

        const listed = await cw.send(new sdk.ListMetricsCommand({ Namespace: 'MyApp', Dimensions: [{ Name: 'Service', Value: name }] }));
        assert.deepEqual(listed.Metrics, [{ Namespace: 'MyApp', MetricName: 'Failures', Dimensions: [{ Name: 'Service', Value: name }] }]);

        await cw.send(new sdk.DeleteAlarmsCommand({ AlarmNames: [name] }));
        assert.deepEqual((await cw.send(new sdk.DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms, []);
      } finally {
        cw.destroy();
      }
    });
  }

  test('RPC v2 CBOR: the doubles of the model (Threshold, a datapoint\'s Sum, Average …, GetMetricData\'s Values) go out as floats, whole or not; EvaluationPeriods and Period stay integers', async () => {
    const cw = new current.CloudWatchClient({ ...clientConfig(f.emu.endpoint), protocol: AwsSmithyRpcV2CborProtocol } as current.CloudWatchClientConfig);
    const dims = [{ Name: 'Service', Value: 'cbor-doubles' }];
    try {
      await cw.send(
        new current.PutMetricAlarmCommand({ AlarmName: 'cbor-doubles', Namespace: 'MyApp', MetricName: 'Doubles', Dimensions: dims, Statistic: 'Sum', Period: 60, EvaluationPeriods: 2, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' }),
      );
      await cw.send(new current.PutMetricDataCommand({ Namespace: 'MyApp', MetricData: [{ MetricName: 'Doubles', Dimensions: dims, Values: [1, 3], Counts: [2, 1], Unit: 'Count' }] }));
      // the raw answers, as a client in another language reads them
      const raw = async (operation: string, input: Record<string, unknown>) => {
        const res = await fetch(`${f.emu.endpoint}/service/GraniteServiceVersion20100801/operation/${operation}`, {
          method: 'POST',
          headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor', authorization: scopeOnlyAuthorization('monitoring') },
          body: encode(input),
        });
        const bytes = new Uint8Array(await res.arrayBuffer());
        assert.equal(res.status, 200, diagnose(bytes));
        return diagnose(bytes);
      };
      const alarms = await raw('DescribeAlarms', { AlarmNames: ['cbor-doubles'] });
      assert.match(alarms, /"Threshold": 0\.0_3/, alarms);
      assert.match(alarms, /"EvaluationPeriods": 2[,}]/, alarms);
      assert.match(alarms, /"Period": 60[,}]/, alarms);
      const window = { StartTime: new Date(START - 60_000), EndTime: new Date(START + 60_000) };
      const metric = { Namespace: 'MyApp', MetricName: 'Doubles', Dimensions: dims, ...window, Period: 60 };
      const stats = await raw('GetMetricStatistics', { ...metric, Statistics: ['Sum', 'SampleCount', 'Average'] });
      // diagnostic notation: `_3` marks a float64 a shorter float could hold; 1.666… needs all 64 bits
      for (const want of [/"Sum": 5\.0_3/, /"SampleCount": 3\.0_3/, /"Average": 1\.6666666666666667[,}]/]) assert.match(stats, want, stats);
      const percentile = await raw('GetMetricStatistics', { ...metric, ExtendedStatistics: ['p50'] });
      assert.match(percentile, /"ExtendedStatistics": \{"p50": \d+\.\d+_3\}/, percentile);
      const data = await raw('GetMetricData', { ...window, MetricDataQueries: [{ Id: 'f', MetricStat: { Metric: { Namespace: 'MyApp', MetricName: 'Doubles', Dimensions: dims }, Period: 60, Stat: 'Sum' } }] });
      assert.match(data, /"Values": \[5\.0_3\]/, data);
      // and the SDK reads them as the numbers they are
      const alarm = (await cw.send(new current.DescribeAlarmsCommand({ AlarmNames: ['cbor-doubles'] }))).MetricAlarms![0]!;
      assert.deepEqual([alarm.Threshold, alarm.EvaluationPeriods, alarm.Period], [0, 2, 60]);
      const points = (await cw.send(new current.GetMetricStatisticsCommand({ Namespace: 'MyApp', MetricName: 'Doubles', Dimensions: dims, ...window, Period: 60, Statistics: ['Sum', 'SampleCount'] }))).Datapoints!;
      assert.deepEqual(points.map((p) => [p.Sum, p.SampleCount]), [[5, 3]]);
    } finally {
      await cw.send(new current.DeleteAlarmsCommand({ AlarmNames: ['cbor-doubles'] })).catch(() => undefined);
      cw.destroy();
    }
  });

  test('the aws CLI: set-alarm-state ALARM holds until the next evaluation, which writes the computed state', async () => {
    await f.cw.send(
      new current.PutMetricAlarmCommand({
        AlarmName: 'cli-alarm',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'nothing-runs' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    const aws = async (...args: string[]) => {
      const r = await awsCli(f.emu.endpoint, ['cloudwatch', ...args]);
      assert.equal(r.code, 0, `aws cloudwatch ${args.join(' ')}: ${r.stderr}`);
      return r;
    };
    // the refused set-alarm-state names an alarm that never exists: beside the first call, not after the last
    const [, notFound] = await Promise.all([
      aws('set-alarm-state', '--alarm-name', 'cli-alarm', '--state-value', 'ALARM', '--state-reason', 'forced by the learner'),
      awsCli(f.emu.endpoint, ['cloudwatch', 'set-alarm-state', '--alarm-name', 'nope', '--state-value', 'OK', '--state-reason', 'r']),
    ]);
    const described = (await aws('describe-alarms', '--alarm-names', 'cli-alarm')).stdout;
    // the model's double as AWS's JSON writes it (0.0), printed so by the CLI; the integers as integers
    assert.match(described, /"Threshold": 0\.0,/);
    assert.match(described, /"EvaluationPeriods": 1,/);
    assert.match(described, /"Period": 60,/);
    const now = JSON.parse(described);
    assert.equal(now.MetricAlarms[0].StateValue, 'ALARM');
    assert.equal(now.MetricAlarms[0].StateReason, 'forced by the learner');
    // botocore prints the epoch seconds it received (wire doc 3.2)
    assert.equal(typeof now.MetricAlarms[0].StateUpdatedTimestamp, 'number');

    clock.advance(60_000); // the next evaluation: no data, treat missing as missing
    assert.equal((await alarmOf(f.cw, 'cli-alarm')).StateValue, 'INSUFFICIENT_DATA');
    const history = JSON.parse((await aws('describe-alarm-history', '--alarm-name', 'cli-alarm', '--history-item-type', 'StateUpdate')).stdout);
    assert.deepEqual(
      history.AlarmHistoryItems.map((h: { HistorySummary: string }) => h.HistorySummary),
      ['Alarm updated from ALARM to INSUFFICIENT_DATA', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
    );
    assert.notEqual(notFound.code, 0);
    assert.match(notFound.stderr, /An error occurred \(ResourceNotFound\) when calling the SetAlarmState operation: Alarm nope does not exist/);
  });
});
