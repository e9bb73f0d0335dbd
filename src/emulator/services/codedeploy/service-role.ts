/**
 * What the deployment group's service role lets CodeDeploy invoke. The emulator has no IAM, so it
 * knows one role's policy: the one SAM creates for `DeploymentPreference` (`<stack>-CodeDeployServiceRole-<suffix>`,
 * shared/aws §A.1, §A.3) with the managed policy AWSCodeDeployRoleForLambda, which allows
 * `lambda:InvokeFunction` only on `arn:aws:lambda:*:*:function:CodeDeployHook_*` (shared/aws §B.2).
 * Any other role is taken to allow every hook [inf: its policies are not known here].
 */
const SAM_ROLE = /:role\/(?:[^/]+-)?CodeDeployServiceRole(?:-[A-Za-z0-9]+)?$/;
export const HOOK_PREFIX = 'CodeDeployHook_';

export function roleAllowsHook(serviceRoleArn: string | undefined, hookFunction: string): boolean {
  if (!serviceRoleArn || !SAM_ROLE.test(serviceRoleArn)) return true;
  const name = hookFunction.includes(':function:') ? hookFunction.split(':function:')[1]!.split(':')[0]! : hookFunction.split(':')[0]!;
  return name.startsWith(HOOK_PREFIX);
}

/** [obs] SAM#219, as the deployment's errorInformation.message with code IAM_ROLE_PERMISSIONS */
export function rolePermissionsMessage(serviceRoleArn: string): string {
  return (
    `The IAM role ${serviceRoleArn} does not give you permission to perform operations in the following AWS service: AWSLambda. ` +
    'Contact your AWS administrator if you need help. If you are an AWS administrator, you can grant permissions to your users or groups by creating IAM policies.'
  );
}
