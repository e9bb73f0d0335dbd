import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventOfMessage } from '../../../src/emulator/services/lambda/runner/event-payload.js';

const built = (builder: string, parts: unknown[]) => ({ builder, parts, byteLength: () => 0 });

describe('eventOfMessage: what an environment is posted of an event', () => {
  it('posts JSON text as it is, an empty payload as {}', () => {
    assert.equal(eventOfMessage('{"a":1}', undefined), '{"a":1}');
    assert.equal(eventOfMessage(Buffer.from('{"b":2}'), undefined), '{"b":2}');
    assert.equal(eventOfMessage('', undefined), '{}');
  });

  it('posts a built event whole to a worker that kept none, or another builder\'s', () => {
    const parts = ['prod', 'api', { h: 'x' }];
    assert.deepEqual(eventOfMessage(built('file:///b.mjs', parts), undefined), ['file:///b.mjs', parts, 0]);
    assert.deepEqual(eventOfMessage(built('file:///b.mjs', parts), built('file:///other.mjs', parts)), ['file:///b.mjs', parts, 0]);
  });

  it('leaves out the builder and each string the worker kept at the same place, in a copy of the parts', () => {
    const last = built('file:///b.mjs', ['prod', 'api', { h: 'x' }, 'old', 'ua', 7]);
    const parts = ['prod', 'API', { h: 'x' }, null, 'ua', 7, 'more'];
    const [builder, posted, same] = eventOfMessage(built('file:///b.mjs', parts), last) as [unknown, unknown[], number];
    assert.equal(builder, undefined);
    // bits 0 and 4: 'prod' and 'ua'; the object and the number are posted even when they are the same
    assert.equal(same, 0b10001);
    assert.deepEqual(posted, [null, 'API', { h: 'x' }, null, null, 7, 'more']);
    assert.deepEqual(parts, ['prod', 'API', { h: 'x' }, null, 'ua', 7, 'more'], "the caller's parts are untouched");
  });

  it('leaves out a map that is the same object as the last one (the same headers again), not one that is only equal', () => {
    const headers = { Host: 'h' };
    const last = built('file:///b.mjs', ['prod', headers, { v: '1' }, null]);
    const [, posted, same] = eventOfMessage(built('file:///b.mjs', ['prod', headers, { v: '1' }, null]), last) as [unknown, unknown[], number];
    assert.equal(same, 0b011);
    assert.deepEqual(posted, [null, null, { v: '1' }, null]);
  });

  it('marks no part beyond the 31st (one bit each of an Int32)', () => {
    const many = Array.from({ length: 40 }, (_, i) => `p${i}`);
    const [, posted, same] = eventOfMessage(built('file:///b.mjs', many), built('file:///b.mjs', [...many])) as [unknown, unknown[], number];
    assert.equal(same, 0x7fffffff);
    assert.deepEqual(posted.slice(31), many.slice(31));
  });
});
