/**
 * A step of the lab for the runner's tests: its one live check reads a fake cloud (`cloud[id]`:
 * whether the step's change holds there), and its solve records that it ran and makes it hold.
 */
import { notYet, passed, type LiveCheck } from '../../src/lab/check.js';
import type { Step } from '../../src/lab/step.js';

/** the fake cloud: which steps' changes it holds */
export type FakeCloud = Record<string, boolean>;

export function fakeStep(id: string, cloud: FakeCloud, applied: string[] = []): Step {
  const check: LiveCheck = { name: `${id} holds`, aws: (c) => c.aws(`get ${id}`), run: async () => (cloud[id] ? passed('yes') : notYet('yes', 'no', `press d to make ${id} hold`)) };
  return {
    id,
    chapter: { id, title: id },
    title: id,
    explain: [id],
    goal: id,
    action: { kind: 'run', label: id },
    staticChecks: [],
    liveChecks: [check],
    hints: [],
    docs: [],
    solve: {
      show: async () => ({ command: id }),
      apply: async () => {
        applied.push(id);
        cloud[id] = true;
      },
    },
    settleMs: 0,
  };
}
