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

/** The user pressed Ctrl-C. Exit code 130. */
export class InterruptedError extends LabError {
  override readonly name: string = 'InterruptedError';
  constructor(message = 'Interrupted') {
    super(message, ExitCode.interrupted);
  }
}
