/** The two kinds of reference change a step has: an edit of sam-app/ files, or one command. */
import { FileBackup } from '../../lab/backups.js';
import { displayPath } from '../../io/format.js';
import type { LabContext } from '../../lab/context.js';
import type { Solve } from '../../lab/step.js';

/**
 * More than the reference diff: a file the step's change depends on that the learner may have
 * written their own way (hooks-alarm's hook). `diff`: what "show me the change" adds (empty when
 * nothing); `apply`: writes it after the reference files, the learner's version kept in `backup`
 * (the same backups/ folder as the reference files'), and says what it did.
 */
export interface MoreFiles {
  diff(ctx: LabContext): string;
  apply(ctx: LabContext, backup: FileBackup): void;
}

/** the files of `templates/<stepId>/`, as a diff to show and a patch to apply */
export function editSolve(stepId: string, more?: MoreFiles): Solve {
  return {
    show: async (ctx) => ({ diff: ctx.reference.diff(stepId, ctx.ws) + (more?.diff(ctx) ?? '') }),
    apply: async (ctx) => {
      const backup = new FileBackup(ctx.ws, `before-${stepId}`);
      for (const f of ctx.reference.apply(stepId, ctx.ws, backup)) {
        // from where the learner runs the lab: an absolute path under a home folder was wider than 80 columns
        const kept = f.kept ? ` (your version before it is kept as ${displayPath(f.kept)})` : '';
        if (f.how === 'patched') ctx.io.say(`changed sam-app/${f.file}${kept}`);
        if (f.how === 'replaced') ctx.io.say(`replaced sam-app/${f.file} with the reference${kept}`);
      }
      more?.apply(ctx, backup);
    },
  };
}

/**
 * a command the learner can run; "do it for me" and --ci make the same call through the SDK, and
 * print the command first from `show` (teach.ts, solver.ts), as for every command step
 */
export function commandSolve(command: (ctx: LabContext) => string, run: (ctx: LabContext) => Promise<void>): Solve {
  return {
    show: async (ctx) => ({ command: command(ctx) }),
    apply: run,
  };
}
