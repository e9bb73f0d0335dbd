/**
 * The CodeDeploy deployments a `sam deploy` starts, seen from outside while sam runs, and how a
 * stack update that CodeDeploy refused ends.
 *
 * With SAM's DeploymentPreference, the alias carries `UpdatePolicy: CodeDeployLambdaAliasUpdate`:
 * "To perform an AWS CodeDeploy deployment when the version changes on an AWS::Lambda::Alias
 * resource, use the CodeDeployLambdaAliasUpdate update policy"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html#cfn-attributes-updatepolicy-codedeploylambdaaliasupdate).
 * CloudFormation holds the alias in UPDATE_IN_PROGRESS until that deployment ends, so `sam deploy`
 * returns only after the traffic shift (codedeploy-cloudwatch-sam.md §B.1, LAB-SAM: 343 s for a
 * Canary10Percent5Minutes run). The deployment is found in the group SAM made for the function
 * (`<Fn>DeploymentGroup`, named by CloudFormation) with ListDeployments, as soon as it exists.
 *
 * A deployment that ends Stopped or Failed fails the alias ("<id> failed. <errorInformation.message>",
 * possibly wrapped in "Resource handler returned message: …") and the stack rolls back to
 * UPDATE_ROLLBACK_COMPLETE (§B.1, LAB-SAM and LAB-NDN): that is CodeDeploy's verdict on the
 * release, not a template error.
 */
import type { CloudFormationClient, StackResource } from '@aws-sdk/client-cloudformation';
import type { CodeDeployClient, DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { CODEDEPLOY_APPLICATION_ID } from '../../template/deployment-preference.js';
import { deploymentLambdaTarget, listDeploymentIds } from '../codedeploy-lists.js';
import type { AliasDeployment, StackRollback } from './types.js';
import { cloudFormationCommands, codeDeployCommands } from '../clients.js';

const { DescribeStackEventsCommand, DescribeStackResourcesCommand, DescribeStacksCommand } = cloudFormationCommands;
const { GetDeploymentCommand } = codeDeployCommands;

export type { StackRollback };

interface GroupOfFunction {
  application: string;
  group: string;
  functionName: string;
  alias: string;
}

const SUFFIX = 'DeploymentGroup';

/** a stack that does not exist yet (the first deploy, before its change set runs) */
function isMissingStack(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return e?.name === 'ValidationError' && /does not exist/.test(e.message ?? '');
}

/** the deployment groups of the stack's functions, with each function's name and alias; [] before the stack exists */
async function stackGroups(cfn: CloudFormationClient, stackName: string, signal?: AbortSignal): Promise<{ groups: GroupOfFunction[]; resources: StackResource[] }> {
  let resources: StackResource[];
  try {
    resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }), { abortSignal: signal })).StackResources ?? [];
  } catch (err) {
    if (isMissingStack(err)) return { groups: [], resources: [] };
    throw err;
  }
  const byId = new Map(resources.filter((r) => r.LogicalResourceId && r.PhysicalResourceId).map((r) => [r.LogicalResourceId!, r]));
  const application = byId.get(CODEDEPLOY_APPLICATION_ID)?.PhysicalResourceId;
  const groups: GroupOfFunction[] = [];
  if (!application) return { groups, resources };
  for (const r of resources) {
    if (r.ResourceType !== 'AWS::CodeDeploy::DeploymentGroup' || !r.PhysicalResourceId || !r.LogicalResourceId?.endsWith(SUFFIX)) continue;
    const fnId = r.LogicalResourceId.slice(0, -SUFFIX.length);
    const fn = byId.get(fnId)?.PhysicalResourceId;
    if (!fn) continue;
    // SAM's alias logical id is <Fn>Alias<name>; its physical id (Ref) the alias ARN
    const aliasArn = resources.find((a) => a.ResourceType === 'AWS::Lambda::Alias' && a.LogicalResourceId?.startsWith(`${fnId}Alias`))?.PhysicalResourceId;
    groups.push({ application, group: r.PhysicalResourceId, functionName: fn, alias: aliasArn?.split(':')[7] ?? 'live' });
  }
  return { groups, resources };
}

