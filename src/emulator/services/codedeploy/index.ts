import type { ServiceDefinition } from '../../core/service.js';
import { CodeDeployBackend, type CodeDeployDeps } from './backend.js';
import { codeDeployOperations } from './routes.js';

export { CodeDeployBackend, type CodeDeployDeps } from './backend.js';
export type { AlarmReader, AlarmState, AliasRouter, AliasRouting, HookInvoker } from './dependencies.js';

export interface CodeDeployService {
  definition: ServiceDefinition;
  backend: CodeDeployBackend;
  /** stop the engine's timers */
  close(): void;
}

/** Builds CodeDeploy; deployments in flight at the last stop are rolled back here (engine.resume). */
export function createCodeDeployService(deps: CodeDeployDeps): CodeDeployService {
  const backend = new CodeDeployBackend(deps);
  return {
    definition: {
      id: 'codedeploy',
      signingName: 'codedeploy',
      protocols: ['awsJson1_1'],
      targetPrefix: 'CodeDeploy_20141006',
      operations: codeDeployOperations(backend),
    },
    backend,
    close: () => backend.close(),
  };
}
