/**
 * The recording face, for tests (CDK's TestIoHost): keeps every call as an event and answers
 * questions from a script, so the interactive flow is tested without a terminal and without
 * mocking inquirer. An answer may be a function: it can edit the workspace's files first (the
 * learner at work), then answer. With no script it behaves as the plain face does: defaults.
 */
import { InterruptedError } from '../errors.js';
import { checkSummaryLine, colourDiff, commandLines, errorLines, formatCheck, formatFigures, formatFooter, formatTable, type TableFold } from './format.js';
import type { CheckView, ChoiceItem, Figure, FooterView, IoHost, KeyItem, LiveOptions, LiveRegion, Progress } from './host.js';
import { paint } from './terminal.js';

export type RecordedKind =
  | 'heading' | 'explain' | 'say' | 'warn' | 'note' | 'error' | 'command' | 'link'
  | 'choose' | 'confirm' | 'key'
  | 'progress' | 'live' | 'check' | 'checkSummary' | 'table' | 'diff' | 'figures' | 'footer' | 'result';

export interface RecordedEvent {
  kind: RecordedKind;
  /** what a plain face would have printed, without colour */
  text: string;
  /** the call's structured argument (a CheckView, the choices, the footer…) */
  data?: unknown;
}

/** Wait, as a learner who has not pressed anything, until the lab stops waiting (its signal aborts). */
export const WAIT = Symbol('wait for the signal');
/** Press Ctrl-C. */
export const CTRL_C = Symbol('Ctrl-C');
/** Press Enter: the question's default. */
export const DEFAULT = Symbol('Enter');

export type ScriptedAnswer = string | boolean | typeof WAIT | typeof CTRL_C | typeof DEFAULT;
export type Answer = ScriptedAnswer | ((question: RecordedEvent) => ScriptedAnswer | Promise<ScriptedAnswer>);

export interface RecordingOptions {
  /** answers to choose/confirm/key, in order; when given, running out of them is a test failure */
  answers?: Answer[];
  /**
   * Answers every question once `answers` runs out (or alone): a learner who always does the same
   * thing, e.g. presses Enter (`DEFAULT`) everywhere, as `start --assisted` expects. Makes the
   * host ask, as `answers` does.
   */
  otherwise?: (question: RecordedEvent) => ScriptedAnswer | Promise<ScriptedAnswer>;
  /** presses q in a live view that offers it (LiveOptions.quit), at its first frame */
  quitLive?: (title: string) => boolean;
  onCtrlC?: () => void;
  width?: number;
}

const P = paint(false);

export class RecordingIoHost implements IoHost {
  readonly face = 'recording' as const;
  readonly asks: boolean;
  readonly width: number;
  readonly events: RecordedEvent[] = [];
  readonly #answers: Answer[];
  readonly #onCtrlC: () => void;
  readonly #otherwise: RecordingOptions['otherwise'];
  readonly #quitLive: RecordingOptions['quitLive'];

  constructor(opts: RecordingOptions = {}) {
    this.asks = opts.answers !== undefined || opts.otherwise !== undefined;
    this.#answers = [...(opts.answers ?? [])];
    this.#otherwise = opts.otherwise;
    this.#quitLive = opts.quitLive;
    this.width = opts.width ?? 80;
    this.#onCtrlC = opts.onCtrlC ?? (() => undefined);
  }

  /** everything shown, one string, for `includes` assertions */
  get text(): string {
    return this.events.map((e) => e.text).join('\n');
  }
  of(kind: RecordedKind): RecordedEvent[] {
    return this.events.filter((e) => e.kind === kind);
  }
  get checks(): CheckView[] {
    return this.of('check').map((e) => e.data as CheckView);
  }
  /** answers not used yet */
  get unanswered(): number {
    return this.#answers.length;
  }

