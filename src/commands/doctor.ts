/**
 * `doctor [--target local|aws] [--workspace DIR] [--report [FILE]]`: what the lab needs, each
 * failure with its fix (exercism's troubleshoot). Both: Node, the workspace, its .lab files (they
 * parse), its sam-app/template.yaml (readable) and its disk's free space. Local: the aws CLI and its
 * region and credentials (for the printed commands), the workspace's cloud. AWS: the SAM
 * CLI, the region, credentials, the account and its concurrency quota. `--report` prints a
 * paste-ready block without secrets instead of the checks; `--report FILE` writes it to FILE after
 * the checks, as `start --report FILE` writes its report (FILE checked first: usage, 2). Exit 1 when
 * something needed is missing (the report is written first: that is when it is wanted).
 */
import { accessSync, constants, existsSync, readFileSync, statfsSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { basename, dirname } from 'node:path';
import { asFileSystemError, ExitCode, LabError, UsageError } from '../errors.js';
import { atomicWrite } from '../files.js';
import { checkReportPath } from '../lab/report.js';
import { createIoHost } from '../io/index.js';
import type { InterruptPolicy } from '../interrupt.js';
import { progressPath } from '../lab/progress.js';
import { readJsonFile, workspacePaths, type Workspace } from '../lab/workspace.js';
import { labVersion } from '../version.js';
import { awsCliConfig, LOCAL_AWS_ENV } from '../targets/aws-cli-config.js';
import { awsPrerequisites, findOnPath } from '../targets/aws-preflight.js';
import { clientConfig, lambdaSdk } from '../targets/clients.js';
import { cliCommand } from '../invocation.js';
import { nodeTooOld, OLDEST } from '../node-version.js';
import { labCommand } from '../lab/outside.js';

export interface Finding {
  name: string;
  ok: boolean;
  /** needed (a failure fails doctor) or good to have */
  needed: boolean;
  found: string;
  fix?: string;
  /** a command the fix runs, printed as a command (broken only between its words, pasteable) */
  fixCommand?: string;
  /** a failure's word (default "failed"; "missing" for a thing not there) */
  verdict?: string;
  /** not ok because it could not be checked (a disk statfs cannot read), not because it failed */
  unchecked?: boolean;
}

export async function doctorCommand(opts: Record<string, unknown>, interrupt: InterruptPolicy): Promise<void> {
  const target = (opts.target as string | undefined) ?? 'local';
  if (target !== 'local' && target !== 'aws') throw new UsageError(`unknown --target "${target}"`, 'use local or aws');
  const ws = workspacePaths((opts.workspace as string | undefined) ?? 'lab-workspace');
  // --report alone: the block on stdout, instead of the checks; --report FILE: the checks, and the block in FILE
  const reportFile = typeof opts.report === 'string' ? opts.report : undefined;
  const blockOnly = opts.report === true;
  if (reportFile !== undefined) checkReportPath(reportFile, 'doctor.md');
  const io = await createIoHost({ ci: blockOnly, prompts: false, onCtrlC: interrupt.press, signal: interrupt.signal });
  const found: Finding[] = [];

  // the entry's test (node-version.ts): it refuses an older Node before any command runs
  const nodeOk = nodeTooOld(process.versions.node) === undefined;
  found.push({ name: 'Node.js', ok: nodeOk, needed: true, found: process.versions.node, fix: `install Node.js ${OLDEST.join('.')} or newer (https://nodejs.org)` });

  const wsParent = existsSync(ws.root) ? ws.root : dirname(ws.root);
  let writable = true;
  try {
    accessSync(wsParent, constants.W_OK);
  } catch {
    writable = false;
  }
  found.push({ name: 'workspace', ok: writable, needed: true, found: `${ws.root}${existsSync(ws.samApp) ? ' (sam-app/ present)' : existsSync(ws.root) ? ' (no sam-app/ yet)' : ' (not created yet)'}`, fix: 'pick a folder you can write to with --workspace DIR' });

  found.push(labFilesFinding(ws), templateFinding(ws), freeSpaceFinding(ws.root));

  const awsCli = findOnPath('aws');
  found.push({ name: 'aws CLI (to run the printed commands yourself)', ok: !!awsCli, needed: false, found: awsCli ?? 'not on PATH', fix: 'optional: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html (the lab can run each command for you)' });

  if (target === 'local' && awsCli) {
    const cli = await awsCliConfig();
    const ok = cli.credentials && cli.region;
    const has = [cli.credentials ? 'credentials' : 'no credentials', cli.region ? 'a region' : 'no region'].join(', ');
    found.push({ name: 'aws CLI configuration (region and any credentials)', ok, needed: false, found: has, fix: "in the terminal where you run the lab's aws commands:", fixCommand: LOCAL_AWS_ENV });
  }

  if (target === 'local') {
    // a state file the cloud cannot load stops every start and deploy (core/state-file.ts)
    const { damagedStateFiles } = await import('../emulator/core/state-file.js');
    const damaged = damagedStateFiles(ws.stateDir);
    found.push({
      name: 'local cloud state',
      ok: damaged.length === 0,
      needed: true,
      found: damaged.length ? damaged.map((d) => `${d.path}: ${d.why}`).join('; ') : existsSync(ws.stateDir) ? `the state files of ${ws.stateDir} load` : 'none yet',
      fix: `move ${damaged.length === 1 ? 'that file' : 'those files'} away (the cloud then starts without what ${damaged.length === 1 ? 'it' : 'they'} held), or wipe the local cloud with ${labCommand(['reset', '--yes'], { workspace: ws.root, target: 'local' })} (your sam-app/ is kept)`,
    });
    const { emulatorStatus, stoppedUnexpectedly, unresponsiveEmulator } = await import('../emulator/daemon.js');
    const st = await emulatorStatus(ws.stateDir).catch(() => undefined);
    if (st?.running) {
      let health = 'no answer';
      let ok = false;
      try {
        const res = await fetch(`${st.endpoint}/_lab/health`, { signal: AbortSignal.timeout(3000) });
        ok = res.ok;
        health = ok ? `answers at ${st.endpoint} (pid ${st.pid}, speed ${st.record.speed}x)` : `HTTP ${res.status}`;
      } catch (err) {
        health = (err as Error).message;
      }
      found.push({ name: 'local cloud', ok, needed: true, found: health, fix: `${cliCommand(['emulator', 'stop', '--workspace', ws.root])}, then start again` });
    } else if (st?.unresponsive !== undefined) {
      // alive and holding the workspace, so start and deploy cannot start another: a failure, in
      // the words every command gives for it (emulator status, status)
      const err = unresponsiveEmulator(ws.stateDir, st.unresponsive);
      found.push({ name: 'local cloud', ok: false, needed: true, found: err.message, fix: err.hint });
    } else if (st?.stale) {
      // killed, crashed or lost to a restart: a fact, not a failure (start and deploy start it again)
      found.push({ name: 'local cloud', ok: true, needed: false, found: `${stoppedUnexpectedly(ws.stateDir, st.stale)}; start and deploy start it again with its saved state` });
    } else {
      found.push({ name: 'local cloud', ok: true, needed: false, found: 'not running (start and deploy start it)' });
    }
  } else {
    const profile = opts.profile as string | undefined;
    // the SAM CLI, the region and credentials: the checks every command on the aws target makes
    // first (aws-preflight.ts), each said whatever the others found
    const pre = await awsPrerequisites({ profile, region: opts.region as string | undefined });
    for (const p of pre.found) found.push({ name: p.name, ok: p.ok, needed: true, found: p.found, fix: p.error?.hint, verdict: 'missing' });
    const credentials = found.find((f) => f.name === 'credentials')!;
    // required here, on the aws target only (targets/clients.ts: not by import, which lexes the whole bundle)
    const { GetAccountSettingsCommand, LambdaClient } = lambdaSdk();
    const lambda = new LambdaClient(clientConfig({ kind: 'aws', profile, region: opts.region as string | undefined }));
    try {
      // found in the chain: now does AWS accept them?
      if (pre.region && credentials.ok) {
        try {
          const s = await lambda.send(new GetAccountSettingsCommand({}), { abortSignal: AbortSignal.any([AbortSignal.timeout(10_000), interrupt.signal]) });
          const limit = s.AccountLimit?.ConcurrentExecutions ?? 0;
          const unreserved = s.AccountLimit?.UnreservedConcurrentExecutions ?? 0;
          credentials.found = `accepted${profile ? ` (profile ${profile})` : ''}`;
          found.push({
            name: 'Lambda concurrency quota',
            ok: unreserved - 25 >= 100,
            needed: false,
            found: `${limit} concurrent executions, ${unreserved} unreserved`,
            fix: 'the concurrency step adapts and reserves less than 25; for the workshop figures ask AWS Support for a higher "Concurrent executions" quota',
          });
        } catch (err) {
          const e = err as Error & { code?: string };
          // AWS not reached (offline, a timeout) says nothing of the credentials: could not check
          const unreached = /Timeout|Abort|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(`${e.name} ${e.code ?? ''} ${e.message}`);
          Object.assign(credentials, { ok: false, verdict: 'refused by AWS', unchecked: unreached, found: `${e.name}: ${e.message.split('\n')[0]}`, fix: unreached ? 'check the network: AWS did not answer' : '`aws configure`, `aws sso login`, or --profile P' });
        }
      }
      if (awsCli) {
        const { execa } = await import('execa');
        const id = await execa('aws', ['sts', 'get-caller-identity', '--query', 'Account', '--output', 'text', ...(profile ? ['--profile', profile] : [])], { reject: false, timeout: 10_000 });
        found.push({ name: 'account', ok: id.exitCode === 0, needed: false, found: id.exitCode === 0 ? id.stdout.trim() : 'unknown', fix: 'aws sts get-caller-identity says why' });
      }
    } finally {
      lambda.destroy();
    }
  }

  if (!blockOnly) {
    for (const f of found) {
      if (!f.ok && !f.needed) {
        // a recommendation is not a failure: a warning (its own mark), with its fix
        io.warn(`${f.name}: ${f.found} — recommended${f.fix ? `: ${f.fix}` : ''}`);
      } else if (f.ok) io.check({ name: `${f.name}: ${f.found}`, status: 'passed' });
      // a failure checked is a failure (✗ failed, missing), not "could not check"
      else if (f.unchecked) io.check({ name: `${f.name}: ${f.found}`, status: 'could-not-check', what: `check ${f.name}`, fix: f.fix });
      else io.check({ name: `${f.name}: ${f.found}`, status: 'not-yet', verdict: f.verdict ?? 'failed', fix: f.fix });
      if (!f.ok && f.fixCommand) io.command(f.fixCommand);
    }
  }
  if (blockOnly || reportFile !== undefined) {
    const block = [
      '```',
      `serverless-ops-lab ${labVersion} doctor --target ${target}`,
      `node ${process.versions.node} · ${platform()} ${release()} ${arch()}`,
      ...found.map((f) => `${f.ok ? 'ok  ' : f.needed ? 'FAIL' : 'warn'} ${f.name}: ${f.found}`),
      '```',
    ].join('\n');
    // no keys, tokens or environment: names and versions only
    if (blockOnly) io.result(block);
    else reportTo(reportFile!, `${block}\n`, io, target, ws.root);
  }
  const missing = found.filter((f) => f.needed && !f.ok);
  if (missing.length) throw new LabError(`${missing.length} thing(s) the lab needs: ${missing.map((m) => m.name).join(', ')}`, undefined, missingHint(missing));
  const recommended = found.filter((f) => !f.needed && !f.ok).length;
  if (!blockOnly) io.say(`everything the lab needs is here${recommended ? `; ${recommended} recommendation${recommended === 1 ? '' : 's'}` : ''}`);
}

/**
 * The closing error's way out: one thing's fix as it is; several, each on its line under its name
 * (`- region: pass --region …`), as the aws preflight lists them. The first one's fix alone left
 * the learner fixing one thing per run; under --report, where no check is printed, the rest were
 * nowhere. A fix's command goes on a line of its own (`$ …`), to be pasted whole.
 */
export function missingHint(missing: Finding[]): string | undefined {
  const fix = (f: Finding): string[] => [...(f.fix ? [f.fix] : []), ...(f.fixCommand ? [`$ ${f.fixCommand}`] : [])];
  if (missing.length === 1) return fix(missing[0]!).join('\n') || undefined;
  return missing.flatMap((f) => {
    const [first, ...rest] = fix(f);
    return [`- ${f.name}: ${first ?? f.found}`, ...rest];
  }).join('\n');
}

/** the workspace's .lab files parse: a damaged one stops start, deploy, list and status (workspace.ts readJsonFile) */
export function labFilesFinding(ws: Workspace): Finding {
  const files = [progressPath(ws), ws.names, ws.deployRecord];
  const present = files.filter((f) => existsSync(f));
  for (const file of present) {
    try {
      readJsonFile(file);
    } catch (err) {
      if (!(err instanceof LabError)) throw err;
      return { name: 'workspace files', ok: false, needed: true, found: err.message, fix: err.hint };
    }
  }
  return { name: 'workspace files', ok: true, needed: true, found: present.length ? `${present.map((f) => basename(f)).join(', ')} read` : 'none yet' };
}

/** sam-app/template.yaml can be read: deploy, the checks and "do it for me" all read it */
export function templateFinding(ws: Workspace): Finding {
  if (!existsSync(ws.template)) return { name: 'sam-app/template.yaml', ok: true, needed: true, found: 'not created yet (start and deploy copy the lab\'s app)' };
  try {
    readFileSync(ws.template);
  } catch (err) {
    const e = asFileSystemError(err, ws.template, 'read');
    return { name: 'sam-app/template.yaml', ok: false, needed: true, found: (e as Error).message, fix: e instanceof LabError ? e.hint : 'check that file' };
  }
  return { name: 'sam-app/template.yaml', ok: true, needed: true, found: 'readable' };
}

/** below this, progress, the cloud's state and the deploy packages may not fit (a full disk cuts writes short) */
export const MIN_FREE_BYTES = 50 * 1024 * 1024;

/** free space on the workspace's disk (statfs of the workspace, or the folder it will be made in) */
export function freeSpaceFinding(root: string, statfs: typeof statfsSync = statfsSync): Finding {
  let at = root;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const name = 'free space';
  let free: number;
  try {
    const st = statfs(at);
    free = Number(st.bavail) * Number(st.bsize);
  } catch (err) {
    return { name, ok: false, needed: true, unchecked: true, found: `cannot tell: ${(err as Error).message}`, fix: `check the disk of ${at} (df -h)` };
  }
  const mb = Math.floor(free / (1024 * 1024));
  return {
    name,
    ok: free >= MIN_FREE_BYTES,
    needed: true,
    found: `${mb} MB free on the disk of ${at}`,
    fix: `free at least ${MIN_FREE_BYTES / (1024 * 1024)} MB on that disk (df -h ${at}): the lab writes its progress, the local cloud's state and the deploy packages there`,
  };
}

function reportTo(file: string, text: string, io: { say(line: string): void }, target: string, workspace: string): void {
  try {
    atomicWrite(file, text);
  } catch (err) {
    const again = cliCommand(['doctor', ...(target === 'aws' ? ['--target', 'aws'] : []), '--workspace', workspace, '--report']);
    throw new LabError(`the report was not written to ${file}: ${(err as Error).message}`, ExitCode.environment, `\`${again}\` prints it on stdout`);
  }
  io.say(`report written to ${file}`);
}
