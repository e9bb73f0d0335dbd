/**
 * `status` as text: pure, on a WorkspaceStatus read by targets/status.ts; colour decided by the
 * caller through io/terminal's paint.
 */
import { commandLines, fitted, proseParts } from '../io/format.js';
import { paint, type Paint } from '../io/terminal.js';
import { NOT_RUNNING_NOTE, type AlarmStatus, type ApiStageStatus, type DeploymentStatus, type FunctionStatus, type WorkspaceStatus } from '../targets/status.js';

/**
 * `stoppedUnexpectedly`: how the cloud ended when `s.emulator.stoppedUnexpectedly` says it did not
 * stop cleanly, as the daemon's stoppedUnexpectedly words it for `emulator status` (the caller
 * reads the record and the log; this stays pure).
 */
export function formatStatus(s: WorkspaceStatus, opts: { color?: boolean; stoppedUnexpectedly?: string; width?: number } = {}): string {
  const p = paint(opts.color ?? false);
  const lines = [`target: ${s.target}${s.endpoint ? ` (${s.endpoint})` : ''}`, `stack: ${s.stackName} in ${s.region}, deployed ${s.deployedAt}`];
  const unresponsive = s.emulator?.unresponsive;
  const stale = !!(s.emulator && !s.emulator.running && opts.stoppedUnexpectedly);
  if (s.emulator) lines.push(`embedded cloud: ${s.emulator.running ? `running (pid ${s.emulator.pid})` : p.yellow(unresponsive ? `not answering (${unresponsive.pid === null ? 'pid unknown' : `pid ${unresponsive.pid}`})` : 'not running')}`);
  if (stale) lines.push(`  ${p.yellow(opts.stoppedUnexpectedly!)}`);
  // the note is then emulator status's message and what to do: said here, under the cloud line, once
  if (unresponsive && s.note) lines.push(`  ${p.yellow(s.note)}`);
  lines.push('', 'Outputs:');
  for (const [k, v] of Object.entries(s.outputs)) lines.push(`${k}: ${v}`);
  // as deploy prints it: where `aws --endpoint-url` reaches the cloud (not 4566 when that was taken)
  if (s.emulator?.running && s.endpoint) lines.push(`Endpoint: ${s.endpoint}`);
  for (const f of s.functions) {
    lines.push('', `Function ${f.logicalId}: ${f.name}`);
    if (!s.live) continue;
    lines.push(`  Lambda versions: ${f.versions.length ? f.versions.join(', ') : '(none)'}`);
    for (const a of f.aliases) {
      const extra = Object.entries(a.weights);
      const main = extra.length ? `${a.version} (${pct(1 - extra.reduce((n, [, w]) => n + w, 0))})` : a.version;
      lines.push(`  alias ${a.name} → Lambda version ${main}${extra.map(([v, w]) => `, Lambda version ${v} (${pct(w)})`).join('')}`);
    }
    lines.push(`  reserved concurrency: ${reservedConcurrency(f.reservedConcurrency, p)}`);
    if (f.deployment) lines.push(...formatDeployment(f.deployment, p));
  }
  // the stage's own calls once the canary chapter moved them away from the alias (a promoted canary: every request on lambdaAlias=8)
  for (const a of s.apis) if (a.changed) lines.push('', ...formatApi(a, s.functions, p));
  if (s.alarms.length) {
    lines.push('', 'Alarms:');
    for (const a of s.alarms) lines.push(`  ${formatAlarm(a, p)}`);
  }
  if (s.note && !unresponsive) lines.push('', `note: ${stale ? afterStopped(s.note) : s.note}`);
  return `${lines.flatMap((l) => fit(l, opts.width ?? Infinity)).join('\n')}\n`;
}

/**
 * The note under a cloud said 'not running' and 'stopped unexpectedly' above: only what to do (how
 * to start it again, or why it cannot), not 'not running' a third time. --json keeps the whole
 * sentence (targets/status.ts).
 */
function afterStopped(note: string): string {
  if (note.startsWith(`${NOT_RUNNING_NOTE}: `)) return note.slice(NOT_RUNNING_NOTE.length + 2);
  if (note.startsWith(`${NOT_RUNNING_NOTE}, and `)) return `it ${note.slice(NOT_RUNNING_NOTE.length + 6)}`;
  return note;
}

/**
 * A line of the report within a terminal's width (`width`; Infinity when stdout is a pipe or a
 * file: a line stays whole for grep): wrapped at words, under its own indent and two more, so a
 * continuation does not read as the next entry. Left to the terminal, the stopped-unexpectedly
 * line and the note broke inside words at 80 columns (`st` / `arted`, `--` / `workspace`).
 */
function fit(line: string, width: number): string[] {
  const lead = /^ */.exec(line)![0];
  if (!line.includes('\n')) return fitted(line.slice(lead.length), width - lead.length, '  ').map((l) => lead + l);
  // a command in it (the note's emulator start) on lines of its own, laid out to paste
  return proseParts(line.slice(lead.length)).flatMap((part) =>
    part.command !== undefined ? commandLines(part.command, width, `${lead}  $ `, `${lead}      `) : fitted(part.prose!, width - lead.length, '  ').map((l) => lead + l),
  );
}

/**
 * An API's stage as it calls the functions: its deployment (and the last deploy's, when another),
 * each Lambda route with the qualifier after the stage variables and what it resolves to, the
 * canary's share with its own. Shown once the stage differs from what the last deploy made.
 */
