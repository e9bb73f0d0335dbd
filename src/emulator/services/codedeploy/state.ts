import type { StateStore } from '../../core/store.js';
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

/**
 * CodeDeploy's records, looked up by user-given names and ids through Maps, and written as one
 * document atomically after every change (save() before anything outside is touched).
 */
export class CodeDeployState {
  readonly applications = new Map<string, ApplicationRecord>();
  /** application name → group name → group */
  readonly groups = new Map<string, Map<string, DeploymentGroupRecord>>();
  readonly configs = new Map<string, DeploymentConfigRecord>();
  readonly deployments = new Map<string, DeploymentRecord>();

  constructor(private readonly store: StateStore) {
    const doc = store.read<CodeDeployDocument>(STATE_KEY);
    if (doc?.format !== 1) return;
    for (const a of doc.applications) this.applications.set(a.applicationName, a);
    for (const g of doc.deploymentGroups) this.groupsOf(g.applicationName).set(g.deploymentGroupName, g);
    for (const c of doc.deploymentConfigs) this.configs.set(c.deploymentConfigName, c);
    for (const d of doc.deployments) this.deployments.set(d.deploymentId, d);
  }

  groupsOf(applicationName: string): Map<string, DeploymentGroupRecord> {
    let groups = this.groups.get(applicationName);
    if (!groups) this.groups.set(applicationName, (groups = new Map()));
    return groups;
  }

  save(): void {
    const doc: CodeDeployDocument = {
      format: 1,
      applications: [...this.applications.values()],
      deploymentGroups: [...this.groups.values()].flatMap((m) => [...m.values()]),
      deploymentConfigs: [...this.configs.values()],
      deployments: [...this.deployments.values()],
    };
    this.store.write(STATE_KEY, doc);
  }
}
