/**
 * The canary's new version: the app's next code published as a new Lambda version, without moving
 * the `live` alias (that is the difference from the blue/green step: Lambda's routing does not
 * change; API Gateway chooses per request). UpdateFunctionCode changes $LATEST only; PublishVersion
 * then snapshots it (it publishes nothing new when code and configuration are unchanged, and
 * answers the latest version instead, so running this twice gives the same version).
 * https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { zipCodeDir } from '../../targets/zip.js';
import { lambdaCommands } from '../../targets/clients.js';

const { GetFunctionConfigurationCommand, PublishVersionCommand, UpdateFunctionCodeCommand } = lambdaCommands;

/** How the Description of the canary's version ends (the deployer's publishIfChanged and blue-green.ts leave that version out) */
export { CANARY_DESCRIPTION_TAIL } from '../../targets/deployers/local/function.js';

/** Waits until an update of $LATEST has finished (Lambda answers LastUpdateStatus InProgress first). */
async function updated(lambda: LambdaClient, functionName: string, signal?: AbortSignal, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }), { abortSignal: signal });
    if (c.LastUpdateStatus === 'Failed') throw new Error(`function ${functionName} failed to update: ${c.LastUpdateStatusReason ?? 'no reason given'}`);
    if (c.LastUpdateStatus !== 'InProgress' && c.State !== 'Pending') return;
    if (Date.now() > until) throw new Error(`function ${functionName} was still updating after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Uploads `codeDir` as the function's code and publishes it; the new version number. */
export async function publishCodeAsVersion(lambda: LambdaClient, functionName: string, codeDir: string, description: string, signal?: AbortSignal): Promise<string> {
  const pkg = await zipCodeDir(codeDir);
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: pkg.zip }), { abortSignal: signal });
  await updated(lambda, functionName, signal);
  const v = await lambda.send(new PublishVersionCommand({ FunctionName: functionName, CodeSha256: pkg.sha256, Description: description }), { abortSignal: signal });
  return v.Version!;
}
