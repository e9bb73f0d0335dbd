/**
 * The solver path (`--ci`, and "do it for me"): Instruqt's `track test`, rustlings' `dev check`.
 * For a step: its live checks must not all pass before the change (one that passes already is a
 * lab defect), then the reference change is applied (and deployed, for an edit), the step's
 * `follow` runs, and the checks must pass after, polled for a bounded time while the cloud settles.
 */
import { InterruptedError } from '../errors.js';
import { notYet, runLiveChecks, runStaticChecks, safeAws, toResult, workspaceFiles, type CheckResult, type LiveCheck } from './check.js';
import type { LabContext } from './context.js';
import type { Step } from './step.js';

export type StepOutcome = 'passed' | 'failed' | 'could-not-check' | 'interrupted';

export interface SolverResult {
  outcome: StepOutcome;
  /** the checks before the change */
  before: CheckResult[];
  /** true when not every check passed before the change, as it should be */
  preCheckFailedAsExpected: boolean;
  /** the checks after it (the last poll) */
  after: CheckResult[];
  /** for the instructor: what went wrong with the lab or the environment */
  instructorMessage?: string;
  /** for the learner */
  learnerMessage: string;
  /**
   * every check passed before the lab changed anything, and the cloud's state was not the lab's
   * own making in this run (a step begun in a run that was interrupted, or done by the learner
   * outside the lab, as `deploy` before `start`): its change is in place already
   */
  alreadyDone?: boolean;
}

export const DEFAULT_SETTLE_MS = 30_000;

export interface SolveOptions {
  pollMs?: number;
  /**
   * The lab did not bring the cloud to this step's starting point in this run: the step was begun
   * in an earlier run, or it is the first the run solves (the learner may have deployed or run the
   * step's command outside the lab). A step whose checks all pass then is already done. Left unset,
   * the lab's own reference change of the step before made the starting point, and checks that
   * already pass there prove nothing: a lab defect (what a fresh `start --ci` proves of each step).
   */
  mayBeDone?: boolean;
  /**
   * Told the checks before the change as soon as they are read, before the change is made, with
   * whether they show it done already: the runner prints them then, so a log reads in the order
   * things happened (the checks, then the change and its deploy), not the checks after the deploy.
   */
  onBefore?: (before: CheckResult[], alreadyDone: boolean, notInFiles?: string) => void;
}

/**
 * Why an edit step whose live checks all pass is not done for all that: its files are back at the
 * step's start (as `reset` leaves them), or they fail its static checks. Undefined: the files may
 * hold the change (the reference's, or the learner's own), and the cloud says it is in place.
 */
export async function changeNotInFiles(step: Step, ctx: LabContext): Promise<string | undefined> {
  if (step.action.kind !== 'edit') return undefined;
  const atStart = ctx.reference.atStart(step.id, ctx.ws);
  if (atStart.length) {
    const files = atStart.map((f) => `sam-app/${f}`).join(' and ');
    return `${files} ${atStart.length === 1 ? 'is' : 'are'} back at this step's start (as reset left ${atStart.length === 1 ? 'it' : 'them'})`;
  }
  if (!step.staticChecks.length) return undefined;
  const failing = (await runStaticChecks(step.staticChecks, workspaceFiles(ctx.ws.samApp), ctx)).filter((r) => r.status !== 'passed');
  return failing.length ? `sam-app/ fails ${failing.length === 1 ? 'a check' : `${failing.length} checks`} of this step: ${failing.map((r) => r.name).join('; ')}` : undefined;
}

