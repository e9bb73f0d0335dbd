/** Counts said in words in a check's findings, never as their JSON. */

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
