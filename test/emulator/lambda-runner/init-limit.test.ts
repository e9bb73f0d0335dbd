import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initLimitMs } from '../../../src/emulator/services/lambda/runner/pool.js';

describe('lambda runner: the init limit under a burst of cold starts', () => {
  it("is Lambda's 10 s while the environments initializing fit the cores", () => {
    assert.equal(initLimitMs(1, 2), 10_000);
    assert.equal(initLimitMs(2, 2), 10_000);
    assert.equal(initLimitMs(1, 0), 10_000, 'a host reporting no cores still gets the full limit');
  });

  it('grows with the environments initializing at once per core, so a busy laptop fails none', () => {
    assert.equal(initLimitMs(50, 2), 250_000);
    assert.equal(initLimitMs(50, 8), 62_500);
    assert.equal(initLimitMs(3, 2), 15_000);
  });
});
