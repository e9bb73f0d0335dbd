/**
 * A step named on the command line (`start --from`, `step <id>`, `reset <step>`): a step's id, its
 * number as `list` numbers the steps (1 to 14), or a chapter's id (its first step). One piece, so
 * every command that takes one refuses a mistyped id with the same words, the nearest id when one
 * is near (`canary-craete`: canary-create), and the same list of the steps and chapters.
 */
import { UsageError } from '../errors.js';
import { nearest } from '../nearest.js';
import { findInOutline, LAB_OUTLINE, type StepOutline } from '../steps/outline.js';
import { packed } from '../io/command-lines.js';

/** the width the refusal's list of steps is laid out to: with the hint's indent, it fits 80 columns through a pipe too */
const LIST_WIDTH = 76;

/** a step named by its number, as `list` numbers them */
const NUMBER = /^[0-9]+$/;

/**
 * The step (a chapter's id: its first step), from the lab's outline: a mistyped id is refused
 * before the steps' code (and the SDK's clients in it) is loaded.
 */
export function namedStep(name: string): StepOutline {
  const step = NUMBER.test(name) ? LAB_OUTLINE[Number(name) - 1] : findInOutline(name);
  if (step) return step;
  const chapters = [...new Set(LAB_OUTLINE.map((s) => s.chapter.id))];
  // as commander answers `--form` with (Did you mean --from?)
  const meant = NUMBER.test(name) ? undefined : nearest(name, [...LAB_OUTLINE.map((s) => s.id), ...chapters]);
  throw new UsageError(
    `no step "${name}"${meant ? ` (Did you mean ${meant}?)` : ''}`,
    [`a step by its number (1 to ${LAB_OUTLINE.length}, as list shows them) or its id:`, ...listed(LAB_OUTLINE.map((s, i) => `${i + 1} ${s.id}`)), `or a chapter: ${chapters.join(', ')}`].join('\n'),
  );
}

/**
 * A step named on the command line, as the lab names it: its number is its id (`step 2` is
 * `step blue-green`); an id or a chapter's id stays as given (`step canary` runs the chapter).
 */
export function stepName(name: string): string {
  const step = namedStep(name);
  return NUMBER.test(name) ? step.id : name;
}

/**
 * `items` joined by `, ` on lines of at most LIST_WIDTH columns (command-lines.ts packed, each
 * line's trailing space dropped): a pipe keeps a hint's line a line
 */
function listed(items: string[]): string[] {
  const lines = packed(items.map((item) => `${item}, `), LIST_WIDTH, LIST_WIDTH).map((l) => l.trimEnd());
  // the last item's comma: none after it
  if (lines.length) lines[lines.length - 1] = lines.at(-1)!.slice(0, -1);
  return lines;
}
