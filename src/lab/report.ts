/**
 * The lab's report (`--report FILE`, `--json`): per step the checks before and after with
 * expected/found and their `aws` equivalents, the figures measured, and a message for the
 * instructor apart from the learner's (Qwiklabs' message / student_message).
 */
import { randomBytes } from 'node:crypto';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
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

/**
 * `--report FILE`, checked before any step runs: an instructor testing a machine before class
 * learns at once, not after the whole lab, that the report cannot be written. The folder must
 * exist (a typo is not made into a new folder) and take a new file: a file is written there and
 * removed, since access(2) says yes to root on folders that refuse every write (/proc, /sys, a
 * read-only mount). FILE itself must not be a folder. A usage error (exit 2) otherwise. `example`:
 * the file name the hints suggest (start's report is JSON, doctor's a Markdown block).
 */
export function checkReportPath(path: string, example = 'report.json'): void {
  if (!path) throw new UsageError('--report needs a file name', `for example --report ${example}`);
  const file = resolve(path);
  const dir = dirname(file);
  const hint = `name a file in a folder you can write to, for example --report ./${example}`;
  const at = statOrUndefined(file);
  if (at?.isDirectory()) throw new UsageError(`--report ${path} is a folder, not a file`, `name a file in it, for example --report ${resolve(file, example)}`);
  const parent = statOrUndefined(dir);
  if (!parent) throw new UsageError(`--report ${path}: the folder ${dir} does not exist`, `make it first (mkdir -p ${dir}), or ${hint}`);
  if (!parent.isDirectory()) throw new UsageError(`--report ${path}: ${dir} is not a folder`, hint);
  const probe = resolve(dir, `.${process.pid}.${randomBytes(4).toString('hex')}.report-probe.tmp`);
  try {
    writeFileSync(probe, '', { flag: 'wx' });
  } catch (err) {
    throw new UsageError(`--report ${path}: cannot write in ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, hint);
  } finally {
    rmSync(probe, { force: true });
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError(`--report: cannot look at ${path} (${code ?? (err as Error).message})`, 'name a file in a folder you can write to');
  }
}
