/**
 * The registry: one provisioner per CloudFormation type. Adding a type is adding a provisioner
 * here, not editing the deploy procedure (STYLE.md 12b).
 */
import type { Provisioner } from '../context.js';
import { apiStage } from './api-stage.js';
import { s3Bucket } from './bucket.js';
import { cloudWatchAlarm } from './cloudwatch-alarm.js';
import { codeDeployApplication, codeDeployDeploymentGroup } from './codedeploy.js';
import { iamRole } from './iam-role.js';
import { lambdaAlias } from './lambda-alias.js';
import { lambdaFunction } from './lambda-function.js';
import { lambdaPermission } from './lambda-permission.js';
import { lambdaVersion } from './lambda-version.js';
import { restApi } from './rest-api.js';

export const PROVISIONERS: ReadonlyMap<string, Provisioner> = new Map(
  [iamRole, s3Bucket, restApi, apiStage, lambdaFunction, lambdaVersion, lambdaAlias, lambdaPermission, cloudWatchAlarm, codeDeployApplication, codeDeployDeploymentGroup].map((p) => [p.type, p]),
);
