/**
 * The live view's pace on the local cloud's clock (cloud-time.ts, paceClock): begun with a pace,
 * moved on by each answer, released at the end, every word in the order it was said (a late move
 * must not land after the release); none on AWS or at speed 1 or less. Against a real local cloud:
 * a paced clock stands still while nothing answers, and runs again once released.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScaledClock } from '../../src/emulator/core/clock.js';
import { PACE_AHEAD_MS, paceClock } from '../../src/steps/shared/cloud-time.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { fakeContext } from '../helpers/lab-context.js';

test('paced faster than real time: a pace at once, then one per answer, then the release, in order; while one is slow to land only the newest word waits', async () => {
  const said: (number | null)[] = [];
  let slow: (() => void) | undefined;
  const post = async (ms: number | null) => {
    // the second word is slow to land: the ones after it wait for it
    if (said.length === 1 && !slow) await new Promise<void>((r) => (slow = r));
    said.push(ms);
  };
  const pace = await paceClock(fakeContext({ speed: 100 }), post);
  assert.ok(pace);
  assert.deepEqual(said, [PACE_AHEAD_MS]);
  pace.answered();
  pace.answered();
  const released = pace.release();
  pace.answered(); // after the release: nothing
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(said, [PACE_AHEAD_MS]);
  slow!();
  await released;
  // the second answer's word was overtaken by the release: one request, not one per answer
  assert.deepEqual(said, [PACE_AHEAD_MS, PACE_AHEAD_MS, null]);
  // each answer its word when the cloud keeps up
  const quick: (number | null)[] = [];
  const again = (await paceClock(fakeContext({ speed: 100 }), async (ms) => void quick.push(ms)))!;
  for (let i = 0; i < 3; i++) {
    again.answered();
    await new Promise((r) => setImmediate(r));
  }
  await again.release();
  assert.deepEqual(quick, [PACE_AHEAD_MS, PACE_AHEAD_MS, PACE_AHEAD_MS, PACE_AHEAD_MS, null]);
});

test('no pace on AWS, at speed 1 or slower: cloud time is real time there, as the traffic\'s', async () => {
  const post = async () => assert.fail('nothing is sent');
  assert.equal(await paceClock(fakeContext({ speed: 1 }), post), undefined);
  assert.equal(await paceClock(fakeContext({ speed: 0.0001 }), post), undefined);
  assert.equal(await paceClock(fakeContext({ speed: 100, target: 'aws', endpoint: undefined }), post), undefined);
});

test('against a local cloud at speed 1000: paced, its clock stands still while no answer comes; released, it runs again', async () => {
  const clock = new ScaledClock(1000);
  const emu = await startTestEmulator({ clock });
  try {
    const ctx = fakeContext({ speed: 1000, endpoint: emu.endpoint });
    const read = async () => ((await (await fetch(`${emu.endpoint}/_lab/clock`)).json()) as { epochMillis: number }).epochMillis;
    const pace = (await paceClock(ctx))!;
    const first = await read();
    // however long this takes in real time, the cloud does not pass the pace
    await new Promise((r) => setTimeout(r, 100));
    const held = await read();
    assert.ok(held - first <= PACE_AHEAD_MS, `${held - first} ms of cloud time passed`);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await read(), held);
    await pace.release();
    await new Promise((r) => setTimeout(r, 100));
    assert.ok((await read()) >= held + 50_000, 'released, a tenth of a real second is 100 cloud seconds');
  } finally {
    await emu.close();
  }
});
