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
 * - CreateDeployment with canarySettings on a stage that has a canary replaces it: the new
 *   deployment, and the percentTraffic and overrides given (test_create_canary_deployment: a 40 %
 *   canary on deployment 1 becomes 50 % on deployment 2; test_update_stage_with_copy_ops: a 0 %
 *   canary becomes 50 % with the overrides given). The stage keeps its deploymentId ("Create a
 *   canary release deployment", developer guide: "The newer deploymentId value is set on the
 *   canarySettings … while the initial deploymentId remains associated with the stage").
 * - CreateDeployment without canarySettings to a stage that has a canary is refused (the guide:
 *   "In any subsequent API deployments to the same stage, you must always specify canarySettings
 *   as an input, until the canary is disabled on that stage"; AWS's words, as a CloudFormation
 *   deploy met them in serverless/serverless#11518): "Invalid deployment content specified.Non
 *   canary deployment not supported on stage {name} because Canary is enabled. Provide
 *   CanarySettings in deploymentInput." (the full stop is AWS's; the SDK's " (Service: ApiGateway,
 *   Status Code: 400, …)" follows it). Nothing is created.
 * - A deployment without a stage is not refused, and UpdateStage `replace /deploymentId` moves a
 *   stage that has a canary onto it, the canary left as it is: Terraform's aws_api_gateway_stage
 *   sends that replace to a stage with canary_settings (resourceStageUpdate,
 *   internal/service/apigateway/stage.go, run against AWS by its acceptance tests); no recorded AWS
 *   answer refuses it.
 * - CreateStage (and UpdateStage) naming a canary deployment that does not exist: BadRequest
 *   "Deployment id does not exist".
 */
import { copyTable, hasOwnKey } from '../../core/own-key.js';
import { badRequest } from './errors.js';
import type { CanarySettingsRecord, RestApiRecord, StageRecord } from './model.js';

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

/** Refuses a deployment without canarySettings to a stage whose canary is enabled. */
export function checkNonCanaryDeploymentStage(stage: StageRecord | undefined): void {
  if (stage?.canarySettings) {
    throw badRequest(
      `Invalid deployment content specified.Non canary deployment not supported on stage ${stage.stageName} because Canary is enabled. Provide CanarySettings in deploymentInput.`,
    );
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
