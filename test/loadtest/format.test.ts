/**
 * The renderers on fixed result models: golden text (hey's layout), CSV, JSON, colour and the
 * progress line. No timings but the fixed inputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { formatCsv, formatJson, formatReport } from '../../src/loadtest/format.js';
import { progressLine, progressListeners, stoppingLine } from '../../src/loadtest/progress.js';
import { histogram, summarize } from '../../src/loadtest/summarize.js';
import { colorEnabled, progressEnabled } from '../../src/io/terminal.js';
import type { LoadTestResult } from '../../src/loadtest/types.js';

const golden = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../test/loadtest/golden/${name}`, import.meta.url)), 'utf8');

/** a fixed run: 10 responses (7×200, 3×502) in completion order, 2 refused, 25 ms */
function fixture(): LoadTestResult {
  const latencyMs = Float64Array.from([3.1, 1.2, 11.2, 2.0, 5.5, 2.4, 9.0, 4.0, 7.7, 6.0]);
  const status = Uint16Array.from([200, 200, 502, 200, 200, 502, 200, 200, 502, 200]);
  const offsetMs = Float64Array.from(latencyMs, (_, i) => i * 1.5);
  return {
    url: 'http://127.0.0.1:3000/hello',
    method: 'GET',
    concurrency: 4,
    requested: 12,
    startedAt: new Date('2025-01-01T00:00:00Z'),
    durationMs: 25,
    sent: 12,
    responses: 10,
    statusCounts: { 200: 7, 502: 3 },
    errors: 2,
    errorCounts: { 'connect ECONNREFUSED 127.0.0.1:9': 2 },
    bodyBytes: 120,
    wireBytes: 1000,
    latencySumMs: latencyMs.reduce((a, b) => a + b, 0),
    samples: { count: 10, latencyMs, status, offsetMs },
    interrupted: false,
    maxRequestsReached: null,
  };
}

function refused(): LoadTestResult {
  const empty = { count: 0, latencyMs: new Float64Array(0), status: new Uint16Array(0), offsetMs: new Float64Array(0) };
  return {
    ...fixture(),
    requested: 200,
    durationMs: 40,
    sent: 200,
    responses: 0,
    statusCounts: {},
    errors: 200,
    errorCounts: { 'connect ECONNREFUSED 127.0.0.1:9': 200 },
    bodyBytes: 0,
    wireBytes: 0,
    latencySumMs: 0,
    samples: empty,
  };
}

test("the report in hey's layout (golden)", () => {
  assert.equal(formatReport(fixture(), { color: false }), golden('summary.txt'));
});

test('every request refused: Summary, no histogram, the errors (golden)', () => {
  assert.equal(formatReport(refused(), { color: false }), golden('all-refused.txt'));
});

