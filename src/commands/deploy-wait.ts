/**
 * `deploy --wait`: follows the CodeDeploy deployments a deploy started, as `sam deploy` waits on
 * CloudFormation: a progress line on a terminal (weights as they shift), and at the end either the
 * deployment's success or CloudFormation's failure reason `<id> failed. <message>` with the stack
 * rolled back (exit 1). Ctrl-C stops following at once and says how to look again; the deployment
 * goes on in the cloud (exit 130). The local cloud going away while it follows (killed, crashed,
 * `emulator stop`) is the environment's (exit 3): said with what becomes of the deployment and how
 * to go on.
 */
import { join } from 'node:path';
import { CloudStoppedError, connectionLost, InterruptedError, LabError } from '../errors.js';
import { LOG_FILE } from '../emulator/config.js';
import type { InterruptPolicy } from '../interrupt.js';
import { createIoHost } from '../io/index.js';
import { cliCommand, hintCommand } from '../invocation.js';
import { labCommand } from '../lab/outside.js';
import type { Workspace } from '../lab/workspace.js';
import { awsCommand } from '../targets/aws-command.js';
import { TargetClients } from '../targets/clients.js';
import { recordRollback } from '../targets/deploy-record.js';
import type { DeployResult } from '../targets/deployers/types.js';
import { failureReason, followDeployment, type DeploymentProgress, type FollowResult } from '../targets/deployment-watch.js';

/**
 * The spinner's line, within 80 columns: the status and the alias's routing in status's words
 * (`live: Lambda version 2 70%, Lambda version 3 30%`); the new version's share is its weight there.
 * It said the share twice (`(30% on version 3) — live: version 2 70%, version 3 30%`), and with
 * each version named as Lambda's it passed 80 columns, where a spinner's line that wraps is drawn
 * again below itself.
 */
export function progressText(p: DeploymentProgress, alias: string): string {
  const extra = Object.entries(p.weights);
  const routing =
    extra.length === 0
      ? `${alias} on Lambda version ${p.aliasVersion}`
      : `${alias}: Lambda version ${p.aliasVersion} ${pct(1 - extra.reduce((n, [, w]) => n + w, 0))}, ${extra.map(([v, w]) => `Lambda version ${v} ${pct(w)}`).join(', ')}`;
  return `${p.deploymentId} ${p.status} — ${routing}`;
}

function pct(w: number): string {
  return `${Math.round(w * 1000) / 10}%`;
}

export async function waitForDeployments(ws: Workspace, result: DeployResult, interrupt: InterruptPolicy): Promise<void> {
  const host = await createIoHost({ ci: !(process.stderr.isTTY && process.stdin.isTTY), stdout: process.stderr, onCtrlC: interrupt.press, signal: interrupt.signal });
  const clients = new TargetClients({ kind: 'local', endpoint: result.endpoint!, stateDir: ws.stateDir });
  // Ctrl-C ends the follow at once (no request is waited for): it says so itself, below
  interrupt.message = null;
  try {
    for (const d of result.deployments ?? []) {
      const progress = host.progress(`${d.deploymentId} following ${d.functionName}:${d.alias} to Lambda version ${d.to}`);
      let r: FollowResult;
      try {
        r = await followDeployment({
          codeDeploy: clients.codeDeploy,
          lambda: clients.lambda,
          deploymentId: d.deploymentId,
          functionName: d.functionName,
          alias: d.alias,
          signal: interrupt.signal,
          onProgress: (p) => progress.update(progressText(p, d.alias)),
        });
      } catch (err) {
        // the spinner ends on every way out: its timer would keep the process alive
        progress.stop();
        if (!interrupt.signal.aborted && connectionLost(err)) {
          // a restarted cloud rolls back a deployment it finds in flight (DESIGN.md, the store)
          throw new CloudStoppedError(
            `the local cloud stopped while deploy --wait followed deployment ${d.deploymentId} (${d.functionName}:${d.alias} to Lambda version ${d.to}): the cloud rolls it back when it starts again, so ${d.alias} goes back to Lambda version ${d.from} (see its log: ${join(ws.stateDir, LOG_FILE)})`,
            `run \`${labCommand(['deploy', '--wait'], { workspace: ws.root, target: 'local' })}\` again: it starts the cloud with its saved state and deploys again`,
            d.deploymentId,
          );
        }
        if (!interrupt.signal.aborted) throw err;
        // what the lab's live deployment view says on Ctrl-C (steps/shared/deployment-view.ts)
        host.say(`stopped following; deployment ${d.deploymentId} goes on in the cloud. Look again:${hintCommand(cliCommand(['status', '--workspace', ws.root]))}\nor with the aws CLI:`);
        host.command(awsCommand(['deploy', 'get-deployment', '--deployment-id', d.deploymentId], { kind: 'local', endpoint: result.endpoint! }));
        throw new InterruptedError();
      }
      if (r.deployment.status === 'Succeeded') {
        progress.succeed(`${d.deploymentId} Succeeded: ${d.functionName}:${d.alias} on Lambda version ${r.aliasVersion}`);
        continue;
      }
      progress.fail(`${d.deploymentId} ${r.deployment.status}`);
      if (r.aliasVersion) await recordRollback(ws, d.functionName, r.aliasVersion);
      const rollback = r.rollback ? ` by rollback deployment ${r.rollback.deploymentId}` : '';
      throw new LabError(
        failureReason(r.deployment),
        undefined,
        `the stack rolled back (UPDATE_ROLLBACK_COMPLETE): ${d.functionName}:${d.alias} is on Lambda version ${r.aliasVersion ?? d.from}${rollback}; Lambda version ${d.to} stays published (DeletionPolicy: Retain)`,
      );
    }
  } finally {
    clients.destroy();
  }
}
