/**
 * The I/O host: everything a lab step or a command says to the learner, and everything it asks,
 * goes through this interface (CDK's IIoHost, Astro's clack-prompt). Four faces implement it:
 * interactive (a terminal: prompts, spinners, colour), plain (`--ci`, or no terminal: timestamped
 * lines, defaults instead of prompts), report (a command that asks nothing, and the CLI's error
 * boundary: its words on stderr at a terminal's width, report.ts) and recording (tests: scripted
 * answers, every call kept).
 * Only this folder imports @inquirer/prompts, ora and chalk.
 */
import type { TableFold } from './format.js';

/** How a check came out. Three outcomes: a broken environment is never shown as the learner's mistake. */
export type CheckStatus = 'passed' | 'not-yet' | 'could-not-check';

/** One check's result as shown to the learner (src/lab/check.ts builds these). */
export interface CheckView {
  name: string;
  /** the equivalent `aws …` command, so the learner can look too */
  aws?: string;
  /** a check of the learner's files: the file it read (sam-app/…) */
  file?: string;
  status: CheckStatus;
  /** not-yet: what the check wants */
  expected?: string;
  /** passed or not-yet: what it read */
  found?: string;
  /** could-not-check: what could not be reached or read */
  what?: string;
  /** could-not-check: how to fix the environment; not-yet (doctor's failures): how to fix it */
  fix?: string;
  /**
   * not-yet: the word in place of "not yet" (doctor: "failed", "missing": a thing this machine
   * lacks is not a change still to come, and was checked, so not "could not check")
   */
  verdict?: string;
  /** a hint computed from the live state, when there is one */
  hint?: string;
  /**
   * not-yet without running: what an earlier check of the same run already reported stops this
   * one (a template that does not parse), shown once there and named here
   */
  notRun?: string;
}

export interface ChoiceItem<T extends string> {
  value: T;
  label: string;
  /** one line under the choice */
  description?: string;
  /** one lower-case key that picks this choice at once (a terminal; the menu names it) */
  key?: string;
}

export interface KeyItem {
  /** one character, lower case */
  key: string;
  label: string;
}

export interface FooterView {
  /** 1-based */
  step: number;
  of: number;
  title: string;
  /** the file to edit, absolute; shown relative to the working folder, linked where terminals allow */
  file?: string;
  keys: KeyItem[];
}

/** A long task with a spinner (interactive) or a start and an end line (plain). */
export interface Progress {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  /** ends it with no final word (when a prompt needs the line) */
  stop(): void;
}

/**
 * A block of lines redrawn in place (the live deployment view, the concurrency chart). The plain
 * face prints a block only when it changed and at most every `minIntervalMs`.
 */
export interface LiveRegion {
  update(lines: string[]): void;
  /** the last state stays on screen */
  done(lines?: string[]): void;
  /**
   * Aborted when the learner pressed q in a view that offers it (LiveOptions.quit): the owner
   * stops and throws LearnerQuit. Never aborted on a face that does not ask.
   */
  readonly quit: AbortSignal;
}

export interface LiveOptions {
  /** what q does in this view ("stop following"), said under its title; q then aborts LiveRegion.quit */
  quit?: string;
}

export type Figure = [label: string, value: string | number];

export interface IoHost {
  /** 'interactive' asks; 'plain' and 'recording' (unless scripted) take defaults */
  readonly face: 'interactive' | 'plain' | 'recording';
  /** true when choose/confirm/key really ask someone */
  readonly asks: boolean;
  /** terminal width to wrap prose to (at most 100) */
  readonly width: number;

  /** a step's or a section's title */
  heading(text: string): void;
  /** short paragraphs of explanation; wrapped to the width */
  explain(paragraphs: readonly string[]): void;
  /** one line of information */
  say(line: string): void;
  /** something to pay attention to; work goes on */
  warn(line: string): void;
  /** a note beside what a command reports (`note: …`): a setting it kept, a limit it met */
  note(line: string): void;
  /**
   * The CLI's last words on a command that failed (src/cli-main.ts, its one error boundary): `error:
   * what`, the hint under it indented by two. `stopped`: the learner stopped it (Ctrl-C, q), no
   * error: the words without the mark, laid out the same.
   */
  error(what: string, hint?: string, opts?: { stopped?: boolean }): void;
  /** an exact command to run in another terminal */
  command(cmd: string): void;
  /** a path or URL to open, with a label */
  link(label: string, target: string): void;

  /** one of several choices; the plain face takes `def` and says so */
  choose<T extends string>(message: string, choices: readonly ChoiceItem<T>[], def: T, signal?: AbortSignal): Promise<T>;
  confirm(message: string, def: boolean, signal?: AbortSignal): Promise<boolean>;
  /**
   * Waits for one key of `keys` (rustlings' one-key prompt). Resolves undefined when `signal`
   * aborts first (a file changed, a check finished), so the caller can react and ask again.
   * The plain face never waits: it resolves `def`.
   */
  key(prompt: string, keys: readonly KeyItem[], def: string, signal?: AbortSignal): Promise<string | undefined>;

  progress(text: string): Progress;
  /**
   * On a terminal, keys pressed while the view shows are the view's (q when it offers it, Ctrl-C),
   * never kept for a later prompt.
   */
  live(title: string, minIntervalMs?: number, opts?: LiveOptions): LiveRegion;

  /** one check's line, with expected/found, the aws command and the hint */
  check(result: CheckView): void;
  /** "3 of 4 checks pass" */
  checkSummary(results: readonly CheckView[]): void;
  /** a table; `fold`: a column that goes under its row where a row would not fit the width (format.ts) */
  table(headers: readonly string[], rows: readonly (readonly string[])[], fold?: Omit<TableFold, 'width'>): void;
  /** a unified diff (from the `diff` package), coloured where colour is on */
  diff(patch: string): void;
  figures(title: string, figures: readonly Figure[]): void;
  footer(view: FooterView): void;
  /** a final result for stdout (a report), written as is */
  result(text: string): void;
}
