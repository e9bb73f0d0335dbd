/**
 * `start` (the guided lab, resumable) and `step <id>` (one step, after catching up on the
 * earlier ones). Exit 0 when every step run passed (or the learner stopped by choice), 2 for --ci
 * where every step was done before (nothing to check: session.ts nothingToCheck), 1 when a
 * check failed, 3 when the environment could not be checked (or another command holds the
 * workspace: lab/workspace-lock.ts), 130 on Ctrl-C (progress saved).
 * `--report FILE` is checked before any step runs (usage, 2); a report that still cannot be
 * written at the end makes a run that would exit 0 exit 3 (the environment, not the steps).
 */
import { join } from 'node:path';
import { CloudStoppedError, connectionLost, ExitCode, InterruptedError, LabError } from '../errors.js';
import { LOG_FILE } from '../emulator/config.js';
import { readRecord } from '../emulator/process-record.js';
import { atomicWrite } from '../files.js';
import type { InterruptPolicy } from '../interrupt.js';
import { runLab } from '../lab/runner.js';
import { openSession, readLabFlags, type LabFlags } from '../lab/session.js';
import { lockWorkspace } from '../lab/workspace-lock.js';
import { workspacePaths, type Workspace } from '../lab/workspace.js';
import { cliCommand, hintCommand } from '../invocation.js';
import { labArgs, labCommand } from '../lab/outside.js';
import { checkReportPath, type LabReport } from '../lab/report.js';
import type { IoHost } from '../io/host.js';
import { labVersion } from '../version.js';
import { REFERENCE_ORDER } from '../steps/outline.js';
import { namedStep, stepName } from './step-arg.js';

/** `io`: a host of the caller's (the bench's scripted learner); the report is returned for it */
export async function startCommand(opts: Record<string, unknown>, interrupt: InterruptPolicy, named?: string, given?: { io?: IoHost }): Promise<LabReport> {
  const flags = readLabFlags(opts);
  // a step's number (`step 2`, `--from 2`) as its id, from here on: resume commands, the workspace's lock
  const only = named === undefined ? undefined : stepName(named);
  if (flags.from !== undefined) flags.from = stepName(flags.from);
  const from = only ?? flags.from;
  if (flags.report !== undefined) checkReportPath(flags.report);
  // one command at a time changes a workspace (workspace-lock.ts): held until this one ends, however it ends
  const lock = await lockWorkspace(workspacePaths(flags.workspace), only !== undefined ? ['step', only] : ['start']);
  try {
    return await startLocked(flags, interrupt, from, only, given);
  } finally {
    await lock.release();
  }
}