export async function solveStep(step: Step, ctx: LabContext, opts: SolveOptions = {}): Promise<SolverResult> {
  const pollMs = opts.pollMs ?? 250;
  if (step.prepare) await step.prepare(ctx);
  // A step that may be done already and measures (the canary's split): its change is found as r
  // finds a learner's, measured once its settings hold; read alone, the measured checks would say
  // "no sample yet" and the lab would make, and record as its own, a change the learner made
  const before = opts.mayBeDone && measuredChecks(step).length ? await checkAndMeasure(step, ctx) : await runLiveChecks(step.liveChecks, ctx);
  const broken = before.filter((r) => r.status === 'could-not-check');
  const cloudDone = !broken.length && !before.some((r) => r.status !== 'passed') && !step.readOnly;
  // the cloud alone does not make a step done: `reset` puts the files back, not the cloud, and the
  // steps after this one deploy these files (hooks-errors, deployed on hooks-alarm's start, met
  // the failing hook again and no alarm)
  const notInFiles = cloudDone && opts.mayBeDone ? await changeNotInFiles(step, ctx) : undefined;
  opts.onBefore?.(before, cloudDone && opts.mayBeDone === true && !notInFiles, notInFiles);
  if (broken.length) {
    return {
      outcome: 'could-not-check',
      before,
      preCheckFailedAsExpected: false,
      after: [],
      instructorMessage: `before the change, ${broken.length} check(s) could not run: ${broken.map((b) => `${b.name} (${b.what})`).join('; ')}`,
      learnerMessage: 'the lab could not read the cloud; see the fix under each check',
    };
  }
  const preCheckFailedAsExpected = before.some((r) => r.status !== 'passed');
  if (!preCheckFailedAsExpected && !step.readOnly && opts.mayBeDone && !notInFiles) {
    // The step was started in an earlier run that was interrupted (Ctrl-C while a deployment
    // shifted, say) and the cloud finished what was begun, or the learner made the change outside
    // the lab (`deploy`, then `start --ci`): the checks prove the change is in place.
    return {
      outcome: 'passed',
      before,
      preCheckFailedAsExpected,
      after: before,
      alreadyDone: true,
      learnerMessage: 'the change is in the cloud already: every check passes',
    };
  }
  if (!preCheckFailedAsExpected && !step.readOnly && !notInFiles) {
    return {
      outcome: 'failed',
      before,
      preCheckFailedAsExpected,
      after: [],
      instructorMessage: `lab defect: every check of ${step.id} passes before its change, so they prove nothing`,
      learnerMessage: 'this step already looks done: the lab cannot tell your change from none',
    };
  }
  // a command step's change in the learner's words, before the lab makes it (as "do it for me"
  // shows it, teach.ts): the --ci log is a record of every command, the canary's stage calls too
  if (step.action.kind === 'command') {
    const shown = await step.solve.show(ctx);
    if (shown.command) ctx.io.command(shown.command);
  }
  await step.solve.apply(ctx);
  if (step.action.kind === 'edit') {
    await untilReadyToDeploy(step, ctx, pollMs);
    await deployChange(step, ctx);
  }
  if (ctx.signal.aborted) throw new InterruptedError();
  // a 'run' step measured what it measured: polling again changes nothing unless it says so
  const settleMs = step.settleMs ?? (step.action.kind === 'run' ? 0 : DEFAULT_SETTLE_MS);
  let after: CheckResult[];
  if (measuredChecks(step).length) {
    // as r does it for a learner: the settings polled until they hold, then one measurement
    after = await checkAndMeasure(step, ctx, { settings: (checks) => pollChecks(checks, ctx, settleMs, pollMs) });
  } else {
    if (step.follow) await step.follow(ctx);
    after = await pollUntilPassed(step, ctx, settleMs, pollMs);
  }
  const failed = after.filter((r) => r.status !== 'passed');
  if (!failed.length) return { outcome: 'passed', before, preCheckFailedAsExpected, after, learnerMessage: 'done for you: every check passes' };
  const env = failed.some((r) => r.status === 'could-not-check');
  return {
    outcome: env ? 'could-not-check' : 'failed',
    before,
    preCheckFailedAsExpected,
    after,
    instructorMessage: `after the reference change, ${failed.map((f) => `${f.name}: ${f.status === 'not-yet' ? `expected ${f.expected}, found ${f.found}` : f.what}`).join('; ')}`,
    learnerMessage: env
      ? 'the lab could not read the cloud after the change'
      : step.action.kind === 'run'
        ? 'the run did not come out as this step expects: the checks above say what differs, and their hints why'
        : opts.mayBeDone
          ? // the starting point was the learner's files and cloud (or an earlier run's), not the lab's own
            'the reference change, made on your files and cloud as they were, did not pass its checks: the checks above say what differs, and their hints what to do'
          : 'the reference change did not pass its checks: a lab defect, please report it',
  };
}

