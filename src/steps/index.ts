/**
 * The lab, in order: one module per chapter of the workshop, each a list of uniform steps
 * (src/lab/step.ts). The reference changes of edit steps are in templates/<step id>/.
 */
import type { ReferenceEntry } from '../lab/reference.js';
import type { Step } from '../lab/step.js';
import { canarySteps } from './canary.js';
import { concurrencySteps } from './concurrency.js';
import { deployStep } from './deploy.js';
import { wrapUpStep } from './wrap-up.js';

// blue-green (4.1, src/steps/blue-green.ts) joins when the local cloud's CodeDeploy and the
// deployer's DeploymentPreference land; hooks-alarms (4.1.3) after it, before canary (4.2).
const chapters: Step[] = [deployStep, ...canarySteps, ...concurrencySteps];

export const LAB_STEPS: readonly Step[] = [...chapters, wrapUpStep(chapters)];

/** which sam-app/ files each edit step's reference change touches, in lab order */
export const REFERENCE_ORDER: readonly ReferenceEntry[] = [
  { stepId: 'blue-green', files: ['template.yaml', 'src/app.mjs'] },
  { stepId: 'hooks-failing', files: ['template.yaml', 'src/app.mjs', 'hooks/pre-traffic.mjs'] },
  { stepId: 'hooks-alarm', files: ['template.yaml'] },
  { stepId: 'hooks-errors', files: ['src/app.mjs'] },
];

export function findStep(id: string): Step | undefined {
  return LAB_STEPS.find((s) => s.id === id || s.chapter.id === id);
}
