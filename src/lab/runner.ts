/**
 * The runner: walks the lab's steps from the first not done, teaching each (interactive) or
 * solving it (--ci), saving progress after every change. On resume it re-checks the last done
 * step against the cloud while nothing after it has begun, and says when they disagree; only a
 * cloud that lost the lab's app makes it do something again (the deploy).
 * Ctrl-C (the policy's signal) stops at the next safe point: progress is already saved, and the
 * report still holds what was measured.
 */
import { CloudStoppedError, FileSystemError, InterruptedError, LabError } from '../errors.js';
import type { IoHost } from '../io/host.js';
import { runLiveChecks, type CheckResult } from './check.js';
import type { RunnerContext } from './context.js';
import type { ProgressStore } from './progress.js';
import type { ReferenceBook } from './reference.js';
import { overallOutcome, type LabReport, type StepReport } from './report.js';
import { solveStep } from './solver.js';
import { explainOf, type Step } from './step.js';
import { teachStep } from './teach.js';
import { afterQuitting, labCommand } from './outside.js';

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
  /** a step done again before `index`: the deploy, when the cloud lost the lab's app */
  let redo: Step | undefined;
  /**
   * The lab's own reference change made the cloud's current state in this run (it solved the step
   * before): the next step's checks must not already pass. Before that, the state is the
   * learner's or an earlier run's, and a step whose checks pass is already done.
   */
  let labMade = false;
  if (o.from !== undefined) {
    index = ids.indexOf(o.from);
    if (index < 0) throw new LabError(`no step "${o.from}"`, 2, `steps: ${ids.join(', ')}`);
  } else {
    const first = progress.firstPending(ids);
    index = first === undefined ? ids.length : ids.indexOf(first);
    // --ci in a workspace with progress (a learner's, a run stopped half way) goes on from there:
    // said first, so an instructor does not take this run for a check of the whole lab (start.ts
    // readyLine says at the end what it did check)
    if (ctx.ci && !o.only && index > 0 && index < ids.length) {
      io.say(
        `this workspace has progress: --ci goes on from step ${index + 1} (${ids[index]}); ${index === 1 ? 'step 1 was' : `steps 1–${index} were`} done before and ${index === 1 ? 'is' : 'are'} not run in this run. To check the whole lab, use a fresh workspace: ${labCommand(['start', '--ci'], { workspace: '<a new folder>', target: ctx.target })}`,
      );
    }
  }

  try {
    await repairOnStart(index, o);
    // catch up: earlier steps not done are brought to their end state for the learner (assisted)
    if (o.from !== undefined) {
      for (const earlier of steps.slice(0, index)) {
        if (progress.step(earlier.id).status === 'done') continue;
        io.say(`catching up on ${earlier.id} (${earlier.title}): the lab applies its reference change, marked assisted`);
        reports.push(await solveOne(earlier, o, { catchUp: true, labMade }));
        // Ctrl-C while catching up is a stop (130, progress saved), as in any step; it ended 'step
        // X did not pass' (1)
        if (reports.at(-1)!.outcome === 'interrupted' || ctx.signal.aborted) {
          interrupted = true;
          return finish();
        }
        if (reports.at(-1)!.outcome !== 'passed') return finish();
        labMade = changedByLab(reports.at(-1)!);
      }
    } else if (index > 0) {
      // resume: the cloud, not the file, says whether the lab's app is still there
      redo = await recheckOnResume(index, o);
    }
    const chapter = steps[index]?.chapter.id;
    const end = !o.only ? steps.length : o.onlyChapter ? steps.findLastIndex((s) => s.chapter.id === chapter) + 1 : index + 1;
    const order = [...(redo ? [steps.indexOf(redo)] : []), ...ids.slice(index, end).map((_, k) => index + k)];
    if (!order.length) {
      const where = { workspace: o.workspace, target: ctx.target };
      io.say(`every step is done. \`${labCommand(['list'], where)}\` shows them; \`${labCommand(['reset'], where)}\` starts over, \`${labCommand(['step'], where)} <id>\` redoes one.`);
      return finish();
    }
    for (const i of order) {
      const step = steps[i]!;
      const report = ctx.ci
        ? await solveOne(step, o, { catchUp: false, labMade })
        : await teachStep(step, { ...o, index: i, total: steps.length, ...(i === order.at(-1) ? { last: { next: nextAfter(steps[i + 1]) } } : {}) });
      reports.push(report);
      labMade = ctx.ci && changedByLab(report);
      if (report.quit) break;
      // Ctrl-C while the step's last checks ran (a measurement stops at its safe point, and the
      // step may still pass on what it measured): stop here, the step saved, whatever the mode;
      // the next step's intro and prompt would only be a wait for a stop already asked for
      if (ctx.signal.aborted) {
        interrupted = true;
        break;
      }
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

  /** the step after the run's last, with the commands that go on to it (`step <id>` ends before it) */
  function nextAfter(step: Step | undefined): { id: string; step: string; start: string } | undefined {
    if (!step) return undefined;
    const where = { workspace: o.workspace, target: ctx.target };
    return { id: step.id, step: labCommand(['step', step.id], where), start: labCommand(['start'], where) };
  }

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

/** the solver passed a step by applying its reference change (not by finding it done) */
function changedByLab(report: StepReport): boolean {
  return report.outcome === 'passed' && report.preCheckFailedAsExpected === true;
}

/**
 * The solver path for one step, with its heading, results and saved progress. `labMade`: the
 * lab's reference change of the step before made the cloud's state in this run (see solveStep's
 * mayBeDone).
 */
async function solveOne(step: Step, o: RunLabOptions, how: { catchUp: boolean; labMade: boolean }): Promise<StepReport> {
  const { ctx, progress } = o;
  const io = ctx.io;
  const at = o.steps.indexOf(step);
  ctx.stepId = step.id;
  ctx.assisting = true;
  ctx.catchingUp = how.catchUp;
  io.heading(`Step ${at + 1} of ${o.steps.length} · ${step.chapter.title}: ${step.title}`);
  // a learner catching up (start --from, step <id>) came for a later step: the proof that each
  // check fails before the change is the instructor's (--ci), not theirs
  const brief = how.catchUp && !ctx.ci;
  if (!brief) io.explain(explainOf(step, ctx));
  const resumed = progress.step(step.id).status === 'started';
  progress.update(step.id, (s) => {
    s.status = 'started';
    s.startedAt ??= new Date().toISOString();
  });
  const started = performance.now();
  let result;
  // the checks before the change, said before the change is made (solver.ts onBefore)
  const sayBefore = (before: CheckResult[], alreadyDone: boolean, notInFiles?: string): void => {
    if (notInFiles) {
      io.say(`every check of the cloud passes, but ${notInFiles}: the lab makes the change again, so that the steps after it deploy it`);
      if (!brief) for (const r of before) io.check(r);
    } else if (brief && !alreadyDone && before.some((r) => r.status !== 'passed')) {
      const failing = before.filter((r) => r.status !== 'passed').length;
      io.say(`before the change, ${failing} of ${before.length} checks did not pass, as expected`);
    } else {
      io.say(!alreadyDone ? 'checks before the change (they should not all pass):' : resumed ? 'checks of the change begun before the interruption:' : 'every check passes before the lab changed anything: the change is in the cloud already');
      for (const r of before) io.check(r);
    }
  };
  try {
    result = await solveStep(step, ctx, { mayBeDone: resumed || !how.labMade, onBefore: sayBefore });
  } catch (err) {
    if (err instanceof InterruptedError || ctx.signal.aborted) {
      // the step where it stopped, only: the command ends with the one word of how to go on
      // (start.ts: "progress saved; this goes on from here" and its command). This line said it
      // too, "run start again", so a Ctrl-C in a catch-up's load test printed two of them
      io.say(`stopped in ${step.id}, as Ctrl-C asked`);
      return { ...base(step, progress, started), outcome: 'interrupted', after: [], learnerMessage: 'interrupted' };
    }
    // a full disk or a read-only file stops the lab (exit 3): it is no failure of the step
    if (err instanceof FileSystemError) throw err;
    // the local cloud gone is the environment's (exit 3, start says how to go on), not the step's failure
    if (err instanceof LabError && !(err instanceof CloudStoppedError)) {
      io.warn(`${step.id}: ${err.message}${err.hint ? ` (${err.hint})` : ''}`);
      return { ...base(step, progress, started), outcome: 'failed', after: [], learnerMessage: err.message, instructorMessage: `${step.id} failed: ${err.message}` };
    }
    throw err;
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
    const why = result.alreadyDone ? (resumed ? ' (finished while the lab was stopped)' : ' (already done in the cloud: recorded as done)') : how.catchUp ? ' (caught up for you)' : '';
    io.say(`✓ ${step.id} done${why}`);
    if (step.afterPass) await step.afterPass(ctx);
  } else {
    progress.update(step.id, (s) => {
      s.attempts += 1;
    });
    io.warn(`${step.id}: ${result.learnerMessage}`);
    // the line apart for an instructor under --ci; a learner (a catch-up, --assisted) reads it as what the lab found
    if (result.instructorMessage) io.say(`${ctx.ci ? 'for the instructor' : 'what the lab found'}: ${result.instructorMessage}`);
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
 * Before any step: the cloud against the workspace's deploy record (LabContext.repairCloud). What
 * the last deploy left and the cloud lost (a damaged state file moved away, a function deleted by
 * hand) is put back as it was, and the step goes on from there: a deploy of the learner's change
 * then releases it from the old version, as the step means. When it cannot be put back (an older
 * workspace kept no copy of its code) and a step has begun, going on would deploy the learner's
 * edited files as a new function's first version, with no release to follow; the run stops and
 * names the way out instead: that step reset, and start again, which deploys its starting files.
 */
async function repairOnStart(index: number, o: RunLabOptions): Promise<void> {
  const { steps, ctx, progress } = o;
  const r = await ctx.repairCloud?.();
  if (!r) return;
  const step = steps[index];
  if ('repaired' in r) {
    ctx.io.warn(r.repaired);
    ctx.io.say(
      step
        ? `nothing of your sam-app/ changed: ${step.id} goes on from the state your last deploy left, and a deploy of your change releases it from there`
        : 'nothing of your sam-app/ changed: the cloud is back as your last deploy left it',
    );
    return;
  }
  const begun = steps.slice(index).some((s) => progress.step(s.id).status !== 'pending');
  if (!step || index === 0 || !begun) {
    // nothing begun: the resume's re-check finds the app gone and deploys sam-app/ again
    ctx.io.warn(`${r.cannot}: the deploy step creates it again from your sam-app/ as it is`);
    return;
  }
  const where = { workspace: o.workspace, target: o.ctx.target };
  throw new LabError(
    r.cannot,
    undefined,
    `\`${labCommand(['reset', step.id], where)}\` puts ${step.id}'s files back as the step starts (yours are copied to backups/), then \`${labCommand(['start'], where)}\` deploys them again and ${step.id} starts from there; \`${labCommand(['reset'], where)}\` starts the whole lab over`,
  );
}

/**
 * Resume: progress is a memory, the cloud is the truth, but a done step's checks describe the
 * cloud as that step left it. So the last step marked done is re-checked only while it is the last
 * step touched: once a later step has begun or is done, that step's change legitimately alters
 * what the earlier checks see (a canary takes 10 % of the stage's traffic; a new release is no
 * longer the one the hook refused), and nothing is re-checked. A re-check that disagrees while the
 * lab's app still answers is a warning and nothing more: the learner most likely moved on outside
 * the lab (deployed the next step's files), and the step stays done; nothing of sam-app/ is
 * touched. Only when the app itself is gone from the cloud (a wiped local cloud, a deleted stack,
 * another account or region) is something done again: the first step, which deploys sam-app/ as
 * it is. An app that is there and answers a 5xx (a reservation of 0 throttles every call) is not
 * gone: a deploy would not mend it, and the first step could never pass; the warning says what is
 * wrong and the command that mends it, and the learner stays at their step. Steps after it that
 * ran before a `reset` made them pending again left their deployments in the cloud: a re-check
 * that sees them is said as that, not as a change of the learner's. Returns the step to do again,
 * or undefined.
 */
async function recheckOnResume(index: number, o: RunLabOptions): Promise<Step | undefined> {
  const { steps, ctx, progress } = o;
  const io = ctx.io;
  const last = steps[index - 1]!;
  if (steps.slice(index).some((s) => progress.step(s.id).status !== 'pending')) return undefined;
  io.say(`resuming after ${last.id}: checking that the cloud still agrees…`);
  // what the next step's prepare puts back (it says so when it does) is not missing, only not back yet
  const restored = new Set(steps[index]?.restoresFromPrevious ?? []);
  const off = (await checksOff(last, o)).filter((r) => !restored.has(r.name));
  if (!off.length) return undefined;
  if (off.some((r) => r.status === 'could-not-check')) {
    // the environment, not the progress: the next step meets it too, and says how to fix it
    io.warn(`could not re-check ${last.id} against the cloud; going on from the progress file:`);
    for (const r of off) io.check(r);
    return undefined;
  }
  const app = steps[0]!;
  const appOff = last === app ? off : await checksOff(app, o);
  const failing = appOff.filter((r) => r.serverError !== undefined);
  if (failing.length && appOff.every((r) => r.serverError !== undefined)) {
    // the app is there and answers a 5xx (a reservation of 0 throttles every call, a function
    // error): deploying it again would not change that, and its step could never pass; the
    // learner stays where they are, told what is wrong and how to put it right
    io.warn(`progress says ${last.id} is done, and the lab's app is in the cloud, but it fails:`);
    for (const r of failing) io.check(r);
    for (const r of off.filter((r) => !appOff.some((a) => a.name === r.name))) io.check(r.status === 'not-yet' ? { ...r, hint: undefined } : r);
    const next = steps[index];
    io.say(`${last.id} stays done and the lab goes on${next ? ` with ${next.id}` : ''}; do what is said above to make the app answer 200 again (a deploy would not change it, so the lab deploys nothing)`);
    return undefined;
  }
  if (appOff.length && appOff.every((r) => r.status === 'not-yet')) {
    io.warn(`progress says ${last.id} is done, but the cloud no longer holds the lab's app (a wiped local cloud, a deleted stack, another account or region?):`);
    for (const r of appOff) io.check(r);
    progress.update(app.id, (s) => {
      s.status = 'started';
    });
    io.say(
      last === app
        ? `doing ${app.id} again`
        : `doing ${app.id} again (it deploys your sam-app/ as it is); what the steps after it changed in the cloud alone is not redone; to start over, ${afterQuitting({ workspace: o.workspace, target: o.ctx.target }, [['reset']])}`,
    );
    return app;
  }
  // steps after this one that ran before a reset made them pending again: their deployments are
  // the cloud's newest, and this step's checks see them (a reset changes files and progress, never
  // the cloud); said as such, not as a change of the learner's (LabProgress.undone)
  const undone = progress.undone;
  const doneAt = progress.step(last.id).doneAt;
  const ranBefore = undone && (!doneAt || doneAt <= undone.at) ? steps.slice(index).filter((s) => undone.steps.includes(s.id)).map((s) => s.id) : [];
  if (ranBefore.length) {
    // a reset early in the lab undoes a dozen: the first named, the rest counted
    const names = ranBefore.length <= 2 ? ranBefore.join(' and ') : `${ranBefore[0]} and the ${ranBefore.length - 1} steps after it`;
    const seen = off.map((r) => r.found).filter((f): f is string => !!f);
    io.say(
      `${last.id}'s checks now see what ${names} left in the cloud before the reset made ${ranBefore.length === 1 ? 'it' : 'them'} pending again${seen.length ? ` (${seen.join('; ')})` : ''}: a reset puts back files and progress, not the cloud; ${last.id} stays done`,
    );
    return undefined;
  }
  io.warn(`progress says ${last.id} is done, but the cloud now shows otherwise:`);
  // what differs, without the step's hints: they say how to pass a step the learner is doing
  // ("does your hook report Failed? … press d"), and this one stays done
  for (const r of off) io.check(r.status === 'not-yet' ? { ...r, hint: undefined } : r);
  io.say(`a later change does this (the next step's files deployed with \`${labCommand(['deploy'], { target: o.ctx.target })}\`, say): ${last.id} stays done; to do it again, ${afterQuitting({ workspace: o.workspace, target: o.ctx.target }, [['step', last.id]])}`);
  return undefined;
}

/** the step's live checks that do not pass now (a check run that threw: none) */
async function checksOff(step: Step, o: RunLabOptions): Promise<CheckResult[]> {
  const { ctx } = o;
  ctx.stepId = step.id;
  try {
    return (await runLiveChecks(step.liveChecks, ctx)).filter((r) => r.status !== 'passed');
  } catch (err) {
    if (err instanceof InterruptedError || ctx.signal.aborted) throw err;
    return [];
  }
}

export type { IoHost };
