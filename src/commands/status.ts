/** `status [--workspace DIR] [--json]`: stack outputs, aliases, versions, concurrency, the latest CodeDeploy deployment and the alarms of the workspace. */
import { UsageError } from '../errors.js';
import { workspacePaths } from '../lab/workspace.js';
import { colorEnabled } from '../io/terminal.js';
import { proseWidth } from '../io/format.js';
import { waitSpinner } from '../io/wait.js';
import { reportHost } from '../io/index.js';

/** `signal`: the CLI's interrupt, which ends the spinner at once */
export async function statusCommand(opts: { workspace?: string; json?: boolean }, signal?: AbortSignal): Promise<void> {
  if (!opts.workspace) throw new UsageError('--workspace needs a folder');
  const ws = workspacePaths(opts.workspace);
  // loading the SDK and asking the cloud: seconds on a loaded host, with nothing said (io/wait.ts)
  const waiting = await waitSpinner(`reading what is deployed from ${ws.root}`, { signal });
  let s: Awaited<ReturnType<typeof import('../targets/status.js').workspaceStatus>>;
  let formatStatus: typeof import('./status-format.js').formatStatus;
  try {
    const { workspaceStatus } = await import('../targets/status.js');
    ({ formatStatus } = await import('./status-format.js'));
    s = await workspaceStatus(ws);
  } catch (err) {
    // Ctrl-C while it read: said as the interrupt (exit 130), whatever the reading then met
    if (signal?.aborted) throw signal.reason;
    throw err;
  } finally {
    waiting.stop();
  }
  // Ctrl-C while it read (seconds on a loaded host): it stops, as every command does, rather than
  // print the whole report after "stopping at the next safe point…" and exit 0
  if (signal?.aborted) throw signal.reason;
  const io = reportHost();
  if (opts.json) {
    io.result(`${JSON.stringify(s, null, 2)}\n`);
    return;
  }
  // a cloud killed, crashed or lost to a restart is a fact of the report, not a failure: exit 0
  const stale = s.emulator?.stoppedUnexpectedly;
  const unexpected = stale ? (await import('../emulator/daemon.js')).stoppedUnexpectedly(ws.stateDir, stale) : undefined;
  // a terminal's width, as the lab's prose; piped or to a file, lines stay whole
  const width = process.stdout.isTTY ? proseWidth(process.stdout.columns) : Infinity;
  io.result(formatStatus(s, { color: colorEnabled(process.stdout), stoppedUnexpectedly: unexpected, width }));
}
