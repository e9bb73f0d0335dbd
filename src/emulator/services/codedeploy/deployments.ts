/**
 * The deployment operations: CreateDeployment, GetDeployment, BatchGetDeployments, ListDeployments,
 * StopDeployment, ListDeploymentTargets, BatchGetDeploymentTargets, GetDeploymentTarget and
 * PutLifecycleEventHookExecutionStatus. The engine runs what they create.
 */
import type { Clock } from '../../core/clock.js';
import { shown } from '../../core/shown.js';
import { lambdaRevision, parseLambdaAppSpec } from './appspec.js';
import type { DeploymentEngine } from './engine.js';
import { newLifecycleEvents } from './engine.js';
import * as e from './errors.js';
import { isDeploymentId, newDeploymentId } from './ids.js';
import { booleanFrom } from '../../protocols/json-values.js';
import { isAbsent, isStructure } from './input.js';
import { type DeploymentRecord, type DeploymentStatus, isActive } from './model.js';
import { checkAutoRollback, type Registry } from './registry.js';
import type { CodeDeployState } from './state.js';

type Obj = Record<string, unknown>;

const STATUSES: readonly DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Succeeded', 'Failed', 'Stopped', 'Ready'];
/** the model's limits: BatchGetDeployments 25 ids, BatchGetDeploymentTargets 25 targets */
const BATCH_LIMIT = 25;
/** [inf] AWS pages ListDeployments by 100 */
export const PAGE_SIZE = 100;
/** the model: descriptions up to 1 000 characters [inf for the exact limit] */
const DESCRIPTION_MAX = 1000;

export class Deployments {
  constructor(
    private readonly state: CodeDeployState,
    private readonly registry: Registry,
    private readonly engine: DeploymentEngine,
    private readonly clock: Clock,
  ) {}

  create(input: Obj): { deploymentId: string } {
    const { app, group } = this.registry.group(input.applicationName, input.deploymentGroupName);
    if (input.revision === undefined || input.revision === null) throw e.revisionRequired();
    if (app.computePlatform !== 'Lambda') {
      throw e.unsupportedActionForDeploymentType(`Local CodeDeploy deploys to the Lambda compute platform only; the application ${app.applicationName} is ${app.computePlatform}.`);
    }
    if (!isAbsent(input.description) && (typeof input.description !== 'string' || input.description.length > DESCRIPTION_MAX)) throw e.descriptionTooLong();
    const revision = lambdaRevision(input.revision);
    const target = parseLambdaAppSpec(revision.content);
    const configName = input.deploymentConfigName ? this.registry.config(input.deploymentConfigName).deploymentConfigName : group.deploymentConfigName;
    const config = this.registry.config(configName);
    // CreateDeployment's own autoRollbackConfiguration overrides the group's, checked as the group's is
    const rollback = isAbsent(input.autoRollbackConfiguration) ? group.autoRollbackConfiguration : checkAutoRollback(input.autoRollbackConfiguration);
    // one deployment at a time per group
    const active = [...this.state.deployments.values()].find(
      (d) => isActive(d) && d.applicationName === app.applicationName && d.deploymentGroupName === group.deploymentGroupName,
    );
    if (active) throw e.deploymentLimitExceeded(group.deploymentGroupName, active.deploymentId);
    const now = this.clock.now();
    const d: DeploymentRecord = {
      deploymentId: newDeploymentId(this.state.deployments),
      applicationName: app.applicationName,
      deploymentGroupName: group.deploymentGroupName,
      deploymentConfigName: config.deploymentConfigName,
      trafficRouting: config.trafficRoutingConfig,
      status: 'Created',
      creator: 'user',
      ...(typeof input.description === 'string' ? { description: input.description } : {}),
      revision: revision.stored,
      target,
      targetVersionWeight: 0,
      lifecycleEvents: newLifecycleEvents(target.hooks),
      createTime: now,
      lastUpdatedAt: now,
      autoRollbackConfiguration: rollback,
      alarmConfiguration: group.alarmConfiguration,
      deploymentStyle: group.deploymentStyle,
      serviceRoleArn: group.serviceRoleArn,
    };
    this.state.deployments.set(d.deploymentId, d);
    this.state.save();
    this.engine.kick(d.deploymentId);
    return { deploymentId: d.deploymentId };
  }

