/**
 * The local cloud's log file, for the steps (which never import emulator/): emulator.log in the
 * workspace's state dir, where the cloud writes every request it served and every error.
 */
import { join } from 'node:path';
import { LOG_FILE } from '../emulator/config.js';

export function localCloudLog(stateDir: string): string {
  return join(stateDir, LOG_FILE);
}
