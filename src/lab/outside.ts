/**
 * The lab's own commands as the lab prints them for a workspace (the resume line, "every step is
 * done", a step's way to try again, the next step's command, the hints said inside the lab): one
 * function, so that a workspace of the aws target gets `--target aws` in every one of them. A
 * workspace deployed to AWS refuses `start`, `step` and `deploy` without it (src/lab/session.ts),
 * and `reset` of the whole lab forgets where it ran with the progress it deletes, so the `start`
 * printed after it, and a `reset` said beside one, carry it too.
 *
 * Commands of the lab's own that a running lab blocks: `deploy`, `reset` and `step` take the
 * workspace's lock, which `start` holds while it runs (they stop with exit 3, "workspace … is in
 * use"). A hint that names one, said inside the lab, says to quit first and to start again after
 * (afterQuitting).
 */
import { cliCommand } from '../invocation.js';

/**
 * where a lab command runs: the workspace (none: a generic example), its target, and on AWS the
 * credentials the run was given (a run's LabFlags are one: `{ ...flags, workspace }`)
 */
export interface LabWhere {
  workspace?: string;
  target: 'local' | 'aws';
  profile?: string;
  region?: string;
}

/** the lab's commands that take --target (and, on aws, --profile and --region) */
const TAKES_TARGET = new Set(['start', 'step', 'deploy', 'reset', 'doctor']);

/**
 * `args` (the command's own words: `['step', 'canary']`, `['start', '--ci']`) with the target's
 * flags on AWS, then `--workspace`: `start --ci --target aws --profile lab --workspace W`.
 */
export function labArgs(args: readonly string[], where: LabWhere): string[] {
  const onAws =
    where.target === 'aws' && TAKES_TARGET.has(args[0] ?? '')
      ? ['--target', 'aws', ...(where.profile ? ['--profile', where.profile] : []), ...(where.region ? ['--region', where.region] : [])]
      : [];
  return [...args, ...onAws, ...(where.workspace === undefined ? [] : ['--workspace', where.workspace])];
}

/** labArgs as a command line to print (invocation.ts: as this shell runs the CLI) */
export function labCommand(args: readonly string[], where: LabWhere): string {
  return cliCommand(labArgs(args, where));
}

/**
 * `quit the lab (q), then run \`reset canary-promote --workspace W\`, then \`start --workspace W\``:
 * each of `commands` (the lab's own words, without --workspace) run in the workspace, then start
 * (not after a `step`, which runs the lab itself).
 */
export function afterQuitting(where: LabWhere & { workspace: string }, commands: readonly (readonly string[])[]): string {
  const run = commands.map((c) => `\`${labCommand(c, where)}\``).join(', then ');
  const start = commands.at(-1)?.[0] === 'step' ? '' : `, then \`${labCommand(['start'], where)}\``;
  return `quit the lab (q), then run ${run}${start}`;
}
