/**
 * "Did you mean": the name nearest a mistyped one (a step id, a workspace folder), by edit
 * distance, as commander suggests `--from` for `--form`.
 */

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidate nearest `word`, when it is near enough to be what was meant: at most 2 edits (a
 * swapped pair of letters is 2), or a third of the word's length for a long one; undefined else.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (c !== word && d <= limit && (!best || d < best.d)) best = { name: c, d };
  }
  return best?.name;
}

/**
 * Two folder names a slip of the keyboard apart (`ws` and `wss`, `lab-workspace` and
 * `lab-worksapce`), or one the other with a suffix (`ws` and `ws-typo`, `ws2`).
 */
export function nearlySameName(a: string, b: string): boolean {
  if (a === b) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 2 && long.startsWith(short) && /^[-_.\d]/.test(long.slice(short.length))) return true;
  return editDistance(a, b) <= 2 && short.length > 2;
}

/**
 * Two folder names that differ only in a number or date at their end (`ci-1` and `ci-2`, `ci` and
 * `ci-2`, `run-2026-12-03` and `run-2026-12-04`): a series made on purpose (an instructor's runs,
 * one fresh workspace each), not a slip. `lab-worksapce` and `ws-typo` are not.
 */
export function numberedSiblings(a: string, b: string): boolean {
  const stem = (n: string): string => n.replace(/[-_.]*\d[\d\-_.]*$/, '');
  return a !== b && stem(a) !== '' && stem(a) === stem(b);
}
