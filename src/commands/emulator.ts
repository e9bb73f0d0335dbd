/**
 * `serverless-ops-lab emulator [start|stop|status]`: the embedded cloud in the foreground with a
 * request log, or the background one that lab commands share.
 */
import type { InterruptPolicy } from '../interrupt.js';
import { resolve } from 'node:path';
import { ExitCode, LabError, UsageError } from '../errors.js';
import type { LogStyle } from '../emulator/request-log.js';
import { colorEnabled } from '../io/terminal.js';
import { fitted, proseWidth } from '../io/format.js';
import { reportHost } from '../io/index.js';
import { checkNotAFile, workspacePaths } from '../lab/workspace.js';
import { cliCommand, hintCommand } from '../invocation.js';
import { damagedStateError, emulatorStateDirOf, emulatorStatus, ensureEmulator, startingAgain, stateDirFlag, stopEmulator, stoppedUnexpectedly, unresponsiveEmulator } from '../emulator/daemon.js';
import { DEFAULT_PORT, DEFAULT_WORKSPACE, LOG_FILE, START_LOCK_FILE } from '../emulator/config.js';
import { firstMissing, unmakeDirs } from '../files.js';
import { exposureRisk } from '../emulator/exposure.js';
import type { ProcessRecord } from '../emulator/process-record.js';

interface EmulatorFlags {
  port?: number;
  host: string;
  stateDir: string;
  speed: number;
  /** --speed was given (a bare `emulator start` runs at 1, which nobody chose) */
  speedChosen: boolean;
  throttleStatus: 500 | 502;
  /** --throttle-status was given; --host was given (a reused cloud's own is said only against one given) */
  throttleStatusChosen: boolean;
  hostChosen: boolean;
  accountConcurrency: number;
  quiet: boolean;
  logRequests: boolean;
  /** how the command named the state dir, for printed commands: --workspace W or --state-dir D */
  where: string[];
  /** start: the endpoint, port, pid, reused, state dir and log as one JSON object on stdout, for scripts */
  json: boolean;
}

export async function emulatorCommand(action: string | undefined, opts: Record<string, unknown>, interrupt?: InterruptPolicy): Promise<void> {
  const flags = readFlags(opts);
  if (flags.json && action !== 'start') throw new UsageError('--json is for `emulator start`', '`emulator status` prints the endpoint first on its line');
  if (action !== undefined && action !== 'start') return run(action, flags, interrupt);
  // a cloud that fails to start (no such local address, a port in use) leaves no workspace or
  // state dir behind that this command made: a typo in --host must not create the lab's folders
  const made = firstMissing(flags.stateDir);
  try {
    await run(action, flags, interrupt);
  } catch (err) {
    // kept when the message points into the state dir (e.g. the log of a cloud that did not answer)
    if (made !== undefined && !(err instanceof Error && err.message.includes(flags.stateDir))) {
      unmakeDirs(made, flags.stateDir, [LOG_FILE, START_LOCK_FILE]);
    }
    throw err;
  }
}