/**
 * The lab's deploy of an edit step's change ("do it for me", --ci, and d when `ask` is given). For
 * a release step (Step.release), a deploy that started no new release while the newest one has
 * ended means sam-app/ holds the version "live" already serves: that release went through before
 * this deploy: one a deploy of this run started (the step's release says why it went through,
 * StepRelease.wentThrough), or one from before the lab ran. That is said as it is; the lab
 * then (with `ask`, if the learner says yes) makes a new version of the function and deploys
 * again, so that the step's release happens. A release still running was joined by the deploy:
 * nothing more to do. Returns false when nothing was released because the learner said no.
 */
export async function deployChange(step: Step, ctx: LabContext, ask?: (question: string) => Promise<boolean>): Promise<boolean> {
  const release = step.release;
  const newest = async () => {
    try {
      return await release!.newest(ctx, ctx.signal);
    } catch (err) {
      if (err instanceof InterruptedError || ctx.signal.aborted) throw err;
      // the cloud could not be read: the deploy (and the checks after it) meet it and say so
      return undefined;
    }
  };
  const before = release ? await newest() : undefined;
  // the releases this run's deploys started (the last deploy's, when the context keeps no more)
  const startedThisRun = ctx.deploymentsThisRun ?? ctx.lastDeployments?.map((d) => d.deploymentId);
  await ctx.deploy();
  if (!release || !before?.ended) return true;
  const after = await newest();
  if (after?.id !== before.id) return true;
  // the lab's own deploy earlier in this run made it, or one before the lab ran
  const ours = startedThisRun?.includes(before.id) ?? false;
  const why = ours && before.status === 'Succeeded' ? await release.wentThrough?.(ctx, before.id, ctx.signal).catch(() => undefined) : undefined;
  const through = before.status !== 'Succeeded' ? '' : ours ? ' (the lab deployed it earlier in this run)' : ' (that release went through before the lab deployed: made from your files before the lab stopped, most likely)';
  ctx.io.say(`the deploy started no new release: the newest, ${before.id}, ended ${before.status}, and sam-app/ holds the version it released${through}. Only a new version of the function starts a deployment.${why ? ` ${why}` : ''}`);
  if (ask && !(await ask('make a new version (the lab adds a comment line to your function\'s code) and deploy again?'))) {
    ctx.io.say('nothing released: change the function\'s code and deploy (d) when you want to release again');
    return false;
  }
  const file = release.renew(ctx);
  ctx.io.say(`the lab added a line to ${file} (a comment: the code does what it did), so that the function has a new version; deploying again`);
  await ctx.deploy();
  return true;
}

/**
 * How long the lab, deploying for the learner, waits for a step's deploy checks: an alarm forced
 * with set-alarm-state returns to its computed state at its next evaluation, a minute on AWS (and
 * a minute of cloud time locally).
 */
export const READY_TO_DEPLOY_WAIT_MS = 120_000;

/**
 * "do it for me" and --ci: the step's deploy checks (an alarm left in ALARM by the last step)
 * polled until they pass, said once while they do not, for at most READY_TO_DEPLOY_WAIT_MS; then
 * the deploy goes ahead and the live checks say what came of it.
 */
