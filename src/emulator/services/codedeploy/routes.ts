import type { Operation } from '../../core/service.js';
import type { CodeDeployBackend } from './backend.js';
import { codeDeployHandlers } from './handlers.js';

/** awsJson1_1 operations (`X-Amz-Target: CodeDeploy_20141006.<Op>`): names only, no HTTP bindings. */
export function codeDeployOperations(backend: CodeDeployBackend): Operation[] {
  const handlers = codeDeployHandlers(backend);
  return Object.entries(handlers).map(([name, handle]) => ({ name, handle: handle as Operation['handle'] }));
}