async function startLocked(flags: LabFlags, interrupt: InterruptPolicy, from: string | undefined, only: string | undefined, given: { io?: IoHost } | undefined): Promise<LabReport> {
  // the steps' code (the SDK's clients in it) once the named step is known to be one (outline.ts)
  const { LAB_STEPS: steps } = await import('../steps/index.js');
  const session = await openSession(flags, interrupt, REFERENCE_ORDER, { ...given, whole: from === undefined ? steps.map((s) => s.id) : undefined });
  const { io, ctx } = session;
  // the cloud stays up for the learner's own commands; say how to stop it (wrap-up says it at the
  // end). An instructor (--ci) is told it too, with its port and pid: a machine checked before
  // class keeps a cloud running, and a Ctrl-C'd run (130) left one as well
  const cloudStaysUp = () => {
    if (!session.cloudEndpoint) return;
    if (session.flags.ci) {
      const rec = readRecord(session.ws.stateDir);
      const where = rec ? ` (port ${rec.port}, pid ${rec.pid})` : '';
      io.say(`the local cloud keeps running at ${session.cloudEndpoint}${where}; this stops it:`);
    } else io.say(`the local cloud keeps running at ${session.cloudEndpoint} for your own commands; this stops it:`);
    io.command(cliCommand(['emulator', 'stop', '--workspace', session.ws.root]));
  };
  // q and Ctrl-C say it the same way: the command through io.command, on a line of its own (whole,
  // or broken at its arguments with ` \`, it still pastes as one command on a narrow terminal)
  const resume = () => {
    io.say('progress saved; this goes on from here:');
    io.command(cliCommand(resumeArgs(flags, session.ws.root, only)));
  };
  const resumed = (err: CloudStoppedError) => goOnAfter(err, cliCommand(resumeArgs(flags, session.ws.root, only)));
  // the second Ctrl-C quits at once (interrupt.ts), and says what the first one would have
  interrupt.lastWords = () => {
    cloudStaysUp();
    resume();
  };
  let report: LabReport;
  try {
    report = await runLab({
      steps,
      ctx,
      progress: session.progress,
      reference: session.reference,
      from: from !== undefined ? namedStep(from).id : undefined,
      only: only !== undefined,
      // `step canary` names a chapter: all of its steps
      onlyChapter: only !== undefined && namedStep(only).id !== only,
      assisted: flags.assisted,
      version: labVersion,
      workspace: session.ws.root,
    });
  } catch (err) {
    const stopped = flags.target === 'local' ? cloudStopped(err, session.ws, ctx.stepId || undefined) : undefined;
    if (!stopped) throw err;
    throw resumed(stopped);
  } finally {
    interrupt.lastWords = null;
    session.close();
  }
  // --ci that restarted a learner's cloud at its --speed: the cloud runs as it ran before again
  if (session.restoreCloud) {
    await session.restoreCloud().catch((err: unknown) => io.warn(`the local cloud was not put back at its speed from before this run: ${(err as Error).message}`));
  }
  /** the report could not be written (the folder went away, the disk filled up): a run that would end 0 ends 3 */
  let unwritten: LabError | undefined;
  if (flags.report) {
    try {
      atomicWrite(flags.report, `${JSON.stringify(report, null, 2)}\n`);
      io.say(`report written to ${flags.report}`);
    } catch (err) {
      unwritten = new LabError(
        `the report was not written to ${flags.report}: ${(err as Error).message}`,
        ExitCode.environment,
        `the steps ran and their progress is saved (\`${cliCommand(['list', '--workspace', session.ws.root])}\` shows it); --json prints the report on stdout as well`,
      );
    }
  }
  // the I/O host's result: stdout (with --json the plain face says its lines on stderr)
  if (flags.json) io.result(`${JSON.stringify(report, null, 2)}\n`);
  // a run that ends non-zero anyway says it in a warning; one that would end 0 ends with it (exit 3)
  if (unwritten && report.outcome !== 'passed' && report.outcome !== 'stopped') io.warn(unwritten.message);
  const secs = (report.durationMs / 1000).toFixed(1);
  switch (report.outcome) {
    case 'passed': {
      const doneInAll = steps.filter((s) => session.progress.step(s.id).status === 'done').length;
      const last = passedLine(report, doneInAll, steps.length);
      if (last) io.say(last);
      if (session.flags.ci) {
        const ready = readyLine(report.steps.filter((r) => r.outcome === 'passed').map((r) => r.id), steps.map((s) => s.id), flags.target, only === undefined ? session.ws.root : undefined);
        if (ready) io.say(ready);
        cloudStaysUp();
      }
      if (unwritten) throw unwritten;
      return report;
    }
    case 'stopped':
      cloudStaysUp();
      resume();
      if (unwritten) throw unwritten;
      return report;
    case 'interrupted':
      cloudStaysUp();
      resume();
      throw new InterruptedError(`${interrupt.terminated ? 'terminated' : 'interrupted'} after ${secs} s`, interrupt.exitCode);
    case 'could-not-check': {
      const gone = await cloudGoneUnder(session, report);
      if (gone) throw resumed(gone);
      throw new LabError(
        'the lab could not check the cloud (the environment, not the steps)',
        ExitCode.environment,
        labCommand(['doctor'], { workspace: session.ws.root, target: flags.target }),
      );
    }
    default: {
      const gone = await cloudGoneUnder(session, report);
      if (gone) throw resumed(gone);
      throw stepFailed(report.steps.find((s) => s.outcome !== 'passed'), ctx.ci, { workspace: session.ws.root, target: flags.target });
    }
  }
}

