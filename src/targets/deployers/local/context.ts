/**
 * What every provisioner gets: the clients, the one resolver, stable physical names, the report of
 * changes, the record being built, and `step`, the only way to make a cloud call (it checks
 * Ctrl-C first, and names the step in a failure).
 */
import type { SamTemplate, StackResource, TemplateValue } from '../../../template/index.js';
import type { TargetClients } from '../../clients.js';
import type { DeployRecord, FunctionRecord, ApiRecord } from '../../deploy-record.js';
import type { CodePackage } from '../../zip.js';
import type { AliasDeployment, ChangeKind, DeployLog, ResourceChange } from '../types.js';
import type { AliasShifter } from './alias.js';
import type { NameBook } from './names.js';
import type { Provisioned, StackResolver } from './resolver.js';

/** a deployment the local deployer started (or joined), with the group it belongs to */
export interface StartedDeployment extends AliasDeployment {
  applicationName: string;
  deploymentGroupName: string;
}

/** Work done after every resource applied: moving aliases, so a failure keeps them on the last good version. */
export interface DeferredMove {
  /** e.g. `moving alias fn:live to version 2`: the step's name */
  what: string;
  /** e.g. `fn:live still on version 1`: what a failure before it leaves */
  kept: string;
  run(): Promise<void>;
}

export interface ProvisionContext {
  template: SamTemplate;
  stackName: string;
  clients: TargetClients;
  resolver: StackResolver;
  names: NameBook;
  log: DeployLog;
  warn(line: string): void;
  previous: DeployRecord | undefined;
  packages: Map<string, CodePackage>;
  step<T>(what: string, fn: () => Promise<T>): Promise<T>;
  report: ChangeReport;
  record: RecordBuilder;
  defer(move: DeferredMove): void;
  /** tests replace how an alias moves */
  shifter?: (fn: { logicalId: string; deploymentPreference?: unknown }) => AliasShifter;
  deployments: StartedDeployment[];
  /**
   * what this deploy re-created from the record before applying (restore.ts): function names, and
   * `name:alias` for aliases; their rows say created
   */
  restored: ReadonlySet<string>;
}

/** A resource the last deploy recorded and the template no longer has. */
export interface RemovedResource {
  logicalId: string;
  type: string;
  physicalId: string;
  within?: string;
}

export interface Provisioner {
  /** the CloudFormation type it provisions */
  type: string;
  apply(r: StackResource, ctx: ProvisionContext): Promise<Provisioned>;
  /**
   * Deletes what `apply` made, through the cloud's API (its calls in `ctx.step`), "already gone"
   * taken as done, as CloudFormation does. `kept`: the cloud refused and the resource stays,
   * outside the stack, with why.
   */
  remove(r: RemovedResource, ctx: ProvisionContext): Promise<void | { kept: string }>;
}

/** The logical id a `{Ref: X}` names, if the value is one. */
export function refTarget(v: TemplateValue | undefined): string | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.Ref === 'string' ? v.Ref : undefined;
}

const RANK: Record<ChangeKind, number> = { skipped: 0, unchanged: 1, retained: 1, updated: 2, created: 3, deleted: 3 };

/**
 * One row per resource, in the order they were applied. A resource CloudFormation keeps apart but
 * a learner reads as one (a function and its published version, a REST API and its stage) adds to
 * the row of the other: the bigger change wins, details keep their slots' order.
 */
export class ChangeReport {
  readonly #rows = new Map<string, { row: ResourceChange; parts: [number, string][] }>();

  add(row: ResourceChange, parts: [number, string][] = []): void {
    this.#rows.set(row.logicalId, { row, parts: [...parts, ...(row.detail ? [[0, row.detail] as [number, string]] : [])] });
  }

  /** adds to `logicalId`'s row (a new row when there is none yet) */
  amend(logicalId: string, change: ChangeKind | undefined, parts: [number, string][], fallback: Omit<ResourceChange, 'change'>): void {
    const e = this.#rows.get(logicalId);
    if (!e) {
      this.add({ ...fallback, change: change ?? 'unchanged' }, parts);
      return;
    }
    if (change && RANK[change] > RANK[e.row.change]) e.row.change = change;
    e.parts.push(...parts);
  }

  rows(): ResourceChange[] {
    return [...this.#rows.values()].map(({ row, parts }) => {
      const detail = parts.filter(([, t]) => t).sort((a, b) => a[0] - b[0]).map(([, t]) => t).join('; ');
      const { detail: _ignored, ...rest } = row;
      return detail ? { ...rest, detail } : rest;
    });
  }
}

/** The deploy record's pieces, filled in as resources are applied. */
export class RecordBuilder {
  readonly functions = new Map<string, FunctionRecord>();
  readonly apis = new Map<string, ApiRecord>();
  codeDeploy: { applicationName?: string; deploymentGroups: Record<string, string> } = { deploymentGroups: {} };
  readonly alarms: string[] = [];

  fn(logicalId: string): FunctionRecord {
    const f = this.functions.get(logicalId);
    if (!f) throw new Error(`no record of function ${logicalId}`);
    return f;
  }
}

export type { Provisioned };