async function run(action: string | undefined, flags: EmulatorFlags, interrupt?: InterruptPolicy): Promise<void> {
  switch (action) {
    case undefined:
      // serveUntilSignal says and does what Ctrl-C means here: a clean stop, exit 0
      if (interrupt) {
        interrupt.message = null;
        interrupt.leaveSigterm();
      }
      return foreground(flags);
    case 'start': {
      const io = reportHost();
      const emu = await ensureEmulator({
        stateDir: flags.stateDir,
        port: flags.port,
        host: flags.host,
        speed: flags.speed,
        speedChosen: flags.speedChosen,
        throttleStatus: flags.throttleStatus,
        accountConcurrency: flags.accountConcurrency,
        logRequests: flags.logRequests,
        onStoppedUnexpectedly: (stale, log) => io.note(startingAgain(flags.stateDir, stale, log)),
      }).catch(async (err: unknown) => {
        // an explicit --port that is taken (without one, the cloud takes another): whose, exit 3
        throw (flags.port !== undefined && (await portTaken(err, flags.port, flags))) || err;
      });
      // one line says it all; a script reads the endpoint from --json (it was a bare URL line on
      // stdout, then this sentence on stderr, which read as two answers)
      const log = `${emu.record.stateDir}/${LOG_FILE}`;
      if (flags.json) {
        io.result(`${JSON.stringify({ endpoint: emu.endpoint, port: emu.port, pid: emu.pid, reused: emu.reused, stateDir: emu.record.stateDir, log })}\n`);
      } else {
        const how = emu.reused ? 'reused the running emulator' : 'started the emulator';
        io.result(`${startedLines(`${how} at ${emu.endpoint} (pid ${emu.pid}, state ${emu.record.stateDir}, log ${log})`, process.stdout.isTTY ? proseWidth(process.stdout.columns) : Infinity)}\n`);
      }
      // the background cloud writes it to its log; the user who asked reads it here
      const exposed = exposureRisk(emu.record.host, emu.endpoint);
      if (exposed) io.warn(exposed);
      // a setting the running cloud keeps: the command that stops it, with this workspace's flags,
      // on a line of its own to paste (it said a bare 'emulator stop', which runs nowhere)
      const stopFirst = (to: string) => `run this first to ${to} it:${hintCommand(cliCommand(['emulator', 'stop', ...flags.where]))}`;
      if (emu.reused && flags.port !== undefined && flags.port !== 0 && flags.port !== emu.port) {
        io.note(`it listens on port ${emu.port}, not ${flags.port}; ${stopFirst('move')}`);
      }
      // the address too (it was taken silently: `--host 0.0.0.0` on a loopback cloud kept 127.0.0.1,
      // which no other machine reaches): a host is a restart, said with the commands that make it
      if (emu.reused && flags.hostChosen && emu.record.host !== flags.host) {
        const restart = [cliCommand(['emulator', 'stop', ...flags.where]), cliCommand(['emulator', 'start', ...flags.where, '--host', flags.host])];
        io.note(`it listens on ${emu.record.host}, not ${flags.host}; this restarts it on ${flags.host}:${hintCommand(restart.join('\n'))}`);
      }
      if (flags.port === undefined && emu.port !== DEFAULT_PORT) {
        const { otherPortNote, portHolder } = await import('../port-holder.js');
        io.note(otherPortNote(emu, DEFAULT_PORT, await portHolder(DEFAULT_PORT)));
      }
      // only of a setting given: a bare `emulator start` on a 10x cloud said `not 1` of a --speed nobody gave
      if (emu.reused && flags.speedChosen && emu.record.speed !== flags.speed) {
        io.note(`it runs at speed ${emu.record.speed}, not ${flags.speed}; ${stopFirst('change')}`);
      }
      // a running cloud keeps how it answers a throttled invocation; it was taken silently
      if (emu.reused && flags.throttleStatusChosen && (emu.record.throttleStatus ?? 500) !== flags.throttleStatus) {
        io.note(`it answers a throttled invocation with ${emu.record.throttleStatus ?? 500}, not ${flags.throttleStatus}; ${stopFirst('change')}`);
      }
      return;
    }
    case 'status': {
      const status = await emulatorStatus(flags.stateDir);
      if (!status.running) {
        if (status.unresponsive !== undefined) throw unresponsiveEmulator(flags.stateDir, status.unresponsive);
        if (status.stale) {
          const damaged = await damagedStateError(flags.stateDir);
          throw new LabError(stoppedUnexpectedly(flags.stateDir, status.stale), undefined, damaged ? `it cannot start again as it is: ${damaged.message.replace(/^the local cloud cannot start: /, '')}; ${damaged.hint}` : `start it again with its saved state: ${cliCommand(['emulator', 'start', ...flags.where])}`);
        }
        throw new LabError(`no emulator is running for ${flags.stateDir}`, undefined, ELSEWHERE);
      }
      reportHost().result(`${startedLines(statusLine(status.record), process.stdout.isTTY ? proseWidth(process.stdout.columns) : Infinity)}\n`);
      return;
    }
    case 'stop': {
      const result = await stopEmulator(flags.stateDir);
      const io = reportHost();
      if (result.stopped) io.result(`stopped the emulator (pid ${result.pid})\n`);
      else if (result.stale) io.result(`no emulator was running for ${flags.stateDir}; removed a stale record (pid ${result.pid})\n`);
      else io.result(`no emulator is running for ${flags.stateDir} (${ELSEWHERE})\n`);
      return;
    }
    default:
      throw new UsageError(`unknown emulator action '${action}': use start, stop or status (or none to run in the foreground)`);
  }
}

const ELSEWHERE = 'another workspace? pass --workspace DIR or --state-dir DIR';

/**
 * The foreground emulator: banner, request log and shutdown line all on stdout, in order, the
 * endpoint on the first line. A clean shutdown after Ctrl-C or SIGTERM exits 0 (stopping is what
 * was asked for); a second signal forces the exit (130 for Ctrl-C, see serveUntilSignal).
 */
