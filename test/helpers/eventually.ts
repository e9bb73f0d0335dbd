/**
 * Polls `read` until `until` holds of its value: a state, not a time, decides the test; the
 * deadline only ends a broken run (with the last value seen).
 */
export async function eventually<T>(what: string, read: () => Promise<T>, until: (v: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (until(v)) return v;
    if (Date.now() > deadline) throw new Error(`never reached: ${what} (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
