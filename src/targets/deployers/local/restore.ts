/**
 * The cloud against the workspace's deploy record: a function, or its alias, that the last deploy
 * left and the local cloud no longer holds (a state file moved away after it was damaged, an
 * `aws lambda delete-function`). CloudFormation calls this drift with the status DELETED ("The
 * resource differs from its expected template configuration because the resource has been
 * deleted", API_StackResourceDrift), and does not repair it: an update that touches the resource
 * fails because it is not found, and the way out is to re-create it by hand or to take it out of
 * the template and put it back ("Detect unmanaged configuration changes to stacks and resources
 * with drift detection", CloudFormation User Guide:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html).
 *
 * The local deployer keeps what it needs to do that itself: each function's code package as
 * deployed (`.lab/deployed/<sha>.zip`) and its configuration in the record. So a function found
 * missing is re-created as the last deploy left it, a version published and the alias put on it,
 * before anything else is applied. Re-creating it from sam-app/ as it is now would be wrong: a
 * function created new publishes version 1 from the learner's edited code and its alias is created
 * on it directly, so the release the step wanted (a CodeDeploy shift from the old code to the new)
 * never happens and the old code is gone (a created alias has nothing to shift from).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { atomicWrite, makeDirs } from '../../../files.js';
import type { Workspace } from '../../../lab/workspace.js';
import { readDeployRecord, writeDeployRecord, type DeployRecord, type FunctionRecord } from '../../deploy-record.js';
import type { CodePackage } from '../../zip.js';
import { createAlias } from './alias.js';
import { apiConfiguration, listVersions, publishIfChanged, waitUntilUpdated } from './function.js';
import { isNotFound } from './not-found.js';
import { lambdaCommands } from '../../clients.js';

const { CreateFunctionCommand, GetAliasCommand, GetFunctionConfigurationCommand, PutFunctionConcurrencyCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand } = lambdaCommands;

/** where the packages of the last deploy are kept */
export function deployedCodeDir(ws: Workspace): string {
  return ws.deployed;
}

/** CodeSha256 is base64 (it may hold `/`): the file is named by its hex form */
function packagePath(ws: Workspace, codeSha256: string): string {
  return join(deployedCodeDir(ws), `${Buffer.from(codeSha256, 'base64').toString('hex')}.zip`);
}

/** Keeps a copy of each package a deploy applies, before the record that names it is written. */
export function keepPackages(ws: Workspace, packages: Iterable<CodePackage>): void {
  makeDirs(deployedCodeDir(ws));
  for (const p of packages) {
    const path = packagePath(ws, p.sha256);
    if (!existsSync(path)) atomicWrite(path, Buffer.from(p.zip));
  }
}

/** After the record is written: only the packages it names are kept. */
export async function prunePackages(ws: Workspace, rec: DeployRecord): Promise<void> {
  const keep = new Set(rec.functions.map((f) => packagePath(ws, f.codeSha256)));
  let names: string[];
  try {
    names = readdirSync(deployedCodeDir(ws));
  } catch {
    return;
  }
  for (const n of names) {
    const path = join(deployedCodeDir(ws), n);
    if (n.endsWith('.zip') && !keep.has(path)) await rm(path, { force: true });
  }
}

/** the package the record names, if the copy is there and still has its hash */
function recordedPackage(ws: Workspace, f: FunctionRecord): Uint8Array | undefined {
  try {
    const zip = readFileSync(packagePath(ws, f.codeSha256));
    return createHash('sha256').update(zip).digest('base64') === f.codeSha256 ? new Uint8Array(zip) : undefined;
  } catch {
    return undefined;
  }
}

export interface Drift {
  fn: FunctionRecord;
  /** what is gone: the function (with its versions and aliases), or only its alias */
  missing: 'function' | 'alias';
}

/** `GetInfoFunction (ServerlessOps-stack-GetInfoFunction-…): no such function` */
export function describeDrift(d: Drift): string {
  return d.missing === 'function' ? `${d.fn.logicalId} (${d.fn.name}): no such function` : `${d.fn.logicalId}'s alias ${d.fn.alias} (${d.fn.name}:${d.fn.alias}): no such alias`;
}

