/**
 * A workspace folder that is not there (a mistyped --workspace), in the words `list` and `status`
 * both say it: `no workspace at DIR (a typo?)`, exit 1, with the command that makes one. `status`
 * said `nothing deployed from DIR yet` of a folder that does not exist, as if it were a workspace.
 */
import { statSync } from 'node:fs';
import { asFileSystemError, LabError } from '../errors.js';
import { hintCommand } from '../invocation.js';
import { labCommand } from './outside.js';
import type { Workspace } from './workspace.js';

/** undefined when the workspace folder is there; else why not (ENOENT; ENOTDIR: a file on the way) */
export function workspaceMissing(root: string): 'ENOENT' | 'ENOTDIR' | undefined {
  try {
    statSync(root);
    return undefined; // a file is refused by workspacePaths
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return code;
    throw asFileSystemError(err, root, 'use');
  }
}

/** the error of a workspace that is not there, or undefined when it is */
export function noWorkspaceError(ws: Workspace, missing = workspaceMissing(ws.root)): LabError | undefined {
  // the command on a line of its own (hintCommand), laid out to paste: in the sentence, at 80
  // columns the terminal broke it mid-word (`…/a-rather-long-work` / `space-folder…`)
  if (missing === 'ENOTDIR') return new LabError(`no workspace at ${ws.root}: part of that path is a file, not a folder (a typo?)`);
  if (missing === 'ENOENT') return new LabError(`no workspace at ${ws.root} (a typo?)`, undefined, `this makes one and begins:${hintCommand(labCommand(['start'], { workspace: ws.root, target: 'local' }))}`);
  return undefined;
}
