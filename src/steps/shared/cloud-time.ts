/**
 * The cloud's time, for the reads and the printed commands that carry absolute times (CloudWatch
 * metric windows, alarm history since a release). The local cloud's clock runs --speed times faster
 * than the wall clock and never goes back (README, "The cloud's clock"), so it runs ahead of the
 * learner's: a window taken from Date.now() would miss what the cloud stamped. Every such time is
 * read from the cloud (GET /_lab/clock) or from what the cloud returned (a deployment's createTime);
 * on AWS the cloud's clock is the wall clock.
 */
import type { LabContext } from '../../lab/context.js';
import { cloudClockMillis, paceCloudClock } from '../../targets/lab-paths.js';

/** the cloud's time now: GET /_lab/clock on the local target, the wall clock on AWS */
export async function cloudNow(ctx: LabContext): Promise<Date> {
  // an older local cloud without the clock path: its clock is the wall clock
  const ms = ctx.endpoint ? await cloudClockMillis(ctx.endpoint) : undefined;
  return ms === undefined ? new Date() : new Date(ms);
}

/** a time as the aws CLI takes it: ISO 8601 UTC, to the second (2026-12-02T12:05:00Z) */
export function cliTime(t: Date): string {
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * One short shell comment line to put above a printed command whose times are cloud times, when
 * the local cloud's clock runs faster than the learner's; '' otherwise (AWS, or speed 1).
 */
export function cloudTimeNote(ctx: LabContext): string {
  if (ctx.target !== 'local' || ctx.speed === 1) return '';
  return `# cloud time: the local cloud's clock runs ${ctx.speed}x faster than yours\n`;
}

/**
 * `minutes` of cloud time as the learner waits them: `about a minute` on AWS (and at speed 1),
 * `about 6 s here (a minute of cloud time at 10x)` on a local cloud that runs faster: an alarm's
 * next evaluation, a shift's length (hooks-alarms.ts shiftWindow).
 */
export function cloudSpan(ctx: Pick<LabContext, 'target' | 'speed'>, minutes: number): string {
  const cloud = minutes === 1 ? 'a minute' : `${minutes} minutes`;
  if (ctx.target !== 'local' || ctx.speed === 1) return `about ${cloud}`;
  const seconds = Math.round((minutes * 60) / ctx.speed);
  return `about ${seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} minutes`} here (${cloud} of cloud time at ${ctx.speed}x)`;
}

/**
 * How far the local cloud's clock may run ahead of the lab's last sampled answer while the lab
 * sends traffic through a shift: 10 cloud seconds, so every minute of a shift (and every minute
 * CloudWatch evaluates, the alarm's Period) holds at least six answers whatever the host's load.
 * On AWS the live view sends some hundred a minute (one a poll), and at --speed 100 a cloud minute
 * is 0.6 real seconds: without the pace a busy host sent one or none, and a version that throws
 * could meet no traffic before its shift ended (README, "The cloud's clock").
 */
export const PACE_AHEAD_MS = 10_000;

/** Paces the local cloud's clock by the lab's traffic (POST /_lab/clock, emulator/clock-door.ts). */
export interface TrafficPace {
  /** an answer came back (or failed): cloud time may go PACE_AHEAD_MS past now */
  answered(): void;
  /** the traffic ended: the clock runs freely again */
  release(): Promise<void>;
}

/**
 * A pace on the local cloud's clock for as long as the lab sends sample traffic, begun now;
 * undefined on AWS and at speed 1 or less (cloud time is real time there, as the traffic's).
 * `post` is the request (tests give their own).
 */
export async function paceClock(ctx: LabContext, post: (aheadMs: number | null) => Promise<void> = (ms) => paceCloudClock(ctx.endpoint!, ms)): Promise<TrafficPace | undefined> {
  if (ctx.target !== 'local' || !ctx.endpoint || !(ctx.speed > 1)) return undefined;
  // one word at a time, in order, and only the newest waits: a late extension must not land after
  // the release, and a cloud slow to answer (or hung) gets one more word, not one per answer
  let next: number | null | undefined;
  let busy: Promise<void> | undefined;
  let released = false;
  const pump = async () => {
    while (next !== undefined) {
      const ms = next;
      next = undefined;
      await Promise.resolve()
        .then(() => post(ms))
        .catch(() => undefined);
    }
    busy = undefined;
  };
  const send = (ms: number | null): Promise<void> => {
    next = ms;
    return (busy ??= pump());
  };
  await send(PACE_AHEAD_MS);
  return {
    answered: () => void (released || send(PACE_AHEAD_MS)),
    release: async () => {
      released = true;
      await send(null);
    },
  };
}
