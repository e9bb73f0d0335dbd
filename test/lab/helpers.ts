/** A temporary lab workspace for end-to-end runs of `start`, cleaned up with its cloud. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scaffoldWorkspace, workspacePaths } from '../../src/lab/workspace.js';

/** a workspace with the bundled app copied in, as `start` makes it */
export async function labWorkspace(prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  await scaffoldWorkspace(workspacePaths(dir));
  return dir;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