async function foreground(flags: EmulatorFlags): Promise<void> {
  // only the foreground cloud loads the emulator; start|stop|status read its record
  const [{ serveUntilSignal }, { formatLine, formatRequest }, { labVersion }] = await Promise.all([
    import('../emulator/main.js'),
    import('../emulator/request-log.js'),
    import('../version.js'),
  ]);
  const tty = process.stdout.isTTY === true;
  const style: LogStyle = { colour: colorEnabled(process.stdout), time: tty };
  // on stdout, in order; its reader going away (`| head`) stops the log, never the emulator or its exit code
  const out = reportHost().logLines('emulator: the request log');
  const port = flags.port ?? DEFAULT_PORT;
  const signal = await serveUntilSignal(
    {
      stateDir: flags.stateDir,
      port,
      host: flags.host,
      speed: flags.speed,
      // a cloud in the foreground is someone's: the lab does not restart it at its own speed
      speedChosen: true,
      throttleStatus: flags.throttleStatus,
      accountConcurrency: flags.accountConcurrency,
      mode: 'foreground',
      onRequest: flags.quiet ? undefined : (e) => out(formatRequest(e, style)),
    },
    (emu) => {
      out(formatLine(`serverless-ops-lab emulator ${labVersion} listening on ${emu.server.endpoint}`, style));
      out(formatLine(`state ${emu.record.stateDir}, speed ${flags.speed}x; Ctrl-C to stop`, style));
    },
  ).catch(async (err: unknown) => {
    throw (await portTaken(err, port, flags)) ?? err;
  });
  // on a terminal, write over the `^C` it echoed
  out(`${tty && signal === 'SIGINT' ? '\r' : ''}${formatLine('emulator stopped', style)}`);
}

/**
 * A port in use (--port N, in the foreground or `emulator start`), said with who holds it, exit 3:
 * the machine's state, not the command's (it was 1, and named nobody, where deploy and start name
 * the holder of 4566). Held by a cloud of the lab (`emulator --throttle-status 502` run while the
 * lab's cloud listens on 4566): said whose, with the way that works, where the bare error said
 * only `port 4566 … is already in use` and left a learner to guess that the lab's own cloud held
 * it. Undefined for any other error.
 */
async function portTaken(err: unknown, port: number, flags: EmulatorFlags): Promise<LabError | undefined> {
  if (!(err instanceof LabError) || !/\bport \d+ on .* is already in use/.test(err.message) || port === 0) return undefined;
  const { holderWords, portHolder } = await import('../port-holder.js');
  const holder = await portHolder(port, flags.host === '0.0.0.0' || flags.host === '::' ? '127.0.0.1' : flags.host);
  const stateDir = holder.pid !== undefined ? emulatorStateDirOf(holder.pid) : undefined;
  if (holder.pid === undefined || stateDir === undefined) {
    // someone else's server, by pid where this user may see it (holderWords: ` (by pid N)`)
    return new LabError(`port ${port} on ${flags.host} is already in use${holderWords(holder)}: choose another with --port, or --port 0 for any free port`, ExitCode.environment);
  }
  const where = stateDirFlag(stateDir);
  // at the speed it runs at (the lab's runs at 10): a bare command's --speed is 1
  const running = await emulatorStatus(stateDir).catch(() => undefined);
  const speed = running?.running ? running.record.speed : flags.speed;
  const restart = `\`${cliCommand(['emulator', 'stop', ...where])}\`, then \`${cliCommand(['emulator', 'start', ...where, '--port', String(port), ...restartFlags(flags, speed)])}\``;
  const own = resolve(stateDir) === resolve(flags.stateDir);
  const whose = own ? "this workspace's own cloud" : `the lab's cloud of ${where[0] === '--workspace' ? `workspace ${where[1]}` : `state dir ${where[1]}`}`;
  return new LabError(
    `port ${port} is in use by ${whose} (pid ${holder.pid}), which the lab talks to`,
    ExitCode.environment,
    `to run that cloud with these settings, restart it in the background with them (its state stays): ${restart}; or choose another port with --port`,
  );
}

/** the settings given on this command line that a restart of the lab's cloud should keep */
function restartFlags(flags: EmulatorFlags, speed: number): string[] {
  const out = speed === 1 ? [] : ['--speed', String(speed)];
  if (flags.throttleStatus !== 500) out.push('--throttle-status', String(flags.throttleStatus));
  if (flags.accountConcurrency !== 1000) out.push('--account-concurrency', String(flags.accountConcurrency));
  return out;
}

