/**
 * A workspace's cloud stops while a command talks to it, and another workspace's cloud takes its
 * port (4566 is every cloud's first choice): the command must not go on into the other cloud. It
 * did: a deploy whose cloud was killed created its bucket, function and API in the other
 * workspace's cloud and succeeded (deploy-cloud-died failed so when run beside
 * cli/cloud-unresponsive). Now each call names its state dir (emulator/cloud-identity.ts), the
 * other cloud refuses it with 421, and the deploy says its cloud stopped, which cloud holds the
 * port, and the two ways on; exit 3, nothing recorded, nothing made in the other cloud.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, LabError } from '../../src/errors.js';
import { workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { lambdaSdk, s3Sdk, TargetClients } from '../../src/targets/clients.js';
import { deployLocal } from '../../src/targets/deployers/local.js';
import { silentLog, type DeployLog } from '../../src/targets/deployers/types.js';
import { CLI, killAndWait, removeWorkspace } from '../helpers/cli.js';

let ours: Workspace;
let theirs: Workspace;
const temp: string[] = [];
before(() => {
  ours = workspacePaths(mkdtempSync(join(tmpdir(), 'sol-wrongcloud-')));
  theirs = workspacePaths(mkdtempSync(join(tmpdir(), 'sol-wrongcloud-')));
  temp.push(ours.root, theirs.root);
});
after(async () => {
  for (const d of temp) await removeWorkspace(d);
});

test('the cloud killed mid-deploy and another workspace\'s cloud started on its port: the deploy does not go on into it; it says which cloud holds the port and how to go on; exit 3', { skip: process.platform !== 'linux' }, async () => {
  let other: { endpoint: string; port: number; pid: number } | undefined;
  const log: DeployLog = {
    info(line) {
      const m = /embedded cloud started at (http:\/\/127\.0\.0\.1:(\d+)) \(pid (\d+)\)/.exec(line);
      if (!m) return;
      killAndWait(Number(m[3]));
      // the other workspace's cloud, on the port just freed, before the deploy's first call
      const started = spawnSync(process.execPath, [CLI, 'emulator', 'start', '--workspace', theirs.root, '--port', m[2]!, '--json'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(started.status, 0, started.stderr);
      other = JSON.parse(started.stdout) as typeof other;
      assert.equal(other!.endpoint, m[1]);
    },
    warn() {},
  };
  await assert.rejects(deployLocal({ workspace: ours, stackName: 'lab', log, emulator: { port: 0 } }), (err: LabError) => {
    assert.ok(err instanceof LabError, String(err));
    assert.equal(err.exitCode, ExitCode.environment);
    assert.match(err.message, /^deploy failed while creating bucket \S+: the embedded cloud stopped \(see its log: .*[/\\]\.lab[/\\]state[/\\]emulator\.log\)$/);
    const hint = err.hint ?? '';
    assert.ok(hint.includes(`port ${other!.port} is held by the local cloud of another workspace ${theirs.root} (pid ${other!.pid}): the cloud of workspace ${ours.root} stopped`), hint);
    assert.ok(hint.includes(`; run deploy again: it starts the cloud with its saved state (on another port while ${other!.port} is taken) and picks up where it stopped; `), hint);
    assert.match(hint, new RegExp(`or stop the other one first with \`.*emulator stop --workspace ${theirs.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`$`));
    return true;
  });
  assert.ok(!existsSync(ours.deployRecord), 'nothing recorded');
  // nothing of this workspace's went into the other cloud
  const there = new TargetClients({ kind: 'local', endpoint: other!.endpoint });
  try {
    assert.deepEqual((await there.s3.send(new (s3Sdk().ListBucketsCommand)({}))).Buckets ?? [], []);
    assert.deepEqual((await there.lambda.send(new (lambdaSdk().ListFunctionsCommand)({}))).Functions ?? [], []);
  } finally {
    there.destroy();
  }
  // run again, as the hint says: this workspace's own cloud, elsewhere
  const again = await deployLocal({ workspace: ours, stackName: 'lab', log: silentLog, emulator: { port: 0 } });
  assert.notEqual(new URL(again.endpoint).port, String(other!.port));
});

test('a cloud serves the lab\'s calls meant for it (by any path to its state dir) and calls that name none (the aws CLI); one meant for another state dir is refused, naming it', { skip: process.platform !== 'linux' }, async () => {
  const started = spawnSync(process.execPath, [CLI, 'emulator', 'start', '--workspace', theirs.root, '--port', '0', '--json'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(started.status, 0, started.stderr);
  const { endpoint, pid } = JSON.parse(started.stdout) as { endpoint: string; pid: number };
  const parent = mkdtempSync(join(tmpdir(), 'sol-wrongcloud-link-'));
  temp.push(parent);
  const link = join(parent, 'ws');
  symlinkSync(theirs.root, link);
  const list = async (stateDir?: string) => {
    const c = new TargetClients({ kind: 'local', endpoint, ...(stateDir ? { stateDir } : {}) });
    try {
      return await c.lambda.send(new (lambdaSdk().ListFunctionsCommand)({}));
    } finally {
      c.destroy();
    }
  };
  await list(theirs.stateDir);
  await list(join(link, '.lab', 'state'));
  await list(undefined);
  await assert.rejects(list(ours.stateDir), (err: LabError & { other?: unknown }) => {
    assert.equal(err.name, 'WrongCloudError', String(err));
    assert.deepEqual(err.other, { stateDir: theirs.stateDir, pid, port: new URL(endpoint).port, stop: (err.other as { stop: string }).stop });
    assert.match((err.other as { stop: string }).stop, new RegExp(`emulator stop --workspace ${theirs.root}$`));
    assert.match(err.message, new RegExp(`^port \\d+ is held by the local cloud of another workspace ${theirs.root} \\(pid ${pid}\\): the cloud of workspace ${ours.root} stopped`));
    assert.equal(err.exitCode, ExitCode.environment);
    return true;
  });
});
