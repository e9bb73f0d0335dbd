/**
 * A step of the lab: one change the learner makes, and the checks that say it took effect.
 * Steps are an ordered array of uniform modules (src/steps/index.ts); each reads like the lab
 * script it teaches. A chapter of the workshop with several changes (hooks and alarms, reserved
 * concurrency) is several steps of the same chapter.
 *
 * How the runner uses it:
 *   interactive — explain; ask "I'll do it / show me the change / do it for me"; while the
 *     learner works, watch sam-app/ and run `staticChecks` on every save, offer to deploy; after
 *     the change (and the deploy, for an edit), `follow`, then `liveChecks`; the help ladder is
 *     `hints` (a state-aware one first), `docs`, `solve.show`, `solve.apply`.
 *   --ci (the solver path) — `liveChecks` must not all pass before the change (a check that
 *     passes already is a lab defect), then `solve.apply`, `follow`, and they must pass after.
 */
import type { CheckOutcome, LiveCheck, StaticCheck } from './check.js';
import type { LabContext } from './context.js';

export interface Chapter {
  /** 'blue-green', as `list` and `step <id>` show chapters */
  id: string;
  title: string;
  /** the workshop's section, '4.1' */
  section?: string;
}

/** What the learner does for a step. */
export type StepAction =
  /** edit a file of sam-app/ in their own editor, then deploy (the lab offers to) */
  | { kind: 'edit'; file: string }
  /** run a command in another terminal (the lab can run that exact call for them) */
  | { kind: 'command'; command(ctx: LabContext): string }
  /** press Enter and the lab does it (a deploy, a load test), showing what it does */
  | { kind: 'run'; label: string };

/** A hint: a fixed sentence, or one computed from the live state (undefined: not this time). */
export type Hint = string | { fromState(ctx: LabContext, signal: AbortSignal): Promise<string | undefined> };

export interface DocLink {
  title: string;
  url: string;
}

/** The reference change: shown on "show me", applied on "do it for me" and under --ci. */
export interface Solve {
  /** what "show me the change" prints: a unified diff (edit) or the exact command (command) */
  show(ctx: LabContext): Promise<{ diff?: string; command?: string }>;
  /** "do it for me": applies the change (edit: the reference diff onto the learner's file; command: that call) */
  apply(ctx: LabContext): Promise<void>;
  /** apply prints the command it runs as it runs it (the load tests' chart): "do it for me" does not print it first */
  showsCommand?: boolean;
}

/**
 * A step whose change is a release of the app's function (a CodeDeploy deployment, which only a
 * new version starts). When the lab deploys the step's change and no release starts (sam-app/
 * already holds what "live" serves: the learner's own release of the change went through), it
 * says so, `renew`s the function and deploys again, so that the step's release happens.
 */
export interface StepRelease {
  /**
   * the newest release started (not a rollback), and whether it has ended (a deploy meeting one
   * still running joins it); undefined: none, or no deployment group
   */
  newest(ctx: LabContext, signal: AbortSignal): Promise<{ id: string; status: string; ended: boolean } | undefined>;
  /** makes sam-app/ hold a new version of the function; returns the file it changed */
  renew(ctx: LabContext): string;
  /**
   * why release `id`, which the lab's own deploy started earlier in this run, went through, and
   * what to do for the step's release (a step whose release is meant to be stopped says it)
   */
  wentThrough?(ctx: LabContext, id: string, signal: AbortSignal): Promise<string | undefined>;
}

export interface Step {
  id: string;
  chapter: Chapter;
  title: string;
  /**
   * a few short lines: what the learner is about to do and why it matters in production; a
   * function when they name what runs, which differs between modes (the load test's size under --ci)
   */
  explain: readonly string[] | ((ctx: LabContext) => readonly string[]);
  /** one line: what is true when the step is done */
  goal: string;
  action: StepAction;
  /** why it matters, shown during long waits (a deploy, a shift) */
  notes?: readonly string[];
  staticChecks: readonly StaticCheck[];
  /**
   * Checks of the cloud that must pass before this step's change is worth deploying (no alarm of
   * the deployment group already in ALARM): run after the static checks, on a save and before d
   * deploys; "do it for me" and --ci wait for them (bounded) before they deploy.
   */
  deployChecks?: readonly LiveCheck[];
  liveChecks: readonly LiveCheck[];
  /** the ladder's rungs, in order: state-aware hints first, then numbered ones */
  hints: readonly Hint[];
  docs: readonly DocLink[];
  solve: Solve;
  /**
   * After the change is in place (and deployed, for an edit): what the lab does before the live
   * checks can pass, e.g. follow a CodeDeploy deployment in the live view, run a load test.
   * Ctrl-C stops what it watches, not the cloud's work.
   */
  follow?(ctx: LabContext): Promise<void>;
  /**
   * Before the step starts (fresh, resumed or from `step <id>`): bring the cloud to the step's
   * starting point when an earlier step left it elsewhere (e.g. an alarm still in ALARM).
   */
  prepare?(ctx: LabContext): Promise<void>;
  /**
   * Once the step has passed (taught, --ci, caught up, or found done), and only then: what the
   * lab puts right in sam-app/ for the steps after it, and says (hooks-errors: a rollback moved
   * the alias back, not the source). Files only: it deploys nothing.
   */
  afterPass?(ctx: LabContext): Promise<void>;
  /**
   * A step whose change is made in the cloud by a command, not in sam-app/ (a canary removed):
   * what `reset <id>` leaves there and what puts it back to the step's starting point, since
   * deploying sam-app/ does not. Without it, reset says to deploy.
   */
  onReset?: string;
  /**
   * What this step's prepare puts back of the step before it when the cloud lacks it (the canary
   * rollback starts from the create step's canary, put back if gone): the names of that step's
   * live checks that look for it. A resume right after that step leaves them out of its re-check:
   * the lab is about to restore what they look for, and a warning that it is missing would be a
   * false alarm followed by the lab's own fix.
   */
  restoresFromPrevious?: readonly string[];
  /** the step's change is a release (see StepRelease) */
  release?: StepRelease;
  /** --ci: the live checks are polled this long after `solve.apply` + `follow` before failing */
  settleMs?: number;
  /**
   * Checks of what lasts after the step (a deployment that succeeded stays in the history; a
   * reservation that was restored stays restored): the wrap-up re-checks them all.
   */
  endChecks?: readonly LiveCheck[];
  /**
   * A step that only reads and sums up (the wrap-up): --ci does not require its checks to fail
   * before (Instruqt's --skip-fail-check for read-only challenges).
   */
  readOnly?: boolean;
}

export type { CheckOutcome, LiveCheck, StaticCheck };

/** a step's explanation as this run says it (Step.explain) */
export function explainOf(step: Pick<Step, 'explain'>, ctx: LabContext): readonly string[] {
  return typeof step.explain === 'function' ? step.explain(ctx) : step.explain;
}
