// A CodeDeploy PreTraffic hook: CodeDeploy invokes it before any traffic moves to the new version
// and waits for it to report Succeeded or Failed. A real hook would test the new version first;
// this one reports HOOK_STATUS, so the lab can show both outcomes.
// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';

const codedeploy = new CodeDeployClient({});

export const handler = async (event) => {
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