/**
 * The error a run ends with when a step did not pass. Under --ci, what went wrong (for the
 * instructor). On a terminal only the lab's own change fails (a catch-up, --assisted: runner.ts
 * solveOne), a taught step waits for the learner: what the lab found is said above it, and the
 * learner can make the step themselves, with its checks and hints; start goes on after it.
 */
export function stepFailed(failed: Pick<LabReport['steps'][number], 'id' | 'instructorMessage' | 'learnerMessage'> | undefined, ci: boolean, where: { workspace: string; target: 'local' | 'aws' }): LabError {
  if (failed && !ci) return new LabError(`step ${failed.id} did not pass`, ExitCode.failed, `to make it yourself, with its checks and hints: ${labCommand(['step', failed.id], where)}`);
  return new LabError(`step ${failed?.id ?? '?'} did not pass`, ExitCode.failed, failed?.instructorMessage ?? failed?.learnerMessage);
}

/**
 * The local cloud went away under the lab (killed, crashed, `emulator stop`): the environment's
 * (exit 3), said with where the cloud logs and, when the lab followed a deployment that had not
 * ended, what becomes of it: a restarted cloud rolls back a deployment it found in flight
 * (DESIGN.md, the store), so the alias goes back to the version it served. `stepId`: the step
 * that ran, named as the README says (`the local cloud stopped while the lab ran STEP`).
 */
export function cloudStopped(err: unknown, ws: Workspace, stepId?: string): CloudStoppedError | undefined {
  const code = connectionLost(err);
  if (!(err instanceof CloudStoppedError) && !code) return undefined;
  const what = err instanceof CloudStoppedError ? err.message : stepId ? `the local cloud stopped while the lab ran ${stepId} (${code})` : `the local cloud stopped while the lab talked to it (${code})`;
  const id = err instanceof CloudStoppedError ? err.deploymentId : undefined;
  const deployment = id ? `: the cloud rolls ${id} back when it starts again (the alias goes back to the version it served), so the step deploys again` : '';
  const log = join(ws.stateDir, LOG_FILE);
  return new CloudStoppedError(`${what}${deployment}`, what.includes(log) ? undefined : `the cloud's log: ${log}`, id);
}

/**
 * The cloud stopped under the run: the error, then the command that goes on (`resume`: its
 * hint's last lines). Said as the lab's resume line and then thrown, the "go on" line came before
 * the error it answered (`progress saved; this goes on from here: $ npm start`, then `error: the
 * local cloud stopped …`).
 */
export function goOnAfter(err: CloudStoppedError, resume: string): CloudStoppedError {
  return new CloudStoppedError(err.message, `${err.hint ? `${err.hint}\n` : ''}progress saved; this goes on from here:${hintCommand(resume)}`, err.deploymentId);
}

/**
 * A step that failed, or could not check, while the local cloud stopped under it (`emulator stop`
 * from another terminal, a crash): what the step read was a cloud going away (its answers, the
 * function's calls to it refused), not the learner's work nor the lab's, so it is said as the cloud
 * stopped (exit 3), not as the step's failure (1). A cloud that still runs, or one that holds the
 * workspace without answering (stopped with Ctrl-Z: the step's own message says it), changes nothing.
 */
export async function cloudGoneUnder(session: { flags: LabFlags; ws: Workspace; cloudEndpoint?: string }, report: LabReport): Promise<CloudStoppedError | undefined> {
  if (session.flags.target !== 'local' || !session.cloudEndpoint) return undefined;
  const { emulatorStatus, unresponsiveEmulator } = await import('../emulator/daemon.js');
  const st = await emulatorStatus(session.ws.stateDir);
  if (st.running) return undefined;
  if (st.unresponsive !== undefined) {
    const stopping = unresponsiveEmulator(session.ws.stateDir, st.unresponsive);
    return stopping instanceof CloudStoppedError ? cloudStopped(stopping, session.ws) : undefined;
  }
  const step = report.steps.find((s) => s.outcome !== 'passed');
  return cloudStopped(new CloudStoppedError(`the local cloud stopped while the lab ran ${step?.id ?? 'a step'}: what the step saw was the cloud going away, not a result of the step`), session.ws);
}

