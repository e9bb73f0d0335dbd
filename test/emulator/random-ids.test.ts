import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBase64, randomUuid } from '../../src/emulator/core/random-ids.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('randomUuid: version 4 UUIDs, all different, every random digit varying, across many refills of the pool', () => {
  const seen = new Set<string>();
  const digits = Array.from({ length: 36 }, () => new Set<string>());
  for (let i = 0; i < 20_000; i++) {
    // ids of other lengths drawn in between move the pool's offset off any 16-byte grid
    if (i % 7 === 0) assert.match(randomBase64(11), /^[A-Za-z0-9+/]{14}[AEIMQUYcgkosw048]=$/);
    const id = randomUuid();
    assert.match(id, UUID_V4);
    seen.add(id);
    for (let c = 0; c < 36; c++) digits[c].add(id[c]);
  }
  assert.equal(seen.size, 20_000);
  for (let c = 0; c < 36; c++) {
    const expected = [8, 13, 18, 23].includes(c) ? 1 : c === 14 ? 1 : c === 19 ? 4 : 16;
    assert.equal(digits[c].size, expected, `position ${c}`);
  }
});
