/**
 * The evaluation as a pure function, on the decision tables of the CloudWatch User Guide
 * ("Configuring how CloudWatch alarms treat missing data"; codedeploy-cloudwatch-sam.md D.1) and
 * AWS's reason texts (D.2) and StateReasonData (D.3).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateAlarm, javaDouble, reasonTime, type Datapoint, type StateValue } from '../../../src/emulator/services/cloudwatch/alarm-evaluation.js';
import type { MetricAlarm } from '../../../src/emulator/services/cloudwatch/model.js';

const NOW = Date.UTC(2026, 7, 9, 1, 40, 10); // 10 s into a minute, as the scheduler runs
const MINUTE = 60_000;
/** the start of the most recent complete period (01:39:00) */
const LAST = Date.UTC(2026, 7, 9, 1, 39, 0);

type Alarm = Parameters<typeof evaluateAlarm>[0];
function alarm(over: Partial<MetricAlarm> = {}): Alarm {
  return {
    Period: 60,
    EvaluationPeriods: 3,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    Namespace: 'AWS/Lambda',
    Statistic: 'Sum',
    StateValue: 'INSUFFICIENT_DATA',
    ...over,
  };
}

/** `0 - X - X`: the guide's notation, oldest first; X breaches (1), 0 does not, - is missing */
function points(row: string): Datapoint[] {
  const cells = row.split(' ');
  return cells.flatMap((c, i) => {
    if (c === '-') return [];
    const timestamp = LAST - (cells.length - 1 - i) * MINUTE;
    return [{ timestamp, value: c === 'X' ? 1 : 0, sampleCount: 1 }];
  });
}

const RETAIN = 'retain';
type Expected = StateValue | typeof RETAIN;

function decide(row: string, m: number, n: number, treat: string, current: StateValue = 'OK'): Expected {
  const a = alarm({ EvaluationPeriods: n, DatapointsToAlarm: m === n ? undefined : m, TreatMissingData: treat, StateValue: current });
  return evaluateAlarm(a, points(row), NOW).state ?? RETAIN;
}

