/**
 * After a deploy that moved an alias: does the API's stage call that alias? After the canary
 * chapter it does not. Its promotion left `lambdaAlias=5` on the Prod stage, so the integration
 * (`GetInfoFunction:${stageVariables.lambdaAlias}`) calls version 5. A deploy of an API that did
 * not change makes no new deployment of it and leaves the stage's variables as they are, on AWS
 * as here (SAM's deployment resource is a hash of the API's definition). So a release after the
 * lab moves `live`, CodeDeploy says Succeeded, and no request to ApiUrl meets it: the learner's
 * change seems not to be there. The deploy says so, with the command that points the stage at the
 * alias again ("Use stage variables for a REST API in API Gateway", API Gateway developer guide:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/stage-variables.html).
 *
 * It only reads, and says nothing when it cannot read (the deploy itself went through). The stage
 * is not changed: the learner decides, as with every change to the cloud the lab prints.
 */
import { hintCommand } from '../invocation.js';
import type { AliasDeployment, DeployResult } from '../targets/deployers/types.js';
import type { DeployRecord } from '../targets/deploy-record.js';
import { awsCommand } from '../targets/aws-command.js';
import { lambdaTarget, withStageVariables } from '../targets/lambda-uri.js';
import type { TargetSpec } from '../targets/clients.js';

/** the alias a deploy moved (a CodeDeploy deployment started, or the alias put on a new version): function name and alias */
export function movedAlias(result: DeployResult): { functionName: string; alias: string } | undefined {
  const d = result.deployments?.[0];
  if (d) return { functionName: d.functionName, alias: d.alias };
  const c = result.changes.find((x) => x.type === 'AWS::Lambda::Alias' && (x.change === 'created' || x.change === 'updated') && x.physicalId);
  if (!c?.physicalId) return undefined;
  // local: `name:alias`; aws: the alias ARN, arn:aws:lambda:region:account:function:name:alias
  const parts = c.physicalId.split(':');
  return parts.length >= 8 ? { functionName: parts[6]!, alias: parts[7]! } : parts.length === 2 ? { functionName: parts[0]!, alias: parts[1]! } : undefined;
}

/**
 * What a Lambda proxy integration URI calls, with the stage's variables put in:
 * `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations`, the
 * function ARN's qualifier (an alias or a version) after its name; none is $LATEST.
 */
export function calledFunction(uri: string, variables: Readonly<Record<string, string>>): { functionName: string; qualifier: string } | undefined {
  const fn = lambdaTarget(withStageVariables(uri, variables));
  return fn && { functionName: fn.functionName, qualifier: fn.qualifier ?? '$LATEST' };
}

/**
 * The warning when the stage the deploy record names calls `moved.functionName` by another
 * qualifier than `moved.alias`; undefined when it calls the alias, calls another function, or
 * cannot be read.
 */
export async function stageBesideAlias(record: DeployRecord, spec: TargetSpec, moved: { functionName: string; alias: string }, signal?: AbortSignal): Promise<string | undefined> {
  const api = record.apis[0];
  if (!api) return undefined;
  const { TargetClients } = await import('../targets/clients.js');
  const { findTarget } = await import('../steps/canary/lesson.js');
  const { deployedIntegrationUri, STAGE_VARIABLE } = await import('../steps/canary/stage-variable.js');
  const { readStage } = await import('../steps/canary/release.js');
  const clients = new TargetClients(spec);
  try {
    const t = await findTarget(clients.apiGateway, record, signal);
    const uri = await deployedIntegrationUri(clients.apiGateway, t.route, signal);
    const stage = await readStage(clients.apiGateway, t.route, signal);
    const called = uri === undefined ? undefined : calledFunction(uri, stage.variables);
    if (!called || called.functionName !== moved.functionName || called.qualifier === moved.alias) return undefined;
    const what = called.qualifier === '$LATEST' ? '$LATEST' : /^\d+$/.test(called.qualifier) ? `Lambda version ${called.qualifier}` : `the alias ${called.qualifier}`;
    const throughVariable = uri!.includes(`\${stageVariables.${STAGE_VARIABLE}}`) && Object.hasOwn(stage.variables, STAGE_VARIABLE);
    const why = throughVariable ? ` (its stage variable ${STAGE_VARIABLE}=${stage.variables[STAGE_VARIABLE]}, as the canary chapter's promotion left it; a deploy of an API that did not change leaves its stage as it is)` : '';
    const fix = throughVariable
      ? `. To send them to ${moved.alias}:${hintCommand(awsCommand(`apigateway update-stage --rest-api-id ${api.restApiId} --stage-name ${api.stage} --patch-operations op=replace,path=/variables/${STAGE_VARIABLE},value=${moved.alias}`, spec))}`
      : '';
    return `requests to ApiUrl do not reach this release: the API's ${api.stage} stage calls ${what} of ${moved.functionName}${why}, not the alias ${moved.alias}${fix}`;
  } catch (err) {
    if (signal?.aborted) throw err;
    return undefined;
  } finally {
    clients.destroy();
  }
}

/** the canary chapter's steps, in order (steps/outline.ts) */
const CANARY_STEPS = ['canary-stage-variable', 'canary-create', 'canary-rollback', 'canary-promote'];

/**
 * A deploy that starts a CodeDeploy shift while the learner is in the canary chapter (begun, not
 * done): the shift moves `live`, which the canary's stage share calls, so the split the chapter
 * measures shows the two versions of the shift beside the canary's until it ends. It said nothing
 * of it, and canary-create then said "live stays on Lambda version 2" as the alias moved (a learner
 * walk: app.mjs put back to app version 3 after hooks-errors, deployed between the stage-variable
 * step and the canary). Undefined outside the chapter. `steps`: progress.json's steps.
 */
export function canaryChapterShift(steps: Readonly<Record<string, { status?: string } | undefined>> | undefined, d: AliasDeployment): string | undefined {
  const status = (id: string) => steps?.[id]?.status ?? 'pending';
  const begun = CANARY_STEPS.some((id) => status(id) !== 'pending');
  if (!begun || status('canary-promote') === 'done') return undefined;
  const next = CANARY_STEPS.find((id) => status(id) !== 'done')!;
  return `the lab is in the canary chapter (${next} next), and this deploy starts a CodeDeploy shift of ${d.alias} from Lambda version ${d.from} to ${d.to}, 10 % more every cloud minute: that is Lambda's routing, not API Gateway's canary. The stage's own share calls ${d.alias}, so until the shift ends its answers come from both versions; the canary steps take ${d.alias} where your deploy moves it`;
}
