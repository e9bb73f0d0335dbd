/**
 * A restart in the middle of an alarm period: cloud time does not go back, alarms, their history
 * and the metric data survive (the emulator's own persisted clock at a high speed).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DescribeAlarmHistoryCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { alarmOf, startCloudWatch } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'sol-cw-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cloudNow(endpoint: string): Promise<number> {
  const res = await fetch(`${endpoint}/_lab/clock`);
  const body = (await res.json()) as { epochMillis: number; speed: number };
  return body.epochMillis;
}

test('restart mid-period: no time goes back; alarms, history and metric data survive', async () => {
  const first = await startCloudWatch({ speed: 600, stateDir: dir });
  let before: number;
  try {
    await first.cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'survivor',
        Namespace: 'MyApp',
        MetricName: 'Latency',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 100,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'ignore',
      }),
    );
    await first.cw.send(new PutMetricDataCommand({ Namespace: 'MyApp', MetricData: [{ MetricName: 'Latency', Value: 250, Unit: 'Milliseconds' }] }));
    await first.cw.send(new SetAlarmStateCommand({ AlarmName: 'survivor', StateValue: 'ALARM', StateReason: 'before the restart' }));
    before = await cloudNow(first.emu.endpoint);
  } finally {
    await first.close();
  }

  const second = await startCloudWatch({ speed: 600, stateDir: dir });
  try {
    const after = await cloudNow(second.emu.endpoint);
    assert.ok(after >= before, `cloud time went back: ${new Date(after).toISOString()} < ${new Date(before).toISOString()}`);
    const alarm = await alarmOf(second.cw, 'survivor');
    assert.equal(alarm.Threshold, 100);
    const history = await second.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'survivor', ScanBy: 'TimestampAscending' }));
    assert.deepEqual(history.AlarmHistoryItems!.slice(0, 2).map((h) => h.HistorySummary), ['Alarm "survivor" created', 'Alarm updated from INSUFFICIENT_DATA to ALARM']);
    const stats = await second.cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'MyApp',
        MetricName: 'Latency',
        StartTime: new Date(before - 3600_000),
        EndTime: new Date(after + 60_000),
        Period: 3600,
        Statistics: ['Maximum', 'SampleCount'],
      }),
    );
    assert.deepEqual(stats.Datapoints!.map((d) => [d.Maximum, d.SampleCount]), [[250, 1]]);
  } finally {
    await second.close();
  }
});
