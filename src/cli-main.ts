/**
 * The command line (loaded by src/cli.ts once Node is new enough): declares commands and options,
 * imports each command's module only when it runs (so `--help` and `--version` load no AWS SDK and
 * no emulator code), and is the one error
 * boundary: 0 ok, 1 a failed run or check, 2 usage, 3 the environment (a file system error among them), 130 Ctrl-C, 143 SIGTERM.
 * Nothing else calls process.exit.
 */
import { Command, CommanderError, Option } from 'commander';
import { asFileSystemError, causes, connectionLost, ExitCode, InterruptedError, LabError, LearnerQuit } from './errors.js';
import { InterruptPolicy } from './interrupt.js';
import { endOpenViews } from './io/open-views.js';
import { loadIo } from './io/lazy.js';
import { helpEpilogue } from './help-text.js';
import { cliCommand, hintCommand } from './invocation.js';
import { labVersion } from './version.js';

/** one AbortController and one Ctrl-C policy for every command (src/interrupt.ts) */
const interrupt = new InterruptPolicy();

// a reader that stops early (`--help | head`, `| grep -q`) is no error: the output just ends there
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

/**
 * commander, with one message of its own: a flag that takes no value given one (`--ci=yes`).
 * commander reads `--name=value` as a value only for an option that takes one, and otherwise says
 * `unknown option '--ci=yes'`, of a flag --help lists. Its subcommands are made by createCommand,
 * so each of them says it too. Exit 2 as every usage error (report, below).
 */
class LabCommand extends Command {
  override createCommand(name?: string): Command {
    return new LabCommand(name);
  }
  // commander's own (command.js), not in its typings: called with each flag it does not know
  unknownOption(flag: string): void {
    const given = /^(--[^=]+)=/.exec(flag);
    const known = given && this.options.find((o) => o.long === given[1]);
    if (known && !known.required && !known.optional) this.error(`error: ${given[1]} takes no value: give ${given[1]} alone, not ${flag}`, { code: 'commander.unknownOption' });
    (Command.prototype as unknown as { unknownOption(flag: string): void }).unknownOption.call(this, flag);
  }
}

