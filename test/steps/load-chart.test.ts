import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecondRows } from '../../src/steps/shared/load.js';

/** progress every 100 ms, as the load test sends it: answers as [ms, 2xx, 5xx] until `endMs` */
function run(total: number, answers: (ms: number) => [number, number], endMs: number, ticksAfter: number): SecondRows {
  const rows = new SecondRows();
  const at = (ms: number) => {
    const [ok, five] = answers(Math.min(ms, endMs));
    rows.add({ done: ok + five, total, elapsedMs: ms, byClass: [0, 0, ok, 0, 0, five], errors: 0 });
  };
  for (let ms = 100; ms < endMs; ms += 100) at(ms);
  at(endMs);
  // the run goes on reporting while it closes its sockets, and ends with one more (the end listener)
  for (let i = 1; i <= ticksAfter; i++) at(endMs + i * 100);
  return rows;
}

const labels = (rows: SecondRows) => rows.last(100).map((r) => r.trim().split('s')[0]);
const counts = (rows: SecondRows) => rows.last(100).map((r) => r.match(/2xx +(\d+).*5xx +(\d+)/)!.slice(1).map(Number));

test('one row per second and one for the last part-second, none after the last answer', () => {
  // 100 answers a second, 2xx; the last of 340 at 3.4 s; 15 more progress reports after it
  const rows = run(340, (ms) => [Math.floor(ms / 10), 0], 3400, 15);
  assert.deepEqual(labels(rows), ['1', '2', '3', '4']);
  assert.deepEqual(counts(rows), [[100, 0], [100, 0], [100, 0], [40, 0]]);
});

test('a second with no answers is a row of zeros while the run goes; the sum of the rows is every answer', () => {
  // nothing for 3 s (a function that waits 3 s), then 50 answers a second: half 2xx, half 5xx
  const answered = (ms: number): [number, number] => {
    const n = ms < 3000 ? 0 : Math.floor((ms - 3000) / 20);
    return [Math.ceil(n / 2), Math.floor(n / 2)];
  };
  const rows = run(120, answered, 5400, 25);
  assert.deepEqual(labels(rows), ['1', '2', '3', '4', '5', '6']);
  const c = counts(rows);
  assert.deepEqual(c.slice(0, 2), [[0, 0], [0, 0]]);
  assert.equal(c.reduce((s, [ok]) => s + ok, 0), 60);
  assert.equal(c.reduce((s, [, five]) => s + five, 0), 60);
});

test('a run that ends on a whole second adds no part-second row, and one under a second gets one row', () => {
  assert.deepEqual(labels(run(200, (ms) => [Math.floor(ms / 10), 0], 2000, 10)), ['1', '2']);
  assert.deepEqual(labels(run(30, (ms) => [Math.floor(ms / 10), 0], 300, 10)), ['1']);
});
