/**
 * Picks the face of the I/O host: interactive on a terminal; plain with `--ci`, or when stdin or
 * stdout is not a terminal (said once, so a learner piping the output knows why nothing asks; only
 * by a command that would ask).
 * create-vite's rule: interactive = flag ?? isTTY.
 */
import type { ReadStream, WriteStream } from 'node:tty';
import type { IoHost } from './host.js';
import { PlainIoHost } from './plain.js';
import { ReportIoHost } from './report.js';

export type { ReportIoHost } from './report.js';
export type { IoHost, CheckView, CheckStatus, ChoiceItem, KeyItem, FooterView, Progress, LiveRegion, Figure } from './host.js';

export interface HostChoice {
  ci?: boolean;
  /** --json: stdout carries the report, so the plain face's lines go to stderr */
  json?: boolean;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  onCtrlC: () => void;
  /** the CLI's interrupt (InterruptPolicy.signal): ends the interactive face's spinners at once */
  signal: AbortSignal;
  /**
   * false for a command that never asks (doctor): without a terminal it is plain as usual, but
   * says nothing about prompts and default answers, which it does not have
   */
  prompts?: boolean;
}

export async function createIoHost(opts: HostChoice): Promise<IoHost> {
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const terminal = stdin.isTTY === true && stdout.isTTY === true;
  if (!opts.ci && terminal && !opts.json) {
    // imported only here: a --ci run never loads inquirer or ora
    const { InteractiveIoHost } = await import('./interactive.js');
    return new InteractiveIoHost({ stdin: stdin as ReadStream, stdout: stdout as WriteStream, env: opts.env, onCtrlC: opts.onCtrlC, signal: opts.signal });
  }
  const host = new PlainIoHost({ out: opts.json ? stderr : stdout, results: stdout });
  if (!opts.ci && !opts.json && opts.prompts !== false) host.say(`${stdin.isTTY ? 'stdout' : 'stdin'} is not a terminal: plain output, no prompts, the default answer everywhere (as with --ci)`);
  return host;
}

/**
 * The host of a command that asks nothing and ends with a report on stdout (deploy, status, list,
 * loadtest, emulator start/status/stop), and of the CLI's error boundary: the report face
 * (io/report.ts), its words on stderr at a terminal's width and colour, its result on stdout as is
 * (a pipe or a file gets the same bytes as a terminal). No interactive face: nothing to ask.
 */
export function reportHost(
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): ReportIoHost {
  return new ReportIoHost({ out: stderr, results: stdout, env });
}
