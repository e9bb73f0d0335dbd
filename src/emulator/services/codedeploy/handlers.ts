/**
 * Wire input → backend call → plain output, one handler per operation of `CodeDeploy_20141006`.
 * Member names are the model's (camelCase).
 */
import type { CodeDeployBackend } from './backend.js';
import { page } from './deployments.js';
import * as e from './errors.js';
import { isAbsent } from './input.js';
import { applicationInfo, deploymentConfigInfo, deploymentGroupInfo, deploymentInfo, deploymentTarget } from './views.js';

type In = Record<string, unknown>;

export function codeDeployHandlers(b: CodeDeployBackend) {
  const { registry, deployments } = b;
  return {
    CreateApplication: (i: In) => registry.createApplication(i),
    GetApplication: (i: In) => ({ application: applicationInfo(registry.application(i.applicationName)) }),
    BatchGetApplications(i: In) {
      if (!isAbsent(i.applicationNames) && !Array.isArray(i.applicationNames)) throw e.applicationNameRequired();
      const names = Array.isArray(i.applicationNames) ? i.applicationNames : [];
      if (names.length > 100) throw e.batchLimitExceeded();
      return { applicationsInfo: names.map((n) => applicationInfo(registry.application(n))) };
    },
    ListApplications(i: In) {
      const p = page(registry.listApplications(), i.nextToken);
      return { applications: p.items, nextToken: p.nextToken };
    },
    DeleteApplication(i: In) {
      registry.deleteApplication(i.applicationName);
      return {};
    },

    CreateDeploymentGroup: (i: In) => registry.createDeploymentGroup(i),
    GetDeploymentGroup(i: In) {
      const { app, group } = registry.group(i.applicationName, i.deploymentGroupName);
      return { deploymentGroupInfo: deploymentGroupInfo(group, app.computePlatform) };
    },
    UpdateDeploymentGroup(i: In) {
      registry.updateDeploymentGroup(i);
      return { hooksNotCleanedUp: [] };
    },
    ListDeploymentGroups(i: In) {
      const { applicationName, names } = registry.listDeploymentGroups(i.applicationName);
      const p = page(names, i.nextToken);
      return { applicationName, deploymentGroups: p.items, nextToken: p.nextToken };
    },
    DeleteDeploymentGroup(i: In) {
      registry.deleteDeploymentGroup(i.applicationName, i.deploymentGroupName);
      return { hooksNotCleanedUp: [] };
    },

    GetDeploymentConfig: (i: In) => ({ deploymentConfigInfo: deploymentConfigInfo(registry.config(i.deploymentConfigName)) }),
    ListDeploymentConfigs(i: In) {
      const p = page(registry.listDeploymentConfigs(), i.nextToken);
      return { deploymentConfigsList: p.items, nextToken: p.nextToken };
    },
    CreateDeploymentConfig: (i: In) => registry.createDeploymentConfig(i),
    DeleteDeploymentConfig(i: In) {
      registry.deleteDeploymentConfig(i.deploymentConfigName);
      return {};
    },

    CreateDeployment: (i: In) => deployments.create(i),
    GetDeployment: (i: In) => ({ deploymentInfo: deploymentInfo(deployments.get(i.deploymentId)) }),
    BatchGetDeployments: (i: In) => ({ deploymentsInfo: deployments.batchGet(i.deploymentIds).map(deploymentInfo) }),
    ListDeployments: (i: In) => deployments.list(i),
    StopDeployment: (i: In) => deployments.stop(i),
    ListDeploymentTargets: (i: In) => deployments.targetIds(i),
    BatchGetDeploymentTargets: (i: In) => ({ deploymentTargets: [deploymentTarget(deployments.targets(i), b.region, b.accountId)] }),
    GetDeploymentTarget: (i: In) => ({ deploymentId: deployments.target(i).deploymentId, deploymentTarget: deploymentTarget(deployments.target(i), b.region, b.accountId) }),
    PutLifecycleEventHookExecutionStatus: (i: In) => deployments.putHookStatus(i),
  };
}

export type CodeDeployOperationName = keyof ReturnType<typeof codeDeployHandlers>;
