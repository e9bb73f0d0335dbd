/**
 * SAM's `DeploymentPreference`, expanded into the CloudFormation resources SAM's translator
 * generates (codedeploy-cloudwatch-sam.md §A; samtranslator/model/preferences/
 * deployment_preference_collection.py): one `ServerlessDeploymentApplication` per stack, the
 * `CodeDeployServiceRole` unless every enabled preference brings its own Role, one
 * `<Function>DeploymentGroup` per enabled function, and the `CodeDeployLambdaAliasUpdate` update
 * policy on the function's alias. Pure: template specs in, resources out.
 */
import type { SamFunction, StackResource, TemplateValue } from './types.js';

type Obj = { [k: string]: TemplateValue };

export const CODEDEPLOY_APPLICATION_ID = 'ServerlessDeploymentApplication';
export const CODEDEPLOY_SERVICE_ROLE_ID = 'CodeDeployServiceRole';

/** The predefined configurations SAM turns into `CodeDeployDefault.Lambda<Type>`; anything else passes through. */
export const PREDEFINED_DEPLOYMENT_TYPES = new Set([
  'Canary10Percent30Minutes', 'Canary10Percent5Minutes', 'Canary10Percent10Minutes', 'Canary10Percent15Minutes',
  'Linear10PercentEvery10Minutes', 'Linear10PercentEvery1Minute', 'Linear10PercentEvery2Minutes', 'Linear10PercentEvery3Minutes',
  'AllAtOnce',
]);

const enabled = (f: SamFunction) => f.deploymentPreference?.enabled === true && f.autoPublishAlias !== undefined;

/** The CodeDeploy resources of a template's functions (none when no preference is enabled). */
export function deploymentPreferenceResources(functions: SamFunction[], partition = 'aws'): StackResource[] {
  const withPref = functions.filter(enabled);
  if (withPref.length === 0) return [];
  const out: StackResource[] = [
    {
      logicalId: CODEDEPLOY_APPLICATION_ID,
      type: 'AWS::CodeDeploy::Application',
      properties: { ComputePlatform: 'Lambda' },
      dependsOn: [],
      position: withPref[0].position,
    },
  ];
  // can_skip_service_role(): every enabled preference names its own Role
  if (!withPref.every((f) => f.deploymentPreference!.other.Role !== undefined)) {
    // In aws-iso / aws-iso-b SAM uses AWSCodeDeployRoleForLambdaLimited.
    const policy = partition === 'aws-iso' || partition === 'aws-iso-b' ? 'AWSCodeDeployRoleForLambdaLimited' : 'AWSCodeDeployRoleForLambda';
    out.push({
      logicalId: CODEDEPLOY_SERVICE_ROLE_ID,
      type: 'AWS::IAM::Role',
      properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['codedeploy.amazonaws.com'] } }],
        },
        ManagedPolicyArns: [`arn:${partition}:iam::aws:policy/service-role/${policy}`],
      },
      dependsOn: [],
      position: withPref[0].position,
    });
  }
  for (const f of withPref) out.push(deploymentGroup(f));
  return out;
}

export function deploymentGroupLogicalId(f: SamFunction): string {
  return `${f.logicalId}DeploymentGroup`;
}

function deploymentGroup(f: SamFunction): StackResource {
  const pref = f.deploymentPreference!;
  const props: Obj = {
    ApplicationName: { Ref: CODEDEPLOY_APPLICATION_ID },
    AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'] },
    DeploymentConfigName: PREDEFINED_DEPLOYMENT_TYPES.has(pref.type)
      ? { 'Fn::Sub': ['CodeDeployDefault.Lambda${ConfigName}', { ConfigName: pref.type }] }
      : pref.type,
    DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
    ServiceRoleArn: pref.other.Role ?? { 'Fn::GetAtt': [CODEDEPLOY_SERVICE_ROLE_ID, 'Arn'] },
  };
  // Current SAM omits AlarmConfiguration when there are no alarms (older SAM wrote Enabled: false).
  if (pref.alarms.length) props.AlarmConfiguration = { Enabled: true, Alarms: pref.alarms.map((a) => ({ Name: a })) };
  if (pref.other.TriggerConfigurations !== undefined) props.TriggerConfigurations = pref.other.TriggerConfigurations;
  return { logicalId: deploymentGroupLogicalId(f), type: 'AWS::CodeDeploy::DeploymentGroup', properties: props, dependsOn: [], position: f.position };
}

/** `UpdatePolicy` of the function's alias: CloudFormation then deploys a new version through CodeDeploy. */
export function aliasUpdatePolicy(f: SamFunction): Obj | undefined {
  if (!enabled(f)) return undefined;
  const policy: Obj = {
    ApplicationName: { Ref: CODEDEPLOY_APPLICATION_ID },
    DeploymentGroupName: { Ref: deploymentGroupLogicalId(f) },
  };
  // update_policy.py to_dict() drops the keys whose value is None
  const { preTraffic, postTraffic } = f.deploymentPreference!.hooks;
  if (preTraffic !== undefined) policy.BeforeAllowTrafficHook = preTraffic;
  if (postTraffic !== undefined) policy.AfterAllowTrafficHook = postTraffic;
  return { CodeDeployLambdaAliasUpdate: policy };
}
