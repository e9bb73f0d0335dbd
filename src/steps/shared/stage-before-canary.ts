/**
 * A step before the canary chapter (blue-green, the hooks steps) done again once the chapter has
 * run: the chapter left the API's stage calling a Lambda version through its stage variable
 * (`lambdaAlias=9` after the promotion), so the release the step shifts on the alias "live" never
 * reached the stage. The learner watched `answers from Lambda v9` through a whole shift, and the
 * step's check of the API's answer could not pass (`step blue-green --ci` exited 1: "found app
 * version 5, Lambda version 9").
 *
 * These steps start from the stage as the last deploy made it, calling "live": `reset blue-green`
 * puts it there (commands/reset.ts putStageBack, as it restores the template), and so does the
 * step's prepare when it is done again without a reset, with the chapter's own calls (stageUndo)
 * and the same words. The canary chapter's steps stay done in progress; `reset canary`, then
 * `start` (once the lab is quit: it holds the workspace), does them again. Nothing is read from
 * the cloud while no step of the chapter has begun.
 */
import type { LabContext } from '../../lab/context.js';
import { afterQuitting } from '../../lab/outside.js';
import { CANARY_CHAPTER, LAB_OUTLINE } from '../outline.js';
import { findTarget, stageUndo } from '../canary/lesson.js';

const CANARY_STEPS = LAB_OUTLINE.filter((s) => s.chapter.id === CANARY_CHAPTER.id).map((s) => s.id);

/** `stepId`: the step that begins (blue-green, a hooks step), for what is said */
export async function stageBeforeCanary(ctx: LabContext, stepId: string): Promise<void> {
  if (CANARY_STEPS.every((id) => ctx.stepProgress(id).status === 'pending')) return;
  let changed = false;
  try {
    const record = ctx.deployment();
    const deploymentId = record.apis[0]?.deploymentId;
    if (!deploymentId) return;
    const c = { apiGateway: ctx.clients.apiGateway, lambda: ctx.clients.lambda };
    const t = await findTarget(c.apiGateway, record, ctx.signal, ctx.ws.root, true);
    for (const undo of await stageUndo(c, t, deploymentId, ctx.signal)) {
      const did = await undo.run(ctx.signal);
      if (did === false) continue;
      changed = true;
      ctx.io.say(typeof did === 'string' ? did : undo.said);
    }
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    // the step goes on: its live view says what the stage calls, with the update-stage that points it at live
    ctx.io.warn(`could not put the API's stage back as the last deploy made it: ${(err as Error).message}`);
    return;
  }
  if (!changed) return;
  ctx.io.say(
    `${stepId} starts from the stage as the last deploy made it, calling the alias "live" that its release shifts (the canary chapter had left it on a Lambda version). The canary chapter's steps stay done; to do them again, ${afterQuitting({ workspace: ctx.ws.root, target: ctx.target }, [['reset', CANARY_CHAPTER.id]])}.`,
  );
}