/**
 * The run's last line when it passed: the steps of this run, and (when earlier sessions did some)
 * how many of the lab's are done in all, so a learner who did 1-6 yesterday and the rest today
 * does not end on "8 steps passed" as if that were the lab. None when no step ran: the runner
 * has just said "every step is done" and what to do next, and a "nothing to do; all N steps of the
 * lab are done" under it would say it again.
 */
export function passedLine(report: Pick<LabReport, 'steps' | 'durationMs'>, doneInAll: number, total: number): string | undefined {
  const ran = report.steps.length;
  if (!ran) return undefined;
  const line = `${ran} ${ran === 1 ? 'step' : 'steps'} passed in ${(report.durationMs / 1000).toFixed(1)} s`;
  if (doneInAll <= ran) return line;
  return `${line}; with earlier sessions, ${doneInAll === total ? `all ${total} steps of the lab are done` : `${doneInAll} of the lab's ${total} steps are done`}`;
}

/**
 * --ci's verdict for an instructor: the machine can hold the class once every step of the lab
 * passed in this run. Steps an earlier session did (a learner's workspace, a run stopped half way)
 * were not run again, so a run that went on from step N proves steps N.. only and says which it
 * did not run, with the way to check the whole lab (a fresh workspace); it said "ready … all 14
 * steps" after running 10-14. `workspace`: the run is `start` (not `step <id>`, which proves its
 * steps only and says nothing more); `ran`: the ids of the steps that passed in this run.
 */
export function readyLine(ran: readonly string[], ids: readonly string[], target: 'local' | 'aws', workspace?: string): string | undefined {
  const onAws = target === 'aws' ? ' against this AWS account' : '';
  if (ids.every((id) => ran.includes(id))) return `ready for the class: all ${ids.length} steps of the lab pass on this machine${onAws}`;
  if (workspace === undefined) return undefined;
  const numbers = (keep: (id: string) => boolean) => stepRanges(ids.flatMap((id, i) => (keep(id) ? [i + 1] : [])));
  const fresh = labCommand(['start', '--ci'], { workspace: '<a new folder>', target });
  if (!ran.length) return `not a check of this machine: no step ran in this run (all ${ids.length} were done before it, progress.json). To check every step: ${fresh}`;
  // one step or a range: `step 1 was`, `steps 1–9 were` (stepRanges joins several with , and –)
  const steps = (keep: (id: string) => boolean) => {
    const n = ids.filter(keep).length;
    return { words: `step${n === 1 ? '' : 's'} ${numbers(keep)}`, verb: n === 1 ? { pass: 'passes', were: 'was' } : { pass: 'pass', were: 'were' } };
  };
  const passed = steps((id) => ran.includes(id));
  const before = steps((id) => !ran.includes(id));
  return `not a check of the whole lab: ${passed.words} ${passed.verb.pass} on this machine${onAws} in this run; ${before.words} ${before.verb.were} done before it (progress.json) and not run in it. To check every step: ${fresh}`;
}

/** step numbers as ranges: 1-9, 14 */
function stepRanges(ns: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ns.length; ) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
    out.push(j > i ? `${ns[i]}–${ns[j]}` : `${ns[i]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/**
 * The command that was running, again: `start`, or `step <id>` for a step run on its own (`start`
 * went on to the steps after it, which the learner had not asked for), in this workspace, on this
 * target and in this mode: a workspace deployed to AWS refuses either without `--target aws`
 * (src/lab/session.ts, outside.ts), and an unattended run goes on unattended.
 */
export function resumeArgs(flags: LabFlags, workspace: string, only?: string): string[] {
  const args = only === undefined ? ['start'] : ['step', only];
  if (flags.ci) args.push('--ci');
  return labArgs(args, { ...flags, workspace });
}
