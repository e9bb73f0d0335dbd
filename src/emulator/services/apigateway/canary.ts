/**
 * Stage canaries ("Set up an API Gateway canary release deployment", API Gateway developer guide):
 * a stage's `canarySettings` send `percentTraffic` percent of its requests to another deployment,
 * which sees the stage variables with `stageVariableOverrides` merged over them.
 *
 * What AWS answers (LocalStack's AWS-validated snapshots, test_apigateway_canary):
 * - CreateDeployment with canarySettings needs a stage that already exists; the stage keeps its
 *   deploymentId and the canary gets the new deployment. Without a stage name: "Invalid deployment
 *   content specified.Non null and non empty stageName must be provided for canary deployment.
 *   Provided value is null" (or "… is " for ""); a stage that does not exist: "Invalid deployment
 *   content specified.Stage {name} must already be created before making a canary release
 *   deployment". Nothing is created when it refuses.
 * - CreateStage (and UpdateStage) naming a canary deployment that does not exist: BadRequest
 *   "Deployment id does not exist".
 */
import { copyTable, hasOwnKey } from '../../core/own-key.js';
import { badRequest } from './errors.js';
import type { CanarySettingsRecord, RestApiRecord } from './model.js';

export interface CanarySettingsInput {
  percentTraffic?: number;
  deploymentId?: string;
  stageVariableOverrides?: Record<string, string>;
  useStageCache?: boolean;
}

export const canaryDeploymentMissing = () => badRequest('Deployment id does not exist');

/** Refuses a canary deployment whose stage is not given or does not exist yet. */
export function checkCanaryDeploymentStage(api: RestApiRecord, stageName: string | undefined): void {
  if (stageName === undefined || stageName === '') {
    throw badRequest(
      `Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is ${stageName ?? 'null'}`,
    );
  }
  if (!hasOwnKey(api.stages, stageName)) {
    throw badRequest(`Invalid deployment content specified.Stage ${stageName} must already be created before making a canary release deployment`);
  }
}

export function checkPercentTraffic(pct: unknown): number {
  if (typeof pct !== 'number' || !(pct >= 0 && pct <= 100)) {
    throw badRequest('Canary percentTraffic must be a number between 0.0 and 100.0');
  }
  return pct;
}

/** The canary record for `input`; `deploymentId` is the canary's deployment (checked by the caller). */
export function canaryFrom(input: CanarySettingsInput, deploymentId: string): CanarySettingsRecord {
  return {
    percentTraffic: checkPercentTraffic(input.percentTraffic ?? 0),
    deploymentId,
    stageVariableOverrides: copyTable(input.stageVariableOverrides),
    useStageCache: input.useStageCache ?? false,
  };
}
