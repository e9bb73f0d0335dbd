/**
 * The tests' even draw of a canary split (core/even-draw.ts): any 100 draws in a row hold each
 * (k + 0.5) / 100 once, so a split over a multiple of 100 requests is exactly its setting; the
 * background cloud's hook draws so only when its environment asks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canaryDrawFromEnv, evenDraw, EVEN_SPLIT_ENV } from '../../src/emulator/core/even-draw.js';

test('evenDraw: every 100 draws in a row, from any start, are each of 0.005 … 0.995 once', () => {
  const draw = evenDraw();
  const draws = Array.from({ length: 537 }, draw);
  for (const start of [0, 1, 13, 99, 250, 437]) {
    const window = draws.slice(start, start + 100);
    assert.deepEqual([...window].sort((a, b) => a - b), Array.from({ length: 100 }, (_, k) => (k + 0.5) / 100));
    for (const percent of [1, 10, 50, 90]) assert.equal(window.filter((r) => r * 100 < percent).length, percent);
  }
  assert.throws(() => evenDraw(74), /prime to 37/);
});

test('the background cloud draws evenly only with the hook set', () => {
  assert.equal(canaryDrawFromEnv({}), undefined);
  assert.equal(canaryDrawFromEnv({ [EVEN_SPLIT_ENV]: '0' }), undefined);
  const draw = canaryDrawFromEnv({ [EVEN_SPLIT_ENV]: '1' });
  assert.ok(draw);
  assert.equal(Array.from({ length: 100 }, draw).filter((r) => r < 0.1).length, 10);
});
