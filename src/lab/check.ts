/**
 * The check model. A check reads the cloud (live) or the learner's files (static), never changes
 * either, and comes out one of three ways:
 *   passed                    — with what it found
 *   not yet                   — expected …, found … (the learner's move)
 *   could not check           — what could not be reached, and the fix (the environment's fault,
 *                               never shown as the learner's mistake)
 * Each has a name, the equivalent `aws` command and a timeout. All checks of a step run, so the
 * learner sees how many pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asFileSystemError } from '../errors.js';
import type { CheckView } from '../io/host.js';
import type { LabContext } from './context.js';
import { labCommand } from './outside.js';

/**
 * `aws`, on a passed or not-yet outcome: the command that shows what the check found (a deployment
 * by the id it found), shown instead of the check's own, which could only name where to look.
 */
export type CheckOutcome =
  | { status: 'passed'; found?: string; aws?: string }
  | {
      status: 'not-yet';
      expected: string;
      found: string;
      hint?: string;
      aws?: string;
      /**
       * what stops this check, said the same way by every check it stops ("template.yaml does not
       * parse"): runStaticChecks shows the first in full and marks the others not run because of it
       */
      blockedBy?: string;
      /**
       * the lab's app answered with this HTTP 5xx: it is in the cloud and fails (a throttle, a
       * function error), which the resume tells apart from an app gone from the cloud
       */
      serverError?: number;
    }
  | {
      status: 'could-not-check';
      what: string;
      fix: string;
      /** the cloud's port refused the connection (ECONNREFUSED): nothing listens there */
      refused?: boolean;
    };

export const passed = (found?: string): CheckOutcome => ({ status: 'passed', found });
export { hintCommand } from '../invocation.js';

export const notYet = (expected: string, found: string, hint?: string): CheckOutcome => ({ status: 'not-yet', expected, found, hint });
/** `outcome`, shown with `aws` (the command that shows what it found) */
export const showing = (outcome: CheckOutcome, aws: string): CheckOutcome => (outcome.status === 'could-not-check' ? outcome : { ...outcome, aws });
export const couldNotCheck = (what: string, fix: string): CheckOutcome => ({ status: 'could-not-check', what, fix });

/** A check of the live cloud through the SDK clients. */
export interface LiveCheck {
  name: string;
  /** the `aws …` command that reads the same thing (with --endpoint-url on the local target: ctx.aws()) */
  aws(ctx: LabContext): string;
  /** default DEFAULT_CHECK_TIMEOUT_MS */
  timeoutMs?: number;
  /**
   * It reads what the step's `follow` measured (a canary's split over real requests), not the
   * cloud's settings: r and --ci run `follow` once the step's other checks pass, then this one.
   */
  measured?: boolean;
  run(ctx: LabContext, signal: AbortSignal): Promise<CheckOutcome>;
}

/** The learner's files as a static check sees them (read once per run of the checks). */
export interface WorkspaceFiles {
  /** the workspace's sam-app/ folder */
  samApp: string;
  /** a file of sam-app/ by relative path, undefined when absent */
  read(relPath: string): string | undefined;
}

export function workspaceFiles(samApp: string): WorkspaceFiles {
  return {
    samApp,
    read: (rel) => {
      const p = join(samApp, rel);
      try {
        return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
      } catch (err) {
        throw asFileSystemError(err, p, 'read');
      }
    },
  };
}

/** A check of the learner's files, no cloud: run on every save, at once. */
export interface StaticCheck {
  name: string;
  /** the file it reads, relative to sam-app/ (shown as where to look) */
  file: string;
  /**
   * `ctx`, where the lab runs the check (not in a unit test): what earlier steps kept (figures),
   * for a check that compares with the learner's own previous version. Still no cloud.
   */
  run(files: WorkspaceFiles, ctx?: LabContext): CheckOutcome | Promise<CheckOutcome>;
}

