/**
 * An even draw for a stage canary's split, for tests (API Gateway's random source, wiring.ts
 * canaryRandom): each run of `period` draws takes every value (k + 0.5) / period once, k stepping by
 * 37 (prime to the period, so that neighbouring draws are far apart). Any `period` draws in a row,
 * wherever they start, then put exactly p % of them under p / 100: a split measured over a multiple
 * of `period` requests is exactly its setting, where Math.random needs thousands of requests (and
 * still a tolerance) for the same check.
 *
 * A test hook, as crash-point.ts: with `SOL_TEST_EVEN_CANARY_SPLIT=1` in its environment a cloud
 * started in the background draws its canary splits so (a test's workspace cloud, which it cannot
 * hand a function). Unset, always outside the tests, the split is Math.random's.
 */
export const EVEN_SPLIT_ENV = 'SOL_TEST_EVEN_CANARY_SPLIT';

export function evenDraw(period = 100): () => number {
  if (period % 37 === 0) throw new Error('evenDraw: the period must be prime to 37');
  let k = 0;
  return () => {
    const v = (((k * 37) % period) + 0.5) / period;
    k = (k + 1) % period;
    return v;
  };
}

/** the canary draw the environment asks for: evenDraw() with the hook set, otherwise undefined (Math.random) */
export function canaryDrawFromEnv(env: NodeJS.ProcessEnv = process.env): (() => number) | undefined {
  return env[EVEN_SPLIT_ENV] === '1' ? evenDraw() : undefined;
}
