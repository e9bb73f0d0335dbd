/**
 * The local deployer: applies the workspace's SAM template to the embedded cloud through SDK
 * calls, idempotently, the way CloudFormation + SAM would on AWS.
 *
 * Order, chosen so a failure leaves nothing half-changed for the learner: everything is checked
 * before the first call (template, handler files, code packages); the alias of an existing
 * function moves last, only after every other resource applied, so a failure keeps it on the
 * last good version; what the template no longer has is deleted after that (removal.ts), the
 * last deploy's record saying what it is; `.lab/deploy.json` is written only on success, so a
 * failure keeps the last record and a retry removes what is left. An interruption (Ctrl-C)
 * takes effect between steps only, so it leaves the same state as a failure: a retry finishes.
 */
import { join } from 'node:path';
import { causes, CloudStoppedError, connectionLost, InterruptedError, LabError, WrongCloudError } from '../../errors.js';
import { scaffoldWorkspace, type Workspace } from '../../lab/workspace.js';
import { assertHandlerFile, loadTemplate, TemplateError, toStackResources } from '../../template/index.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, TargetClients } from '../clients.js';
import { readDeployRecord, writeDeployRecord, type DeployRecord, type RecordedResource } from '../deploy-record.js';
import { toLocalUrl } from '../urls.js';
import { zipCodeDir, type CodePackage } from '../zip.js';
import type { AliasShifter } from './local/alias.js';
import { ChangeReport, RecordBuilder, type DeferredMove, type ProvisionContext, type StartedDeployment } from './local/context.js';
import { provisioningOrder } from './local/graph.js';
import { RETAINED_POLICIES, removalsSince, removeResources } from './local/removal.js';
import { NameBook } from './local/names.js';
import { PROVISIONERS } from './local/provisioners/index.js';
import { CannotRestore, describeDrift, keepPackages, prunePackages, repairDrift } from './local/restore.js';
import { StackResolver } from './local/resolver.js';
import type { DeployLog, DeployResult } from './types.js';

export interface LocalDeployInput {
  workspace: Workspace;
  stackName: string;
  log: DeployLog;
  /** tests: how an alias moves, instead of UpdateAlias or CodeDeploy as the template says */
  shifter?: (fn: { logicalId: string; deploymentPreference?: unknown }) => AliasShifter;
  /** options for a newly started emulator */
  emulator?: { port?: number; speed?: number; throttleStatus?: 500 | 502 };
  /** for messages: paths relative to this folder (default: the process's cwd) */
  cwd?: string;
  /**
   * Ctrl-C: the deploy stops at the next safe point, before a step starts (never between a
   * resource's creation and the record of its name), and throws InterruptedError.
   */
  signal?: AbortSignal;
}

export interface LocalDeployResult extends DeployResult {
  endpoint: string;
  record: DeployRecord;
  /** CodeDeploy deployments this deploy started (aliases with a DeploymentPreference) */
  deployments: StartedDeployment[];
}

