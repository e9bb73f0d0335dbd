/**
 * How the learner runs this CLI again: every command line of our own that the lab prints (the
 * resume line, `emulator stop`, the load test, `list`, `reset`, `doctor`…) is formatted here, so
 * that what is printed runs in the learner's shell as it is.
 *
 * The bin name alone is not enough: from a clone, `npm start` runs `node dist/src/cli.js`, and no
 * `serverless-ops-lab` is on the learner's PATH (`bash: serverless-ops-lab: command not found`).
 * Under npm, the PATH this process sees is not the learner's either: `npm run` prepends
 * `node_modules/.bin`, and `npx` prepends the bin folder of its cache
 * (https://docs.npmjs.com/cli/commands/npm-run-script, https://docs.npmjs.com/cli/commands/npm-exec),
 * so a bare name found there says nothing about the learner's shell.
 *
 * Under `npm start` in a clone the lab prints `node dist/src/cli.js …` (what the script itself
 * runs), not `npx serverless-ops-lab …`. npx does run the clone's own bin, by linking the folder
 * into its cache and making cli.js executable (tsc writes it 0644), but only the first time: once
 * that link exists, a clone made again at the same path, or a `dist/` rebuilt from scratch, gives
 * `sh: 1: serverless-ops-lab: Permission denied` (npm 11, tried). The path needs neither.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOnPath } from './which.js';

export const BIN = 'serverless-ops-lab';

/**
 * `start` as package.json's start script runs it: `npm start` is that command, and `npm start --
 * FLAGS` appends FLAGS to it (a later `--workspace` wins). A test keeps this equal to package.json.
 */
export const NPM_START_ARGS = ['start', '--workspace', 'lab-workspace'] as const;

export type Invocation =
  /**
   * `npm start` / `npm run …` in the package's own folder (a clone): the resume line is `npm
   * start`, the rest `node <script>`, the path from where the learner typed npm (INIT_CWD)
   */
  | { kind: 'npm-script'; script: string }
  /** `npx serverless-ops-lab …`, or anywhere `npx` finds the bin (a project that depends on us) */
  | { kind: 'npx' }
  /** the bare name is on the learner's PATH and is this CLI (a global install) */
  | { kind: 'bin' }
  /** `node dist/src/cli.js` in the package, `node /…/dist/src/cli.js` from elsewhere: the path runs this one */
  | { kind: 'node'; script: string };

/** What `howInvoked` looks at; the defaults are this process's. */
export interface ProcessFacts {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** the package's folder (the one with our package.json) */
  packageRoot: string;
  /** dist/src/cli.js of this package */
  cliScript: string;
  /** the real path of the folder the learner ran npm in (npm's INIT_CWD), if any */
  initCwd?: string;
  /** the real path of an executable `serverless-ops-lab` on PATH, if any */
  binOnPath: () => string | undefined;
}

/** The one place that decides how our CLI is invoked, from how this process was started. */
export function howInvoked(f: ProcessFacts): Invocation {
  // npm sets npm_lifecycle_event for scripts (`start`, `deploy`, …) and `npx` for npm exec
  const event = f.env.npm_lifecycle_event;
  if (event) {
    if (event !== 'npx' && f.env.npm_package_name === BIN) return { kind: 'npm-script', script: relative(f.initCwd ?? f.cwd, f.cliScript) };
    return { kind: 'npx' };
  }
  const bin = f.binOnPath();
  if (bin !== undefined && bin === f.cliScript) return { kind: 'bin' };
  // `node dist/src/cli.js` in a clone: the same, from the same folder (npx: see the top)
  return { kind: 'node', script: inside(f.cwd, f.packageRoot) ? relative(f.cwd, f.cliScript) : f.cliScript };
}

/**
 * A command line of our CLI, to show and to paste: `args` unquoted (they are quoted here for a
 * POSIX shell when they need it), e.g. `cliCommand(['emulator', 'stop', '--workspace', root])`.
 */
export function cliCommand(args: readonly string[], how: Invocation = thisProcess(), cwd = process.cwd()): string {
  switch (how.kind) {
    case 'npm-script':
      if (args[0] === NPM_START_ARGS[0]) return npmStart(args.slice(1), cwd);
      return shellLine(['node', how.script, ...args]);
    case 'npx':
      return shellLine(['npx', BIN, ...args]);
    case 'bin':
      return shellLine([BIN, ...args]);
    case 'node':
      return shellLine(['node', how.script, ...args]);
  }
}

/** `npm start`, with the flags that differ from the script's after `--` */
function npmStart(flags: readonly string[], cwd: string): string {
  const rest: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    // the script's own workspace needs no repeating (npm runs the script in the package folder)
    if (flags[i] === '--workspace' && i + 1 < flags.length && resolve(cwd, flags[i + 1]) === resolve(cwd, NPM_START_ARGS[2])) {
      i++;
      continue;
    }
    rest.push(flags[i]);
  }
  return rest.length ? `npm start -- ${shellLine(rest)}` : 'npm start';
}

/**
 * POSIX shell quoting, only where a word needs it: a plain path or flag stays as it is. The one
 * quoting of every command line the CLI prints (ours here, `aws …` in targets/aws-command.ts, sam's,
 * the canary's API Gateway arguments).
 */
export function shellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** words as one command line, each quoted where it needs it */
export const shellLine = (words: readonly string[]): string => words.map(shellWord).join(' ');

function inside(dir: string, root: string): boolean {
  const rel = relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

let cached: Invocation | undefined;

/** this process's invocation, decided once (the PATH is read once) */
export function thisProcess(): Invocation {
  if (cached) return cached;
  const cliScript = fileURLToPath(new URL('./cli.js', import.meta.url));
  cached = howInvoked({
    env: process.env,
    cwd: process.cwd(),
    initCwd: process.env.INIT_CWD ? realpathOr(process.env.INIT_CWD) : undefined,
    packageRoot: realpathOr(resolve(cliScript, '..', '..', '..')),
    cliScript: realpathOr(cliScript),
    binOnPath: () => {
      const found = findOnPath(BIN);
      return found === undefined ? undefined : realpathOr(found);
    },
  });
  return cached;
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * A command in a hint's text (a check's, or a step's from the cloud's state): on a line of its
 * own, marked `$ ` (io/format.ts COMMAND_MARK), which the faces lay out as every printed command (io/format.ts proseParts):
 * broken at arguments with ` \`, pasted whole. Text after it goes on a line of its own too
 * (`${hintCommand(cmd)}\nthen r`).
 */
export function hintCommand(cmd: string): string {
  return cmd
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `\n$ ${l}`)
    .join('');
}
