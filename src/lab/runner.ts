/**
 * The runner: walks the lab's steps from the first not done, teaching each (interactive) or
 * solving it (--ci), saving progress after every change. On resume it re-checks the last done
 * step against the cloud before trusting the progress file, and says when they disagree.
 * Ctrl-C (the policy's signal) stops at the next safe point: progress is already saved, and the
 * report still holds what was measured.
 */
import { InterruptedError, LabError } from '../errors.js';
import type { IoHost } from '../io/host.js';
import { runLiveChecks, type CheckResult } from './check.js';
import type { RunnerContext } from './context.js';
import type { ProgressStore } from './progress.js';
import type { ReferenceBook } from './reference.js';
import { overallOutcome, type LabReport, type StepReport } from './report.js';
import { solveStep } from './solver.js';
import type { Step } from './step.js';
import { teachStep } from './teach.js';

export interface RunLabOptions {
  steps: readonly Step[];
  ctx: RunnerContext;
  progress: ProgressStore;
  reference: ReferenceBook;
  /** --from STEP (or `step <id>`): start there, catching up on earlier steps first */
  from?: string;
  /** `step <id>`: that step only */
  only?: boolean;
  /** `step <chapter>`: every step of the chapter `from` starts */
  onlyChapter?: boolean;
  /** --assisted: "do it for me" is the default choice */
  assisted: boolean;
  version: string;
  /** for the report header */
  workspace: string;
}

export async function runLab(o: RunLabOptions): Promise<LabReport> {
  const { steps, ctx, progress } = o;
  const io = ctx.io;
  const started = new Date();
  const reports: StepReport[] = [];
  let interrupted = false;
  const ids = steps.map((s) => s.id);

  let index = 0;
  if (o.from !== undefined) {
    index = ids.indexOf(o.from);
    if (index < 0) throw new LabError(`no step "${o.from}"`, 2, `steps: ${ids.join(', ')}`);
  } else {
    const first = progress.firstPending(ids);
    index = first === undefined ? ids.length : ids.indexOf(first);
  }

  try {
    // catch up: earlier steps not done are brought to their end state for the learner (assisted)
    if (o.from !== undefined) {
      for (const earlier of steps.slice(0, index)) {
        if (progress.step(earlier.id).status === 'done') continue;
        io.say(`catching up on ${earlier.id} (${earlier.title}): the lab applies its reference change, marked assisted`);
        reports.push(await solveOne(earlier, o, { catchUp: true }));
        if (reports.at(-1)!.outcome !== 'passed') return finish();
      }
    } else if (index > 0) {
      // resume: trust the cloud, not the file
      const last = steps[index - 1]!;
      if (!(await stillDone(last, o))) index -= 1;
    }
    if (index >= ids.length) {
      io.say(`every step is done. \`serverless-ops-lab list\` shows them; \`serverless-ops-lab reset\` starts over, \`serverless-ops-lab step <id>\` redoes one.`);
      return finish();
    }
    const chapter = steps[index]!.chapter.id;
    const end = !o.only ? steps.length : o.onlyChapter ? steps.findLastIndex((s) => s.chapter.id === chapter) + 1 : index + 1;
    for (let i = index; i < end; i++) {
      const step = steps[i]!;
      const report = ctx.ci ? await solveOne(step, o, { catchUp: false }) : await teachStep(step, { ...o, index: i, total: steps.length });
      reports.push(report);
      if (report.quit) break;
      if (report.outcome === 'interrupted') {
        interrupted = true;
        break;
      }
      if (report.outcome !== 'passed') break;
    }
  } catch (err) {
    if (!(err instanceof InterruptedError) && !ctx.signal.aborted) throw err;
    interrupted = true;
  }
  return finish();

  function finish(): LabReport {
    const finished = new Date();
    return {
      schema: 1,
      tool: 'serverless-ops-lab',
      version: o.version,
      target: ctx.target,
      mode: ctx.ci ? 'ci' : 'interactive',
      workspace: o.workspace,
      speed: ctx.speed,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      outcome: overallOutcome(reports, interrupted),
      steps: reports,
      instructorNotes: ctx.notes,
    };
  }
}

