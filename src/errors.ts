/**
 * Errors that cross the CLI's one error boundary (src/cli.ts).
 * Logic throws these; only the boundary turns them into an exit code and a message.
 */
export const ExitCode = {
  ok: 0,
  /** a run or a check failed */
  failed: 1,
  /** the command line was wrong */
  usage: 2,
  /**
   * the lab could not check: the environment (the cloud, credentials), not the learner's work; also
   * a workspace that another command holds (lab/workspace-lock.ts): run again once it ends
   */
  environment: 3,
  /** Ctrl-C */
  interrupted: 130,
  /** SIGTERM (128 + 15, as a shell reports a process the signal ended) */
  terminated: 143,
} as const;

export class LabError extends Error {
  override readonly name: string = 'LabError';
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.failed,
    /** one line telling the user how to fix it */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A bad command line: wrong flag value, missing argument. Exit code 2. */
export class UsageError extends LabError {
  override readonly name: string = 'UsageError';
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

/** The user pressed Ctrl-C (exit code 130), or the process was sent SIGTERM (143). */
export class InterruptedError extends LabError {
  override readonly name: string = 'InterruptedError';
  constructor(message = 'Interrupted', exitCode: number = ExitCode.interrupted) {
    super(message, exitCode);
  }
}

/**
 * The local cloud went away (its process was killed, crashed or was stopped) while a command
 * talked to it: the environment, not the learner's work, so exit code 3. `deploymentId`: a
 * CodeDeploy deployment the command followed that had not ended (the cloud rolls it back when it
 * starts again).
 */
export class CloudStoppedError extends LabError {
  override readonly name: string = 'CloudStoppedError';
  constructor(
    message: string,
    hint?: string,
    readonly deploymentId?: string,
  ) {
    super(message, ExitCode.environment, hint);
  }
}

const LOST = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * A refused, reset or cut connection (node's error codes, as the AWS SDK passes them on, in the
 * error or its causes): the code, or undefined for any other error.
 */
export function connectionLost(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined, i = 0; e && typeof e === 'object' && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && LOST.has(e.code)) return e.code;
    const m = typeof e.message === 'string' ? /\b(ECONNREFUSED|ECONNRESET)\b|socket hang up/.exec(e.message) : null;
    if (m) return m[1] ?? 'ECONNRESET';
  }
  return undefined;
}

/**
 * The learner pressed q where the lab was not asking (a live view): the step stops as q at a
 * prompt stops it (progress saved, the command that goes on from here). Outside the lab it ends
 * the command with exit 0: stopping to watch is a choice, not an error.
 */
export class LearnerQuit extends LabError {
  override readonly name: string = 'LearnerQuit';
  constructor(message = 'stopped by the learner') {
    super(message, ExitCode.ok);
  }
}
