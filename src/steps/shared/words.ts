/** Counts said in words in a check's findings, never as their JSON. */

/** a figure kept as counts by key (statusCounts, unanswered) */
export const isCounts = (v: unknown): v is Readonly<Record<string, number>> => !!v && typeof v === 'object' && !Array.isArray(v);

/** the counts a figure holds, none when it holds none (not kept yet, or another shape) */
export const countsOf = (v: unknown): Readonly<Record<string, number>> => (isCounts(v) ? v : {});

/**
 * Answers by status (a load test's, a measured split's), in words, most first: `980 answered 200, 20 answered 504` (the
 * findings said `{"200":980,"504":20}`).
 */
export function answersInWords(byStatus: Readonly<Record<string, number>>): string {
  const said = Object.entries(byStatus)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([status, n]) => `${n} answered ${status}`);
  return said.length ? said.join(', ') : 'no answer';
}


/**
 * An alias's extra weights (RoutingConfig.AdditionalVersionWeights, 0 to 1) in words: `Lambda
 * version 3 at 10 %` (a check's finding said `plus {"3":0.1}`).
 */
export function weightsInWords(extra: Readonly<Record<string, number>>): string {
  return Object.entries(extra)
    .map(([v, w]) => `Lambda version ${v} at ${Math.round(w * 1000) / 10} %`)
    .join(' and ');
}

/**
 * Requests that got no answer at all, by why, in words, most first: `500 refused (ECONNREFUSED)`,
 * `3 timed out`. Keyed by an error's code, `timeout`, or a load test's
 * error message (`connect ECONNREFUSED 127.0.0.1:4566`), whose code is read from it.
 */
export function unansweredInWords(by: Readonly<Record<string, number>>): string {
  const said = new Map<string, number>();
  for (const [why, n] of Object.entries(by)) {
    const w = unansweredWhy(why);
    said.set(w, (said.get(w) ?? 0) + n);
  }
  return [...said].sort(([, x], [, y]) => y - x).map(([w, n]) => `${n} ${w}`).join(', ') || 'none';
}

/** one reason a request got no answer, in words (unansweredInWords) */
function unansweredWhy(why: string): string {
  if (/\bECONNREFUSED\b/.test(why)) return 'refused (ECONNREFUSED)';
  if (/\bECONNRESET\b|socket hang up/.test(why)) return 'cut off (ECONNRESET)';
  if (why === 'timeout' || /timed out|TimeoutError|ETIMEDOUT/.test(why)) return 'timed out';
  return `failed (${why})`;
}

/** how many of `by` were refused (ECONNREFUSED): nothing listened at the address */
export function refusedOf(by: Readonly<Record<string, number>>): number {
  return Object.entries(by).reduce((a, [why, n]) => (/\bECONNREFUSED\b/.test(why) ? a + n : a), 0);
}
