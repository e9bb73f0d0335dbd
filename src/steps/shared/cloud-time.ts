/**
 * The cloud's time, for the reads and the printed commands that carry absolute times (CloudWatch
 * metric windows, alarm history since a release). The local cloud's clock runs --speed times faster
 * than the wall clock and never goes back (README, "The cloud's clock"), so it runs ahead of the
 * learner's: a window taken from Date.now() would miss what the cloud stamped. Every such time is
 * read from the cloud (GET /_lab/clock) or from what the cloud returned (a deployment's createTime);
 * on AWS the cloud's clock is the wall clock.
 */
import type { LabContext } from '../../lab/context.js';
import { cloudClockMillis } from '../../targets/lab-paths.js';

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