/** A deployment's ids in a group created since `since` (all of them without it), at most 500. */
function groupDeploymentIds(cd: CodeDeployClient, g: GroupOfFunction, since: Date | undefined, signal?: AbortSignal): Promise<string[]> {
  return listDeploymentIds(cd, { applicationName: g.application, deploymentGroupName: g.group, ...(since ? { createTimeRange: { start: since } } : {}) }, 500, signal);
}

/**
 * Watches a stack for the CodeDeploy deployments its update starts. `baseline()` before sam
 * deploy runs keeps the deployments that exist already; `poll()` returns those that are new since.
 * The time range only bounds the listing: it starts five minutes early, so a clock behind AWS's
 * misses nothing, and the baseline keeps older deployments out.
 */
export class StackDeploymentWatcher {
  readonly found: AliasDeployment[] = [];
  /** the group's deployments that existed before this update (baseline): none of them is its own */
  readonly preexisting = new Set<string>();
  #known = new Set<string>();
  readonly #since: Date;

  constructor(
    private readonly cfn: CloudFormationClient,
    private readonly cd: CodeDeployClient,
    private readonly stackName: string,
    startedAt: Date,
  ) {
    this.#since = new Date(startedAt.getTime() - 5 * 60_000);
  }

  async baseline(signal?: AbortSignal): Promise<void> {
    const { groups } = await stackGroups(this.cfn, this.stackName, signal);
    for (const g of groups) {
      for (const id of await groupDeploymentIds(this.cd, g, this.#since, signal)) {
        this.#known.add(id);
        this.preexisting.add(id);
      }
    }
  }

  /**
   * The deployments the update has started since the last poll (CodeDeploy's own rollbacks left
   * out). What one look found is kept even when a later call of the same look fails: it is returned
   * by the next poll, not lost (an id is known only once it has been returned).
   */
  async poll(signal?: AbortSignal): Promise<AliasDeployment[]> {
    const fresh = this.#pending.splice(0);
    try {
      const { groups } = await stackGroups(this.cfn, this.stackName, signal);
      for (const g of groups) {
        for (const id of await groupDeploymentIds(this.cd, g, this.#since, signal)) {
          if (this.#known.has(id) || fresh.some((d) => d.deploymentId === id)) continue;
          const info = (await this.cd.send(new GetDeploymentCommand({ deploymentId: id }), { abortSignal: signal })).deploymentInfo;
          if (info?.creator === 'codeDeployRollback') {
            this.#known.add(id);
            continue;
          }
          const versions = await targetVersions(this.cd, id, signal).catch(() => undefined);
          fresh.push({ deploymentId: id, functionName: g.functionName, alias: g.alias, from: versions?.from ?? '?', to: versions?.to ?? '?' });
        }
      }
    } catch (err) {
      this.#pending.push(...fresh);
      throw err;
    }
    for (const d of fresh) {
      this.#known.add(d.deploymentId);
      this.found.push(d);
    }
    return fresh;
  }

  /** found by a look that then failed: returned by the next one */
  #pending: AliasDeployment[] = [];
}

async function targetVersions(cd: CodeDeployClient, deploymentId: string, signal?: AbortSignal): Promise<{ from?: string; to?: string } | undefined> {
  const info = (await deploymentLambdaTarget(cd, deploymentId, signal))?.lambdaFunctionInfo;
  return info ? { from: info.currentVersion, to: info.targetVersion } : undefined;
}

/** CloudFormation's reason on the alias names the deployment: `d-RGSWBD91L failed. …` (§B.1) */
const ALIAS_REASON = /\b(d-[0-9A-Z]{9}) failed\./;

/** CodeDeploy's own verdicts on a release: an alarm, or a lifecycle hook (§C.4) */
const VERDICTS = new Set(['ALARM_ACTIVE', 'HOOK_EXECUTION_FAILURE']);

/**
 * After `sam deploy` failed: the stack rolled back because a CodeDeploy deployment of this update
 * was stopped or failed, or undefined when it failed for another reason (a template error, a
 * resource CloudFormation could not make: sam's output says which).
 *
 * Recognised by the stack's status (UPDATE_ROLLBACK_*, not UPDATE_ROLLBACK_FAILED) and either the
 * alias's UPDATE_FAILED event naming a deployment that is Stopped or Failed, or, when the events
 * say nothing, a deployment of this update that CodeDeploy itself stopped (ALARM_ACTIVE,
 * HOOK_EXECUTION_FAILURE).
 */
export async function codeDeployRollback(
  cfn: CloudFormationClient,
  cd: CodeDeployClient,
  stackName: string,
  since: Date,
  started: readonly AliasDeployment[],
  signal?: AbortSignal,
  /** the group's deployments from before this update (the watcher's baseline) */
  preexisting: ReadonlySet<string> = new Set(),
): Promise<StackRollback | undefined> {
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }), { abortSignal: signal })).Stacks?.[0];
  const stackStatus = stack?.StackStatus ?? '';
  if (!/^UPDATE_ROLLBACK_/.test(stackStatus) || stackStatus === 'UPDATE_ROLLBACK_FAILED') return undefined;

  // the alias's failure, newest first, back to a little before the deploy began
  const floor = since.getTime() - 5 * 60_000;
  let reason: string | undefined;
  let id: string | undefined;
  let nextToken: string | undefined;
  let pages = 0;
  outer: do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: nextToken }), { abortSignal: signal });
    for (const e of page.StackEvents ?? []) {
      if ((e.Timestamp?.getTime() ?? 0) < floor) break outer;
      const m = e.ResourceType === 'AWS::Lambda::Alias' && e.ResourceStatus === 'UPDATE_FAILED' ? ALIAS_REASON.exec(e.ResourceStatusReason ?? '') : null;
      if (m) {
        // an earlier update's failure (the stack still shows its rollback when this update was
        // refused before it began, a template error): not this update's verdict
        if (!preexisting.has(m[1])) {
          id = m[1];
          reason = e.ResourceStatusReason!;
        }
        break outer;
      }
    }
    nextToken = page.NextToken;
  } while (nextToken && ++pages < 10);

  const info = async (deploymentId: string): Promise<DeploymentInfo | undefined> =>
    (await cd.send(new GetDeploymentCommand({ deploymentId }), { abortSignal: signal })).deploymentInfo;
  let d: DeploymentInfo | undefined;
  if (id) {
    d = await info(id);
    if (d?.status !== 'Stopped' && d?.status !== 'Failed') return undefined;
    // this update's own deployment: one the watcher saw start, or one created after the deploy
    // began (a minute of leeway for the local clock), not an earlier update's from before it
    const own = started.some((s) => s.deploymentId === id) || (d.createTime?.getTime() ?? 0) >= since.getTime() - 60_000;
    if (!own) return undefined;
  } else {
    for (const s of started) {
      const i = await info(s.deploymentId);
      if ((i?.status === 'Stopped' || i?.status === 'Failed') && VERDICTS.has(i.errorInformation?.code ?? '')) {
        d = i;
        break;
      }
    }
    if (!d) return undefined;
  }
  const deploymentId = d.deploymentId ?? id!;
  return {
    stackStatus,
    deploymentId,
    status: d.status!,
    errorCode: d.errorInformation?.code,
    // "Resource handler returned message: \"d-… failed. …\" (RequestToken: …)" → the quoted part
    reason: unwrapReason(reason) ?? `${deploymentId} failed. ${d.errorInformation?.message ?? `The deployment ended ${d.status}.`}`,
    rollbackDeploymentId: d.rollbackInfo?.rollbackDeploymentId,
  };
}

function unwrapReason(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  const m = /Resource handler returned message: "(.*)" \(RequestToken/.exec(reason);
  return m ? m[1] : reason;
}