export async function deployLocal(input: LocalDeployInput): Promise<LocalDeployResult> {
  const { workspace: ws, stackName, log } = input;
  const warnings: string[] = [];
  const warn = (w: string) => {
    warnings.push(w);
    log.warn(w);
  };

  // 1. Everything that can be checked without the cloud, before changing anything.
  const unchanged = (what: string) => {
    if (input.signal?.aborted) throw new InterruptedError(`deploy interrupted ${what}, before anything in the embedded cloud changed: run deploy again`);
  };
  unchanged('at the start');
  const { copied } = await scaffoldWorkspace(ws);
  if (copied) log.info(`copied the lab app into ${ws.samApp}`);
  unchanged('while reading the template');
  const template = await loadTemplate(ws.template, { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID, stackName });
  for (const fn of template.functions) await assertHandlerFile(fn, input.cwd);
  for (const u of template.unsupported) warn(`${u.logicalId} (${u.type}) is not emulated by the local cloud: skipped`);
  const resources = toStackResources(template);
  for (const r of resources) {
    if (!PROVISIONERS.has(r.type)) throw new TemplateError(`${r.logicalId}: ${r.type} is not deployed by the local cloud`, r.position);
  }
  const order = provisioningOrder(resources, new Map(template.unsupported.map((u) => [u.logicalId, u.type])));
  const packages = new Map<string, CodePackage>();
  for (const fn of template.functions) packages.set(fn.logicalId, await zipCodeDir(fn.codeDir));

  unchanged('while packaging the code');
  const { ensureEmulator, startingAgain } = await import('../../emulator/daemon.js');
  const { DEFAULT_PORT } = await import('../../emulator/config.js');
  // While the emulator starts, Ctrl-C waits: ensureEmulator then releases its start lock itself.
  const emu = await ensureEmulator({ stateDir: ws.stateDir, ...input.emulator, onStoppedUnexpectedly: (stale, log) => warn(startingAgain(ws.stateDir, stale, log)) });
  log.info(`embedded cloud ${emu.reused ? 'running' : 'started'} at ${emu.endpoint} (pid ${emu.pid})`);
  // A learner following `--endpoint-url http://127.0.0.1:4566` must hear that it is elsewhere.
  if (input.emulator?.port === undefined && emu.port !== DEFAULT_PORT) {
    if (!emu.reused) {
      const { otherPortNote, portHolder } = await import('../../port-holder.js');
      warn(otherPortNote(emu, DEFAULT_PORT, await portHolder(DEFAULT_PORT)));
    }
    else log.info(`(the embedded cloud is on port ${emu.port}, not ${DEFAULT_PORT}: use --endpoint-url ${emu.endpoint})`);
  }

  const clients = new TargetClients({ kind: 'local', endpoint: emu.endpoint, stateDir: ws.stateDir });
  // 1b. What the last deploy left and the cloud lost is put back first (restore.ts), so this
  // deploy updates it as it would have: a new version is released from the old one.
  const restored = new Set<string>();
  try {
    const repair = await repairDrift(clients.lambda, ws, input.signal);
    if (repair) warn(repair.said);
    for (const r of repair?.restored ?? []) {
      if (r.fn.alias) restored.add(`${r.fn.name}:${r.fn.alias}`);
      if (repair!.drift.some((d) => d.fn === r.fn && d.missing === 'function')) restored.add(r.fn.name);
    }
  } catch (err) {
    if (!(err instanceof CannotRestore)) {
      clients.destroy();
      throw await deployFailure(err, 'comparing the cloud with the last deploy', [], ws);
    }
    warn(
      `the cloud no longer holds what the last deploy left (${err.drift.map(describeDrift).join('; ')}), and ${err.message}: ` +
        `this deploy creates it from sam-app/ as it is now, as a new function (version 1, the alias straight on it, no CodeDeploy shift)`,
    );
  }
  const previous = readDeployRecord(ws);
  const { removals, untyped } = removalsSince(previous, new Set(resources.map((r) => r.logicalId)));
  if (untyped.length) {
    warn(
      `the last deploy's record (${ws.deployRecord}) was written by an older version of serverless-ops-lab and does not say what its resources are: ` +
        `${untyped.map((u) => `${u.logicalId} (${u.physicalId})`).join(', ')}, no longer in the template, ${untyped.length === 1 ? 'is' : 'are'} left in the embedded cloud, not deleted`,
    );
  }
  const names = new NameBook(ws.names);
  const resolver = new StackResolver(template, new Map(template.unsupported.map((u) => [u.logicalId, u.type])));
  let phase = 'naming resources';
  const moves: DeferredMove[] = [];
  const report = new ChangeReport();
  const record = new RecordBuilder();
  const deployments: StartedDeployment[] = [];
  const ctx: ProvisionContext = {
    template,
    stackName,
    clients,
    resolver,
    names,
    log,
    warn,
    previous,
    packages,
    report,
    record,
    deployments,
    restored,
    shifter: input.shifter,
    defer: (m) => moves.push(m),
    step: async (what, fn) => {
      phase = what;
      if (input.signal?.aborted) throw new Interrupt();
      return fn();
    },
  };
  try {
    // 2. Every resource, after the ones it refers to (graph.ts), through its type's provisioner.
    for (const { resource } of order) {
      const p = PROVISIONERS.get(resource.type)!;
      phase = `applying ${resource.logicalId} (${resource.type})`;
      resolver.set(resource.logicalId, await p.apply(resource, ctx));
    }

    // 3. Last: move the aliases of functions that have a new version.
    while (moves.length) {
      const m = moves[0];
      await ctx.step(m.what, m.run);
      moves.shift();
    }

    // 3b. Then what the template no longer has, dependents first (removal.ts).
    await removeResources(removals, PROVISIONERS, ctx);

    // 4. Outputs, with AWS invoke URLs turned into the local front door.
    phase = 'evaluating the outputs';
    const apiRecords = [...record.apis.values()];
    const apiIds = new Set(apiRecords.map((a) => a.restApiId));
    const outputs: Record<string, string> = {};
    for (const o of template.outputs) outputs[o.name] = toLocalUrl(resolver.string(o.value, o.position), emu.endpoint, apiIds);

    const physicalIds: Record<string, string> = {};
    for (const [id, p] of resolver.entries()) physicalIds[id] = p.physicalId;
    // in the order applied: the next deploy removes in the reverse order
    const policies = new Map(resources.map((r) => [r.logicalId, r.deletionPolicy]));
    const recorded: Record<string, RecordedResource> = {};
    for (const [id, p] of resolver.entries()) {
      const policy = policies.get(id);
      recorded[id] = { type: p.type, physicalId: p.physicalId, ...(p.within ? { within: p.within } : {}), ...(policy && RETAINED_POLICIES.has(policy) ? { retain: true as const } : {}) };
    }
    const fnRecords = [...record.functions.values()].map((f) => {
      const group = record.codeDeploy.deploymentGroups[f.logicalId];
      return group ? { ...f, deploymentGroupName: group } : f;
    });
    const rec: DeployRecord = {
      schema: 1,
      target: 'local',
      endpoint: emu.endpoint,
      region: LOCAL_REGION,
      stackName,
      deployedAt: new Date().toISOString(),
      outputs,
      physicalIds,
      resources: recorded,
      functions: fnRecords,
      apis: apiRecords,
      ...(record.codeDeploy.applicationName ? { codeDeployApplication: record.codeDeploy.applicationName } : {}),
      ...(record.alarms.length ? { alarms: record.alarms } : {}),
    };
    phase = `writing ${ws.deployRecord}`;
    keepPackages(ws, packages.values());
    await writeDeployRecord(ws, rec);
    await prunePackages(ws, rec).catch(() => undefined);
    return { target: 'local', endpoint: emu.endpoint, outputs, changes: report.rows(), warnings, record: rec, deployments };
  } catch (err) {
    throw await deployFailure(err, phase, moves.map((m) => m.kept), ws);
  } finally {
    await names.save().catch(() => undefined);
    clients.destroy();
  }
}

