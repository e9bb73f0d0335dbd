/**
 * Runs the alarm evaluation every minute of cloud time ("For any period of one minute or longer,
 * an alarm is evaluated every minute", AlarmThatSendsEmail.md); the tick also writes the metric data
 * (every 15 real seconds at most). It decides nothing: evaluation is alarm-evaluation.ts's pure function.
 */
import type { Clock } from '../../core/clock.js';

/**
 * [inf] Evaluations run EVALUATION_OFFSET_MS into each minute (real ones show a fixed offset, e.g.
 * `19:36:13`, `19:39:13`): an invocation that began just before the minute turned has then most
 * likely ended and been counted in the period it began in.
 */
export const EVALUATION_OFFSET_MS = 10_000;

export class AlarmScheduler {
  private timer: { cancel(): void } | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly tick: (now: number) => void,
    private readonly log: (line: string) => void,
  ) {}

  /** the cloud time of the next evaluation after `now` */
  static nextEvaluation(now: number): number {
    const minute = now - (now % 60_000);
    const at = minute + EVALUATION_OFFSET_MS;
    return at > now ? at : at + 60_000;
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private schedule(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    this.timer = this.clock.setTimeout(() => {
      try {
        this.tick(this.clock.now());
      } catch (err) {
        this.log(`cloudwatch: alarm evaluation failed: ${(err as Error)?.message ?? String(err)}`);
      }
      this.schedule();
    }, AlarmScheduler.nextEvaluation(now) - now);
  }
}
