import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shown, SHOWN_MAX } from '../../src/emulator/core/shown.js';

test('shown: a request value for an error message, never throwing, never copying a long one whole', () => {
  assert.equal(shown('abc'), 'abc');
  assert.equal(shown(5), '5');
  assert.equal(shown(undefined), 'null');
  assert.equal(shown({ toString: 1 }), '{"toString":1}');
  assert.equal(shown([{ toString: 1 }]), '[{"toString":1}]');
  const cycle: unknown[] = [];
  cycle.push(cycle);
  assert.equal(shown(cycle), '[object Array]');
  assert.equal(shown(10n), '[object BigInt]');
  const long = shown('x'.repeat(70_000));
  assert.equal(long, `${'x'.repeat(SHOWN_MAX)}… (70000 characters)`);
  assert.equal(shown('y'.repeat(SHOWN_MAX)), 'y'.repeat(SHOWN_MAX));
});
