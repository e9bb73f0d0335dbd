// A CodeDeploy PreTraffic hook: CodeDeploy invokes it (asynchronously) with the deployment id and
// an execution id before any traffic moves to the new version, and waits until it reports
// Succeeded or Failed through PutLifecycleEventHookExecutionStatus. A hook that never reports
// holds the deployment until CodeDeploy gives up on it.
// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';

const codedeploy = new CodeDeployClient({});

export const handler = async (event) => {
  // A real hook would call the new version here and judge its answer. This one reports what
  // HOOK_STATUS says, so the lab can show both outcomes.
  const status = process.env.HOOK_STATUS === 'Succeeded' ? 'Succeeded' : 'Failed';
  await codedeploy.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: event.DeploymentId,
      lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
      status,
    }),
  );
  return status;
};