describe('alarm evaluation: the guide\'s decision tables', () => {
  // columns: MISSING, IGNORE, BREACHING, NOT BREACHING
  const mEqualsN3: [string, Expected[]][] = [
    ['0 - X - X', ['OK', 'OK', 'OK', 'OK']],
    ['0 - - - -', ['OK', 'OK', 'OK', 'OK']],
    ['- - - - -', ['INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK']],
    ['0 X X - X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
    ['- - X - -', ['ALARM', RETAIN, 'ALARM', 'OK']],
  ];
  const twoOfThree: [string, Expected[]][] = [
    ['0 - X - X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
    ['0 0 X 0 X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
    ['0 - X - -', ['OK', 'OK', 'ALARM', 'OK']],
    ['- - - - 0', ['OK', 'OK', 'ALARM', 'OK']],
    ['- - - X -', ['ALARM', RETAIN, 'ALARM', 'OK']],
  ];
  const treatments = ['missing', 'ignore', 'breaching', 'notBreaching'];
  for (const [table, m, rows] of [['M = N = 3', 3, mEqualsN3], ['M = 2, N = 3', 2, twoOfThree]] as const) {
    for (const [row, expected] of rows) {
      test(`${table}: ${row}`, () => {
        assert.deepEqual(
          treatments.map((t) => decide(row, m, 3, t)),
          expected,
        );
      });
    }
  }

  test('the premature-alarm rule: with M = 3, `- - - - X` and `- - - X -` do not alarm yet', () => {
    assert.equal(decide('- - - - X', 3, 3, 'missing', 'INSUFFICIENT_DATA'), RETAIN);
    assert.equal(decide('- - - X -', 3, 3, 'missing', 'INSUFFICIENT_DATA'), RETAIN);
  });

  test('AWS/DynamoDB alarms always ignore missing data', () => {
    const a = alarm({ Namespace: 'AWS/DynamoDB', TreatMissingData: 'breaching', StateValue: 'OK' });
    assert.equal(evaluateAlarm(a, [], NOW).state, undefined);
  });
});

describe('alarm evaluation: SAM\'s documented alias alarm (Sum of Errors > 0, 2 periods of 60 s)', () => {
  const sam = alarm({ EvaluationPeriods: 2 });
  test('errors in one minute only: not yet at the first evaluation, ALARM at the second', () => {
    const first = [{ timestamp: LAST, value: 3, sampleCount: 3 }];
    assert.equal(evaluateAlarm(sam, first, NOW).state, undefined);
    const second = evaluateAlarm(sam, first, NOW + MINUTE);
    assert.equal(second.state, 'ALARM');
    assert.equal(second.reason, `Threshold Crossed: 1 datapoint [3.0 (09/08/26 01:39:00)] was greater than the threshold (0.0).`);
  });

  test('two failing minutes: both datapoints in the reason, most recent first', () => {
    const r = evaluateAlarm(sam, [{ timestamp: LAST - MINUTE, value: 1, sampleCount: 1 }, { timestamp: LAST, value: 2, sampleCount: 2 }], NOW);
    assert.equal(r.state, 'ALARM');
    assert.equal(r.reason, 'Threshold Crossed: 2 datapoints [2.0 (09/08/26 01:39:00), 1.0 (09/08/26 01:38:00)] were greater than the threshold (0.0).');
    assert.deepEqual(JSON.parse(r.reasonData), {
      version: '1.0',
      queryDate: '2026-08-09T01:40:10.000+0000',
      startDate: '2026-08-09T01:38:00.000+0000',
      statistic: 'Sum',
      period: 60,
      recentDatapoints: [1, 2],
      threshold: 0,
      evaluatedDatapoints: [
        { timestamp: '2026-08-09T01:39:00.000+0000', sampleCount: 2, value: 2 },
        { timestamp: '2026-08-09T01:38:00.000+0000', sampleCount: 1, value: 1 },
      ],
    });
    assert.match(r.reasonData, /"recentDatapoints":\[1\.0,2\.0\],"threshold":0\.0/, 'numbers as Java doubles');
  });

  test('a good minute after bad ones: OK, the non-breaching point in the reason', () => {
    const r = evaluateAlarm({ ...sam, StateValue: 'ALARM' }, [{ timestamp: LAST - MINUTE, value: 1, sampleCount: 1 }, { timestamp: LAST, value: 0, sampleCount: 4 }], NOW);
    assert.equal(r.state, 'OK');
    assert.equal(r.reason, 'Threshold Crossed: 1 datapoint [0.0 (09/08/26 01:39:00)] was not greater than the threshold (0.0).');
  });

  test('no data at all: INSUFFICIENT_DATA, with the periods\' timestamps alone in the reason data', () => {
    const r = evaluateAlarm({ ...sam, StateValue: 'OK' }, [], NOW);
    assert.equal(r.state, 'INSUFFICIENT_DATA');
    assert.equal(r.reason, 'Insufficient Data: 2 datapoints were unknown.');
    const data = JSON.parse(r.reasonData);
    assert.equal(data.startDate, undefined);
    assert.deepEqual(data.recentDatapoints, []);
    assert.deepEqual(data.evaluatedDatapoints, [{ timestamp: '2026-08-09T01:39:00.000+0000' }, { timestamp: '2026-08-09T01:38:00.000+0000' }]);
  });
});

describe('alarm evaluation: reason texts', () => {
  test('all missing, breaching: "no datapoints were received"', () => {
    const r = evaluateAlarm(alarm({ EvaluationPeriods: 2, TreatMissingData: 'breaching' }), [], NOW);
    assert.equal(r.reason, 'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].');
  });

  test('real and filled points: "and 1 missing datapoint was treated as [Breaching]"', () => {
    const a = alarm({ EvaluationPeriods: 2, TreatMissingData: 'breaching', ComparisonOperator: 'LessThanThreshold', Threshold: 1 });
    const r = evaluateAlarm(a, [{ timestamp: LAST, value: 1, sampleCount: 1 }], NOW);
    assert.equal(r.state, 'OK');
    assert.equal(r.reason, 'Threshold Crossed: 1 datapoint [1.0 (09/08/26 01:39:00)] was not less than the threshold (1.0) and 1 missing datapoint was treated as [Breaching].');
  });

  test('DatapointsToAlarm set: the M-of-N form with the transition', () => {
    const a = alarm({ EvaluationPeriods: 1, DatapointsToAlarm: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 3, StateValue: 'OK' });
    const r = evaluateAlarm(a, [{ timestamp: LAST, value: 3, sampleCount: 1 }], NOW);
    assert.equal(r.reason, 'Threshold Crossed: 1 out of the last 1 datapoints [3.0 (09/08/26 01:39:00)] was greater than or equal to the threshold (3.0) (minimum 1 datapoint for OK -> ALARM transition).');
  });

  test('Java doubles and the reason time format', () => {
    assert.deepEqual([1, 21.5, 0, 1e7, 0.0001, 1141].map(javaDouble), ['1.0', '21.5', '0.0', '1.0E7', '1.0E-4', '1141.0']);
    assert.equal(reasonTime(Date.UTC(2021, 0, 29, 5, 16)), '29/01/21 05:16:00');
  });
});
