/**
 * The report face: the host of a command that asks nothing and ends with a report on stdout
 * (deploy, status, list, loadtest, emulator), and of the CLI's error boundary. Its result goes to
 * stdout as is; its words to the learner (say, warn, note, error) go to stderr without the plain
 * face's clock: a command's words, not a log. On a terminal they are fitted to its width (prose at
 * words, a command on lines of its own to paste, as the interactive face lays them out) and
 * coloured unless NO_COLOR; piped or to a file, a line stays a line, without colour, for grep and
 * the scripts that read them. Anything else it is asked is the plain face's, without the clock.
 */
import { errorLines, paintedCommand, paintedProse, proseWidth } from './format.js';
import { PlainIoHost } from './plain.js';
import { colorEnabled, paint, type Paint } from './terminal.js';

type Out = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface ReportOptions {
  /** the words' stream: stderr */
  out: Out;
  /** where result() goes: stdout */
  results: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

export class ReportIoHost extends PlainIoHost {
  /** the words go to a terminal (a line after its `^C` echo starts on a fresh one: interrupt.ts) */
  readonly terminal: boolean;
  readonly #out: Out;
  readonly #results: NodeJS.WritableStream;
  readonly #p: Paint;
  /** the width the words are fitted to: a terminal's, or none (Infinity) */
  readonly #fit: number;

  constructor(opts: ReportOptions) {
    const terminal = opts.out.isTTY === true;
    super({ out: opts.out, results: opts.results, stamp: false, width: terminal ? proseWidth(opts.out.columns) : undefined });
    this.terminal = terminal;
    this.#out = opts.out;
    this.#results = opts.results;
    this.#p = paint(colorEnabled(opts.out, opts.env));
    this.#fit = terminal ? proseWidth(opts.out.columns) : Infinity;
  }

  #write(lines: readonly string[]): void {
    this.#out.write(`${lines.join('\n')}\n`);
  }

  override say(line: string): void {
    this.#write(paintedProse(line, this.#fit, this.#p));
  }
  override warn(line: string): void {
    this.#write(paintedProse(`${this.#p.yellow('warning:')} ${line}`, this.#fit, this.#p));
  }
  override note(line: string): void {
    this.#write(paintedProse(`note: ${line}`, this.#fit, this.#p));
  }
  override error(what: string, hint?: string, opts: { stopped?: boolean } = {}): void {
    this.#write(errorLines(opts.stopped ? what : `${this.#p.red('error:')} ${what}`, hint, this.#fit));
  }
  override command(cmd: string): void {
    this.#write(paintedCommand(cmd, this.#fit, this.#p));
  }

  /**
   * A running log on stdout, a line at a time (the foreground cloud's requests). Its reader going
   * away (`| head`, a `| tee` ended by the same Ctrl-C: EPIPE) ends it quietly, never the command
   * or its exit code; another error ends it too, said once as `${name} stopped: …`.
   */
  logLines(name: string): (line: string) => void {
    let open = true;
    this.#results.on('error', (err: NodeJS.ErrnoException) => {
      open = false;
      if (err.code !== 'EPIPE') this.say(`${name} stopped: ${err.message}`);
    });
    return (line) => {
      if (open) this.#results.write(`${line}\n`);
    };
  }
}
