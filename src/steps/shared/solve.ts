/** The two kinds of reference change a step has: an edit of sam-app/ files, or one command. */
import type { LabContext } from '../../lab/context.js';
import type { Solve } from '../../lab/step.js';

/** the files of `templates/<stepId>/`, as a diff to show and a patch to apply */
export function editSolve(stepId: string): Solve {
  return {
    show: async (ctx) => ({ diff: ctx.reference.diff(stepId, ctx.ws) }),
    apply: async (ctx) => {
      for (const f of ctx.reference.apply(stepId, ctx.ws)) {
        const kept = f.kept ? ` (your version before it is kept as ${f.kept})` : '';
        if (f.how === 'patched') ctx.io.say(`changed sam-app/${f.file}${kept}`);
        if (f.how === 'replaced') ctx.io.say(`replaced sam-app/${f.file} with the reference${kept}`);
      }
    },
  };
}

/** a command the learner can run; "do it for me" makes the same call through the SDK */
export function commandSolve(command: (ctx: LabContext) => string, run: (ctx: LabContext) => Promise<void>): Solve {
  return {
    show: async (ctx) => ({ command: command(ctx) }),
    apply: async (ctx) => {
      ctx.io.command(command(ctx));
      await run(ctx);
    },
  };
}
