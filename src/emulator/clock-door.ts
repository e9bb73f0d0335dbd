/**
 * `GET /_lab/clock`: the cloud's time and speed, so a client can ask for metrics and alarm history
 * in cloud time (README, "The cloud's clock"). `POST /_lab/clock` with `{"paceAheadMs": N}` paces
 * the clock (core/clock.ts, `pace`): cloud time does not pass N cloud ms from now until the next
 * POST, one with `{"paceAheadMs": null}` (released), or PACE_LEASE_MS of real time without one.
 * The lab paces it while it sends its sample traffic through a shift. Lab paths, not AWS APIs.
 */
import type { Clock } from './core/clock.js';
import type { FrontDoor, WireRequest, WireResponse } from './protocols/types.js';

/** a pace lapses after this much real time without a word from its client (a lab that died) */
export const PACE_LEASE_MS = 30_000;

/** the longest pace a client may ask for, in cloud ms */
const MAX_PACE_AHEAD_MS = 3600_000;

export class ClockDoor implements FrontDoor {
  readonly name = 'lab-clock';
  constructor(private readonly clock: Clock) {}

  matches(req: WireRequest): boolean {
    return req.path === '/_lab/clock' && (req.method === 'GET' || req.method === 'HEAD' || req.method === 'POST');
  }

  async handle(req: WireRequest): Promise<WireResponse> {
    if (req.method === 'POST') {
      let ahead: unknown;
      try {
        ahead = (JSON.parse(req.body.toString('utf8') || '{}') as { paceAheadMs?: unknown }).paceAheadMs;
      } catch {
        ahead = 'not JSON';
      }
      if (ahead !== null && !(typeof ahead === 'number' && Number.isFinite(ahead) && ahead >= 0 && ahead <= MAX_PACE_AHEAD_MS)) {
        return this.answer(400, { message: `paceAheadMs must be null or a number of cloud ms from 0 to ${MAX_PACE_AHEAD_MS}` });
      }
      this.clock.pace?.(ahead === null ? undefined : ahead, PACE_LEASE_MS);
    }
    const now = this.clock.now();
    return this.answer(200, { now: new Date(now).toISOString(), epochMillis: now, speed: this.clock.speed });
  }

  private answer(status: number, body: object): WireResponse {
    return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  }
}
