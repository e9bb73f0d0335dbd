/**
 * The one Ctrl-C policy of every command, owned by cli-main.ts: the first Ctrl-C aborts one
 * AbortSignal (work stops at its next safe point and still prints what it measured, then the
 * command throws InterruptedError: exit 130); the second quits at once with 130. A prompt in raw
 * mode sees Ctrl-C as a key, not a signal: the I/O host calls `press()` so both ways agree.
 * SIGTERM (`kill PID`, a closing terminal's manager) is the same stop, ending with 143 instead of
 * 130 (128 + the signal's number, as a shell reports it): the learner reads the same "progress
 * saved / go on with" lines whichever way the lab was stopped. SIGHUP (the terminal closed) is
 * that stop too, exit 129: a cloud's shift view or a load test in flight ends as Ctrl-C ends it,
 * and the writes to the terminal that is gone (EIO, EPIPE) are dropped, not thrown as a stack trace.
 */
import { ExitCode, InterruptedError } from './errors.js';
import { endSpinners } from './io/open-views.js';
import { loadedIo, loadIo } from './io/lazy.js';

export class InterruptPolicy {
  readonly #controller = new AbortController();
  readonly #said: (line: string) => void;
  readonly #exit: (code: number) => void;
  /**
   * What the first Ctrl-C prints; a command replaces it with what it waits for, or with null
   * when it says so itself.
   */
  message: string | null = 'stopping at the next safe point… (Ctrl-C again to quit at once)';
  /**
   * A command that can end at once and still print what it measured (loadtest) takes the second
   * Ctrl-C itself; a third quits.
   */
  onSecond: (() => void) | null = null;
  /**
   * Where the message goes: stderr through the report host by default (a test's `write`, given to
   * the constructor); the lab's I/O host takes it, so a live view redrawn in place does not write
   * over it.
   */
  say: ((line: string) => void) | null = null;
  /**
   * What the second Ctrl-C says before it quits (the lab: progress saved, the command that goes
   * on from here), as a lab stopped by the first one says it; it quits with 130 all the same.
   */
  lastWords: (() => void) | null = null;

  /** `write`: for tests, where the message goes (the line and its newline) when no host took it; by default stderr, through the I/O host */
  constructor(opts: { write?: (text: string) => void; exit?: (code: number) => void } = {}) {
    const write = opts.write;
    this.#said = write ? (line) => write(`${line}\n`) : sayOnStderr;
    // the one process.exit outside cli-main.ts's return: the user insists, nothing is waited for
    this.#exit = opts.exit ?? ((code) => process.exit(code));
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get interrupted(): boolean {
    return this.#controller.signal.aborted;
  }

  /** the stop came from SIGTERM, not Ctrl-C */
  get terminated(): boolean {
    return this.#terminated;
  }

  /** the exit code of this stop: 129 after SIGHUP, 143 after SIGTERM, else 130 */
  get exitCode(): number {
    return this.#hungUp ? ExitCode.hungUp : this.#terminated ? ExitCode.terminated : ExitCode.interrupted;
  }

  #terminated = false;
  #hungUp = false;

  /** Ctrl-C, from SIGINT or from a prompt. */
  readonly press = (): void => {
    if (this.#controller.signal.aborted) {
      const second = this.onSecond;
      this.onSecond = null;
      if (second) second();
      else {
        const words = this.lastWords;
        this.lastWords = null;
        try {
          words?.();
        } finally {
          this.#exit(this.exitCode);
        }
      }
      return;
    }
    // a spinner still turning ends first: these words written under it left its last frame on the
    // screen above them, a spinner that no longer turned (io/spinner.ts)
    endSpinners();
    if (this.message) {
      // a SIGTERM came from another process, not from a key: say what a second stop does in its words
      const line = this.#terminated ? this.message.replace('(Ctrl-C again to quit at once)', '(terminated: a second SIGTERM, or Ctrl-C, quits at once)') : this.message;
      (this.say ?? this.#said)(line);
    }
    // the reason is what `throw signal.reason` raises at a safe point: exit 130 at the boundary
    this.#controller.abort(new InterruptedError(this.#terminated ? 'Terminated' : undefined, this.exitCode));
  };

  /** SIGTERM: the first stops as Ctrl-C does (exit 143), a second quits at once */
  readonly terminate = (): void => {
    if (!this.#controller.signal.aborted) this.#terminated = true;
    this.press();
  };

  /**
   * SIGHUP: the terminal is gone. Its writes fail from now on (EIO on a closed pty, EPIPE on a
   * pipe): they are dropped, so what stops the command runs to its end; then it stops as SIGTERM.
   */
  #hangUp(proc: NodeJS.Process): void {
    for (const stream of [proc.stdout, proc.stderr]) stream?.on('error', () => undefined);
    if (!this.#controller.signal.aborted) this.#hungUp = true;
    this.terminate();
  }

  /** listens to SIGINT, SIGTERM and SIGHUP until `uninstall()` */
  install(proc: NodeJS.Process = process): () => void {
    const hangUp = () => this.#hangUp(proc);
    proc.on('SIGINT', this.press);
    proc.on('SIGTERM', this.terminate);
    proc.on('SIGHUP', hangUp);
    this.#leaveSigterm = () => {
      proc.off('SIGTERM', this.terminate);
      proc.off('SIGHUP', hangUp);
    };
    return () => {
      proc.off('SIGINT', this.press);
      this.#leaveSigterm();
    };
  }

  #leaveSigterm: () => void = () => undefined;

  /** a command that answers SIGTERM itself (the foreground emulator: a clean stop, exit 0); SIGHUP then ends it as Node does */
  leaveSigterm(): void {
    this.#leaveSigterm();
  }
}

/** the words of a command whose host did not take them: on a terminal, past the `^C` it echoed on the line */
function sayOnStderr(line: string): void {
  const say = (m: NonNullable<ReturnType<typeof loadedIo>>) => {
    const io = m.reportHost();
    if (io.terminal) io.say('');
    io.say(line);
  };
  // loaded before every command's action (cli-main.ts); a Ctrl-C in the first milliseconds waits for it
  const loaded = loadedIo();
  if (loaded) say(loaded);
  else void loadIo().then(say);
}
