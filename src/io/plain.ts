/**
 * The plain face: for `--ci`, and whenever stdin or stdout is not a terminal. Every line carries
 * the time (`10:05:59 …`); no prompts (each question takes its default and says which), no
 * spinners, no colour, no cursor movement. What it writes reads the same in a CI log, a file or
 * a pipe.
 */
import type { CheckView, ChoiceItem, FooterView, IoHost, KeyItem, LiveRegion, Progress, Figure } from './host.js';
import { checkSummaryLine, clockTime, colourDiff, commandLines, errorLines, formatCheck, formatFigures, formatTable, stripAnsi, type TableFold } from './format.js';
import { paint } from './terminal.js';

export interface PlainOptions {
  /** where the lines go (stderr when stdout carries JSON) */
  out: { write(chunk: string): unknown };
  /** where result() goes */
  results?: { write(chunk: string): unknown };
  width?: number;
  /** false: no time before each line (the report face, io/report.ts: a command's words, not a log) */
  stamp?: boolean;
  /** for tests: a fixed clock */
  now?: () => Date;
}

const NO_PAINT = paint(false);

export class PlainIoHost implements IoHost {
  readonly face = 'plain' as const;
  readonly asks = false;
  readonly width: number;
  readonly #out: PlainOptions['out'];
  readonly #results: PlainOptions['results'];
  readonly #now: () => Date;
  readonly #stamp: boolean;

  constructor(opts: PlainOptions) {
    this.#out = opts.out;
    this.#results = opts.results ?? opts.out;
    this.width = opts.width ?? 100;
    this.#now = opts.now ?? (() => new Date());
    this.#stamp = opts.stamp ?? true;
  }

  #line(text: string): void {
    const stamp = this.#stamp ? `${clockTime(this.#now())} ` : '';
    for (const l of stripAnsi(text).split('\n')) this.#out.write(`${stamp}${l}\n`);
  }
  #lines(lines: readonly string[]): void {
    for (const l of lines) this.#line(l);
  }

  heading(text: string): void {
    this.#line(`== ${text}`);
  }
  explain(paragraphs: readonly string[]): void {
    // no wrapping: a log line is as long as its sentence, so grep finds it whole
    for (const p of paragraphs) this.#line(p);
  }
  say(line: string): void {
    this.#line(line);
  }
  warn(line: string): void {
    this.#line(`warning: ${line}`);
  }
  note(line: string): void {
    this.#line(`note: ${line}`);
  }
  error(what: string, hint?: string, opts: { stopped?: boolean } = {}): void {
    this.#lines(errorLines(opts.stopped ? what : `error: ${what}`, hint, Infinity));
  }
  command(cmd: string): void {
    // each line on its own: a note above the command without the prompt, the command with it
    this.#lines(commandLines(cmd, Infinity, '$ ', ''));
  }
  link(label: string, target: string): void {
    this.#line(`${label}: ${target}`);
  }

  async choose<T extends string>(message: string, choices: readonly ChoiceItem<T>[], def: T): Promise<T> {
    const label = choices.find((c) => c.value === def)?.label ?? def;
    this.#line(`${message} → ${label} (no prompt: the default)`);
    return def;
  }
  async confirm(message: string, def: boolean): Promise<boolean> {
    this.#line(`${message} → ${def ? 'yes' : 'no'} (no prompt: the default)`);
    return def;
  }
  async key(_prompt: string, _keys: readonly KeyItem[], def: string): Promise<string | undefined> {
    return def;
  }

  progress(text: string): Progress {
    this.#line(`${text}…`);
    let current = text;
    return {
      update: (t) => {
        // only changes of substance: a spinner's text updates would flood a log
        current = t;
      },
      succeed: (t) => this.#line(`✓ ${t ?? current}`),
      fail: (t) => this.#line(`✗ ${t ?? current}`),
      stop: () => undefined,
    };
  }

  live(title: string, minIntervalMs = 5000): LiveRegion {
    // a log is append-only: each print holds only the lines not printed the last time
    let printed = new Set<string>();
    let lastAt = -Infinity;
    let titled = false;
    const print = (lines: string[], force: boolean) => {
      const at = this.#now().getTime();
      const fresh = lines.filter((l) => !printed.has(l));
      if (!fresh.length || (!force && at - lastAt < minIntervalMs)) return;
      printed = new Set(lines);
      lastAt = at;
      if (!titled) this.#line(`-- ${title}`);
      titled = true;
      this.#lines(fresh);
    };
    // a log asks nothing: no key stops a view
    return { update: (lines) => print(lines, false), done: (lines) => lines && print(lines, true), quit: new AbortController().signal };
  }

  check(result: CheckView): void {
    this.#lines(formatCheck(result, NO_PAINT, Infinity));
  }
  checkSummary(results: readonly CheckView[]): void {
    this.#line(checkSummaryLine(results));
  }
  table(headers: readonly string[], rows: readonly (readonly string[])[], fold?: Omit<TableFold, 'width'>): void {
    this.#lines(formatTable(headers, rows, NO_PAINT, fold && { ...fold, width: Infinity }));
  }
  diff(patch: string): void {
    this.#lines(colourDiff(patch, NO_PAINT));
  }
  figures(title: string, figures: readonly Figure[]): void {
    this.#lines(formatFigures(title, figures, NO_PAINT));
  }
  footer(view: FooterView): void {
    // a log has no footer: the step's heading already says where it is
    void view;
  }
  result(text: string): void {
    this.#results!.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

