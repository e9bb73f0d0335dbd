// A PreTraffic hook: a real one tests the new
// version first; this one reports HOOK_STATUS.
// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html
import {
  CodeDeployClient,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';

const codedeploy = new CodeDeployClient({});

export const handler = async (event) => {
  const status =
    process.env.HOOK_STATUS === 'Succeeded' ? 'Succeeded' : 'Failed';
  await codedeploy.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: event.DeploymentId,
      lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
      status,
    }),
  );
  return status;
};
