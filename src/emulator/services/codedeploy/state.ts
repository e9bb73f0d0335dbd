import { StateDocument, type StateStore } from '../../core/store.js';
import type { ApplicationRecord, DeploymentConfigRecord, DeploymentGroupRecord, DeploymentRecord } from './model.js';

const STATE_KEY = 'codedeploy';

interface CodeDeployDocument {
  format: 1;
  applications: ApplicationRecord[];
  deploymentGroups: DeploymentGroupRecord[];
  /** custom configs only; the predefined ones are built on every start */
  deploymentConfigs: DeploymentConfigRecord[];
  /** in creation order */
  deployments: DeploymentRecord[];
}

/** the records in memory: Maps, looked up by user-given names and ids */
interface Records {
  applications: Map<string, ApplicationRecord>;
  /** application name → group name → group */
  groups: Map<string, Map<string, DeploymentGroupRecord>>;
  configs: Map<string, DeploymentConfigRecord>;
  deployments: Map<string, DeploymentRecord>;
}

function load(saved: unknown): Records {
  const r: Records = { applications: new Map(), groups: new Map(), configs: new Map(), deployments: new Map() };
  const doc = saved as CodeDeployDocument | undefined;
  if (doc?.format !== 1) return r;
  for (const a of doc.applications) r.applications.set(a.applicationName, a);
  for (const g of doc.deploymentGroups) {
    let groups = r.groups.get(g.applicationName);
    if (!groups) r.groups.set(g.applicationName, (groups = new Map()));
    groups.set(g.deploymentGroupName, g);
  }
  for (const c of doc.deploymentConfigs) r.configs.set(c.deploymentConfigName, c);
  for (const d of doc.deployments) r.deployments.set(d.deploymentId, d);
  return r;
}

function save(r: Records): CodeDeployDocument {
  return {
    format: 1,
    applications: [...r.applications.values()],
    deploymentGroups: [...r.groups.values()].flatMap((m) => [...m.values()]),
    deploymentConfigs: [...r.configs.values()],
    deployments: [...r.deployments.values()],
  };
}

/**
 * CodeDeploy's records, written as one document atomically after every change. save() before
 * anything outside is touched (the alias, a hook); when the change cannot be stored, every record
 * is back as last stored and StateWriteError is thrown (core/store.ts StateDocument), so callers
 * look records up again rather than keep them across a save.
 */
export class CodeDeployState {
  private readonly document: StateDocument<Records>;

  constructor(store: StateStore) {
    this.document = new StateDocument<Records>(store, STATE_KEY, { load, save });
  }

  get applications(): Map<string, ApplicationRecord> {
    return this.document.value.applications;
  }
  get groups(): Map<string, Map<string, DeploymentGroupRecord>> {
    return this.document.value.groups;
  }
  get configs(): Map<string, DeploymentConfigRecord> {
    return this.document.value.configs;
  }
  get deployments(): Map<string, DeploymentRecord> {
    return this.document.value.deployments;
  }

  groupsOf(applicationName: string): Map<string, DeploymentGroupRecord> {
    let groups = this.groups.get(applicationName);
    if (!groups) this.groups.set(applicationName, (groups = new Map()));
    return groups;
  }

  save(): void {
    this.document.commit();
  }
}