  get(idInput: unknown): DeploymentRecord {
    if (idInput === undefined || idInput === null || idInput === '') throw e.deploymentIdRequired();
    if (typeof idInput !== 'string' || !isDeploymentId(idInput)) throw e.invalidDeploymentId(shown(idInput));
    const d = this.state.deployments.get(idInput);
    if (!d) throw e.deploymentDoesNotExist(idInput);
    return d;
  }

  /** unknown ids are left out of the answer [inf]; one not in a deployment id's shape is refused */
  batchGet(ids: unknown): DeploymentRecord[] {
    if (!Array.isArray(ids) || ids.length === 0) throw e.deploymentIdRequired();
    if (ids.length > BATCH_LIMIT) throw e.batchLimitExceeded();
    for (const id of ids) if (typeof id !== 'string' || !isDeploymentId(id)) throw e.invalidDeploymentId(shown(id));
    return ids.flatMap((id: string) => {
      const d = this.state.deployments.get(id);
      return d ? [d] : [];
    });
  }

  /** newest first [inf]; filters as the model defines them */
  list(input: Obj): { deployments: string[]; nextToken?: string } {
    // "If applicationName is specified, then deploymentGroupName must be specified. If it is not
    // specified, then deploymentGroupName must not be specified." (API reference, ListDeployments)
    let groupFilter: { app: string; group: string } | undefined;
    if (!isAbsent(input.applicationName)) {
      if (isAbsent(input.deploymentGroupName)) throw e.deploymentGroupNameRequired();
      const { app, group } = this.registry.group(input.applicationName, input.deploymentGroupName);
      groupFilter = { app: app.applicationName, group: group.deploymentGroupName };
    } else if (!isAbsent(input.deploymentGroupName)) {
      throw e.applicationNameRequired();
    }
    const statuses = isAbsent(input.includeOnlyStatuses) ? [] : input.includeOnlyStatuses;
    if (!Array.isArray(statuses)) throw e.invalidDeploymentStatus(shown(statuses));
    for (const s of statuses) if (!STATUSES.includes(s as DeploymentStatus)) throw e.invalidDeploymentStatus(shown(s));
    const range = isAbsent(input.createTimeRange) ? {} : input.createTimeRange;
    if (!isStructure(range)) throw e.invalidTimeRange();
    const start = isAbsent(range.start) ? -Infinity : seconds(range.start) * 1000;
    const end = isAbsent(range.end) ? Infinity : seconds(range.end) * 1000;
    const ids = [...this.state.deployments.values()]
      .filter(
        (d) =>
          (!groupFilter || (d.applicationName === groupFilter.app && d.deploymentGroupName === groupFilter.group)) &&
          (statuses.length === 0 || statuses.includes(d.status)) &&
          d.createTime >= start &&
          d.createTime <= end,
      )
      .reverse()
      .map((d) => d.deploymentId);
    const p = page(ids, input.nextToken);
    return { deployments: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
  }

  stop(input: Obj): { status: 'Succeeded'; statusMessage: string } {
    // a member of the wrong JSON type fails the request's deserialization, before the lookup
    const rollback = booleanFrom(input.autoRollbackEnabled);
    const d = this.get(input.deploymentId);
    if (!isActive(d)) throw e.deploymentAlreadyCompleted(d.deploymentId);
    this.engine.stopByRequest(d, rollback);
    // the only published text is from an EC2 deployment (CLI examples, stop-deployment.rst) [src for EC2]
    return { status: 'Succeeded', statusMessage: 'No more commands will be scheduled for execution in the deployment instances' };
  }

  targetIds(input: Obj): { targetIds: string[] } {
    const d = this.get(input.deploymentId);
    // targetFilters: a map of TargetFilterName (TargetStatus, ServerInstanceLabel) to lists of strings
    const filters = isAbsent(input.targetFilters) ? {} : input.targetFilters;
    if (!isStructure(filters)) throw e.invalidTargetFilterName(`The target filters must be a map of filter names to lists, not ${shown(filters)}.`);
    for (const [name, values] of Object.entries(filters)) {
      if (name !== 'TargetStatus' && name !== 'ServerInstanceLabel') throw e.invalidTargetFilterName(`The target filter name ${name} is not valid.`);
      if (!isAbsent(values) && (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))) {
        throw e.invalidTargetFilterName(`The target filter ${name} must be a list of strings, not ${shown(values)}.`);
      }
    }
    const wanted = Array.isArray(filters.TargetStatus) ? (filters.TargetStatus as string[]) : [];
    const id = targetIdOf(d);
    return { targetIds: wanted.length === 0 || wanted.includes(targetStatus(d)) ? [id] : [] };
  }

