/**
 * The aws CLI (v1 on these machines) as the tests run it against an embedded cloud: any keys, a
 * region, and neither the machine's shared files nor instance metadata, so a developer's own AWS
 * set-up never leaks in. A test that needs it skips when `aws` is not on PATH. awsCli's calls run
 * in one Python process per test file (see `mode` below: an `aws` start costs a Python start-up
 * that imports botocore, for each of the suite's 50-odd calls); the file ends it in its `after`.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** the `aws` a shell finds on PATH */
const awsFound = (process.env.PATH ?? '')
  .split(delimiter)
  .map((d) => d && join(d, 'aws'))
  .find((p) => p && existsSync(p));

export const awsOnPath = awsFound !== undefined;

/**
 * The PATH the aws CLI runs with. pyenv's shim (`~/.pyenv/shims/aws`) is a bash script that runs
 * pyenv to find the real aws on every call, about 0.3 s of CPU over the aws CLI's own 0.8 s; the
 * suite makes over a hundred calls. So the aws the shim would run (`pyenv which aws`, with the
 * same HOME and working directory) is found once and its folder goes first on PATH, where a bare
 * `aws` in a printed command finds it too. Any other `aws` (or pyenv failing): PATH as it is.
 */
export function awsCliPath(path = process.env.PATH, found = awsFound): string | undefined {
  let shim = '';
  try {
    shim = found ? readFileSync(found, 'utf8').slice(0, 2000) : '';
  } catch {
    // not readable: run it as it is
  }
  if (!/\bpyenv\b.*\bexec\b/.test(shim)) return path;
  try {
    const real = execFileSync('pyenv', ['which', 'aws'], { encoding: 'utf8', env: { PATH: path, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 }).trim();
    return real.startsWith('/') && existsSync(real) ? `${dirname(real)}${delimiter}${path}` : path;
  } catch {
    return path;
  }
}

/** for `{ skip }`: false when the aws CLI is there, else the reason */
export const skipWithoutAws: false | string = awsOnPath ? false : 'aws is not on PATH';

export const AWS_CLI_ENV: Readonly<Record<string, string | undefined>> = {
  PATH: awsCliPath(),
  HOME: process.env.HOME,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  timeoutMs?: number;
  maxBuffer?: number;
  /** more variables over AWS_CLI_ENV (AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '') */
  env?: Record<string, string>;
}

/** a program run with AWS_CLI_ENV; it never rejects: a failure is its exit code (1 when it had none) */
export function runWithAwsEnv(file: string, args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], { env: { ...AWS_CLI_ENV, ...opts.env }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: opts.maxBuffer }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * How awsCli runs the aws CLI. Each `aws` start is a Python start-up that imports botocore, about
 * 0.8 s of CPU, and awsCli is called some fifty times in the suite; so by default a test file's calls
 * go to one Python process of its own (started at its first call, ended by `stopAwsCli` in the
 * file's `after`, by its PID) that imports awscli once and, for each call, runs awscli's own entry
 * point in-process with a fresh driver (`create_clidriver().main(argv)`: a new botocore session,
 * so credentials, region and config are resolved for that call), the call's environment
 * (AWS_CLI_ENV and its own variables) and working directory, its stdout and stderr captured and its
 * exit code returned, as the `aws` program would. SOL_AWS_CLI=process runs the `aws` program
 * for every call instead; so does an `aws` that is not awscli's Python script (aws CLI v2), or a
 * call whose variables are not AWS_* ones.
 */
const mode = process.env.SOL_AWS_CLI === 'process' ? 'process' : 'driver';

/** the one-JSON-line-per-call driver: {argv, env, cwd} in, {code, stdout, stderr} (base64) out */
const DRIVER_PY = String.raw`
import base64, io, json, logging, os, sys, traceback
start_env = dict(os.environ)
if os.environ.get('LC_CTYPE', '') == 'UTF-8':
    os.environ['LC_CTYPE'] = 'en_US.UTF-8'
import awscli.clidriver
# what the aws script and awscli's import set (LC_CTYPE, AWS_DATA_PATH: where awscli's own data
# is), set again for each call whose variable was what this process started with
import_env = {k: v for k, v in os.environ.items() if start_env.get(k) != v}

proto_in, proto_out = sys.stdin.buffer, sys.stdout.buffer
out_enc, out_err = sys.__stdout__.encoding, sys.__stdout__.errors
err_enc, err_err = sys.__stderr__.encoding, sys.__stderr__.errors
script = sys.argv[1]

def loggers():
    found = [logging.getLogger()]
    found += [l for l in logging.root.manager.loggerDict.values() if isinstance(l, logging.Logger)]
    return {id(l): (l, list(l.handlers), l.level, l.propagate) for l in found}

for line in proto_in:
    req = json.loads(line)
    os.environ.clear()
    os.environ.update(req['env'])
    for k, v in import_env.items():
        if req['env'].get(k) == start_env.get(k):
            os.environ[k] = v
    os.chdir(req['cwd'])
    out, err = io.BytesIO(), io.BytesIO()
    sys.stdout = io.TextIOWrapper(out, encoding=out_enc, errors=out_err, write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding=err_enc, errors=err_err, write_through=True)
    sys.stdin = io.TextIOWrapper(io.BytesIO(b''), encoding=out_enc)
    sys.argv = [script] + req['argv']
    before = loggers()
    try:
        code = awscli.clidriver.main()
    except SystemExit as e:
        code = e.code
    except BaseException:
        traceback.print_exc()
        code = 1
    if code is None:
        code = 0
    elif not isinstance(code, int):
        sys.stderr.write(str(code) + '\n')
        code = 1
    for l, handlers, level, propagate in before.values():
        l.handlers[:] = handlers
        l.level, l.propagate = level, propagate
    for key, value in loggers().items():
        if key not in before:
            value[0].handlers[:] = []
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    answer = {'code': code & 0xff, 'stdout': base64.b64encode(out.getvalue()).decode(), 'stderr': base64.b64encode(err.getvalue()).decode()}
    proto_out.write(json.dumps(answer).encode() + b'\n')
    proto_out.flush()
`;

/** the aws CLI's Python and its script, when `aws` on the tests' PATH is awscli's Python script */
function awsPython(): { python: string; script: string } | undefined {
  const script = (AWS_CLI_ENV.PATH ?? '')
    .split(delimiter)
    .map((d) => d && join(d, 'aws'))
    .find((p) => p && existsSync(p));
  if (!script) return undefined;
  let head = '';
  try {
    head = readFileSync(script, 'utf8').slice(0, 2000);
  } catch {
    return undefined;
  }
  const shebang = /^#!(\/\S+python[\d.]*)\s*\n/.exec(head);
  return shebang && /^import awscli\.clidriver$/m.test(head) ? { python: shebang[1], script } : undefined;
}

interface Pending {
  line: string;
  maxBuffer: number;
  timeoutMs: number;
  resolve: (r: CliResult) => void;
}

interface Driver {
  child: ChildProcess;
  queue: Pending[];
  current?: Pending;
  timer?: NodeJS.Timeout;
  timedOut?: boolean;
  buffered: string;
}

let driver: Driver | undefined;
let pythonFound: { python: string; script: string } | undefined | null = null;

function startDriver(found: { python: string; script: string }): Driver {
  const child = spawn(found.python, ['-c', DRIVER_PY, found.script], { env: { ...AWS_CLI_ENV }, stdio: ['pipe', 'pipe', 'inherit'] });
  const d: Driver = { child, queue: [], buffered: '' };
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    d.buffered += chunk;
    let nl: number;
    while ((nl = d.buffered.indexOf('\n')) >= 0) {
      const line = d.buffered.slice(0, nl);
      d.buffered = d.buffered.slice(nl + 1);
      const call = d.current;
      d.current = undefined;
      clearTimeout(d.timer);
      if (!call) continue;
      const a = JSON.parse(line) as { code: number; stdout: string; stderr: string };
      const stdout = Buffer.from(a.stdout, 'base64');
      const stderr = Buffer.from(a.stderr, 'base64');
      // as execFile: output past maxBuffer fails the call (code 1), cut at maxBuffer
      const over = stdout.length > call.maxBuffer || stderr.length > call.maxBuffer;
      call.resolve({ code: over ? 1 : a.code, stdout: stdout.subarray(0, call.maxBuffer).toString('utf8'), stderr: stderr.subarray(0, call.maxBuffer).toString('utf8') });
      next(d);
    }
  });
  // the driver gone. Killed for a call past its timeout: that call fails as execFile fails a
  // killed aws (code 1), and the calls queued behind it go to a new driver. Otherwise (it failed to
  // start, or it was ended) every call it had fails, saying so
  const gone = () => {
    if (driver === d) driver = undefined;
    clearTimeout(d.timer);
    const queued = d.queue.splice(0);
    if (d.timedOut && d.current) {
      d.current.resolve({ code: 1, stdout: '', stderr: '' });
      d.current = undefined;
      if (queued.length) {
        driver ??= startDriver(found);
        driver.queue.push(...queued);
        next(driver);
      }
      return;
    }
    for (const call of [...(d.current ? [d.current] : []), ...queued]) call.resolve({ code: 1, stdout: '', stderr: 'the aws CLI driver ended before it answered\n' });
    d.current = undefined;
  };
  child.on('exit', gone);
  child.on('error', gone);
  child.stdin!.on('error', () => {});
  // a file that forgets stopAwsCli still ends: the driver holds no reference to the event loop
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  return d;
}

