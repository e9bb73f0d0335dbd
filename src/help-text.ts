/**
 * The end of `--help`: how to get started and the rules every command keeps, laid out for the
 * terminal's width. Prose wraps between words, as commander wraps the option descriptions above it
 * (its Help.boxWrap: the text is plain, with no colour and no wide characters, so the I/O layer's
 * wrap, with wrap-ansi and its width tables, would give the same lines for 50 ms more of CPU). A
 * command is never wrapped as prose: it stays on one line when it fits, else breaks between its
 * arguments with ` \` continuations (io/command-lines.ts), so pasted it is still one command. A
 * command whose description no longer fits beside it gets that description as a `#` note above it.
 */
import { Help } from 'commander';
import { commandLayout } from './io/command-lines.js';
import { cliCommand } from './invocation.js';

/** plain text at words, each line within `width` (a word wider than that alone on its line) */
function wrap(text: string, width: number): string[] {
  const help = new Help();
  // commander leaves text unwrapped below 40 columns; a narrow terminal still gets it wrapped
  help.minWidthToWrap = 1;
  return help.boxWrap(text, width).split('\n');
}

export function helpEpilogue(width: number): string {
  const entries: [command: string, what?: string][] = [
    [cliCommand(['start']), 'the guided lab, step by step (resumable)'],
    [cliCommand(['deploy', '--workspace', 'lab-workspace']), 'deploy the bundled app, print its ApiUrl'],
    [`curl -X POST <ApiUrl> -d '{"bucket":"<ImagesBucket>","key":"someguy.jpg"}'`],
    [`${cliCommand(['loadtest', '-n', '1000', '-c', '50', '-m', 'POST', '-d', '{...}'])} <ApiUrl>`],
    [cliCommand(['emulator', 'stop', '--workspace', 'lab-workspace'])],
  ];
  const described = entries.filter(([, what]) => what !== undefined);
  const column = Math.max(...described.map(([cmd]) => cmd.length)) + 5;
  const besideFits = described.every(([, what]) => 4 + column + what!.length <= width);
  const lines = [...wrap('Get started (the embedded cloud, no AWS account needed):', width)];
  for (const [cmd, what] of entries) {
    if (what !== undefined && besideFits) lines.push(`  $ ${cmd.padEnd(column)}${what}`);
    else {
      // a note as a shell comment under the prompt's indent (`  # …`), each line a comment of its own
      if (what !== undefined) lines.push(...wrap(what, width - 4).map((l) => `  # ${l}`));
      lines.push(...commandLayout(cmd, width, '  $ ', '      '));
    }
  }
  lines.push(
    '',
    ...wrap('One command at a time changes a workspace (start, step, deploy, reset): a second one exits 3 naming the first; status, list and doctor work meanwhile.', width),
    '',
    ...wrap('Exit codes: 0 ok, 1 a failed run or check, 2 a usage error (also start --ci where every step is already done: nothing would be checked), 3 the environment (the cloud could not be checked or stopped, the workspace is busy or damaged, the disk is full or refuses a file), 130 interrupted, 143 terminated (SIGTERM).', width),
  );
  return `\n${lines.join('\n')}`;
}
