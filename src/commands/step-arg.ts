/**
 * A step named on the command line (`start --from`, `step <id>`, `reset <step>`): a step's id or a
 * chapter's (its first step). One piece, so every command that takes one refuses a mistyped id
 * with the same words, the nearest id when one is near (`canary-craete`: canary-create), and the
 * same list of both kinds of id.
 */
import { UsageError } from '../errors.js';
import { nearest } from '../nearest.js';
import { findInOutline, LAB_OUTLINE, type StepOutline } from '../steps/outline.js';

/**
 * The step (a chapter's id: its first step), from the lab's outline: a mistyped id is refused
 * before the steps' code (and the SDK's clients in it) is loaded.
 */
export function namedStep(id: string): StepOutline {
  const step = findInOutline(id);
  if (step) return step;
  const chapters = [...new Set(LAB_OUTLINE.map((s) => s.chapter.id))];
  // as commander answers `--form` with (Did you mean --from?)
  const meant = nearest(id, [...LAB_OUTLINE.map((s) => s.id), ...chapters]);
  throw new UsageError(`no step "${id}"${meant ? ` (Did you mean ${meant}?)` : ''}`, `steps: ${LAB_OUTLINE.map((s) => s.id).join(', ')} (or a chapter: ${chapters.join(', ')})`);
}