/** The record's functions (and aliases) that the cloud no longer holds. */
export async function findDrift(lambda: LambdaClient, rec: DeployRecord | undefined, signal?: AbortSignal): Promise<Drift[]> {
  if (!rec || rec.target !== 'local') return [];
  const drift: Drift[] = [];
  for (const fn of rec.functions) {
    try {
      await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.name }), { abortSignal: signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      drift.push({ fn, missing: 'function' });
      continue;
    }
    if (!fn.alias) continue;
    try {
      await lambda.send(new GetAliasCommand({ FunctionName: fn.name, Name: fn.alias }), { abortSignal: signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      drift.push({ fn, missing: 'alias' });
    }
  }
  return drift;
}

export interface Restored {
  fn: FunctionRecord;
  /** the version the alias is on now (a re-created function numbers its versions from 1 again) */
  version?: string;
}

/** A drift the record cannot undo: the last deploy kept no copy of its code or configuration. */
export class CannotRestore extends Error {
  override readonly name = 'CannotRestore';
  constructor(readonly drift: Drift[]) {
    super(`the last deploy kept no copy of ${drift.map((d) => d.fn.logicalId).join(', ')} to re-create it from (a workspace deployed by an older serverless-ops-lab)`);
  }
}

/**
 * Puts each drifted function back as the record says the last deploy left it: its code and
 * configuration on $LATEST, a version published from them (or the version that already holds
 * them), the alias created on it, reserved concurrency as the template declared it. Every drift
 * is checked to be restorable before anything changes.
 */
export async function restoreDrift(lambda: LambdaClient, ws: Workspace, drift: Drift[]): Promise<Restored[]> {
  const zips = new Map<string, Uint8Array>();
  const lacking = drift.filter((d) => {
    const zip = recordedPackage(ws, d.fn);
    if (zip) zips.set(d.fn.logicalId, zip);
    return !zip || !d.fn.configuration;
  });
  if (lacking.length) throw new CannotRestore(lacking);
  const out: Restored[] = [];
  for (const d of drift) {
    const f = d.fn;
    const c = f.configuration!;
    const zip = zips.get(f.logicalId)!;
    const config = apiConfiguration(f.name, c);
    let version: string | undefined;
    if (d.missing === 'function') {
      await lambda.send(new CreateFunctionCommand({ ...config, Architectures: c.architectures as never, Code: { ZipFile: zip }, Publish: false }));
      if (typeof f.declaredReservedConcurrency === 'number') {
        await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: f.name, ReservedConcurrentExecutions: f.declaredReservedConcurrency }));
      }
    } else {
      // the alias alone is gone: a version that holds the recorded code, else the code published again
      const held = (await listVersions(lambda, f.name)).filter((v) => /^\d+$/.test(v.Version ?? '') && v.CodeSha256 === f.codeSha256);
      version = (held.find((v) => v.Version === f.version) ?? held.at(-1))?.Version;
      if (!version) {
        await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: f.name, ZipFile: zip, Publish: false }));
        await waitUntilUpdated(lambda, f.name);
        await lambda.send(new UpdateFunctionConfigurationCommand(config));
      }
    }
    if (!version) version = (await publishIfChanged(lambda, f.name)).version;
    if (f.alias) await createAlias(lambda, f.name, f.alias, version);
    out.push({ fn: f, version: f.alias ? version : undefined });
  }
  return out;
}

export interface Repair {
  drift: Drift[];
  restored: Restored[];
  /** one line for the learner: what was gone and what the cloud holds again */
  said: string;
}

/**
 * Finds drift against the workspace's record and undoes it, the record then rewritten with the
 * versions the aliases are on now. Undefined: nothing drifted. Throws CannotRestore (nothing
 * changed) when the record holds no copy to re-create from.
 */
export async function repairDrift(lambda: LambdaClient, ws: Workspace, signal?: AbortSignal): Promise<Repair | undefined> {
  const rec = readDeployRecord(ws);
  const drift = await findDrift(lambda, rec, signal);
  if (!rec || !drift.length) return undefined;
  const restored = await restoreDrift(lambda, ws, drift);
  const back = restored.map((r) => `${r.fn.logicalId}${r.version ? ` (${r.fn.alias} on Lambda version ${r.version}${r.fn.version && r.fn.version !== r.version ? `, which was Lambda version ${r.fn.version}` : ''})` : ''}`);
  for (const r of restored) if (r.version) r.fn.version = r.version;
  await writeDeployRecord(ws, rec);
  const said =
    `the cloud no longer holds what the last deploy left: ${drift.map(describeDrift).join('; ')}. ` +
    `Re-created from the workspace's deploy record, with the code and configuration deployed then: ${back.join(', ')}`;
  return { drift, restored, said };
}
