/** A step taught against a live cloud, as `step ID` runs it at a terminal (the learner's answers scripted). */
import type { LiveLabContext } from '../../src/lab/live-context.js';
import type { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import type { Step } from '../../src/lab/step.js';
import { teachStep } from '../../src/lab/teach.js';
import { LAB_STEPS, REFERENCE_ORDER } from '../../src/steps/index.js';

/** `step` alone (no catch-up, not assisted), its answers from `ctx`'s recording host; `ctx` is ended after */
export async function teachAlone(step: Step, ctx: LiveLabContext, progress: ProgressStore): ReturnType<typeof teachStep> {
  try {
    return await teachStep(step, { steps: LAB_STEPS, ctx: Object.assign(ctx, { stepId: '', assisting: false }), progress, reference: new ReferenceBook(REFERENCE_ORDER), assisted: false, index: LAB_STEPS.indexOf(step), total: LAB_STEPS.length });
  } finally {
    ctx.destroy();
  }
}
