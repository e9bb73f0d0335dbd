/**
 * `deploy` and `status` end to end on the local target: the built CLI in a temporary workspace,
 * its background emulator, and requests through the printed URL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeWorkspace, runCli } from '../helpers/cli.js';

let ws: string;
let apiUrl: string;
let bucket: string;

const labelsOf = (image: string) =>
  (JSON.parse(readFileSync(new URL(`../../../sam-app/samples/${image}.labels.json`, import.meta.url), 'utf8')) as { Labels: { Name: string }[] }).Labels.map((l) => l.Name);

async function getInfo(key: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(apiUrl, { method: 'POST', body: JSON.stringify({ bucket, key }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function status(): Promise<{ functions: { aliases: { name: string; version: string }[]; versions: string[] }[] } & Record<string, unknown>> {
  const r = await runCli(['status', '--workspace', ws, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

before(() => {
  ws = mkdtempSync(join(tmpdir(), 'sol-deploy-'));
});

after(async () => {
  await removeWorkspace(ws);
});

test('status before any deploy: a clear message, exit 1', async () => {
  const r = await runCli(['status', '--workspace', ws]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nothing deployed from .* yet/);
  // the command as this shell runs it (test/cli/invocation.test.ts): here `node dist/src/cli.js`
  assert.match(r.stderr, /\n {4}\$ node \S+cli\.js deploy --workspace /);
});

test('first deploy: prints the local ApiUrl, and the URL answers with the image labels', async () => {
  const r = await runCli(['deploy', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  const m = /^ApiUrl: (http:\/\/127\.0\.0\.1:\d+\/execute-api\/[a-z0-9]+\/Prod\/getinfo)$/m.exec(r.stdout);
  assert.ok(m, r.stdout);
  apiUrl = m[1];
  bucket = /^ImagesBucket: (\S+)$/m.exec(r.stdout)![1];
  assert.match(r.stdout, /^FunctionName: ServerlessOps-stack-GetInfoFunction-[A-Z0-9]{12}$/m);
  assert.match(r.stdout, /created\s+AWS::Lambda::Function .* published Lambda version 1/);
  assert.match(r.stdout, new RegExp(`^Endpoint: ${new URL(apiUrl).origin.replace(/[.]/g, '\\.')}$`, 'm'));

  const res = await getInfo('someguy.jpg');
  assert.equal(res.status, 200);
  assert.deepEqual((res.body.Labels as { Name: string }[]).map((l) => l.Name), labelsOf('someguy'));
});

test('second deploy with no change publishes no version', async () => {
  const r = await runCli(['deploy', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /unchanged\s+AWS::Lambda::Function .* version 1 \(no new version\)/);
  assert.doesNotMatch(r.stdout, /published Lambda version/);
  assert.match(r.stdout, new RegExp(`^ApiUrl: ${apiUrl.replace(/[.?]/g, '\\$&')}$`, 'm'));
  const s = await status();
  assert.deepEqual(s.functions[0].versions, ['1']);
});

test('an edit to src/app.mjs: a new version, the alias on it, the new behaviour served', async () => {
  const app = join(ws, 'sam-app', 'src', 'app.mjs');
  const code = readFileSync(app, 'utf8');
  assert.ok(code.includes('Labels: labels.Labels ?? [],'));
  writeFileSync(app, code.replace('Labels: labels.Labels ?? [],', "Labels: labels.Labels ?? [], Edited: 'yes',"));
  const r = await runCli(['deploy', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /updated\s+AWS::Lambda::Function .* code changed; published Lambda version 2/);
  assert.match(r.stdout, /updated\s+AWS::Lambda::Alias .* moved from Lambda version 1 to 2/);
  const res = await getInfo('someguy.jpg');
  assert.equal(res.status, 200);
  assert.equal(res.body.Edited, 'yes');
});

test('status --json: target, endpoint, outputs, aliases and versions, emulator', async () => {
  const s = await status();
  assert.equal(s.target, 'local');
  assert.match(s.endpoint as string, /^http:\/\/127\.0\.0\.1:\d+$/);
  const outputs = s.outputs as Record<string, string>;
  assert.equal(outputs.ApiUrl, apiUrl);
  assert.equal(outputs.ImagesBucket, bucket);
  assert.match(outputs.FunctionName, /GetInfoFunction/);
  assert.deepEqual(s.functions[0].versions, ['1', '2']);
  assert.deepEqual(s.functions[0].aliases, [{ name: 'live', version: '2', weights: {} }]);
  assert.equal((s.emulator as { running: boolean }).running, true);
  assert.equal(s.live, true);

  const human = await runCli(['status', '--workspace', ws]);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /alias live → Lambda version 2/);
  assert.match(human.stdout, /^ApiUrl: /m);
});

test('a malformed template: an error with file:line:col, exit 1', async () => {
  const tpl = join(ws, 'sam-app', 'template.yaml');
  const good = readFileSync(tpl, 'utf8');
  try {
    writeFileSync(tpl, good.replace('      Handler: app.handler\n', '      Handler: app.handler\n     Broken: [\n'));
    const r = await runCli(['deploy', '--workspace', ws]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /template\.yaml:\d+:\d+: /);
    assert.doesNotMatch(r.stderr, /    at /); // no stack trace
  } finally {
    writeFileSync(tpl, good);
  }
});

test('a missing handler file: an error naming it, and nothing changed', async () => {
  const app = join(ws, 'sam-app', 'src', 'app.mjs');
  const record = readFileSync(join(ws, '.lab', 'deploy.json'), 'utf8');
  renameSync(app, `${app}.away`);
  try {
    const r = await runCli(['deploy', '--workspace', ws]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /handler file not found: .*sam-app[/\\]src[/\\]app\.mjs/);
  } finally {
    renameSync(`${app}.away`, app);
  }
  assert.equal(readFileSync(join(ws, '.lab', 'deploy.json'), 'utf8'), record);
  const s = await status();
  assert.deepEqual(s.functions[0].versions, ['1', '2']);
  assert.equal(s.functions[0].aliases[0].version, '2');
});

test('emulator stop --workspace ends the cloud that deploy started', async () => {
  const r = await runCli(['emulator', 'stop', '--workspace', ws]);
  assert.equal(r.code, 0, r.stderr);
  const s = await status();
  assert.deepEqual(s.emulator, { running: false, pid: null, stoppedUnexpectedly: null, unresponsive: null });
  assert.equal(s.live, false);
  const human = await runCli(['status', '--workspace', ws]);
  assert.match(human.stdout, /embedded cloud: not running/);
  assert.match(human.stdout, /emulator start --workspace/);
});

// the machine refusing the new workspace's folder is the environment (exit 3), as an existing
// workspace it cannot write is: it exited 1. sysfs refuses a folder even to root (EPERM; EROFS
// where /sys is mounted read-only), which a chmod does not (root ignores it: the next test)
test('a new workspace the machine refuses (sysfs: operation not permitted): exit 3, in its words', { skip: process.platform !== 'linux' }, async () => {
  const r = await runCli(['deploy', '--workspace', '/sys/serverless-ops-lab-nope'], { timeoutMs: 15_000 });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^error: cannot use workspace \/sys\/serverless-ops-lab-nope: (operation not permitted \(EPERM\)|the file system is read-only \(EROFS\))\n/);
  assert.doesNotMatch(r.stderr, /    at /);
});

test('a new workspace in a folder the user cannot write to: permission denied, exit 3', { skip: process.platform === 'win32' || process.getuid?.() === 0 ? 'root (or Windows) ignores a chmod 555 folder' : false }, async () => {
  const parent = mkdtempSync(join(tmpdir(), 'sol-ro-parent-'));
  try {
    chmodSync(parent, 0o555);
    const r = await runCli(['deploy', '--workspace', join(parent, 'ws')], { timeoutMs: 15_000 });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^error: cannot use workspace .*\/ws: permission denied \(EACCES\)\n/);
  } finally {
    chmodSync(parent, 0o755);
    rmSync(parent, { recursive: true, force: true });
  }
});

// Node 20's recursive mkdir never returns for a path under /proc; the workspace must be refused at once.
test('a workspace that cannot be created: one line, exit 1', { skip: process.platform !== 'linux' }, async () => {
  const r = await runCli(['deploy', '--workspace', '/proc/serverless-ops-lab-nope'], { timeoutMs: 15_000 });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: cannot use workspace \/proc\/serverless-ops-lab-nope: /);
  assert.doesNotMatch(r.stderr, /    at /);
});