test('with colour: the same text once the ANSI codes are stripped', () => {
  const colored = formatReport(fixture(), { color: true });
  assert.notEqual(colored, golden('summary.txt'));
  assert.match(colored, /\x1b\[/);
  assert.equal(stripVTControlCharacters(colored), golden('summary.txt'));
});

test("-o csv: hey's columns, one row per response in completion order (golden)", () => {
  assert.equal(formatCsv(fixture()), golden('report.csv'));
});

test('--json: the whole summary, counts included', () => {
  const j = JSON.parse(formatJson(fixture())) as Record<string, unknown>;
  assert.equal(j.sent, 12);
  assert.equal(j.responses, 10);
  assert.equal(j.errors, 2);
  assert.equal(j.requestsPerSec, 480);
  assert.deepEqual(j.statusCodes, [{ code: 200, count: 7 }, { code: 502, count: 3 }]);
  assert.deepEqual(j.errorDistribution, [{ message: 'connect ECONNREFUSED 127.0.0.1:9', count: 2 }]);
  assert.deepEqual((j.latencyDistribution as Array<{ percentage: number }>).map((d) => d.percentage), [10, 25, 50, 75, 90, 95, 99]);
  assert.equal(j.fastestMs, 1.2);
  assert.equal(j.slowestMs, 11.2);
});

test('--json rounds times to the microsecond and rates to 2 decimals; the summary stays exact', () => {
  const noisy = { ...fixture(), durationMs: 8.165825999999981, latencySumMs: 10.000000000000002 };
  const j = JSON.parse(formatJson(noisy)) as { totalMs: number; requestsPerSec: number; averageMs: number; histogram: Array<{ markMs: number }> };
  assert.equal(j.totalMs, 8.166);
  assert.equal(j.requestsPerSec, 1469.54);
  assert.equal(j.averageMs, 1);
  for (const b of j.histogram) assert.equal(b.markMs, Math.round(b.markMs * 1000) / 1000);
  assert.doesNotMatch(formatJson(noisy), /\d\.\d{4,}/);
  assert.equal(summarize(noisy).totalMs, 8.165825999999981);
});

test('an interrupted -z run says how many were sent, without a total', () => {
  const text = formatReport({ ...fixture(), requested: null, interrupted: true }, { color: false });
  assert.match(text, /Note: {2}stopped early: 12 requests sent\./);
});

test('a -z run that reached its most requests says so, in the report and in --json', () => {
  const r = { ...fixture(), requested: null, maxRequestsReached: 100_000 };
  assert.match(formatReport(r, { color: false }), /\n\nNote: {2}stopped at 100000 requests, before the end of -z: a load test sends at most 100000; to spread them over the whole duration, give a rate with -q\.\n/);
  assert.equal((JSON.parse(formatJson(r)) as { maxRequestsReached: number }).maxRequestsReached, 100_000);
  assert.doesNotMatch(formatReport(fixture(), { color: false }), /stopped at/);
});

test('an interrupted run says so; the distributions say when they are sampled', () => {
  const text = formatReport({ ...fixture(), interrupted: true, responses: 2_000_000, sent: 2_000_002 }, { color: false });
  assert.match(text, /Note: {2}stopped early: 2000002 of 12 requests sent\./);
  assert.match(text, /Note: {2}Distributions are for first 10 results\./);
});

test("hey's histogram: equal latencies all fall in the first bucket", () => {
  const h = histogram(Float64Array.from([1, 1, 1]));
  assert.equal(h.length, 11);
  assert.deepEqual(h.map((b) => b.count), [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test('percentiles for fewer than 100 samples end at the slowest (hey would print 0)', () => {
  const s = summarize(fixture());
  assert.deepEqual(s.latencyDistribution.map((d) => d.latencyMs), [2.0, 3.1, 5.5, 9.0, 11.2, 11.2, 11.2]);
});

test('the progress line: done/total, rate so far, counts by class', () => {
  const p = { done: 340, total: 1000, elapsedMs: 1000, byClass: [0, 0, 300, 0, 0, 40], errors: 2 };
  assert.equal(progressLine(p, { color: false }), '  340/1000 requests  340/s  2xx 300  5xx 40  errors 2');
  assert.equal(progressLine({ ...p, total: null }, { color: false }), '  340 requests  340/s  2xx 300  5xx 40  errors 2');
  const written: string[] = [];
  const l = progressListeners({ write: (s) => written.push(s) > 0 }, { color: false });
  l.progress?.(p);
  l.end?.(p);
  assert.deepEqual(written, ['\r\x1b[2K  340/1000 requests  340/s  2xx 300  5xx 40  errors 2', '\r\x1b[2K']);
});

test('the first Ctrl-C says what it waits for', () => {
  assert.equal(stoppingLine(3), 'stopping: waiting for 3 requests in flight (Ctrl-C again to stop now)');
  assert.equal(stoppingLine(1), 'stopping: waiting for 1 request in flight (Ctrl-C again to stop now)');
});

test('colour and progress only on a terminal; no colour with NO_COLOR', () => {
  assert.equal(colorEnabled({ isTTY: true }, {}), true);
  assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(colorEnabled({ isTTY: false }, {}), false);
  assert.equal(colorEnabled({}, {}), false);
  assert.equal(progressEnabled({ isTTY: true }, false), true);
  assert.equal(progressEnabled({ isTTY: true }, true), false);
  assert.equal(progressEnabled({ isTTY: false }, false), false);
});
