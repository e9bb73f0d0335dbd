/**
 * The lab, in order: one module per chapter of the workshop, each a list of uniform steps
 * (src/lab/step.ts). The reference changes of edit steps are in templates/<step id>/. Their
 * ids, titles and chapters are also in ./outline.ts, which loads none of this.
 */
import type { Step } from '../lab/step.js';
import { canarySteps } from './canary.js';
import { concurrencySteps } from './concurrency.js';
import { blueGreenStep } from './blue-green.js';
import { deployStep } from './deploy.js';
import { hooksSteps } from './hooks-alarms.js';
import { wrapUpStep } from './wrap-up.js';

// the workshop's order: 4.1 blue/green, 4.1.3 hooks and alarms, 4.2 canary, 4.3 concurrency
const chapters: Step[] = [deployStep, blueGreenStep, ...hooksSteps, ...canarySteps, ...concurrencySteps];

export const LAB_STEPS: readonly Step[] = [...chapters, wrapUpStep(chapters)];

// the ids, titles and chapters without the steps' code (list, a step named on the command line)
export { REFERENCE_ORDER } from './outline.js';

export function findStep(id: string): Step | undefined {
  return LAB_STEPS.find((s) => s.id === id || s.chapter.id === id);
}
