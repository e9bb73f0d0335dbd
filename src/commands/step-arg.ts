/**
 * A step named on the command line (`start --from`, `step <id>`, `reset <step>`): a step's id or a
 * chapter's (its first step). One piece, so every command that takes one refuses a mistyped id
 * with the same words and the same list of both kinds of id.
 */
import { UsageError } from '../errors.js';
import type { Step } from '../lab/step.js';
import { findStep, LAB_STEPS } from '../steps/index.js';

export function namedStep(id: string): Step {
  const step = findStep(id);
  if (step) return step;
  const chapters = [...new Set(LAB_STEPS.map((s) => s.chapter.id))];
  throw new UsageError(`no step "${id}"`, `steps: ${LAB_STEPS.map((s) => s.id).join(', ')} (or a chapter: ${chapters.join(', ')})`);
}
