/**
 * The local cloud's own paths beside the AWS APIs (the emulator's lab doors, README "The cloud's
 * clock"): its clock, and Lambda's in-flight and peak executions. They are no AWS API, so no SDK
 * client speaks them; the lab reads them here, only on the local target (an `endpoint`), as it
 * reaches everything else in the cloud through targets/.
 */

/** the cloud's time in epoch ms (GET /_lab/clock); undefined when it does not say (an older cloud without the path) */
export async function cloudClockMillis(endpoint: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${endpoint}/_lab/clock`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { epochMillis?: number };
    return typeof body.epochMillis === 'number' ? body.epochMillis : undefined;
  } catch {
    return undefined;
  }
}

/**
 * POST /_lab/clock: cloud time may not pass `aheadMs` cloud ms from now until the next call, or
 * runs freely again with null (emulator/clock-door.ts). A cloud without the POST (an older one)
 * answers 404 and is not paced, as before; a network error throws.
 */
export async function paceCloudClock(endpoint: string, aheadMs: number | null): Promise<void> {
  const res = await fetch(`${endpoint}/_lab/clock`, { method: 'POST', body: JSON.stringify({ paceAheadMs: aheadMs }), signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
}

/** GET /_lab/lambda/concurrency (emulator/services/lambda/concurrency-door.ts) */
export interface ConcurrencySnapshot {
  accountLimit?: number;
  unreservedLimit?: number;
  functions?: { functionName: string; inFlight: number; peak: number; reservedConcurrentExecutions: number | null }[];
}

/** what the cloud executes now and its peaks; undefined when it answers no 200 (a network error throws) */
export async function concurrencySnapshot(endpoint: string): Promise<ConcurrencySnapshot | undefined> {
  const res = await fetch(`${endpoint}/_lab/lambda/concurrency`, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) return undefined;
  return (await res.json()) as ConcurrencySnapshot;
}

/** POST /_lab/lambda/concurrency/reset: the peaks start again from what runs now (best effort) */
export async function resetConcurrencyPeaks(endpoint: string, signal?: AbortSignal): Promise<void> {
  await fetch(`${endpoint}/_lab/lambda/concurrency/reset`, { method: 'POST', signal }).catch(() => undefined);
}
