/**
 * The interactive face: a learner at a terminal. Questions are @inquirer/prompts, long waits ora
 * spinners, the wait for the learner's change a one-key prompt (rustlings), live views are
 * redrawn in place. The scrollback is never cleared: only a live region's own lines are redrawn.
 * Colour follows io/terminal.ts (a terminal, and no NO_COLOR).
 */
import { confirm as confirmPrompt, select } from '@inquirer/prompts';
import { emitKeypressEvents } from 'node:readline';
import type { ReadStream, WriteStream } from 'node:tty';
import { InterruptedError } from '../errors.js';
import {
  checkSummaryLine,
  colourDiff,
  errorLines,
  paintedCommand,
  paintedProse,
  proseParts,
  formatCheck,
  formatFigures,
  formatFooter,
  formatTable,
  type TableFold,
  hang,
  hyperlink,
  oneLine,
  proseWidth,
  wrap,
} from './format.js';
import wrapAnsi from 'wrap-ansi';
import type { CheckView, ChoiceItem, Figure, FooterView, IoHost, KeyItem, LiveOptions, LiveRegion, Progress } from './host.js';
import { openView } from './open-views.js';
import { stillSpinner, turningSpinner } from './spinner.js';
import { colorEnabled, paint, type Paint } from './terminal.js';

export interface InteractiveOptions {
  stdin: ReadStream;
  stdout: WriteStream;
  env?: NodeJS.ProcessEnv;
  /** Ctrl-C pressed inside a prompt (raw mode: no SIGINT): the CLI's one interrupt policy */
  onCtrlC: () => void;
  /**
   * The CLI's interrupt (InterruptPolicy.signal): when it aborts, a spinner still turning ends at
   * once. Its timer would otherwise keep the process alive after the command returned 130, and ora
   * redraws it under every line written after it. (A live region has no timer; a line written
   * below it ends its redrawing, and its last frame after Ctrl-C is what was measured.)
   */
  signal: AbortSignal;
}

export class InteractiveIoHost implements IoHost {
  readonly face = 'interactive' as const;
  readonly asks = true;
  readonly #in: ReadStream;
  readonly #out: WriteStream;
  readonly #p: Paint;
  readonly #color: boolean;
  readonly #onCtrlC: () => void;
  readonly #signal: AbortSignal;
  /** rows the active live region occupies, to redraw it in place */
  #liveRows = 0;
  /**
   * The open live region's rows as last drawn, until its done(): a line said meanwhile (the stop
   * message of a Ctrl-C) goes above them and they are drawn again under it, once. Written below
   * them, it left the rows as they were above it, and the region's next frame drew them a second
   * time under it (canary-create's split after "stopping at the next safe point…").
   */
  #liveFrame: string[] | undefined;
  /** ends the open live region's hold on the keyboard (raw mode, its key listener) */
  #releaseKeys: (() => void) | undefined;

  constructor(opts: InteractiveOptions) {
    this.#in = opts.stdin;
    this.#out = opts.stdout;
    this.#color = colorEnabled(opts.stdout, opts.env);
    this.#p = paint(this.#color);
    this.#onCtrlC = opts.onCtrlC;
    this.#signal = opts.signal;
  }

  get width(): number {
    return proseWidth(this.#out.columns);
  }

  #write(lines: readonly string[]): void {
    if (this.#liveFrame && this.#liveRows > 0) {
      // a region still open: the line goes above its rows, which follow it (one copy of them)
      this.#out.write(`\u001B[${this.#liveRows}F\u001B[J${lines.join('\n')}\n${this.#liveFrame.join('\n')}\n`);
      return;
    }
    // anything written below a live region ends its redrawing: the next update starts fresh
    this.#endLive();
    this.#out.write(`${lines.join('\n')}\n`);
  }

