/**
 * A step whose change is a release of the app's function: CodeDeploy deploys only a new version.
 * With SAM's AutoPublishAlias, a version is published from the code of CodeUri, a new one when it
 * changes, and the alias (through CodeDeploy) moves only to a new version ("Deploying serverless
 * applications gradually", SAM developer guide:
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html);
 * Lambda itself "doesn't publish a version if the function's configuration and code haven't
 * changed since the last version" (https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html).
 * So when the learner's own release of a step's change already went through, deploying the same
 * files again releases nothing: the lab makes a new version with one comment line in src/app.mjs.
 */
import { join } from 'node:path';
import { readTextFile, writeTextFile } from '../../lab/workspace.js';
import type { LabContext } from '../../lab/context.js';
import type { StepRelease } from '../../lab/step.js';
import { deploymentGroup, deployments, TERMINAL } from './codedeploy.js';
import { labCommand } from '../../lab/outside.js';

/** the file whose change makes a new version (the function's CodeUri is src/) */
export const APP_CODE = 'src/app.mjs';

/** the line the lab adds (and replaces on the next time) to make a new version */
const MARK = /^\/\/ a new version made by the lab .*\n/m;

/** The newest release the learner (or the lab) started, not a rollback CodeDeploy made. */
async function newestRelease(ctx: LabContext, signal: AbortSignal): Promise<{ id: string; status: string; ended: boolean } | undefined> {
  let group;
  try {
    group = deploymentGroup(ctx);
  } catch {
    return undefined;
  }
  const release = (await deployments(ctx, group, signal, 10)).find((d) => d.creator !== 'codeDeployRollback');
  return release?.deploymentId ? { id: release.deploymentId, status: release.status ?? '?', ended: TERMINAL.has(release.status ?? '') } : undefined;
}

/**
 * Adds one comment line to src/app.mjs (or renews the one the lab added before): the function's
 * code changes, nothing it does. Returns what was changed, for the learner.
 */
export function markNewVersion(ctx: LabContext): string {
  const path = join(ctx.ws.samApp, APP_CODE);
  const text = readTextFile(path);
  const line = `// a new version made by the lab at ${new Date().toISOString()}, so that a deploy releases it (only a new version starts a CodeDeploy deployment)\n`;
  const next = MARK.test(text) ? text.replace(MARK, line) : `${text}${text.endsWith('\n') || !text ? '' : '\n'}${line}`;
  writeTextFile(path, next);
  return `sam-app/${APP_CODE}`;
}

/** the text without the line markNewVersion adds: the file as the lab or the learner wrote it */
export function withoutNewVersionMark(text: string): string {
  return text.replace(MARK, '');
}

/** what the hooks steps (a release each) give the lab: see StepRelease */
export const appRelease: StepRelease = { newest: newestRelease, renew: markNewVersion };

/** said in a hint when a release went through that should not have: how to release again */
export const RELEASE_AGAIN = `To try again you need a new release: deploying the same files starts none (only a new version of the function does). Change ${APP_CODE} (a comment will do) and deploy, or press d and the lab offers to make that change.`;

/**
 * RELEASE_AGAIN as the run can act on it: under --ci there are no keys to press and nobody edits
 * files, so it names the commands that do it again: `reset <step>` puts the step's files back to its
 * start, and `start --ci` makes its release (a new version) again.
 */
export function releaseAgain(ctx: Pick<LabContext, 'ci' | 'ws' | 'target'>, stepId: string): string {
  if (!ctx.ci) return RELEASE_AGAIN;
  const where = { workspace: ctx.ws.root, target: ctx.target };
  return `To try again: \`${labCommand(['reset', stepId], where)}\` puts the step back to its start, then \`${labCommand(['start', '--ci'], where)}\` releases it again (a new version of the function).`;
}
