#!/usr/bin/env node
/**
 * The command's entry (package.json's bin): it checks the Node.js version first, then loads the
 * command line (src/cli-main.ts). Imported statically, cli-main's dependencies are parsed before
 * any of its code runs, and on Node 18 one of them does not parse (string-width's `/v` regex): a
 * stack trace and exit 1, for --version too. So this module imports only node-version.ts, which
 * parses on any Node, and says in one line which Node the lab needs and which it found; exit 3,
 * the environment's code (errors.ts ExitCode.environment): nothing the learner typed is wrong.
 */
import { nodeTooOld } from './node-version.js';

const tooOld = nodeTooOld(process.versions.node);
if (tooOld) {
  process.stderr.write(`error: ${tooOld}\n`);
  process.exitCode = 3;
} else {
  // not awaited: a Node older than 14.8 cannot parse a top-level await, and must reach the line above
  void import('./cli-main.js');
}
