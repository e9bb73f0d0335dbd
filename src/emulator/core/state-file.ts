/**
 * Reading a state document as the store does, kept apart from the store (no imports but node's and
 * config.ts) so that `doctor` can check a workspace's state files without loading the emulator.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAST_PORT_FILE, RECORD_FILE } from '../config.js';

/**
 * A state file the cloud cannot load: not JSON (cut short by a full disk, an editor, a copy), or
 * JSON of the wrong shape. The cloud refuses to start on it rather than start with that service
 * empty (the learner's deployed function would silently vanish, and the next write would replace
 * the file for good); the message names the file and the ways out.
 */
export class StateReadError extends Error {
  override readonly name = 'StateReadError';
  constructor(
    readonly path: string,
    readonly why: string,
  ) {
    super(
      `cannot load the local cloud's state file ${path}: ${why}. Move that file away (the cloud then starts without what it held; ` +
        `keep the copy to mend it by hand) or wipe the whole local cloud with 'reset --yes' (your sam-app/ is kept), then start again`,
    );
  }
}

/**
 * What a learner loses and what the lab does again when a damaged state file is moved away: the
 * lab's next start or deploy compares the cloud with the workspace's deploy record and puts back
 * what the last deploy left (targets/deployers/local/restore.ts for functions; the other
 * provisioners create what they find missing).
 */
export function afterMovingAway(file: string): string {
  const deployAgain = "the lab's next start or deploy";
  switch (file) {
    case 'lambda.json':
      return `the cloud starts without its Lambda functions, versions and aliases; ${deployAgain} re-creates the ones your last deploy left, with the code and configuration deployed then, from the workspace's deploy record (their versions numbered from 1 again), and the step you are on goes on from there; what you changed in them with aws commands alone (reserved concurrency put by hand) is lost`;
    case 'codedeploy.json':
      return `the cloud starts without its CodeDeploy applications, groups and deployment history; the next deploy creates the application and group again; the deployments made so far are forgotten`;
    case 'apigateway.json':
      return `the cloud starts without its REST APIs; the next deploy creates the app's API again, under a new id: the API URL changes, and canary settings made with aws commands are lost`;
    case 's3.json':
      return `the cloud starts without its buckets and objects; the next deploy creates the app's bucket again with its sample images, and objects you uploaded yourself are lost`;
    case 'clock.json':
      return `the cloud's clock starts again from the time now`;
    default:
      return `the cloud starts without what that file held; the next deploy creates again what sam-app/template.yaml declares, and the rest (metrics, alarm history, changes made with aws commands) is lost`;
  }
}

/** every state document is a JSON object: anything else is a damaged file, not an empty state */
export function parseStateDocument(path: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new StateReadError(path, `it is not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StateReadError(path, `it holds ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}, not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** the process's own bookkeeping beside the documents, read (and forgiven) by process-record.ts */
const NOT_DOCUMENTS = new Set([RECORD_FILE, LAST_PORT_FILE]);

/** The state documents of `stateDir` the cloud could not load, each with why (none: a missing dir). */
export function damagedStateFiles(stateDir: string): StateReadError[] {
  let names: string[];
  try {
    names = readdirSync(stateDir).filter((n) => n.endsWith('.json') && !NOT_DOCUMENTS.has(n)).sort();
  } catch {
    return [];
  }
  const damaged: StateReadError[] = [];
  for (const name of names) {
    const path = join(stateDir, name);
    try {
      parseStateDocument(path, readFileSync(path, 'utf8'));
    } catch (err) {
      if (err instanceof StateReadError) damaged.push(err);
    }
  }
  return damaged;
}
