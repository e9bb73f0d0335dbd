/**
 * What the last deploy made and the template no longer has, removed as CloudFormation removes it:
 * after the update's new and changed resources are in place (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS),
 * dependents first, and kept when its DeletionPolicy is Retain ("This capability also applies to
 * stack update operations that lead to resources being deleted from stacks. For example, if you
 * remove the resource from the stack template, and then update the stack with the template").
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-monitor-stack.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
 *
 * Dependents first: the record lists resources in the order they were applied, each after those
 * it refers to (graph.ts), so its reverse deletes a deployment group before its application, an
 * alias before its function. The deploy record is rewritten only at the end of a deploy that
 * succeeded: a removal that failed half-way leaves the last record, which still lists what is
 * left to remove, and the next deploy removes it, the ones already gone answering NotFound.
 */
import type { DeployRecord, RecordedResource } from '../../deploy-record.js';
import type { ResourceChange } from '../types.js';
import type { ProvisionContext, Provisioner, RemovedResource } from './context.js';

export interface Removal extends RemovedResource {
  retain?: true;
}

/** CloudFormation's policies that keep a resource the template drops. */
export const RETAINED_POLICIES = new Set(['Retain', 'RetainExceptOnCreate']);

export interface Removals {
  /** in the order to remove them: dependents first */
  removals: Removal[];
  /**
   * a record of an older version (no types): the logical ids it had and the template no longer
   * has, with their physical ids; left in the cloud, since what they are is not known
   */
  untyped: { logicalId: string; physicalId: string }[];
}

export function removalsSince(previous: DeployRecord | undefined, current: ReadonlySet<string>): Removals {
  // a record of the aws target names the stack's resources, not this cloud's (and SAM's own
  // logical ids, `<Fn>Version<sha>`, which the local deployer does not use)
  if (!previous || previous.target !== 'local') return { removals: [], untyped: [] };
  if (!previous.resources) {
    const untyped = Object.entries(previous.physicalIds)
      .filter(([id]) => !current.has(id))
      .map(([logicalId, physicalId]) => ({ logicalId, physicalId }));
    return { removals: [], untyped };
  }
  const removals = Object.entries(previous.resources)
    .filter(([id]) => !current.has(id))
    .map(([logicalId, r]: [string, RecordedResource]) => ({ logicalId, ...r }))
    .reverse();
  return { removals, untyped: [] };
}

/** The row of a removal in the change report. */
export function removalRow(r: Removal, kept?: string): ResourceChange {
  const base = { logicalId: r.logicalId, type: r.type, physicalId: r.physicalId };
  if (r.retain) return { ...base, change: 'retained', detail: 'removed from the template; DeletionPolicy Retain keeps it in the cloud' };
  if (kept) return { ...base, change: 'retained', detail: `removed from the template; ${kept}` };
  return { ...base, change: 'deleted', detail: 'removed from the template' };
}

/**
 * Removes each resource in turn, through its type's provisioner (its cloud calls in `ctx.step`,
 * so Ctrl-C stops between two of them), and adds its row to the report.
 */
export async function removeResources(removals: Removal[], provisioners: ReadonlyMap<string, Provisioner>, ctx: ProvisionContext): Promise<void> {
  for (const r of removals) {
    if (r.retain) {
      ctx.report.add(removalRow(r));
      continue;
    }
    const p = provisioners.get(r.type);
    if (!p) {
      // a type this version no longer deploys: nothing here knows how to delete it
      ctx.warn(`${r.logicalId} (${r.type}) left the template, and the local cloud does not deploy that type: ${r.physicalId} is left in the cloud`);
      ctx.report.add(removalRow(r, 'not deleted: the local cloud does not deploy this type'));
      continue;
    }
    ctx.log.info(`deleting ${r.logicalId} (${r.type}): no longer in the template`);
    const out = await p.remove(r, ctx);
    if (out?.kept) ctx.warn(`${r.logicalId} (${r.type}) ${r.physicalId} left the template but is ${out.kept}`);
    ctx.report.add(removalRow(r, out?.kept));
  }
}
