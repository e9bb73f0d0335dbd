/**
 * A canary's split in the lab's words (targets/version-split.ts measures it): the answers by the
 * Lambda version that served them, for a check's "found" and the steps' texts.
 */
import { NO_VERSION, type Split } from '../../targets/version-split.js';

/**
 * What a 400 means in a measured split: the measurement posts the body `{}` (lesson.ts PROBE_BODY),
 * which the lab's app refuses at once, before any wait or Rekognition call, in an answer that
 * still names the Lambda version (the measurement counts that). A learner read "status 400 for 20" as the app failing.
 */
export const PROBE_REFUSED = "the app refusing the check's body {}, as expected";

/** what follows a status in words: the probe's 400 said as such (PROBE_REFUSED), nothing for another */
export function probeNote(status: string): string {
  return status === '400' ? ` (${PROBE_REFUSED})` : '';
}

/**
 * A split in words, for a check's "found": the answers by the version that served them, then by
 * status ("20 requests: 20 from Lambda version 6; 20 answered 400 (the app refusing …)"),
 * never the raw counts' JSON.
 */
export function splitInWords(split: Split): string {
  const versions = versionsInWords(split.byVersion);
  const lost = split.errors ? `, ${split.errors} without an answer` : '';
  const statuses = Object.entries(split.byStatus)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([s, n]) => `${n} answered ${s}${probeNote(s)}`);
  return `${split.sent} requests: ${versions.length ? versions.join(', ') : 'no answer'}${lost}${statuses.length ? `; ${statuses.join(', ')}` : ''}`;
}

/** the answers by the version that served them, in words, lowest version first: `4512 from Lambda version 3` */
export function versionsInWords(byVersion: Readonly<Record<string, number>>): string[] {
  return Object.entries(byVersion)
    .sort(([a], [b]) => (a === NO_VERSION ? 1 : b === NO_VERSION ? -1 : Number(a) - Number(b) || (a < b ? -1 : 1)))
    .map(([v, n]) => (v === NO_VERSION ? `${n} named no version` : `${n} from Lambda version ${v}`));
}