export interface CheckResult extends CheckView {
  /** how long the check took, ms */
  ms: number;
  /** could-not-check: the cloud's port refused the connection (explainFailure) */
  refused?: boolean;
  /** not-yet: the app's 5xx answer (CheckOutcome's serverError) */
  serverError?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 15_000;

export function toResult(name: string, aws: string | undefined, outcome: CheckOutcome, ms: number): CheckResult {
  switch (outcome.status) {
    case 'passed':
      return { name, aws: outcome.aws ?? aws, status: 'passed', found: outcome.found, ms };
    case 'not-yet':
      return { name, aws: outcome.aws ?? aws, status: 'not-yet', expected: outcome.expected, found: outcome.found, hint: outcome.hint, ms, ...(outcome.serverError ? { serverError: outcome.serverError } : {}) };
    default:
      return { name, aws, status: 'could-not-check', what: outcome.what, fix: outcome.fix, ms, ...(outcome.refused ? { refused: true } : {}) };
  }
}

/**
 * Runs every check (all of them, whatever the first says), each within its timeout. A throw is
 * "could not check" with what failed and a fix; a check that wants to say "not yet" returns it.
 */
export async function runLiveChecks(checks: readonly LiveCheck[], ctx: LabContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const c of checks) {
    const started = performance.now();
    const aws = safeAws(c, ctx);
    const timeoutMs = c.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
    // a timer of our own, not AbortSignal.timeout(): that one is unref'd, and a check waiting on
    // nothing else would let the process end mid-check
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('check timed out')), timeoutMs);
    const signal = AbortSignal.any([timeout.signal, ctx.signal]);
    let outcome: CheckOutcome;
    try {
      outcome = await Promise.race([
        c.run(ctx, signal),
        new Promise<never>((_, reject) => {
          if (signal.aborted) reject(signal.reason);
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
      ]);
    } catch (err) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
      outcome = timeout.signal.aborted ? couldNotCheck(`get an answer within ${timeoutMs / 1000} s`, ctx.environmentFix) : explainFailure(err, ctx);
    } finally {
      clearTimeout(timer);
    }
    results.push(toResult(c.name, aws, outcome, Math.round(performance.now() - started)));
  }
  return results;
}

/** a not-yet that stops every check needing the same thing (see `blockedBy`) */
export const blocked = (cause: string, expected: string, found: string, hint?: string): CheckOutcome => ({ status: 'not-yet', expected, found, hint, blockedBy: cause });

export async function runStaticChecks(checks: readonly StaticCheck[], files: WorkspaceFiles, ctx?: LabContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const reported = new Map<string, string>();
  for (const c of checks) {
    const started = performance.now();
    let outcome: CheckOutcome;
    try {
      outcome = await c.run(files, ctx);
    } catch (err) {
      outcome = couldNotCheck(`read sam-app/${c.file}: ${(err as Error)?.message ?? String(err)}`, 'check that the file exists and is readable');
    }
    const ms = Math.round(performance.now() - started);
    const cause = outcome.status === 'not-yet' ? outcome.blockedBy : undefined;
    const first = cause === undefined ? undefined : reported.get(cause);
    if (cause !== undefined && first !== undefined) {
      // the same error once, where it was first found: the others say what stopped them
      results.push({ name: c.name, status: 'not-yet', notRun: `${cause} (see "${first}" above)`, file: `sam-app/${c.file}`, ms });
      continue;
    }
    if (cause !== undefined) reported.set(cause, c.name);
    results.push({ ...toResult(c.name, undefined, outcome, ms), file: `sam-app/${c.file}` });
  }
  return results;
}

export function safeAws(c: LiveCheck, ctx: LabContext): string | undefined {
  try {
    return c.aws(ctx);
  } catch {
    // the command needs something not deployed yet: the check itself will say so
    return undefined;
  }
}

/**
 * A failure of the environment, in the learner's words: the cloud not answering, missing
 * credentials, a denied call. Anything else names the error and points at `doctor`.
 */
export function explainFailure(err: unknown, ctx: Pick<LabContext, 'environmentFix' | 'targetName' | 'target' | 'ws'>): CheckOutcome {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || e?.name === 'TimeoutError') {
    const what = `reach ${ctx.targetName} (${code ?? e?.name})`;
    return code === 'ECONNREFUSED' ? { status: 'could-not-check', what, fix: ctx.environmentFix, refused: true } : couldNotCheck(what, ctx.environmentFix);
  }
  if (e?.name === 'CredentialsProviderError' || e?.name === 'ExpiredTokenException' || e?.name === 'UnrecognizedClientException') {
    return couldNotCheck(`sign in to AWS: ${e.message ?? e.name}`, `set credentials (aws configure, or --profile P) and run \`${labCommand(['doctor'], { workspace: ctx.ws.root, target: 'aws' })}\``);
  }
  if (e?.name === 'AccessDeniedException' || e?.name === 'AccessDenied') {
    return couldNotCheck(`read it: access denied (${e.message ?? ''})`, 'use credentials allowed to read Lambda, CodeDeploy, CloudWatch and API Gateway');
  }
  return couldNotCheck(`read the answer: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`, `run \`${labCommand(['doctor'], { workspace: ctx.ws.root, target: ctx.target })}\`; if it passes, this is a bug in the lab`);
}