const program = new LabCommand('serverless-ops-lab')
  .description('A guided lab for AWS serverless operations, on an embedded cloud or a real AWS account.')
  .version(labVersion, '-v, --version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

const labOptions = (cmd: Command): Command =>
  cmd
    .addOption(new Option('--target <target>', 'local: the embedded cloud; aws: your AWS account').choices(['local', 'aws']).default('local'))
    .option('--ci', 'no prompts: every step done for you, its checks proven to fail before and pass after (the solver path)')
    .option('--assisted', '"do it for me" is the default choice at every step (a time-boxed room)')
    .option('--json', 'print the report as JSON on stdout (progress goes to stderr)')
    .option('--report <file>', 'write the report (checks, figures, aws commands) as JSON to FILE')
    .option('--speed <n>', "local: the cloud's timers N times faster (default 10, --ci 100); a running cloud at another speed is restarted (without --speed, one started with --speed keeps it), but not while a CodeDeploy deployment is in flight: a terminal asks (Enter keeps the speed), --ci exits 3 (without --speed, goes on at the cloud's)")
    .option('--workspace <dir>', 'the lab workspace: your sam-app/, progress and the local cloud', 'lab-workspace')
    .option('--profile <name>', 'aws: the credentials profile')
    .option('--region <region>', 'aws: the region');

labOptions(
  program
    .command('start')
    .description('the guided lab: makes or reuses the workspace, deploys, and goes on at the first step not done')
    .option('--from <step>', 'start at this step, catching up on the earlier ones (done for you)'),
).action(async (opts: Record<string, unknown>) => {
  const { startCommand } = await import('./commands/start.js');
  await startCommand(opts, interrupt);
});

labOptions(
  program
    .command('step')
    .description("one step on its own: the earlier steps' reference changes are applied first (marked assisted)")
    .argument('<id>', "a step or chapter, or a step's number (see list)"),
).action(async (id: string, opts: Record<string, unknown>) => {
  const { startCommand } = await import('./commands/start.js');
  await startCommand(opts, interrupt, id);
});

program
  .command('list')
  .description('the steps of the lab: done, assisted, started or pending; a workspace that is not there exits 1 after them')
  .option('--workspace <dir>', 'the lab workspace', 'lab-workspace')
  .option('--json', 'print as JSON')
  .action(async (opts: Record<string, unknown>) => {
    const { listCommand } = await import('./commands/list.js');
    await listCommand(opts, interrupt);
  });

program
  .command('reset')
  .description("a step back to its starting point, or (no step) the whole lab: local wipes the workspace's cloud, aws empties the stack's buckets and deletes the stack; asks first (--yes skips; with no terminal, --yes is required); your edited files are kept aside")
  .argument('[step]', 'the step to reset (and the steps after it)')
  .option('--workspace <dir>', 'the lab workspace', 'lab-workspace')
  .option('--yes', 'do not ask for confirmation')
  .addOption(new Option('--target <target>', 'default: where the workspace was deployed').choices(['local', 'aws']))
  .option('--profile <name>', 'aws: the credentials profile')
  .option('--region <region>', 'aws: the region')
  .action(async (step: string | undefined, opts: Record<string, unknown>) => {
    const { resetCommand } = await import('./commands/reset.js');
    await resetCommand(step, opts, interrupt);
  });

program
  .command('doctor')
  .description('what the lab needs on this machine and target, each missing thing with its fix')
  .addOption(new Option('--target <target>', 'the target to check').choices(['local', 'aws']).default('local'))
  .option('--workspace <dir>', 'the lab workspace', 'lab-workspace')
  .option('--profile <name>', 'aws: the credentials profile')
  .option('--region <region>', 'aws: the region')
  .option('--report [file]', 'a paste-ready block for a help request (no secrets): on stdout instead of the checks, or with FILE written there after them (as start --report FILE writes its report)')
  .action(async (opts: Record<string, unknown>) => {
    const { doctorCommand } = await import('./commands/doctor.js');
    await doctorCommand(opts, interrupt);
  });

program
  .command('emulator')
  .description('the embedded cloud: in the foreground with a request log, or start|stop|status of the background one')
  .argument('[action]', 'start | stop | status (none: run in the foreground)')
  .option('--port <n>', 'port to listen on, 0 to 65535 (0: any free port; default 4566)')
  .option('--host <host>', 'address to bind: 127.0.0.1 is this machine only; another lets anyone who reaches it run code here', '127.0.0.1')
  .option('--workspace <dir>', 'a lab workspace: use its state dir, <workspace>/.lab/state (default: lab-workspace, as deploy and status)')
  .option('--state-dir <dir>', 'where the cloud keeps its state, instead of a workspace\'s')
  .option('--speed <n>', 'run cloud timers N times faster: above 0, at most 10000', '1')
  .addOption(new Option('--throttle-status <code>', 'status API Gateway answers for a throttled invocation').choices(['500', '502']).default('500'))
  .option('--account-concurrency <n>', "the account's concurrent executions limit: at least 100 (Lambda keeps 100 unreserved), at most 1000000", '1000')
  .option('--quiet', 'foreground: no request log')
  .option('--log-requests', 'start: log every request to <state dir>/emulator.log (default: failed ones only)')
  .option('--json', 'start: print {endpoint, port, pid, reused, stateDir, log} as JSON (for scripts)')
  .action(async (action: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
    const { emulatorCommand } = await import('./commands/emulator.js');
    // a default is nobody's choice (readFlags applies the same): --speed's (1) gives way to the
    // lab's speed, and a running cloud's own host, speed or throttle status is said against a value
    // given, not a default (a bare `emulator start` on a 10x cloud said `not 1`)
    const given = { ...opts };
    for (const k of ['speed', 'host', 'throttleStatus', 'accountConcurrency']) if (cmd.getOptionValueSource(k) === 'default') given[k] = undefined;
    await emulatorCommand(action, given, interrupt);
  });

program
  .command('loadtest')
  .description('a hey-compatible load test: sends requests to <url> and prints hey\'s report')
  .argument('<url>', 'the URL to load')
  .allowExcessArguments(false)
  // the defaults are shown here and applied by the command (src/loadtest/flags.ts), which gets
  // only the flags the user gave: it tells the user about a default they did not see
  .addOption(new Option('-n <requests>', 'number of requests to run, at most 100000').default('200', '200'))
  .addOption(new Option('-c <concurrency>', 'number of workers to run concurrently, at most 1000').default('50', '50'))
  .option('-z <duration>', 'duration to send requests for (e.g. 10s, 3m); overrides -n; stops at 100000 requests')
  .option('-q <rate>', 'rate limit, in queries per second per worker (0.5: one every 2 s; 0: none); a -n run at a rate may take at most 1 h')
  .addOption(new Option('-t <seconds>', 'timeout of each request in seconds, 0: none').default('20', '20'))
  .option('-m <method>', 'HTTP method', 'GET')
  .option('-d <body>', 'HTTP request body')
  .option('-D <file>', 'HTTP request body from a file')
  .option('-H <header>', "custom HTTP header, repeatable: -H 'Accept: text/html'", (v: string, acc: string[] | undefined) => [...(acc ?? []), v])
  .option('-T <type>', 'Content-Type', 'text/html')
  .option('-A <accept>', 'Accept header')
  .option('-o <format>', 'output type: csv (default: a summary)')
  .option('--disable-keepalive', 'a new connection for each request')
  .option('--json', 'print the whole result as JSON')
  .action(async (url: string, opts: Record<string, unknown>, cmd: Command) => {
    const given = Object.fromEntries(Object.entries(opts).filter(([key]) => cmd.getOptionValueSource(key) !== 'default'));
    const { loadtestCommand } = await import('./commands/loadtest.js');
    await loadtestCommand(url, given, interrupt);
  });

program
  .command('deploy')
  .description("deploy the workspace's sam-app/ to the target (copies the bundled app on a first run)")
  .option('--workspace <dir>', 'the lab workspace', 'lab-workspace')
  .addOption(new Option('--target <target>', 'where to deploy').choices(['local', 'aws']).default('local'))
  .option('--profile <name>', 'aws: the credentials profile')
  .option('--region <region>', 'aws: the region')
  .option('--stack-name <name>', 'aws: the CloudFormation stack', 'ServerlessOps-stack')
  .option('--wait', 'follow a CodeDeploy deployment the deploy starts to its end; exit 1 if it fails or rolls back')
  .action(async (opts: Record<string, unknown>) => {
    const { deployCommand } = await import('./commands/deploy.js');
    await deployCommand(opts, interrupt);
  });

program
  .command('status')
  .description('stack outputs, aliases, the latest CodeDeploy deployment, alarms, concurrency of the workspace')
  .option('--workspace <dir>', 'the lab workspace', 'lab-workspace')
  .option('--json', 'print as JSON')
  .action(async (opts: Record<string, unknown>) => {
    const { statusCommand } = await import('./commands/status.js');
    await statusCommand(opts, interrupt.signal);
  });

// the examples as this shell runs them (src/invocation.ts): `npx serverless-ops-lab` from a clone
// laid out for the terminal, as commander wraps the options above it (80 columns into a pipe)
program.addHelpText('after', () => helpEpilogue(process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : 80));

/** the workspace (or state dir) of the command that runs, for the boundary's hints */
let where: string[] = ['--workspace', 'lab-workspace'];
program.hook('preAction', async (_program, action) => {
  const o = action.opts() as { workspace?: unknown; stateDir?: unknown };
  if (typeof o.stateDir === 'string') where = ['--state-dir', o.stateDir];
  else if (typeof o.workspace === 'string') where = ['--workspace', o.workspace];
  // the I/O layer once a command runs (io/lazy.ts): a Ctrl-C's words need it at once
  await loadIo();
});

async function main(argv: string[]): Promise<number> {
  const uninstall = interrupt.install();
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (err) {
    // before the message: a spinner left turning would be redrawn under it, and hold the process open
    endOpenViews();
    return await report(err);
  } finally {
    endOpenViews();
    uninstall();
  }
}

async function report(thrown: unknown): Promise<number> {
  // a full disk, a read-only file, a path too long: the machine's to fix, said as such (exit 3), not a bug of the lab
  const err = asFileSystemError(thrown);
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0
    if (err.exitCode === 0) return ExitCode.ok;
    return ExitCode.usage;
  }
  // on stderr through the I/O host: wrapped at words on a terminal, coloured there unless NO_COLOR;
  // piped, a line each, as before
  const io = (await loadIo()).reportHost();
  if (err instanceof LabError) {
    // Ctrl-C is the user's choice, not an error
    io.error(err.message, err.hint, { stopped: err instanceof InterruptedError || err instanceof LearnerQuit });
    // SIGTERM stops as Ctrl-C does (interrupt.ts), with its own code
    return err instanceof InterruptedError ? interrupt.exitCode : err.exitCode;
  }
  const e = err as Error;
  const lost = connectionLost(err);
  if (lost) {
    // every path that talks to the cloud meets it when the cloud's process goes away (killed,
    // crashed, `emulator stop`): the environment's, said as such, never "a bug"
    const local = /\b(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)\b/.test(describe(err));
    if (local) {
      // each command to paste on lines of its own: in the sentence, a terminal's width broke them
      io.error(
        `the local cloud stopped while this command talked to it (${lost})`,
        `start it again with its saved state, then run this again:${hintCommand(cliCommand(['emulator', 'start', ...where]))}\nthis says whether it runs:${hintCommand(cliCommand(['emulator', 'status', ...where]))}`,
      );
    } else {
      io.error(`the connection to the cloud was refused or cut (${lost}): ${e?.message ?? String(err)}`, 'check your network, then run this again');
    }
    return ExitCode.environment;
  }
  if (process.env.SOL_DEBUG) {
    io.error(e?.message ?? String(err));
    io.say(e?.stack ?? '');
  } else io.error(e?.message ?? String(err), '(this is a bug in serverless-ops-lab; run again with SOL_DEBUG=1 for the stack trace)');
  return ExitCode.failed;
}

/** an error's message and its causes', where node names the address it could not reach */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (const e of causes(err)) {
    if (typeof e.message === 'string') parts.push(e.message);
    if (typeof e.address === 'string') parts.push(e.address);
  }
  return parts.join(' ');
}

process.exitCode = await main(process.argv);
