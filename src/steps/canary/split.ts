/**
 * A canary's split in the lab's words (targets/version-split.ts measures it): the answers by the
 * Lambda version that served them, for a check's "found" and the steps' texts.
 */
import { NO_VERSION, type Split } from '../../targets/version-split.js';

/**
 * A split in words, for a check's "found": the answers by the version that served them, then by
 * status ("20 requests: 20 named no version; status 500 for 20"), never the raw counts' JSON.
 */
export function splitInWords(split: Split): string {
  const versions = versionsInWords(split.byVersion);
  const statuses = Object.entries(split.byStatus).map(([s, n]) => `${s} for ${n}`);
  const lost = split.errors ? `, ${split.errors} without an answer` : '';
  return `${split.sent} requests: ${versions.length ? versions.join(', ') : 'no answer'}${lost}${statuses.length ? `; status ${statuses.join(', ')}` : ''}`;
}

/** the answers by the version that served them, in words, lowest version first: `4512 from Lambda version 3` */
export function versionsInWords(byVersion: Readonly<Record<string, number>>): string[] {
  return Object.entries(byVersion)
    .sort(([a], [b]) => (a === NO_VERSION ? 1 : b === NO_VERSION ? -1 : Number(a) - Number(b) || (a < b ? -1 : 1)))
    .map(([v, n]) => (v === NO_VERSION ? `${n} named no version` : `${n} from Lambda version ${v}`));
}