export function formatApi(a: ApiStageStatus, fns: readonly FunctionStatus[], p: Paint = paint(false)): string[] {
  const moved = a.deployedDeploymentId !== null && a.deployedDeploymentId !== a.deploymentId ? ` (the last deploy put ${a.deployedDeploymentId} on it)` : '';
  const out = [`API ${a.logicalId}: stage ${a.stage} serves deployment ${a.deploymentId}${moved}`];
  const share = a.canary ? a.canary.percentTraffic / 100 : 0;
  for (const c of a.calls) {
    const via = c.uriQualifier !== null && c.uriQualifier !== c.qualifier;
    const target = `${c.functionName}${c.uriQualifier === null ? '' : `:${c.uriQualifier}`}`;
    const lead = `  ${c.method} ${c.path} calls ${target}`;
    const stageSide = `${via ? ` with ${usedVariables(c.uriQualifier, a.variables)}` : ''} → ${resolve(c.functionName, c.qualifier, fns, p)}`;
    out.push(`${lead}${stageSide}${a.canary ? ` (${pct(1 - share)})` : ''}`);
    if (a.canary && c.canaryQualifier !== undefined) {
      const vars = { ...a.variables, ...a.canary.stageVariableOverrides };
      const canaryVia = c.uriQualifier !== null && c.uriQualifier !== c.canaryQualifier;
      out.push(`    canary (${pct(share)}, deployment ${a.canary.deploymentId})${canaryVia ? ` with ${usedVariables(c.uriQualifier, vars)}` : ''} → ${resolve(c.functionName, c.canaryQualifier, fns, p)}`);
    }
  }
  if (!a.calls.length && a.canary) out.push(`  canary: ${pct(share)} on deployment ${a.canary.deploymentId}`);
  return out;
}

/** `lambdaAlias=8` for each variable the URI's qualifier reads (`(unset)` for one the stage does not set) */
function usedVariables(q: string | null, vars: Record<string, string>): string {
  const names = [...(q ?? '').matchAll(/\$\{stageVariables\.([^}]*)\}/g)].map((m) => m[1]!);
  return names.map((n) => `${n}=${Object.hasOwn(vars, n) ? vars[n] : '(unset)'}`).join(', ');
}

/** what a qualifier names: a version, an alias and its version(s), or nothing Lambda has */
function resolve(fn: string, q: string | null | undefined, fns: readonly FunctionStatus[], p: Paint): string {
  if (q === null || q === undefined || q === '$LATEST') return '$LATEST';
  const f = fns.find((x) => x.name === fn);
  if (/^\d+$/.test(q)) return !f || f.versions.includes(q) ? `Lambda version ${q}` : p.yellow(`Lambda version ${q}, which ${fn} does not have`);
  const alias = f?.aliases.find((x) => x.name === q);
  if (alias) return `alias ${alias.name} → Lambda version ${alias.version}${Object.keys(alias.weights).map((v) => ` and ${v}`).join('')}`;
  if (q === '') return p.yellow('no qualifier (a stage variable unset)');
  return f ? p.yellow(`${q}, no alias or version of ${fn}`) : q;
}

const STATUS_COLOR: Record<string, keyof Paint> = { Succeeded: 'green', Failed: 'red', Stopped: 'red', InProgress: 'yellow', Created: 'yellow', Queued: 'yellow', Ready: 'yellow', Baking: 'yellow', Skipped: 'dim', Pending: 'dim' };

function colored(p: Paint, status: string): string {
  const c = STATUS_COLOR[status];
  return c ? p[c](status) : status;
}

/** The deployment as the console's summary shows it: status, traffic, lifecycle events, error. */
export function formatDeployment(d: DeploymentStatus, p: Paint = paint(false)): string[] {
  const by = d.creator === 'codeDeployRollback' ? ', a rollback' : '';
  const out = [`  latest deployment ${d.deploymentId}: ${colored(p, d.status)} (${d.deploymentConfigName ?? 'unknown configuration'}${by})`];
  if (d.currentVersion && d.targetVersion) {
    const w = d.targetVersionWeight ?? 0;
    out.push(`    Lambda version ${d.currentVersion} → ${d.targetVersion}: ${pct(1 - w)} on ${d.currentVersion}, ${pct(w)} on ${d.targetVersion}`);
  }
  if (d.lifecycleEvents.length) out.push(`    lifecycle: ${d.lifecycleEvents.map((e) => `${e.name} ${colored(p, e.status)}`).join(', ')}`);
  if (d.error?.message) out.push(`    ${p.red(`${d.error.code ?? 'error'}:`)} ${d.error.message}`);
  if (d.rollback?.rollbackDeploymentId) out.push(`    rolled back by ${d.rollback.rollbackDeploymentId}${d.rollback.rollbackMessage ? `: ${d.rollback.rollbackMessage}` : ''}`);
  if (d.rollback?.rollbackTriggeringDeploymentId) out.push(`    rolls back ${d.rollback.rollbackTriggeringDeploymentId}${d.rollback.rollbackMessage ? `: ${d.rollback.rollbackMessage}` : ''}`);
  return out;
}

const ALARM_COLOR: Record<string, keyof Paint> = { OK: 'green', ALARM: 'red', INSUFFICIENT_DATA: 'dim' };

export function formatAlarm(a: AlarmStatus, p: Paint = paint(false)): string {
  const state = ALARM_COLOR[a.state] ? p[ALARM_COLOR[a.state]](a.state) : a.state;
  return `${a.name}: ${state}${a.reason ? ` — ${a.reason}` : ''}`;
}

/**
 * Reserved concurrency is the function's, not a version's; 0 stops every invocation:
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
function reservedConcurrency(n: number | null, p: Paint): string {
  if (n === null) return 'none (uses the unreserved pool)';
  if (n === 0) return `0 ${p.red('(every invocation is throttled)')}`;
  return `${n} (shared by all versions and aliases)`;
}

function pct(w: number): string {
  return `${Math.round(w * 1000) / 10}%`;
}
