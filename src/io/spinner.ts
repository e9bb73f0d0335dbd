/**
 * The one way a spinner turns (`status`'s wait, io/wait.ts; a step's long task, the interactive
 * face's progress): ora on a terminal stream, cyan, stdin left alone (ora's discardStdin would put
 * it in raw mode, where Ctrl-C is no SIGINT). While it turns it is an open view (open-views.ts): the
 * CLI's error boundary ends it, and so does Ctrl-C before it says "stopping at the next safe
 * point…": said first, that line went under the spinner's last frame, and the frame stayed on the
 * screen above it, a spinner that no longer turned (`⠙ reading the cloud…`).
 */
import ora, { type Ora } from 'ora';
import type { WriteStream } from 'node:tty';
import { openSpinner, openView } from './open-views.js';

export interface Turning {
  spinner: Ora;
  /** it ended on its own: the boundary and Ctrl-C have nothing left to end */
  release(): void;
}

/** a spinner turning on `stream`; `end` stops it (clears its line, or leaves its last text marked) */
export function turningSpinner(text: string, stream: WriteStream, end: (spinner: Ora) => void): Turning {
  const spinner = ora({ text, stream, discardStdin: false, color: 'cyan', isEnabled: true, isSilent: false }).start();
  const stop = () => {
    release();
    if (spinner.isSpinning) end(spinner);
  };
  const unView = openView(stop);
  const unSpin = openSpinner(stop);
  const release = () => {
    unView();
    unSpin();
  };
  return { spinner, release };
}

/** a spinner that does not turn (no terminal size, or after Ctrl-C): its first and last lines only */
export function stillSpinner(text: string, stream: WriteStream): Ora {
  return ora({ text, stream, discardStdin: false, isEnabled: false, isSilent: false });
}
