/**
 * One step taught to a learner at a terminal (or a scripted one, in tests). The learner makes the
 * change; the lab explains, watches sam-app/, runs the static checks on every save, deploys on
 * request, follows what the change sets off, and verifies the live result. Help is a ladder
 * climbed by choice: hints (state-aware first), the docs, the change itself, "do it for me". A pass
 * never moves on by itself.
 */
import { join } from 'node:path';
import { CloudStoppedError, connectionLost, InterruptedError, LabError, LearnerQuit } from '../errors.js';
import type { KeyItem } from '../io/host.js';
import { runLiveChecks, runStaticChecks, workspaceFiles, type CheckResult, type LiveCheck } from './check.js';
import type { RunnerContext } from './context.js';
import type { ProgressStore } from './progress.js';
import { COMPARISON_SIDES, type ReferenceBook } from './reference.js';
import type { StepReport } from './report.js';
import { base } from './runner.js';
import { changeNotInFiles, checkAndMeasure, deployChange, untilReadyToDeploy } from './solver.js';
import { explainOf, type Step } from './step.js';
import { watchSamApp } from './watcher.js';

export interface TeachOptions {
  steps: readonly Step[];
  ctx: RunnerContext;
  progress: ProgressStore;
  reference: ReferenceBook;
  assisted: boolean;
  index: number;
  total: number;
  /**
   * The last step this run teaches (`step <id>`, the end of `step <chapter>`, wrap-up): Enter ends
   * the run, so its prompt does not offer a next step; `next` is the lab's step after it, if any,
   * with the commands that go on to it.
   */
  last?: { next?: { id: string; step: string; start: string } };
}

type How = 'self' | 'show' | 'apply' | 'quit';

/** after this many failed checks, the lab says once which keys help (githug) */
const NUDGE_AFTER = 3;

/**
 * One step, taught. q in a live view (the deployment view: LearnerQuit) stops the step as q at a
 * prompt does: the lab ends, progress saved, and says the command that goes on from here.
 */
export async function teachStep(step: Step, o: TeachOptions): Promise<StepReport> {
  const started = performance.now();
  try {
    return await teachStepUntilQuit(step, o);
  } catch (err) {
    if (!(err instanceof LearnerQuit)) throw err;
    return { ...base(step, o.progress, started), outcome: 'interrupted', after: [], learnerMessage: 'stopped by the learner', quit: true };
  }
}