export async function untilReadyToDeploy(step: Step, ctx: LabContext, pollMs = 500, waitMs = READY_TO_DEPLOY_WAIT_MS): Promise<CheckResult[]> {
  if (!step.deployChecks?.length) return [];
  const deadline = performance.now() + waitMs;
  let said = false;
  for (;;) {
    const results = await runLiveChecks(step.deployChecks, ctx);
    // only a "not yet" is worth waiting for; what could not be checked the deploy will meet too
    const off = results.filter((r) => r.status === 'not-yet');
    if (!off.length || performance.now() >= deadline) return results;
    if (!said) {
      // the lab waits, on its own: what it waits for, in a line, not a check the learner failed
      for (const r of off) ctx.io.say(`waiting to deploy until this holds: ${r.name} (now: ${r.found ?? r.status})…`);
      said = true;
    }
    await sleep(pollMs, ctx.signal);
  }
}

/** the live checks, again and again until all pass or `settleMs` is over (bounded polling) */
export function pollUntilPassed(step: Step, ctx: LabContext, settleMs: number, pollMs: number): Promise<CheckResult[]> {
  return pollChecks(step.liveChecks, ctx, settleMs, pollMs);
}

/**
 * A refused connection to the local cloud ends the polling at once: nothing listens on its port (it
 * was stopped, or it crashed), and waiting out `settleMs` (60 s after a deployment) only put off
 * "the local cloud stopped while the lab ran STEP" (start.ts). On AWS a refused connection is the
 * network's, and may pass: it is polled as any other answer.
 */
async function pollChecks(checks: readonly LiveCheck[], ctx: LabContext, settleMs: number, pollMs: number): Promise<CheckResult[]> {
  const deadline = performance.now() + settleMs;
  for (;;) {
    const results = await runLiveChecks(checks, ctx);
    if (results.every((r) => r.status === 'passed') || performance.now() >= deadline) return results;
    if (ctx.target === 'local' && results.some((r) => r.refused)) return results;
    await sleep(pollMs, ctx.signal);
  }
}

/** a step's checks of what its `follow` measured (a canary's split); none for most steps */
export function measuredChecks(step: Step): readonly LiveCheck[] {
  return step.follow ? step.liveChecks.filter((c) => c.measured) : [];
}

/**
 * A step's live checks, measuring on the way when some read a measurement (the canary's split):
 * first its settings checks; when every one passes, `follow` measures and the measured checks
 * read what it found; when not, they say "not measured" rather than read an older figure (a
 * split measured on wrong settings measures nothing). This is how r verifies a learner who ran
 * the commands themself, and --ci the reference change: the same measurement "do it for me" makes.
 * Results in the step's order. `run` runs a list of checks (the runner's spinner around
 * runLiveChecks); `settings` the settings checks (--ci polls them while the cloud settles).
 */
export async function checkAndMeasure(
  step: Step,
  ctx: LabContext,
  opts: { run?: (checks: readonly LiveCheck[]) => Promise<CheckResult[]>; settings?: (checks: readonly LiveCheck[]) => Promise<CheckResult[]> } = {},
): Promise<CheckResult[]> {
  const run = opts.run ?? ((checks) => runLiveChecks(checks, ctx));
  const measured = measuredChecks(step);
  if (!measured.length) return run(step.liveChecks);
  const settingsChecks = step.liveChecks.filter((c) => !measured.includes(c));
  const settings = await (opts.settings ?? run)(settingsChecks);
  let found: CheckResult[];
  if (settings.every((r) => r.status === 'passed')) {
    await step.follow!(ctx);
    found = await run(measured);
  } else {
    found = measured.map((c) =>
      toResult(c.name, safeAws(c, ctx), notYet('a measurement of the settings above', 'not measured: the checks above do not all pass yet', 'the lab measures once they do: fix what they say, then press r'), 0),
    );
  }
  return step.liveChecks.map((c) => (measured.includes(c) ? found[measured.indexOf(c)]! : settings[settingsChecks.indexOf(c)]!));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new InterruptedError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason ?? new InterruptedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
