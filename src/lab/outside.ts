/**
 * Commands of the lab's own that a running lab blocks: `deploy`, `reset` and `step` take the
 * workspace's lock, which `start` holds while it runs (they stop with exit 3, "workspace … is in
 * use"). A hint that names one, said inside the lab, says to quit first and to start again after.
 */
import { cliCommand } from '../invocation.js';

/**
 * `quit the lab (q), then run \`reset canary-promote --workspace W\`, then \`start --workspace W\``:
 * each of `commands` (the lab's own words, without --workspace) run in the workspace, then start
 * (not after a `step`, which runs the lab itself). On AWS, `start`, `step` and `deploy` take
 * `--target aws` (a workspace of the aws target refuses them without it; `reset` reads it).
 */
export function afterQuitting(where: { workspace: string; target: 'local' | 'aws' }, commands: readonly (readonly string[])[]): string {
  const words = (c: readonly string[]) => [...c, ...(where.target === 'aws' && ['start', 'step', 'deploy'].includes(c[0] ?? '') ? ['--target', 'aws'] : []), '--workspace', where.workspace];
  const run = commands.map((c) => `\`${cliCommand(words(c))}\``).join(', then ');
  const start = commands.at(-1)?.[0] === 'step' ? '' : `, then \`${cliCommand(words(['start']))}\``;
  return `quit the lab (q), then run ${run}${start}`;
}