async function teachStepUntilQuit(step: Step, o: TeachOptions): Promise<StepReport> {
  const { ctx, progress } = o;
  const io = ctx.io;
  const started = performance.now();
  ctx.stepId = step.id;
  ctx.assisting = false;
  ctx.catchingUp = false;
  // begun before the lab stopped (Ctrl-C while CodeDeploy shifted, q mid-step): its change may have finished since
  const resumed = progress.step(step.id).status === 'started';
  progress.update(step.id, (s) => {
    s.status = 'started';
    s.startedAt ??= new Date().toISOString();
  });

  io.heading(`Step ${o.index + 1} of ${o.total} · ${step.chapter.title}${step.chapter.section ? ` (${step.chapter.section})` : ''}: ${step.title}`);
  io.explain(explainOf(step, ctx));
  io.say(`Goal: ${step.goal}`);
  // prepare first: a command may name what it sets up (the canary's new version)
  if (step.prepare) await step.prepare(ctx);
  describeAction(step, o);

  let last: CheckResult[] = [];
  let nudged = false;
  let passed = false;
  let watchWarned = false;

  const done = async (assisted: boolean): Promise<StepReport> => {
    progress.update(step.id, (s) => {
      s.status = 'done';
      s.assisted ||= assisted;
      s.doneAt = new Date().toISOString();
    });
    // a Ctrl-C asked for while the checks ran (a measurement stopped at its safe point): the step
    // is done and saved, and the lab stops here, as Ctrl-C means; no prompt, no next step's intro
    // (the runner stops on the aborted signal: teach and --ci alike)
    if (ctx.signal.aborted) {
      io.say('step done ✓ (saved); stopping, as Ctrl-C asked');
      if (step.afterPass) await step.afterPass(ctx);
      return { ...base(step, progress, started), outcome: 'passed', after: last, learnerMessage: assisted ? 'done for you' : 'done' };
    }
    // `step <id>` runs that step on its own (README, --help): Enter ends it, and the prompt says so
    // rather than offer a next step it does not take
    const ending = o.last;
    io.say(
      ending
        ? `step done ✓ — look around (the commands above work as they are); Enter to end here${ending.next ? `. The next step, ${ending.next.id}: \`${ending.next.step}\`, or \`${ending.next.start}\` to go on from it` : ''}`
        : 'step done ✓ — look around (the commands above work as they are); Enter for the next step, q to stop',
    );
    if (!assisted && step.action.kind === 'edit') {
      const diff = o.reference.diff(step.id, ctx.ws, COMPARISON_SIDES);
      if (diff) {
        io.say('for comparison, where your files differ from the reference change:');
        io.diff(diff);
      }
    }
    // after the comparison above, which reads the files as the learner left them
    if (step.afterPass) await step.afterPass(ctx);
    const next = ending
      ? await io.key('end?', [{ key: 'n', label: 'end here (progress is saved)' }, { key: 'q', label: 'quit (progress is saved)' }], 'n')
      : await io.key('next?', [{ key: 'n', label: 'next step' }, { key: 'q', label: 'quit (progress is saved)' }], 'n');
    return { ...base(step, progress, started), outcome: 'passed', after: last, learnerMessage: assisted ? 'done for you' : 'done', ...(next === 'q' ? { quit: true } : {}) };
  };

  /** the step's live checks (or some of them), under a spinner */
  const runChecks = async (label: string, checks: readonly LiveCheck[] = step.liveChecks): Promise<CheckResult[]> => {
    const spinner = io.progress(label);
    try {
      return await runLiveChecks(checks, ctx);
    } finally {
      spinner.stop();
    }
  };
  /**
   * The checks after the learner's own change (r, a resumed step): a step that measures (the
   * canary's split) measures once its settings checks pass, as "do it for me" would, so a learner
   * who ran the commands can pass, and passes as themself. The spinner stops while it measures.
   */
  const checkMeasuring = (label: string): Promise<CheckResult[]> => checkAndMeasure(step, ctx, { run: (checks) => runChecks(label, checks) });
  /**
   * Each check with its `aws` equivalent, except a passed one under --assisted: there the lab made
   * the change, in a time-boxed room, and a passed check's name and finding say what holds; the
   * commands stay in the report (--report, --json) and in every failing check, where the learner
   * needs them to look. A learner who makes the change meets every command.
   */
  const showChecks = (results: readonly CheckResult[]): void => {
    for (const r of results) io.check(o.assisted && r.status === 'passed' ? { ...r, aws: undefined } : r);
    io.checkSummary(results);
  };

  /** measure: the learner made the change (r), so nothing has measured it yet */
  const verify = async (measure = false): Promise<boolean> => {
    // the heading above names the step: the spinner says only what runs
    const results = measure ? await checkMeasuring('running the checks') : await runChecks('running the checks');
    last = results;
    showChecks(results);
    const ok = results.every((r) => r.status === 'passed');
    if (!ok && !results.some((r) => r.status === 'could-not-check')) {
      const p = progress.update(step.id, (s) => {
        s.attempts += 1;
      });
      if (p.attempts >= NUDGE_AFTER && !nudged) {
        nudged = true;
        io.say('stuck? h gives a hint (press again for the next), s shows the change, a does it for you.');
      }
    }
    return ok;
  };

  const applyForLearner = async (): Promise<void> => {
    io.say('doing it for you:');
    const shown = await step.solve.show(ctx);
    // what the lab does: the command it runs, else the change it writes (a command step's diff,
    // the same change in a SAM template, stays behind "show me the change"). An action that
    // prints the command it runs as it runs it (the load tests' chart prints its loadtest and hey:
    // showsCommand) is not said twice: concurrency-baseline's loadtest came out twice here
    if (!step.solve.showsCommand) {
      if (shown.command) io.command(shown.command);
      else if (shown.diff) io.diff(shown.diff);
    }
    progress.update(step.id, (s) => {
      s.assisted = true;
    });
    ctx.assisting = true;
    try {
      await step.solve.apply(ctx);
    } catch (err) {
      // the cloud gone part way through the commands above: which of them ran, the lab cannot
      // tell from here; the next start checks the step and goes on from what holds (resumed)
      const code = ctx.target === 'local' && !(err instanceof CloudStoppedError) ? connectionLost(err) : undefined;
      if (!code) throw err;
      const what = shown.command && shown.command.split('\n').length > 1 ? 'which of the commands above ran' : 'whether the change above was made';
      throw new CloudStoppedError(`the local cloud stopped while the lab ran ${step.id}, doing it for you (${code}): the lab cannot tell ${what}; the next start checks the step and goes on from what holds`);
    }
    if (step.action.kind === 'edit') await untilReadyToDeploy(step, ctx);
    await afterChange(true);
  };

  /**
   * The deploy (an edit step) and what follows it. `forLearner`: "do it for me", where the lab
   * makes a new version itself when its deploy released nothing; else (d) it offers to.
   */
  const afterChange = async (forLearner: boolean): Promise<void> => {
    if (step.action.kind === 'edit') {
      if (step.notes?.length) io.explain(step.notes);
      const released = await deployChange(step, ctx, forLearner ? undefined : (question) => io.confirm(question, true, ctx.signal));
      if (!released) return;
    }
    if (step.follow) await step.follow(ctx);
  };

  const runAction = async (): Promise<void> => {
    await step.solve.apply(ctx);
    if (step.follow) await step.follow(ctx);
  };

  /**
   * a failed deploy or command is the learner's to fix: says it (the step stays open); false for any
   * other error (the local cloud gone ends the run: every next key would meet it too)
   */
  const warnLearnerError = (err: unknown): boolean => {
    if (!(err instanceof LabError) || err instanceof InterruptedError || err instanceof CloudStoppedError || err instanceof LearnerQuit) return false;
    io.warn(`${err.message}${err.hint ? `\n  ${err.hint}` : ''}`);
    return true;
  };

  // A step begun before the lab stopped whose checks all pass now is done: its change finished
  // while the lab was away (their failing before any change is what --ci proves of every step).
  if (resumed && !step.readOnly && step.liveChecks.length) {
    const results = await checkMeasuring('checking the change you began before the lab stopped');
    if (results.every((r) => r.status === 'passed')) {
      last = results;
      io.say('the change you began before the lab stopped has finished:');
      showChecks(results);
      return done(false);
    }
  }

  // the first choice: who makes the change (a 'run' step is the lab's own action: x runs it)
  let applied = false;
  if (step.action.kind !== 'run') {
    const how = await io.choose<How>(
      'How do you want to make this change?',
      [
        { value: 'self', label: "I'll do it", description: step.action.kind === 'edit' ? 'in your editor; the lab watches the file' : 'in another terminal; the lab checks the result' },
        { value: 'show', label: 'show me the change', description: 'then you make it' },
        { value: 'apply', label: 'do it for me', description: 'recorded as assisted' },
        { value: 'quit', label: 'quit', description: 'progress is saved', key: 'q' },
      ],
      o.assisted ? 'apply' : 'self',
    );
    if (how === 'quit') return { ...base(step, progress, started), outcome: 'interrupted', after: last, learnerMessage: 'stopped by the learner', quit: true };
    if (how === 'show') await showChange(step, o);
    if (how === 'apply') {
      applied = true;
      await applyForLearner();
      passed = await verify();
      if (passed) return done(true);
    }
  } else if (o.assisted) {
    // --assisted: a 'run' step's action (a deploy, a load test) runs at once, as x would run it;
    // the learner already chose to go on at "next?", and reads the step while it runs
    progress.update(step.id, (s) => {
      s.assisted = true;
    });
    try {
      await runAction();
      if (await verify()) return done(true);
    } catch (err) {
      if (!warnLearnerError(err)) throw err;
    }
  }

  // a change already in the files when the watch starts (made before the lab stopped: Ctrl-C in
  // "do it for me"'s deploy, or saved while it was not running) is found now, not at the next save
  let ready = !applied && (await changeAlreadyInFiles(step, o));
  if (ready) io.say('your files already hold this change (the checks above pass): d deploys it');

  const keys = keysFor(step);
  for (;;) {
    io.footer({ step: o.index + 1, of: o.total, title: `${step.chapter.id}: ${step.title}`, file: step.action.kind === 'edit' ? join(ctx.ws.samApp, step.action.file) : undefined, keys });
    const changed = new AbortController();
    const watcher =
      step.action.kind === 'edit'
        ? watchSamApp(
            ctx.ws.samApp,
            () => changed.abort(),
            (err) => {
              if (!watchWarned) io.warn(`cannot watch sam-app/ for saves here (${err.message}): press r after saving to re-check`);
              watchWarned = true;
            },
          )
        : undefined;
    let key: string | undefined;
    try {
      key = await io.key(promptFor(step, ready), keys, defaultKey(step), AbortSignal.any([changed.signal, ctx.signal]));
    } finally {
      watcher?.close();
    }
    if (ctx.signal.aborted) throw new InterruptedError();
    try {
      if (key === undefined) {
        // a save: the static checks at once, then the few reads of the cloud a deploy needs
        ready = (await staticPass(step, o)) && (await readyToDeploy(step, o));
        if (ready) io.say('the files look right: d deploys them');
        continue;
      }
      switch (key) {
        case 'r': {
          if (step.action.kind === 'edit' && !(await staticPass(step, o))) break;
          if (!(await verify(true))) break;
          // the cloud from before a `reset STEP` passes, but the files the steps after this one
          // deploy are back at its start: not done (solver.ts changeNotInFiles, as --ci does it)
          const notInFiles = await changeNotInFiles(step, ctx);
          if (!notInFiles) return done(false);
          io.say(`the cloud passes these checks from before, but ${notInFiles}: the steps after this one deploy these files, so make the change and press d (s shows it, a does it for you)`);
          break;
        }
        case 'd':
          if (!(await staticPass(step, o))) {
            io.say('fix what the checks above say, save, then press d again (r re-checks without deploying)');
            break;
          }
          if (!(await readyToDeploy(step, o))) {
            io.say('not deployed: the checks above say why; press d again when they pass');
            break;
          }
          await afterChange(false);
          if (await verify()) return done(false);
          break;
        case 'x':
          // the lab performs a 'run' step's action (a load test, a deploy): the learner's own move
          await runAction();
          if (await verify()) return done(false);
          break;
        case 'h':
          await nextHint(step, o);
          break;
        case 's':
          await showChange(step, o);
          break;
        case 'a':
          await applyForLearner();
          if (await verify()) return done(true);
          break;
        case 'l':
          listSteps(o);
          break;
        case 'q':
          return { ...base(step, progress, started), outcome: 'interrupted', after: last, learnerMessage: 'stopped by the learner', quit: true };
        default:
          break;
      }
    } catch (err) {
      if (!warnLearnerError(err)) throw err;
    }
  }
}

function describeAction(step: Step, o: TeachOptions): void {
  const io = o.ctx.io;
  const a = step.action;
  if (a.kind === 'edit') io.link('Edit', join(o.ctx.ws.samApp, a.file));
  else if (a.kind === 'command') {
    io.say('Run this in another terminal:');
    io.command(a.command(o.ctx));
  } else if (!o.assisted) io.say(`Press x and the lab will ${a.label}.`);
}

function keysFor(step: Step): KeyItem[] {
  const first: KeyItem[] =
    step.action.kind === 'edit'
      ? [{ key: 'd', label: 'deploy' }, { key: 'r', label: 're-check' }]
      : step.action.kind === 'command'
        ? [{ key: 'r', label: 're-check' }]
        : [{ key: 'x', label: step.action.label }, { key: 'r', label: 're-check' }];
  return [...first, { key: 'h', label: 'hint' }, { key: 's', label: 'show the change' }, { key: 'a', label: 'do it for me' }, { key: 'l', label: 'list' }, { key: 'q', label: 'quit' }];
}

function defaultKey(step: Step): string {
  return step.action.kind === 'edit' ? 'd' : step.action.kind === 'run' ? 'x' : 'r';
}

/** ready: the files pass the step's static checks (a save, or a change found at the start) */
function promptFor(step: Step, ready = false): string {
  if (step.action.kind === 'edit' && ready) return `d deploys your change to sam-app/${step.action.file} (saves are checked at once)`;
  if (step.action.kind === 'edit') return `waiting for your change to sam-app/${step.action.file} (saves are checked at once)`;
  if (step.action.kind === 'command') return 'run the command, then press r';
  // the key prompt adds what Enter does, which for a 'run' step is the same action: said once
  return 'press x';
}

/** the step's static checks on sam-app/ as it is now */
const staticResults = (step: Step, o: TeachOptions): Promise<CheckResult[]> => runStaticChecks(step.staticChecks, workspaceFiles(o.ctx.ws.samApp), o.ctx);

async function staticPass(step: Step, o: TeachOptions): Promise<boolean> {
  if (!step.staticChecks.length) return true;
  const results = await staticResults(step, o);
  for (const r of results) o.ctx.io.check(r);
  return results.every((r) => r.status === 'passed');
}

/**
 * An edit step's change already in sam-app/ (no file of the step at its start, every static check
 * passing: each step's checks fail on its start): its checks are shown, once. Quiet otherwise, as
 * the learner has not begun.
 */
async function changeAlreadyInFiles(step: Step, o: TeachOptions): Promise<boolean> {
  if (step.action.kind !== 'edit' || !step.staticChecks.length) return false;
  if (o.ctx.reference.atStart(step.id, o.ctx.ws).length) return false;
  const results = await staticResults(step, o);
  if (!results.every((r) => r.status === 'passed')) return false;
  for (const r of results) o.ctx.io.check(r);
  return true;
}

/**
 * The step's deploy checks (an alarm already in ALARM): shown only when one does not pass. Only a
 * "not yet" holds the deploy back; one that could not check is shown and the deploy goes on.
 */
async function readyToDeploy(step: Step, o: TeachOptions): Promise<boolean> {
  if (!step.deployChecks?.length) return true;
  const results = await runLiveChecks(step.deployChecks, o.ctx);
  for (const r of results) if (r.status !== 'passed') o.ctx.io.check(r);
  return !results.some((r) => r.status === 'not-yet');
}

async function showChange(step: Step, o: TeachOptions): Promise<void> {
  const shown = await step.solve.show(o.ctx);
  if (shown.diff) o.ctx.io.diff(shown.diff);
  else if (shown.command) o.ctx.io.command(shown.command);
  else o.ctx.io.say('your files already hold the reference change: d deploys them');
}

/** the ladder: state-aware hints first (each only when it applies), then the numbered ones, then the docs */
async function nextHint(step: Step, o: TeachOptions): Promise<void> {
  const { ctx, progress } = o;
  const io = ctx.io;
  for (const h of step.hints) {
    if (typeof h === 'string') continue;
    const text = await h.fromState(ctx, ctx.signal).catch(() => undefined);
    if (text) io.say(`hint (from what the cloud shows now): ${text}`);
  }
  const numbered = step.hints.filter((h): h is string => typeof h === 'string');
  const shown = progress.step(step.id).hintsShown;
  if (shown < numbered.length) {
    io.say(`hint ${shown + 1} of ${numbered.length}: ${numbered[shown]}`);
    progress.update(step.id, (s) => {
      s.hintsShown += 1;
    });
    return;
  }
  for (const d of step.docs) io.link(d.title, d.url);
  io.say('no more hints: s shows the change, a does it for you');
}

function listSteps(o: TeachOptions): void {
  const rows = o.steps.map((s, i) => {
    const p = o.progress.step(s.id);
    const mark = p.status === 'done' ? (p.assisted ? '◐ assisted' : '✓ done') : i === o.index ? '▶ now' : '· pending';
    return [String(i + 1), s.id, s.title, mark];
  });
  // each title under its step where a line a step would not fit the terminal (82 wide at 80 columns)
  o.ctx.io.table(['#', 'step', 'what', 'status'], rows, { column: 2 });
}