function next(d: Driver): void {
  if (d.current || d.queue.length === 0) return;
  const call = d.queue.shift()!;
  d.current = call;
  d.timer = setTimeout(() => {
    d.timedOut = true;
    d.child.kill();
  }, call.timeoutMs);
  d.child.stdin!.write(call.line);
}

/** `aws …args` through this file's driver */
function awsInDriver(found: { python: string; script: string }, args: readonly string[], opts: CliOptions): Promise<CliResult> {
  return new Promise((resolve) => {
    driver ??= startDriver(found);
    const env = Object.fromEntries(Object.entries({ ...AWS_CLI_ENV, ...opts.env }).filter((e): e is [string, string] => e[1] !== undefined));
    const line = `${JSON.stringify({ argv: args, env, cwd: process.cwd() })}\n`;
    driver.queue.push({ line, maxBuffer: opts.maxBuffer ?? 1024 * 1024, timeoutMs: opts.timeoutMs ?? 60_000, resolve });
    next(driver);
  });
}

/** `aws --endpoint-url ENDPOINT …args` */
export function awsCli(endpoint: string, args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  const argv = ['--endpoint-url', endpoint, ...args];
  if (pythonFound === null) pythonFound = mode === 'driver' ? awsPython() : undefined;
  const ownVariables = Object.keys(opts.env ?? {}).every((k) => k.startsWith('AWS_'));
  const run = pythonFound && ownVariables ? awsInDriver(pythonFound, argv, opts) : runWithAwsEnv('aws', argv, opts);
  return logged(argv, opts, run);
}

/** the PID of this file's aws CLI driver while it runs */
export const awsCliDriverPid = (): number | undefined => driver?.child.pid;

/** ends this file's aws CLI driver, if it started one (by its PID), and waits for it to be gone */
export async function stopAwsCli(): Promise<void> {
  const d = driver;
  driver = undefined;
  if (!d || d.child.pid === undefined || d.child.exitCode !== null || d.child.signalCode !== null) return;
  const gone = new Promise((resolve) => d.child.once('exit', resolve));
  // held again (startDriver let it go) so the event loop waits for its end
  d.child.ref();
  process.kill(d.child.pid!);
  await gone;
}

/**
 * SOL_AWS_CLI_LOG=FILE: each awsCli call's arguments, variables and answer, one JSON line each, to
 * compare the driver's answers with the `aws` program's (SOL_AWS_CLI=process) call by call
 */
function logged(argv: readonly string[], opts: CliOptions, run: Promise<CliResult>): Promise<CliResult> {
  const file = process.env.SOL_AWS_CLI_LOG;
  if (!file) return run;
  return run.then((r) => {
    appendFileSync(file, `${JSON.stringify({ argv, env: opts.env ?? {}, ...r })}\n`);
    return r;
  });
}
