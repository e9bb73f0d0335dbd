/**
 * `<workspace>/.lab/progress.json`: per step its status, whether it was done for the learner
 * (assisted), attempts, hints shown and the figures measured. Rewritten atomically after every
 * change (rustlings' state file, githug's attempts and hint index), so Ctrl-C or a crash anywhere
 * leaves the last consistent state; progress.json.bak holds the same (workspace.ts writeLabFile),
 * for a file that something else damaged. It is a memory, not the truth: on resume the runner re-checks
 * the cloud before trusting a "done".
 */
import { join } from 'node:path';
import { ExitCode, LabError } from '../errors.js';
import type { FigureValue } from './context.js';
import { lastGoodWriteHint, PROGRESS_FILE, readJsonFile, writeLabFile, type Workspace } from './workspace.js';
import { labCommand } from './outside.js';

export type StepStatus = 'pending' | 'started' | 'done';

export interface StepProgress {
  status: StepStatus;
  /** "do it for me" was taken (or --ci, or `step <id>` caught up on it) */
  assisted: boolean;
  /** live checks run that did not all pass */
  attempts: number;
  hintsShown: number;
  figures: Record<string, FigureValue>;
  startedAt?: string;
  doneAt?: string;
}

export interface LabProgress {
  schema: 1;
  target: 'local' | 'aws';
  startedAt: string;
  updatedAt: string;
  steps: Record<string, StepProgress>;
  /** the CodeDeploy deployment a live view followed and did not see end (lab/session.ts says its end on resume) */
  following?: { deploymentId: string; stepId: string };
  /**
   * The steps a `reset STEP` made pending again after they had begun, and when. A reset changes
   * files and progress, never the cloud: what those steps deployed is still there, newest, and an
   * earlier step's checks see it (hooks-failing's "the hook refused the release" finds hooks-errors'
   * release). The resume's re-check (runner.ts) does not take that for a change of the learner's.
   */
  undone?: { at: string; steps: string[] };
}

export function progressPath(ws: Workspace): string {
  return join(ws.labDir, PROGRESS_FILE);
}

export function emptyStep(): StepProgress {
  return { status: 'pending', assisted: false, attempts: 0, hintsShown: 0, figures: {} };
}

/**
 * The progress of a workspace, saved on every change. Steps are kept in a Map (ids come from the
 * file, which a learner may have edited).
 */
export class ProgressStore {
  readonly path: string;
  #data: LabProgress;
  #steps: Map<string, StepProgress>;
  readonly #now: () => Date;

  private constructor(path: string, data: LabProgress, now: () => Date) {
    this.path = path;
    this.#data = data;
    this.#steps = new Map(Object.entries(data.steps));
    this.#now = now;
  }

  static load(ws: Workspace, target: 'local' | 'aws', now: () => Date = () => new Date()): ProgressStore {
    const path = progressPath(ws);
    const found = readJsonFile<LabProgress>(path);
    if (found !== undefined && (found === null || typeof found !== 'object' || found.schema !== 1 || typeof found.steps !== 'object' || found.steps === null)) {
      const putBack = lastGoodWriteHint(path);
      const restore = putBack ? `${putBack}, or ` : '';
      throw new LabError(`${path} is not a progress file of this lab version`, ExitCode.environment, `${restore}run \`${labCommand(['reset'], { workspace: ws.root, target })}\` to start over, or move it away`);
    }
    const stamp = now().toISOString();
    return new ProgressStore(path, found ?? { schema: 1, target, startedAt: stamp, updatedAt: stamp, steps: {} }, now);
  }

  get exists(): boolean {
    return this.#steps.size > 0;
  }
  get target(): 'local' | 'aws' {
    return this.#data.target;
  }
  get startedAt(): string {
    return this.#data.startedAt;
  }

  get following(): { deploymentId: string; stepId: string } | undefined {
    const f = this.#data.following;
    return f && typeof f === 'object' && typeof f.deploymentId === 'string' && typeof f.stepId === 'string' ? f : undefined;
  }

  /** records (or with undefined, forgets) the deployment a live view follows */
  setFollowing(f: { deploymentId: string; stepId: string } | undefined): void {
    if (f?.deploymentId === this.following?.deploymentId) return;
    const { following: _gone, ...rest } = this.#data;
    const data: LabProgress = { ...rest, updatedAt: this.#now().toISOString(), ...(f ? { following: f } : {}) };
    writeLabFile(this.path, `${JSON.stringify(data, null, 2)}\n`);
    this.#data = data;
  }

  step(id: string): StepProgress {
    const s = this.#steps.get(id);
    return s ? { ...s, figures: { ...s.figures } } : emptyStep();
  }

  /** changes one step and writes the file at once (new state first, then it counts) */
  update(id: string, change: (s: StepProgress) => void): StepProgress {
    const next = this.step(id);
    change(next);
    const steps = new Map(this.#steps);
    steps.set(id, next);
    const data: LabProgress = { ...this.#data, updatedAt: this.#now().toISOString(), steps: Object.fromEntries(steps) };
    writeLabFile(this.path, `${JSON.stringify(data, null, 2)}\n`);
    this.#data = data;
    this.#steps = steps;
    return next;
  }

  /** what resets made pending after it had begun (LabProgress.undone); undefined when nothing was */
  get undone(): { at: string; steps: readonly string[] } | undefined {
    const u = this.#data.undone;
    return u && typeof u === 'object' && typeof u.at === 'string' && Array.isArray(u.steps) ? u : undefined;
  }

  /** forgets one step (reset STEP), remembering those that had begun (`undone`), or all of them */
  clear(ids?: readonly string[]): void {
    const steps = new Map(ids ? this.#steps : []);
    for (const id of ids ?? []) steps.delete(id);
    const stamp = this.#now().toISOString();
    const begun = (ids ?? []).filter((id) => (this.#steps.get(id)?.status ?? 'pending') !== 'pending');
    const { undone: before, ...rest } = this.#data;
    const undone = !ids ? undefined : begun.length ? { at: stamp, steps: [...new Set([...(this.undone?.steps ?? []), ...begun])] } : before;
    const data: LabProgress = { ...rest, updatedAt: stamp, steps: Object.fromEntries(steps), ...(undone ? { undone } : {}) };
    writeLabFile(this.path, `${JSON.stringify(data, null, 2)}\n`);
    this.#data = data;
    this.#steps = steps;
  }

  /** every step's figures, by step id */
  allFigures(): Record<string, Record<string, FigureValue>> {
    return Object.fromEntries([...this.#steps].map(([id, s]) => [id, { ...s.figures }]));
  }

  /** the first of `order` not done */
  firstPending(order: readonly string[]): string | undefined {
    return order.find((id) => this.step(id).status !== 'done');
  }
}