  #endLive(): void {
    this.#liveRows = 0;
    this.#liveFrame = undefined;
  }

  heading(text: string): void {
    this.#write(['', ...wrap(text, this.width).map((l) => this.#p.bold(l))]);
  }
  explain(paragraphs: readonly string[]): void {
    const out: string[] = [];
    for (const p of paragraphs) out.push(...wrap(p, this.width));
    this.#write(out);
  }
  say(line: string): void {
    // a command in what is said (a hint's way out) is laid out as command() lays it out, to paste whole
    this.#write(paintedProse(line, this.width, this.#p));
  }
  warn(line: string): void {
    // the same, the warning's mark before its first words (reset's stage it could not put back)
    const parts = proseParts(line);
    this.#write(parts.flatMap((part, i) => (part.command !== undefined ? this.#commandLines(part.command) : wrap(i === 0 ? `${this.#p.yellow('!')} ${part.prose}` : part.prose!, this.width))));
  }
  note(line: string): void {
    this.say(`note: ${line}`);
  }
  error(what: string, hint?: string, opts: { stopped?: boolean } = {}): void {
    this.#write(errorLines(opts.stopped ? what : `${this.#p.red('error:')} ${what}`, hint, this.width));
  }
  command(cmd: string): void {
    this.#write(this.#commandLines(cmd));
  }
  #commandLines(cmd: string): string[] {
    // broken only at arguments, with ` \` continuations: pasted, it is still one command
    return paintedCommand(cmd, this.width, this.#p);
  }
  link(label: string, target: string): void {
    const shown = this.#color ? hyperlink(target, target.includes('://') ? target : `file://${target}`) : target;
    // a path or URL is never broken: on a narrow terminal it goes on its own line, under its label
    this.#write(label.length + 2 + target.length <= this.width ? [`${label}: ${shown}`] : [`${label}:`, `  ${shown}`]);
  }

  async choose<T extends string>(message: string, choices: readonly ChoiceItem<T>[], def: T, signal?: AbortSignal): Promise<T> {
    this.#endLive();
    this.#releaseKeys?.();
    // a choice with a key of its own is picked by that key at once (q: quit), as at the one-key prompts
    const keyed = choices.filter((c) => c.key);
    const picked = new AbortController();
    let pick: T | undefined;
    const onKey = (str: string | undefined, k: { ctrl?: boolean } | undefined) => {
      const c = k?.ctrl ? undefined : keyed.find((x) => x.key === (str ?? '').toLowerCase());
      if (!c || pick !== undefined) return;
      pick = c.value;
      picked.abort();
    };
    if (keyed.length) this.#in.on('keypress', onKey);
    const keysSaid = keyed.length ? ` ${this.#p.dim(`(${keyed.map((c) => `${c.key}: ${c.label}`).join(', ')})`)}` : '';
    try {
      return await this.#prompt(
        (sig) =>
          select<T>(
            {
              message: this.#question(`${message}${keysSaid}`, 0),
              default: def,
              choices: choices.map((c) => ({ value: c.value, name: c.key ? `${c.label} (${c.key})` : c.label, description: c.description })),
            },
            { input: this.#in, output: this.#out, signal: AbortSignal.any([sig, picked.signal]) },
          ),
        signal,
      );
    } catch (err) {
      if (pick !== undefined && !signal?.aborted) {
        this.#out.write(`${this.#p.dim('→')} ${keyed.find((c) => c.value === pick)!.label}\n`);
        return pick;
      }
      throw err;
    } finally {
      this.#in.off('keypress', onKey);
    }
  }

  async confirm(message: string, def: boolean, signal?: AbortSignal): Promise<boolean> {
    this.#endLive();
    this.#releaseKeys?.();
    return this.#prompt((signal) => confirmPrompt({ message: this.#question(message, ' (y/N) yes'.length), default: def }, { input: this.#in, output: this.#out, signal }), signal);
  }

  /**
   * A question for @inquirer/prompts, wrapped here at words under its `? `: the prompt breaks a long
   * one at the terminal's width with no trim, so a line began with the space it broke at
   * (` REST API back…`, reset's question at 80 columns). `after` columns stay free on the last line
   * for what the prompt adds (` (y/N)` and the answer).
   */
  #question(message: string, after: number): string {
    return hang(message, this.width - 2 - after, '  ').join('\n');
  }

  /**
   * A prompt ends on the caller's signal and on the CLI's interrupt: a SIGTERM (interrupt.ts) is
   * no key the prompt sees, and a prompt that did not listen would hold the process until killed.
   */
  async #prompt<T>(run: (signal: AbortSignal) => Promise<T>, given?: AbortSignal): Promise<T> {
    const signal = given ? AbortSignal.any([given, this.#signal]) : this.#signal;
    try {
      return await run(signal);
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'ExitPromptError') {
        // Ctrl-C inside the prompt: the same as a SIGINT, and here is a safe point
        this.#onCtrlC();
        throw new InterruptedError();
      }
      if (name === 'AbortPromptError' && signal?.aborted) throw signal.reason;
      throw err;
    }
  }

  key(prompt: string, keys: readonly KeyItem[], def: string, signal?: AbortSignal): Promise<string | undefined> {
    this.#endLive();
    this.#releaseKeys?.();
    if (signal?.aborted) return Promise.resolve(undefined);
    const input = this.#in;
    // the keys are in the footer just above; the prompt names only what Enter does
    const enter = keys.find((k) => k.key === def);
    // two columns kept free on the last line: the space and the key echoed after it
    this.#out.write(`${wrap(`${prompt} ${this.#p.dim(`(Enter: ${enter ? enter.label : def})`)}`, this.width - 2).join('\n')} `);
    return new Promise((resolve, reject) => {
      emitKeypressEvents(input);
      const wasRaw = input.isRaw;
      input.setRawMode(true);
      input.resume();
      const finish = () => {
        input.off('keypress', onKey);
        signal?.removeEventListener('abort', onAbort);
        input.setRawMode(wasRaw);
        input.pause();
      };
      const onKey = (str: string | undefined, k: { name?: string; ctrl?: boolean } | undefined) => {
        if (k?.ctrl && k.name === 'c') {
          finish();
          this.#out.write('\n');
          this.#onCtrlC();
          reject(new InterruptedError());
          return;
        }
        const enterPressed = k?.name === 'return' || k?.name === 'enter';
        const pressed = enterPressed ? def : (str ?? '').toLowerCase();
        if (!keys.some((x) => x.key === pressed)) return;
        finish();
        // a key is echoed as typed; Enter is not the default's letter (`next? (Enter: next step) n`
        // read as a "no"): the prompt already says what Enter does, so it echoes nothing
        this.#out.write(`${enterPressed ? '' : pressed}\n`);
        resolve(pressed);
      };
      const onAbort = () => {
        finish();
        this.#out.write('\n');
        resolve(undefined);
      };
      input.on('keypress', onKey);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  progress(text: string): Progress {
    this.#endLive();
    // ora counts the rows to clear as text width / columns: a terminal that reports 0 columns (a
    // pty with no size, e.g. `script` run with no terminal around it) makes that Infinity, and its
    // next clear() writes cursor-up forever without yielding, deaf to SIGINT and SIGTERM. There, and
    // after Ctrl-C, a spinner does not turn: it prints its first and its last line only.
    const spinning = (this.#out.columns ?? 80) > 0 && !this.#signal.aborted;
    // a turning spinner's text is one row ('⠋ ' and a column spare): wider, the terminal wrapped
    // or cut it (mid-URL: `--endpoint-url http://127.0.0.1:377`); the whole text is kept for the
    // line that stays, wrapped under its mark
    let full = text;
    const row = (t: string) => (spinning ? oneLine(t, Math.min(this.width, this.#out.columns || 80) - 3) : t);
    const cut = () => {
      // Ctrl-C, or the command ended with it turning: its last text stays, marked as cut short, and
      // its timer ends; what the command still says of it (its ✔ / ✖) comes as a plain line
      if (spinner.isSpinning) spinner.stopAndPersist({ symbol: this.#p.yellow('!'), text: hang(full, this.width - 2, '  ').join('\n') });
      spinner = stillSpinner(full, this.#out);
      closed();
    };
    const turning = spinning ? turningSpinner(row(text), this.#out, cut) : undefined;
    let spinner = turning?.spinner ?? stillSpinner(text, this.#out).start();
    if (spinning) this.#signal.addEventListener('abort', cut, { once: true });
    if (spinning) this.#holdKeys(new AbortController(), false);
    const closed = () => {
      this.#signal.removeEventListener('abort', cut);
      turning?.release();
    };
    return {
      update: (t) => {
        full = t;
        spinner.text = spinner.isSpinning ? row(t) : t;
      },
      // the line that stays is wrapped under its ✔ / ✖ (the spinner's own text is ora's to fit)
      succeed: (t) => {
        closed();
        spinner.succeed(hang(t ?? full, this.width - 2, '  ').join('\n'));
      },
      fail: (t) => {
        closed();
        spinner.fail(hang(t ?? full, this.width - 2, '  ').join('\n'));
      },
      stop: () => {
        closed();
        spinner.stop();
      },
    };
  }

  live(title: string, _minIntervalMs?: number, opts: LiveOptions = {}): LiveRegion {
    // a region left open before this one stays as it was drawn, above
    this.#endLive();
    this.#write([`${this.#p.bold(title)}${opts.quit ? this.#p.dim(`  (q: ${opts.quit}; Ctrl-C: stop the lab)`) : ''}`]);
    const quit = new AbortController();
    this.#holdKeys(quit, opts.quit !== undefined);
    const draw = (lines: string[]) => {
      // wrapped here rather than by the terminal, so the rows to redraw are known exactly
      const cols = Math.max(20, (this.#out.columns || 80) - 1);
      const rows = lines.flatMap((l) => wrapAnsi(l, cols, { hard: true, trim: false }).split('\n'));
      if (this.#liveRows > 0) this.#out.write(`\u001B[${this.#liveRows}F\u001B[J`);
      this.#out.write(`${rows.join('\n')}\n`);
      this.#liveRows = rows.length;
      this.#liveFrame = rows;
    };
    let open = true;
    return {
      quit: quit.signal,
      // a frame that comes after done() (a late progress event) would draw a stray copy
      update: (lines) => void (open && draw(lines)),
      done: (lines) => {
        if (!open) return;
        open = false;
        if (lines) draw(lines);
        this.#endLive();
      },
    };
  }

  /**
   * While a live view shows, its keys are read here, in raw mode: q (when the view offers it)
   * aborts `quit`, Ctrl-C is the CLI's interrupt, and every other key is dropped. Left to the
   * terminal's line buffer, a key pressed during the view (q) came out at the next prompt and
   * answered it (quitting the lab at "next?"). A turning spinner holds them the same way. The hold
   * lasts until the next prompt (or the end of the command: open-views.ts), not only while the view
   * shows: the waits between a view and the prompt after it (the checks, a rollback the step waits
   * for) would otherwise keep keys for that prompt.
   */
  #holdKeys(quit: AbortController, offersQuit: boolean): () => void {
    this.#releaseKeys?.();
    const input = this.#in;
    if (!input.isTTY || typeof input.setRawMode !== 'function') return () => undefined;
    emitKeypressEvents(input);
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.resume();
    const onKey = (str: string | undefined, k: { name?: string; ctrl?: boolean } | undefined) => {
      if (k?.ctrl && k.name === 'c') this.#onCtrlC();
      else if (offersQuit && (str ?? '').toLowerCase() === 'q') quit.abort();
    };
    input.on('keypress', onKey);
    let unregister = (): void => undefined;
    const release = () => {
      if (this.#releaseKeys !== release) return;
      this.#releaseKeys = undefined;
      input.off('keypress', onKey);
      input.setRawMode(wasRaw);
      input.pause();
      unregister();
    };
    this.#releaseKeys = release;
    // a view its owner left open when it threw: the error boundary ends it (open-views.ts)
    unregister = openView(release);
    return release;
  }

  check(result: CheckView): void {
    this.#write(formatCheck(result, this.#p, this.width));
  }
  checkSummary(results: readonly CheckView[]): void {
    const all = results.every((r) => r.status === 'passed');
    this.#write([(all ? this.#p.green : this.#p.bold)(checkSummaryLine(results))]);
  }
  table(headers: readonly string[], rows: readonly (readonly string[])[], fold?: Omit<TableFold, 'width'>): void {
    this.#write(formatTable(headers, rows, this.#p, fold && { ...fold, width: this.width }));
  }
  diff(patch: string): void {
    this.#write(colourDiff(patch, this.#p));
  }
  figures(title: string, figures: readonly Figure[]): void {
    this.#write(formatFigures(title, figures, this.#p));
  }
  footer(view: FooterView): void {
    this.#write(formatFooter(view, this.#p, this.width, { links: this.#color }));
  }
  result(text: string): void {
    this.#write([text.replace(/\n$/, '')]);
  }
}