  #rec(kind: RecordedKind, text: string, data?: unknown): RecordedEvent {
    const e = { kind, text, data };
    this.events.push(e);
    return e;
  }

  async #answer(question: RecordedEvent, def: string | boolean, signal?: AbortSignal): Promise<ScriptedAnswer> {
    const next = this.#answers.shift() ?? this.#otherwise;
    if (next === undefined) throw new Error(`the script has no answer for: ${question.text}`);
    let a = typeof next === 'function' ? await next(question) : next;
    if (a === DEFAULT) a = def;
    if (a === CTRL_C) {
      this.#onCtrlC();
      throw new InterruptedError();
    }
    if (a === WAIT) {
      if (!signal) throw new Error(`WAIT answers a question that nothing interrupts: ${question.text}`);
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    }
    return a;
  }

  heading(text: string): void {
    this.#rec('heading', text);
  }
  explain(paragraphs: readonly string[]): void {
    this.#rec('explain', paragraphs.join('\n'), paragraphs);
  }
  say(line: string): void {
    this.#rec('say', line);
  }
  warn(line: string): void {
    this.#rec('warn', `warning: ${line}`);
  }
  note(line: string): void {
    this.#rec('note', `note: ${line}`);
  }
  error(what: string, hint?: string, opts: { stopped?: boolean } = {}): void {
    this.#rec('error', errorLines(opts.stopped ? what : `error: ${what}`, hint, Infinity).join('\n'), { what, hint, stopped: opts.stopped === true });
  }
  command(cmd: string): void {
    this.#rec('command', commandLines(cmd, Infinity, '$ ', '').join('\n'), cmd);
  }
  link(label: string, target: string): void {
    this.#rec('link', `${label}: ${target}`, target);
  }

  async choose<T extends string>(message: string, choices: readonly ChoiceItem<T>[], def: T, signal?: AbortSignal): Promise<T> {
    const q = this.#rec('choose', message, { choices, def });
    if (!this.asks) return def;
    const a = await this.#answer(q, def, signal);
    if (a === WAIT) throw signal!.reason;
    if (!choices.some((c) => c.value === a)) throw new Error(`scripted answer ${String(a)} is not one of ${choices.map((c) => c.value).join(', ')} for: ${message}`);
    return a as T;
  }

  async confirm(message: string, def: boolean, signal?: AbortSignal): Promise<boolean> {
    const q = this.#rec('confirm', message, { def });
    if (!this.asks) return def;
    const a = await this.#answer(q, def, signal);
    if (a === WAIT) throw signal!.reason;
    if (typeof a !== 'boolean') throw new Error(`scripted answer ${String(a)} is not yes/no for: ${message}`);
    return a;
  }

  async key(prompt: string, keys: readonly KeyItem[], def: string, signal?: AbortSignal): Promise<string | undefined> {
    const q = this.#rec('key', prompt, { keys: keys.map((k) => k.key), def });
    if (!this.asks) return def;
    if (signal?.aborted) return undefined;
    const a = await this.#answer(q, def, signal);
    if (a === WAIT) return undefined;
    if (typeof a !== 'string' || !keys.some((k) => k.key === a)) throw new Error(`scripted key ${String(a)} is not one of ${keys.map((k) => k.key).join('')} for: ${prompt}`);
    return a;
  }

  progress(text: string): Progress {
    this.#rec('progress', `${text}…`);
    let current = text;
    return {
      update: (t) => void (current = t),
      succeed: (t) => void this.#rec('progress', `✓ ${t ?? current}`),
      fail: (t) => void this.#rec('progress', `✗ ${t ?? current}`),
      stop: () => undefined,
    };
  }

  live(title: string, _minIntervalMs?: number, opts: LiveOptions = {}): LiveRegion {
    const quit = new AbortController();
    return {
      quit: quit.signal,
      update: (lines) => {
        this.#rec('live', `${title}\n${lines.join('\n')}`, { title, lines, final: false });
        // a scripted learner who presses q in a view that offers it, at its first frame
        if (opts.quit && this.#quitLive?.(title)) quit.abort();
      },
      done: (lines) => void (lines && this.#rec('live', `${title}\n${lines.join('\n')}`, { title, lines, final: true })),
    };
  }

  check(result: CheckView): void {
    this.#rec('check', formatCheck(result, P, Infinity).join('\n'), result);
  }
  checkSummary(results: readonly CheckView[]): void {
    this.#rec('checkSummary', checkSummaryLine(results), results);
  }
  table(headers: readonly string[], rows: readonly (readonly string[])[], fold?: Omit<TableFold, 'width'>): void {
    this.#rec('table', formatTable(headers, rows, P, fold && { ...fold, width: Infinity }).join('\n'), { headers, rows });
  }
  diff(patch: string): void {
    this.#rec('diff', colourDiff(patch, P).join('\n'), patch);
  }
  figures(title: string, figures: readonly Figure[]): void {
    this.#rec('figures', formatFigures(title, figures, P).join('\n'), figures);
  }
  footer(view: FooterView): void {
    this.#rec('footer', formatFooter(view, P, this.width).join('\n'), view);
  }
  result(text: string): void {
    this.#rec('result', text);
  }
}
