import { ServiceError } from '../../core/service-error.js';

/**
 * CodeDeploy's errors: 400 with `{"__type": "<ShapeName>", "message": "…"}` (wire-protocols §3.3;
 * the shapes carry no status of their own). Shape names from the API model. Texts seen from the
 * real service are marked [obs]; the others are written from the model's own description of the
 * error [inf] and can be changed here alone.
 */
const err = (code: string, message: string) => new ServiceError(code, message, 400);

export const applicationNameRequired = () => err('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.');
export const invalidApplicationName = (name: string) => err('InvalidApplicationNameException', `The application name ${name} was specified in an invalid format.`);
/** [obs] many peer captures of the real text */
export const applicationDoesNotExist = (name: string) => err('ApplicationDoesNotExistException', `No application found for name: ${name}`);
export const applicationAlreadyExists = (name: string) => err('ApplicationAlreadyExistsException', `The application ${name} already exists with the IAM user or AWS account.`);
export const invalidComputePlatform = (value: string) =>
  err('InvalidComputePlatformException', `Value '${value}' at 'computePlatform' failed to satisfy constraint: Member must satisfy enum value set: [Server, Lambda, ECS]`);

export const deploymentGroupNameRequired = () => err('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
export const invalidDeploymentGroupName = (name: string) => err('InvalidDeploymentGroupNameException', `The deployment group name ${name} was specified in an invalid format.`);
/** [obs] the real text, as peers' test doubles and CLI users quote it */
export const deploymentGroupDoesNotExist = (name: string) => err('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${name}`);
export const deploymentGroupAlreadyExists = (name: string) => err('DeploymentGroupAlreadyExistsException', `A deployment group with the name ${name} already exists for the application.`);
export const roleRequired = () => err('RoleRequiredException', 'The role ID was not specified.');
export const invalidRole = (arn: string) => err('InvalidRoleException', `The service role ARN ${arn} was specified in an invalid format.`);
export const invalidAlarmConfig = (message: string) => err('InvalidAlarmConfigException', message);
export const invalidAutoRollbackConfig = (message: string) => err('InvalidAutoRollbackConfigException', message);
export const invalidDeploymentStyle = (message: string) => err('InvalidDeploymentStyleException', message);
/** the model's text: "The trigger was specified in an invalid format." [inf], then what is wrong */
export const invalidTriggerConfig = (message: string) => err('InvalidTriggerConfigException', `The trigger was specified in an invalid format. ${message}`);
export const triggerTargetsLimitExceeded = (max: number) => err('TriggerTargetsLimitExceededException', `The maximum allowed number of triggers (${max}) was exceeded.`);
/** the model's text: "The tag was specified in an invalid format." [inf], then what is wrong */
export const invalidTag = (message: string) => err('InvalidTagException', `The tag was specified in an invalid format. ${message}`);

export const deploymentConfigNameRequired = () => err('DeploymentConfigNameRequiredException', 'The deployment configuration name was not specified.');
export const invalidDeploymentConfigName = (message: string) => err('InvalidDeploymentConfigNameException', message);
export const deploymentConfigDoesNotExist = (name: string) => err('DeploymentConfigDoesNotExistException', `No deployment configuration found for name: ${name}`);
export const deploymentConfigAlreadyExists = (name: string) => err('DeploymentConfigAlreadyExistsException', `A deployment configuration with the name ${name} already exists.`);
export const deploymentConfigInUse = (name: string) => err('DeploymentConfigInUseException', `The deployment configuration ${name} is still in use.`);
export const invalidTrafficRoutingConfiguration = (message: string) => err('InvalidTrafficRoutingConfigurationException', message);

export const deploymentIdRequired = () => err('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
export const invalidDeploymentId = (id: string) => err('InvalidDeploymentIdException', `The deployment ID ${id} was specified in an invalid format.`);
/** the text our captures of the CLI print (wire-protocols §3.3) */
export const deploymentDoesNotExist = (id: string) => err('DeploymentDoesNotExistException', `The deployment ${id} could not be found`);
export const deploymentAlreadyCompleted = (id: string) => err('DeploymentAlreadyCompletedException', `The deployment ${id} has already completed.`);
/** [obs] the text EC2/Lambda users quote when a group already has a deployment running */
export const deploymentLimitExceeded = (group: string, active: string) =>
  err('DeploymentLimitExceededException', `The Deployment Group '${group}' already has an active Deployment '${active}'`);
export const revisionRequired = () => err('RevisionRequiredException', 'The revision ID was not specified.');
export const invalidRevision = (message: string) => err('InvalidRevisionException', message);
export const descriptionTooLong = () => err('DescriptionTooLongException', 'The description is too long.');
export const batchLimitExceeded = () => err('BatchLimitExceededException', 'The maximum number of names or IDs allowed for this request (100) was exceeded.');
export const invalidNextToken = () => err('InvalidNextTokenException', 'The next token was specified in an invalid format.');
export const invalidDeploymentStatus = (value: string) => err('InvalidDeploymentStatusException', `The specified deployment status ${value} does not exist or is not valid.`);
export const invalidTimeRange = () => err('InvalidTimeRangeException', 'The specified time range was specified in an invalid format.');

export const deploymentTargetIdRequired = () => err('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.');
export const deploymentTargetDoesNotExist = (id: string) => err('DeploymentTargetDoesNotExistException', `The provided target ID ${id} does not belong to the deployment.`);
export const deploymentTargetListSizeExceeded = () =>
  err('DeploymentTargetListSizeExceededException', 'The maximum number of targets that can be associated with an Amazon ECS or Lambda deployment was exceeded. The target list of both types of deployments must have exactly one item.');
/** ListDeploymentTargets: "The target filter name is invalid." (API reference) [inf for the detail after it] */
export const invalidTargetFilterName = (detail: string) => err('InvalidTargetFilterNameException', `The target filter name is invalid. ${detail}`);

export const invalidLifecycleEventHookExecutionId = (id: string) =>
  err('InvalidLifecycleEventHookExecutionIdException', `A lifecycle event hook with execution ID ${id} is invalid or not found for the deployment.`);
export const invalidLifecycleEventHookExecutionStatus = (status: string) =>
  err('InvalidLifecycleEventHookExecutionStatusException', `The result of a Lambda validation function that verifies a lifecycle event is invalid: ${status}. It should return Succeeded or Failed.`);
export const lifecycleEventAlreadyCompleted = (id: string) =>
  err('LifecycleEventAlreadyCompletedException', `The lifecycle event with execution ID ${id} has already completed.`);
export const unsupportedActionForDeploymentType = (message: string) => err('UnsupportedActionForDeploymentTypeException', message);
export const invalidInput = (code: string, message: string) => err(code, message);