/** Thrown by a step that did not start because of Ctrl-C; deployFailure words it. */
class Interrupt extends Error {}

async function deployFailure(err: unknown, phase: string, aliasesKept: string[], ws: Workspace): Promise<LabError> {
  if (err instanceof Interrupt) {
    const kept = aliasesKept.length ? `; ${aliasesKept.join(', ')}` : '';
    return new InterruptedError(`deploy interrupted before ${phase}: run deploy again to finish (nothing is left half-changed${kept})`);
  }
  const kept = aliasesKept.length ? ` ${aliasesKept.join(', ')};` : '';
  // this workspace's cloud stopped and another workspace's took its port (cloud-identity.ts): said
  // as the cloud stopping, with the cloud that answers there now and the two ways on
  const other = [...causes(err)].find((e): e is WrongCloudError => e instanceof WrongCloudError);
  if (other) {
    const log = join(ws.stateDir, (await import('../../emulator/config.js')).LOG_FILE);
    return new CloudStoppedError(`deploy failed while ${phase}: the embedded cloud stopped (see its log: ${log})`, [
      `nothing was recorded:${kept} ${other.message};`,
      `run deploy again: it starts the cloud with its saved state (on another port while ${other.other.port} is taken) and picks up where it stopped;`,
      `or stop the other one first with \`${other.other.stop}\``,
    ].join(' '));
  }
  if (isConnectionLost(err)) {
    // The cloud is a child process: when it dies mid-deploy the SDK only sees a refused or cut
    // connection. Say what happened and where the cloud wrote why.
    const { emulatorStatus } = await import('../../emulator/daemon.js');
    const { LOG_FILE } = await import('../../emulator/config.js');
    const running = await emulatorStatus(ws.stateDir).then((s) => s.running, () => false);
    const log = join(ws.stateDir, LOG_FILE);
    const what = running ? 'the embedded cloud stopped answering' : 'the embedded cloud stopped';
    return new CloudStoppedError(`deploy failed while ${phase}: ${what} (see its log: ${log})`, `nothing was recorded:${kept} run deploy again: it starts the cloud with its saved state and picks up where it stopped`);
  }
  const e = err as Error & { name?: string };
  const why = err instanceof LabError ? e.message : `${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e?.message ?? String(err)}`;
  const fix = err instanceof LabError && err.hint ? err.hint : 'fix the cause and run deploy again (it picks up where it stopped)';
  return new LabError(`deploy failed while ${phase}: ${why}`, undefined, `nothing was recorded:${kept} ${fix}`);
}

/** A refused, reset or cut connection to the cloud (errors.ts's connectionLost). */
export function isConnectionLost(err: unknown): boolean {
  return connectionLost(err) !== undefined;
}
