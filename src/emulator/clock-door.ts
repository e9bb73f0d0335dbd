/**
 * `GET /_lab/clock`: the cloud's time and speed, so a client can ask for metrics and alarm history
 * in cloud time (README, "The cloud's clock"). A lab path, not an AWS API.
 */
import type { Clock } from './core/clock.js';
import type { FrontDoor, WireRequest, WireResponse } from './protocols/types.js';

export class ClockDoor implements FrontDoor {
  readonly name = 'lab-clock';
  constructor(private readonly clock: Clock) {}

  matches(req: WireRequest): boolean {
    return req.path === '/_lab/clock' && (req.method === 'GET' || req.method === 'HEAD');
  }

  async handle(): Promise<WireResponse> {
    const now = this.clock.now();
    const body = JSON.stringify({ now: new Date(now).toISOString(), epochMillis: now, speed: this.clock.speed });
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body };
  }
}
