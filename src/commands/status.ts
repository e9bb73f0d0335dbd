/** `status [--workspace DIR] [--json]`: stack outputs, aliases, versions, concurrency, the latest CodeDeploy deployment and the alarms of the workspace. */
import { UsageError } from '../errors.js';
import { workspacePaths } from '../lab/workspace.js';
import { colorEnabled } from '../io/terminal.js';

export async function statusCommand(opts: { workspace?: string; json?: boolean }): Promise<void> {
  if (!opts.workspace) throw new UsageError('--workspace needs a folder');
  const { workspaceStatus } = await import('../targets/status.js');
  const { formatStatus } = await import('./status-format.js');
  const s = await workspaceStatus(workspacePaths(opts.workspace));
  process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s, { color: colorEnabled(process.stdout) }));
}