/** the solver path for one step, with its heading, results and saved progress */
async function solveOne(step: Step, o: RunLabOptions, how: { catchUp: boolean }): Promise<StepReport> {
  const { ctx, progress } = o;
  const io = ctx.io;
  const at = o.steps.indexOf(step);
  ctx.stepId = step.id;
  ctx.assisting = true;
  io.heading(`Step ${at + 1} of ${o.steps.length} · ${step.chapter.title}: ${step.title}`);
  // a learner catching up (start --from, step <id>) came for a later step: the proof that each
  // check fails before the change is the instructor's (--ci), not theirs
  const brief = how.catchUp && !ctx.ci;
  if (!brief) io.explain(step.explain);
  const resumed = progress.step(step.id).status === 'started';
  progress.update(step.id, (s) => {
    s.status = 'started';
    s.startedAt ??= new Date().toISOString();
  });
  const started = performance.now();
  let result;
  try {
    result = await solveStep(step, ctx, { resumed });
  } catch (err) {
    if (err instanceof InterruptedError || ctx.signal.aborted) {
      io.say(`interrupted in ${step.id}: progress is saved; run start again to go on`);
      return { ...base(step, progress, started), outcome: 'interrupted', after: [], learnerMessage: 'interrupted' };
    }
    if (err instanceof LabError) {
      io.warn(`${step.id}: ${err.message}${err.hint ? ` (${err.hint})` : ''}`);
      return { ...base(step, progress, started), outcome: 'failed', after: [], learnerMessage: err.message, instructorMessage: `${step.id} failed: ${err.message}` };
    }
    throw err;
  }
  if (brief && !result.alreadyDone && result.before.some((r) => r.status !== 'passed')) {
    const failing = result.before.filter((r) => r.status !== 'passed').length;
    io.say(`before the change, ${failing} of ${result.before.length} checks did not pass, as expected`);
  } else {
    io.say(result.alreadyDone ? 'checks of the change begun before the interruption:' : 'checks before the change (they should not all pass):');
    for (const r of result.before) io.check(r);
  }
  if (result.after.length && !result.alreadyDone) {
    io.say('checks after the change:');
    for (const r of result.after) io.check(r);
    io.checkSummary(result.after);
  }
  if (result.outcome === 'passed') {
    progress.update(step.id, (s) => {
      s.status = 'done';
      s.assisted ||= !result.alreadyDone;
      s.doneAt = new Date().toISOString();
    });
    io.say(`✓ ${step.id} done${how.catchUp ? ' (caught up for you)' : result.alreadyDone ? ' (finished while the lab was stopped)' : ''}`);
  } else {
    progress.update(step.id, (s) => {
      s.attempts += 1;
    });
    io.warn(`${step.id}: ${result.learnerMessage}`);
    if (result.instructorMessage) io.say(`for the instructor: ${result.instructorMessage}`);
  }
  return {
    ...base(step, progress, started),
    outcome: result.outcome,
    before: result.before,
    preCheckFailedAsExpected: result.preCheckFailedAsExpected,
    after: result.after,
    learnerMessage: result.learnerMessage,
    instructorMessage: result.instructorMessage,
  };
}

export function base(step: Step, progress: ProgressStore, startedMs: number): Omit<StepReport, 'outcome' | 'after'> {
  const p = progress.step(step.id);
  return {
    id: step.id,
    chapter: step.chapter.id,
    title: step.title,
    assisted: p.assisted,
    attempts: p.attempts,
    hintsShown: p.hintsShown,
    durationMs: Math.round(performance.now() - startedMs),
    figures: p.figures,
  };
}

/**
 * Resume: the last step marked done is re-checked against the cloud. When the cloud disagrees,
 * the learner hears what differs, and that step is done again.
 */
async function stillDone(step: Step, o: RunLabOptions): Promise<boolean> {
  const { ctx, progress } = o;
  const io = ctx.io;
  io.say(`resuming after ${step.id}: checking that the cloud still agrees…`);
  let results: CheckResult[];
  ctx.stepId = step.id;
  try {
    results = await runLiveChecks(step.liveChecks, ctx);
  } catch (err) {
    if (err instanceof InterruptedError || ctx.signal.aborted) throw err;
    results = [];
  }
  const off = results.filter((r) => r.status !== 'passed');
  if (!off.length) return true;
  io.warn(`progress says ${step.id} is done, but the cloud disagrees:`);
  for (const r of off) io.check(r);
  progress.update(step.id, (s) => {
    s.status = 'started';
  });
  io.say(`doing ${step.id} again`);
  return false;
}

export type { IoHost };
