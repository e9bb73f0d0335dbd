/**
 * The lab's report (`--report FILE`, `--json`): per step the checks before and after with
 * expected/found and their `aws` equivalents, the figures measured, and a message for the
 * instructor apart from the learner's (Qwiklabs' message / student_message).
 */
import type { CheckResult } from './check.js';
import type { FigureValue } from './context.js';

export type StepOutcome = 'passed' | 'failed' | 'could-not-check' | 'interrupted' | 'skipped';

export interface StepReport {
  id: string;
  chapter: string;
  title: string;
  outcome: StepOutcome;
  /** done for the learner: "do it for me", --ci, --assisted or a catch-up */
  assisted: boolean;
  attempts: number;
  hintsShown: number;
  durationMs: number;
  /** --ci: the checks before the change, and whether they failed as they should */
  before?: CheckResult[];
  preCheckFailedAsExpected?: boolean;
  after: CheckResult[];
  figures: Record<string, FigureValue>;
  learnerMessage?: string;
  instructorMessage?: string;
  /** the learner chose to stop after this step (q): the lab ends, progress saved, exit 0 */
  quit?: boolean;
}

export interface LabReport {
  schema: 1;
  tool: 'serverless-ops-lab';
  version: string;
  target: 'local' | 'aws';
  mode: 'ci' | 'interactive';
  workspace: string;
  speed: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: 'passed' | 'failed' | 'could-not-check' | 'interrupted' | 'stopped';
  steps: StepReport[];
  instructorNotes: string[];
}

/** the lab's outcome from its steps: interrupted > could-not-check > failed > passed */
export function overallOutcome(steps: readonly StepReport[], interrupted: boolean): LabReport['outcome'] {
  if (interrupted) return 'interrupted';
  if (steps.some((s) => s.quit)) return 'stopped';
  if (steps.some((s) => s.outcome === 'could-not-check')) return 'could-not-check';
  if (steps.some((s) => s.outcome === 'failed' || s.outcome === 'interrupted')) return 'failed';
  return 'passed';
}
