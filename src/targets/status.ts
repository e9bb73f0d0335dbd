/**
 * What is deployed in a workspace: the last deployment record, plus live alias routing, versions
 * and reserved concurrency read from the target through the Lambda API.
 */
import { GetFunctionConcurrencyCommand, ListAliasesCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { LabError } from '../errors.js';
import type { Workspace } from '../lab/workspace.js';
import { TargetClients, type TargetSpec } from './clients.js';
import { readDeployRecord } from './deploy-record.js';
import { listVersions } from './deployers/local/function.js';
import { paint } from '../io/terminal.js';

export interface AliasStatus {
  name: string;
  version: string;
  /** AdditionalVersionWeights: version → share of traffic */
  weights: Record<string, number>;
}

export interface FunctionStatus {
  logicalId: string;
  name: string;
  aliases: AliasStatus[];
  reservedConcurrency: number | null;
  /** published versions, oldest first */
  versions: string[];
}

export interface WorkspaceStatus {
  target: 'local' | 'aws';
  endpoint: string | null;
  stackName: string;
  region: string;
  deployedAt: string;
  outputs: Record<string, string>;
  functions: FunctionStatus[];
  /** false when aliases, versions and concurrency could not be read from the target (see note) */
  live: boolean;
  /** local only */
  emulator?: { running: boolean; pid: number | null };
  /** why live data is missing, when it is */
  note?: string;
}

export function noDeploymentError(ws: Workspace): LabError {
  return new LabError(`nothing deployed from ${ws.root} yet`, undefined, `run \`serverless-ops-lab deploy --workspace ${ws.root}\` first`);
}

export async function workspaceStatus(ws: Workspace): Promise<WorkspaceStatus> {
  const rec = readDeployRecord(ws);
  if (!rec) throw noDeploymentError(ws);
  const base: WorkspaceStatus = {
    target: rec.target,
    endpoint: rec.endpoint ?? null,
    stackName: rec.stackName,
    region: rec.region,
    deployedAt: rec.deployedAt,
    outputs: rec.outputs,
    functions: rec.functions.map((f) => ({ logicalId: f.logicalId, name: f.name, aliases: [], reservedConcurrency: null, versions: [] })),
    live: false,
  };

  let target: TargetSpec;
  if (rec.target === 'local') {
    const { emulatorStatus } = await import('../emulator/daemon.js');
    const emu = await emulatorStatus(ws.stateDir);
    base.emulator = { running: emu.running, pid: emu.running ? emu.pid : null };
    if (!emu.running) {
      base.note = `the embedded cloud is not running: \`serverless-ops-lab emulator start --workspace ${ws.root}\` (or deploy) starts it again with its state`;
      return base;
    }
    // A restarted cloud may listen on another port: the recorded URLs follow it.
    if (rec.endpoint && emu.endpoint !== rec.endpoint) {
      base.outputs = Object.fromEntries(Object.entries(rec.outputs).map(([k, v]) => [k, v.split(rec.endpoint!).join(emu.endpoint)]));
    }
    base.endpoint = emu.endpoint;
    target = { kind: 'local', endpoint: emu.endpoint, region: rec.region };
  } else {
    target = { kind: 'aws', profile: rec.profile, region: rec.region };
  }

  const clients = new TargetClients(target, { maxAttempts: 2 });
  try {
    base.functions = await Promise.all(rec.functions.map((f) => liveFunction(clients.lambda, f.logicalId, f.name)));
    base.live = true;
  } catch (err) {
    base.note = `could not read the functions from the target: ${(err as Error).message}`;
  } finally {
    clients.destroy();
  }
  return base;
}

async function liveFunction(lambda: LambdaClient, logicalId: string, name: string): Promise<FunctionStatus> {
  const [aliases, versions, concurrency] = await Promise.all([
    lambda.send(new ListAliasesCommand({ FunctionName: name })),
    listVersions(lambda, name),
    lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name })),
  ]);
  return {
    logicalId,
    name,
    aliases: (aliases.Aliases ?? []).map((a) => ({ name: a.Name!, version: a.FunctionVersion!, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {} })),
    reservedConcurrency: concurrency.ReservedConcurrentExecutions ?? null,
    versions: versions.map((v) => v.Version!).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(a) - Number(b)),
  };
}

export function formatStatus(s: WorkspaceStatus, opts: { color?: boolean } = {}): string {
  const p = paint(opts.color ?? false);
  const lines = [`target: ${s.target}${s.endpoint ? ` (${s.endpoint})` : ''}`, `stack: ${s.stackName} in ${s.region}, deployed ${s.deployedAt}`];
  if (s.emulator) lines.push(`embedded cloud: ${s.emulator.running ? `running (pid ${s.emulator.pid})` : p.yellow('not running')}`);
  lines.push('', 'Outputs:');
  for (const [k, v] of Object.entries(s.outputs)) lines.push(`${k}: ${v}`);
  // as deploy prints it: where `aws --endpoint-url` reaches the cloud (not 4566 when that was taken)
  if (s.emulator?.running && s.endpoint) lines.push(`Endpoint: ${s.endpoint}`);
  for (const f of s.functions) {
    lines.push('', `Function ${f.logicalId}: ${f.name}`);
    if (!s.live) continue;
    lines.push(`  versions: ${f.versions.length ? f.versions.join(', ') : '(none)'}`);
    for (const a of f.aliases) {
      const extra = Object.entries(a.weights);
      const main = extra.length ? `${a.version} (${pct(1 - extra.reduce((n, [, w]) => n + w, 0))})` : a.version;
      lines.push(`  alias ${a.name} → version ${main}${extra.map(([v, w]) => `, version ${v} (${pct(w)})`).join('')}`);
    }
    lines.push(`  reserved concurrency: ${reservedConcurrency(f.reservedConcurrency, p)}`);
  }
  if (s.note) lines.push('', `note: ${s.note}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Reserved concurrency is the function's, not a version's; 0 stops every invocation:
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
function reservedConcurrency(n: number | null, p: ReturnType<typeof paint>): string {
  if (n === null) return 'none (uses the unreserved pool)';
  if (n === 0) return `0 ${p.red('(every invocation is throttled)')}`;
  return `${n} (shared by all versions and aliases)`;
}

function pct(w: number): string {
  return `${Math.round(w * 1000) / 10}%`;
}