/** every numeric flag, its range and the reason for it; the help texts in src/cli-main.ts state the same */
const NUMBERS = {
  port: { flag: '--port', whole: true, min: 0, max: 65535, range: 'a whole number from 0 to 65535 (0: any free port)' },
  speed: { flag: '--speed', whole: false, min: 0, minExclusive: true, max: 10_000, range: 'a number above 0 and at most 10000' },
  accountConcurrency: {
    flag: '--account-concurrency',
    whole: true,
    min: 100,
    max: 1_000_000,
    // https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html: "Lambda reserves 100
    // units of concurrency for functions without reserved concurrency"
    range: 'a whole number of at least 100 (Lambda keeps 100 unreserved) and at most 1000000',
    below: 'a whole number of at least 100 (Lambda keeps 100 unreserved)',
  },
} as const;

interface NumberRule {
  flag: string;
  whole: boolean;
  min: number;
  minExclusive?: boolean;
  max: number;
  range: string;
  /** a shorter wording when the value is only too small or not a whole number */
  below?: string;
}

/** the one place a numeric flag is read: a UsageError (exit 2) naming the flag and its range */
export function numberFlag(rule: NumberRule, raw: unknown): number {
  const text = String(raw).trim();
  const n = Number(text);
  const shaped = rule.whole ? /^\d+$/.test(text) : text !== '' && Number.isFinite(n);
  const tooSmall = rule.minExclusive ? n <= rule.min : n < rule.min;
  if (shaped && !tooSmall && n <= rule.max) return n;
  const wording = shaped && n > rule.max ? rule.range : (rule.below ?? rule.range);
  throw new UsageError(`${rule.flag} must be ${wording}, got ${text === '' ? 'nothing' : text}`);
}

function readFlags(opts: Record<string, unknown>): EmulatorFlags {
  if (opts.stateDir !== undefined && opts.workspace !== undefined) {
    throw new UsageError('use either --state-dir or --workspace, not both');
  }
  // the same workspace `deploy` and `status` default to, so all of them find one emulator
  if (opts.stateDir === undefined) checkNotAFile(resolve(String(opts.workspace ?? DEFAULT_WORKSPACE)));
  const stateDir = opts.stateDir !== undefined ? resolve(String(opts.stateDir)) : workspacePaths(String(opts.workspace ?? DEFAULT_WORKSPACE)).stateDir;
  return {
    port: opts.port === undefined ? undefined : numberFlag(NUMBERS.port, opts.port),
    host: String(opts.host ?? '127.0.0.1'),
    stateDir,
    speed: numberFlag(NUMBERS.speed, opts.speed ?? '1'),
    speedChosen: opts.speed !== undefined,
    throttleStatus: throttle(opts.throttleStatus ?? '500'),
    throttleStatusChosen: opts.throttleStatus !== undefined,
    hostChosen: opts.host !== undefined,
    accountConcurrency: numberFlag(NUMBERS.accountConcurrency, opts.accountConcurrency ?? '1000'),
    quiet: opts.quiet === true,
    logRequests: opts.logRequests === true,
    where: opts.stateDir !== undefined ? ['--state-dir', stateDir] : ['--workspace', String(opts.workspace ?? DEFAULT_WORKSPACE)],
    json: opts.json === true,
  };
}

function throttle(raw: unknown): 500 | 502 {
  const s = String(raw);
  if (s === '500' || s === '502') return Number(s) as 500 | 502;
  throw new UsageError(`--throttle-status must be 500 or 502, got ${s}`);
}

/**
 * `emulator status`'s answer: where the cloud listens and the settings it runs with. How it answers
 * a throttled invocation is shown beside its speed only when it is not the default (500), so a
 * learner who restarted it with `--throttle-status 502` can check that it took.
 */
export function statusLine(record: Pick<ProcessRecord, 'endpoint' | 'pid' | 'mode' | 'speed' | 'throttleStatus' | 'startedAt'>): string {
  const throttled = (record.throttleStatus ?? 500) === 500 ? '' : `, throttle status ${record.throttleStatus}`;
  return `${record.endpoint} pid ${record.pid} (${record.mode}, speed ${record.speed}${throttled}, since ${record.startedAt})`;
}

/**
 * emulator start's line at a terminal's width: wrapped at words under an indent of two, a path wider
 * than a line cut after a `/`; the terminal cut the state dir mid-word (`ws1.lC` / `tZ/…`). Piped
 * (an infinite width), one line, as scripts and the tests read it.
 */
export function startedLines(line: string, width: number): string {
  return fitted(line, width, '  ').join('\n');
}
