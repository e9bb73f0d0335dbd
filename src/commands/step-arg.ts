/**
 * A step named on the command line (`start --from`, `step <id>`, `reset <step>`): a step's id, its
 * number as `list` numbers the steps (1 to 14), or a chapter's id (its first step). One piece, so
 * every command that takes one refuses a mistyped id with the same words, the nearest id when one
 * is near (`canary-craete`: canary-create), and the same list of the steps and chapters.
 */
import { UsageError } from '../errors.js';
import { nearest } from '../nearest.js';
import { findInOutline, LAB_OUTLINE, type StepOutline } from '../steps/outline.js';

/** the width the refusal's list of steps is laid out to: with the hint's indent, it fits 80 columns through a pipe too */
const LIST_WIDTH = 76;

/**
 * The step (a chapter's id: its first step), from the lab's outline: a mistyped id is refused
 * before the steps' code (and the SDK's clients in it) is loaded.
 */
export function namedStep(name: string): StepOutline {
  const step = /^[0-9]+$/.test(name) ? LAB_OUTLINE[Number(name) - 1] : findInOutline(name);
  if (step) return step;
  const chapters = [...new Set(LAB_OUTLINE.map((s) => s.chapter.id))];
  // as commander answers `--form` with (Did you mean --from?)
  const meant = /^[0-9]+$/.test(name) ? undefined : nearest(name, [...LAB_OUTLINE.map((s) => s.id), ...chapters]);
  throw new UsageError(
    `no step "${name}"${meant ? ` (Did you mean ${meant}?)` : ''}`,
    [`a step by its number (1 to ${LAB_OUTLINE.length}, as list shows them) or its id:`, ...packed(LAB_OUTLINE.map((s, i) => `${i + 1} ${s.id}`)), `or a chapter: ${chapters.join(', ')}`].join('\n'),
  );
}

/**
 * A step named on the command line, as the lab names it: its number is its id (`step 2` is
 * `step blue-green`); an id or a chapter's id stays as given (`step canary` runs the chapter).
 */
export function stepName(name: string): string {
  const step = namedStep(name);
  return /^[0-9]+$/.test(name) ? step.id : name;
}

/** `items` joined by `, ` on lines of at most LIST_WIDTH columns: a pipe keeps a hint's line a line */
function packed(items: string[]): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 2 + item.length + 1 <= LIST_WIDTH) lines[last] += ` ${item},`;
    else lines.push(`${item},`);
  }
  if (lines.length) lines[lines.length - 1] = lines.at(-1)!.slice(0, -1);
  return lines;
}