  targets(input: Obj): DeploymentRecord {
    const d = this.get(input.deploymentId);
    const ids = input.targetIds;
    if (!Array.isArray(ids) || ids.length === 0) throw e.deploymentTargetIdRequired();
    if (ids.length > BATCH_LIMIT) throw e.deploymentTargetListSizeExceeded();
    for (const id of ids) if (id !== targetIdOf(d)) throw e.deploymentTargetDoesNotExist(shown(id));
    return d;
  }

  target(input: Obj): DeploymentRecord {
    const d = this.get(input.deploymentId);
    if (isAbsent(input.targetId) || input.targetId === '') throw e.deploymentTargetIdRequired();
    if (input.targetId !== targetIdOf(d)) throw e.deploymentTargetDoesNotExist(shown(input.targetId));
    return d;
  }

  /** "only Succeeded and Failed can be passed successfully" (API reference) */
  putHookStatus(input: Obj): { lifecycleEventHookExecutionId: string } {
    const d = this.get(input.deploymentId);
    const execId = input.lifecycleEventHookExecutionId;
    const status = input.status;
    if (status !== 'Succeeded' && status !== 'Failed') throw e.invalidLifecycleEventHookExecutionStatus(shown(status));
    if (typeof execId !== 'string' || execId === '') throw e.invalidLifecycleEventHookExecutionId(shown(execId));
    const event = d.lifecycleEvents.find((ev) => ev.hookExecutionId === execId);
    if (!event) throw e.invalidLifecycleEventHookExecutionId(execId);
    if (event.hookStatus !== undefined || event.status !== 'InProgress' || !isActive(d)) throw e.lifecycleEventAlreadyCompleted(execId);
    event.hookStatus = status;
    d.lastUpdatedAt = this.clock.now();
    this.state.save();
    this.engine.kick(d.deploymentId);
    return { lifecycleEventHookExecutionId: execId };
  }
}

/** a TimeRange's start or end, a Timestamp: epoch seconds as a number or a numeric string, or ISO-8601 text */
function seconds(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw e.invalidTimeRange();
    return value;
  }
  if (typeof value !== 'string' || value.trim() === '') throw e.invalidTimeRange();
  const n = Number(value);
  if (Number.isFinite(n)) return n;
  const d = Date.parse(value);
  if (Number.isNaN(d)) throw e.invalidTimeRange();
  return d / 1000;
}

/** pages of names or ids; the token is the index of the next item */
export function page(items: string[], token: unknown, size = PAGE_SIZE): { items: string[]; nextToken?: string } {
  let from = 0;
  if (token !== undefined && token !== null && token !== '') {
    if (typeof token !== 'string') throw e.invalidNextToken();
    from = Number(Buffer.from(token, 'base64').toString('utf8'));
    if (!Number.isInteger(from) || from < 0 || from > items.length) throw e.invalidNextToken();
  }
  const slice = items.slice(from, from + size);
  const next = from + size < items.length ? Buffer.from(String(from + size)).toString('base64') : undefined;
  return { items: slice, ...(next ? { nextToken: next } : {}) };
}

/** `<function>:<alias>`, Floci's choice; AWS's form is unverified [inf] (shared/aws §C.2) */
export function targetIdOf(d: DeploymentRecord): string {
  return `${d.target.functionName}:${d.target.alias}`;
}

/** the one target's status: TargetStatus enum (Pending|InProgress|Succeeded|Failed|Skipped|Unknown|Ready) */
export function targetStatus(d: DeploymentRecord): 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' {
  switch (d.status) {
    case 'Created':
    case 'Queued':
      return 'Pending';
    case 'Succeeded':
      return 'Succeeded';
    case 'Failed':
    case 'Stopped':
      return 'Failed';
    default:
      return 'InProgress';
  }
}
