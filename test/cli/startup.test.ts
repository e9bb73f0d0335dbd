import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { MAIN_SCRIPT } from '../../src/emulator/config.js';
import { requiresEsmQuietly } from '../../src/io/word-wrap.js';
import { removeWorkspace } from '../helpers/cli.js';
import { builtLines } from '../helpers/built.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/src/cli.js');
const tracer = join(root, 'test/fixtures/trace-loads.mjs');

/** `exitCode`: the run must end with it (default 0) */
async function loadsOf(args: string[], exitCode = 0): Promise<{ stdout: string; stderr: string; loaded: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sol-startup-'));
  const file = join(dir, 'loads.txt');
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', tracer, cli, ...args], {
      // as a learner's shell has it: without npm test's switch for the SDK's Node-version notice
      env: { ...process.env, TRACE_LOADS_FILE: file, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined },
      timeout: 120_000,
    }).then(
      (r) => (exitCode === 0 ? r : assert.fail(`${args.join(' ')}: exit 0, not ${exitCode}`)),
      (err: { code?: number; stdout: string; stderr: string }) => {
        if (err.code !== exitCode || exitCode === 0) throw err;
        return err;
      },
    );
    return { stdout, stderr, loaded: readFileSync(file, 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const args of [['--help'], ['--version'], ['loadtest', '--help']]) {
  // nor wrap-ansi, whose width tables were 50 ms of CPU of a 230 ms --help (help-text.ts wraps
  // its plain prose with commander's own wrapper)
  test(`${args.join(' ')} loads no AWS SDK, no emulator code and no wrap-ansi`, async () => {
    const { stdout, loaded } = await loadsOf(args);
    assert.ok(stdout.length > 0);
    const heavy = loaded.filter((u) => /@aws-sdk|@smithy|\/dist\/src\/(emulator|target|template|loadtest)\/|\/(wrap-ansi|string-width|get-east-asian-width)\//.test(u));
    assert.deepEqual(heavy, []);
    assert.ok(loaded.some((u) => u.includes('commander')), 'the tracer saw the modules that were loaded');
  });
}

// piped, the plain face never wraps (an infinite width) nor colours: wrap-ansi and its width tables
// (some 50 ms of a command's CPU) are loaded at the first wrap at a finite width (io/word-wrap.ts),
// chalk (some 20 ms) at the first colour (io/terminal.ts), not with the faces; on a Node that cannot
// require an ES module quietly they still load with them
test('piped, status, emulator status, list and a refused emulator start load no wrap-ansi and no chalk', { skip: !requiresEsmQuietly() && 'this Node loads wrap-ansi with the faces' }, async () => {
  const ws = mkdtempSync(join(tmpdir(), 'sol-startup-plain-'));
  try {
    for (const [args, code] of [
      [['status', '--workspace', ws], 1],
      [['emulator', 'status', '--workspace', ws], 1],
      [['list', '--workspace', ws], 0],
      [['emulator', 'start', '--workspace', ws, '--speed', 'fast'], 2],
    ] as const) {
      const { loaded } = await loadsOf([...args], code);
      assert.ok(loaded.some((u) => u.endsWith('/dist/src/io/format.js')), `${args.join(' ')}: the tracer saw the faces' renderers`);
      assert.deepEqual(loaded.filter((u) => /\/(wrap-ansi|string-width|get-east-asian-width|chalk)\//.test(u)), [], args.join(' '));
    }
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('--version prints the package version', async () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const { stdout } = await run(process.execPath, [cli, '--version']);
  assert.equal(stdout.trim(), pkg.version);
});

test('an unknown command or flag prints usage and exits 2, with no stack trace', async () => {
  for (const args of [['frobnicate'], ['--frobnicate'], ['loadtest']]) {
    const err = await run(process.execPath, [cli, ...args]).then(
      () => assert.fail(`${args.join(' ')} should fail`),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(err.code, 2, args.join(' '));
    assert.match(err.stderr, /error|usage/i);
    assert.doesNotMatch(err.stderr, /\n\s+at /, 'no stack trace');
  }
});

// autocannon (and its hdr-histogram-js, pako…) is loaded by a run that sends requests only: a step
// reset and start load the lab's steps, which import the load test, and a refused -n sends nothing.
// The steps' SDK clients are required through targets/clients.ts when a command is first made, not
// imported: an ESM import of a CommonJS bundle first lexes the whole file for its named exports
// (0.43 s of CPU for three clients against 0.2 s by require), and a reset of a workspace with
// nothing deployed asks AWS nothing, so it required four packages (0.18 s of CPU) for nothing
test('a step reset loads the steps and no SDK client (nothing deployed: it calls none), no yaml, no diff; it and a refused loadtest load no autocannon', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'sol-startup-reset-'));
  try {
    mkdirSync(join(ws, '.lab')); // a lab's workspace, with nothing deployed
    const reset = await loadsOf(['reset', 'deploy', '--yes', '--workspace', ws]);
    assert.match(`${reset.stdout}${reset.stderr}`, /deploy and the steps after it are pending again/);
    const steps = summary(reset.loaded);
    assert.ok(steps.ours.includes('steps/canary.js') && steps.ours.includes('steps/shared/alarms.js'), 'reset deploy loads the steps (for their reset words)');
    assert.deepEqual(steps.clients, [], 'loading the steps requires no SDK client: each is required when a command is first made');
    assert.deepEqual(importedClients(reset.loaded), [], 'the steps import no SDK client through the ESM loader');
    // nor the template's yaml or jsdiff: each is required when a template is parsed or a diff made
    assert.ok(steps.ours.includes('template/yaml.js') && steps.ours.includes('lab/reference.js'), 'the tracer saw the modules that use them');
    assert.deepEqual(reset.loaded.filter((u) => /node_modules\/(yaml|diff)\//.test(u)), [], 'reset deploy loads no yaml and no diff');
    const refused = await loadsOf(['loadtest', '-n', '5', 'http://127.0.0.1:9/'], 2);
    assert.match(refused.stderr, /^error: -n cannot be less than -c/);
    for (const [what, loaded] of [['reset deploy', reset.loaded], ['loadtest -n 5', refused.loaded]] as const) {
      assert.ok(loaded.some((u) => u.endsWith('/dist/src/loadtest/run.js')), `${what} loads the load test's module`);
      assert.deepEqual(loaded.filter((u) => /node_modules\/(autocannon|hdr-histogram-js)\//.test(u)), [], what);
    }
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

// list and a step named on the command line answer from the lab's outline (steps/outline.ts): the
// steps' modules load all of the lab's code and the SDK's clients, 0.9 s of CPU before list printed
test('list and a mistyped step (reset, step, start --from) load no step code and no SDK client', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'sol-startup-list-'));
  try {
    const list = await loadsOf(['list', '--workspace', ws]);
    assert.match(list.stdout, /^14 +wrap-up\b/m);
    assert.match(list.stdout, /no progress yet/);
    const runs: [string, string[]][] = [['list', list.loaded]];
    for (const args of [['reset', 'nosuch'], ['step', 'nosuch', '--workspace', ws], ['start', '--from', 'nosuch', '--workspace', ws]]) {
      const r = await loadsOf(args, 2);
      assert.match(r.stderr, /^error: no step "nosuch"\n {2}a step by its number .*\n {2}1 deploy, 2 blue-green, [^]* {2}or a chapter: deploy, blue-green, hooks-alarms, canary, concurrency, wrap-up$/m);
      runs.push([args.join(' '), r.loaded]);
    }
    for (const [what, loaded] of runs) {
      const s = summary(loaded);
      assert.deepEqual(s.ours.filter((f) => f.startsWith('steps/') && f !== 'steps/outline.js'), [], `${what} loads no step's code`);
      assert.deepEqual(s.clients, [], `${what} loads no SDK client`);
      assert.ok(s.ours.includes('steps/outline.js'), `${what}: the tracer saw the outline`);
    }
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

/** the SDK client files the ESM loader loaded (an `import`), not require */
function importedClients(loaded: readonly string[]): string[] {
  return loaded.filter((u) => u.startsWith('file:') && /node_modules\/@aws-sdk\/client-/.test(u));
}

// what the traces above do not run (the aws target's deployers, doctor's account check, reset's
// stack delete) is held to it by reading the built code: tsc emits an import on one line
test('no module imports an SDK client: every one goes through targets/clients.ts', () => {
  assert.ok(readFileSync(join(root, 'dist/src/targets/clients.js'), 'utf8').includes("sdk('@aws-sdk/client-lambda')"), 'the scan reads the built code');
  assert.deepEqual(builtLines('', /^import .*from '@aws-sdk\/client-|\bimport\('@aws-sdk\/client-/), []);
});

/** the SDK clients and our own files among what a command loaded */
function summary(loaded: string[]): { clients: string[]; ours: string[] } {
  const clients = new Set<string>();
  const ours = new Set<string>();
  for (const u of loaded) {
    const client = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(u);
    if (client) clients.add(client[1]);
    const own = /\/dist\/src\/(.+\.js)$/.exec(u);
    if (own) ours.add(own[1]);
  }
  return { clients: [...clients].sort(), ours: [...ours].sort() };
}

/**
 * emulator files the CLI side may load: constants, the record, the daemon that spawns the cloud's
 * entry (background.cjs) by path, and the header by which a call names its cloud (cloud-identity)
 */
const CLI_SIDE_EMULATOR = new Set(['emulator/config.js', 'emulator/daemon.js', 'emulator/process-record.js', 'emulator/state-dir.js', 'emulator/state-lock.js', 'emulator/front-door-url.js', 'emulator/cloud-identity.js']);

describe('deploy and status load only what they use', () => {
  let ws: string;
  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'sol-startup-ws-'));
  });
  after(async () => {
    await removeWorkspace(ws);
  });

  for (const [name, args, clients] of [
    ['a first deploy (starts the cloud)', ['deploy'], undefined],
    ['deploy with no change', ['deploy'], undefined],
    // status reads functions (Lambda), the latest deployment (CodeDeploy) and alarms (CloudWatch);
    // the API's stage (API Gateway) only once the canary chapter has begun, which this workspace has not
    ['status', ['status'], ['client-lambda', 'client-codedeploy', 'client-cloudwatch']],
  ] as const) {
    test(`${name}: no emulator server code, only the SDK clients it calls`, async () => {
      const { stdout, stderr, loaded } = await loadsOf([...args, '--workspace', ws]);
      assert.match(stdout, /ApiUrl: http/, stderr);
      const notices = `${stdout}${stderr}`.split('NodeVersionSupportWarning').length - 1;
      assert.ok(notices <= 1, `the SDK's Node-version notice at most once per process, seen ${notices} times`);
      const s = summary(loaded);
      const emulator = s.ours.filter((f) => f.startsWith('emulator/') && !CLI_SIDE_EMULATOR.has(f));
      assert.deepEqual(emulator, [], 'the CLI side loads no emulator code beyond config, record and daemon');
      assert.ok(s.ours.includes('emulator/config.js'), 'the tracer saw our own files');
      assert.ok(s.clients.includes('client-lambda'), 'the tracer saw lazily required SDK packages');
      // the bundled app needs no Rekognition or CloudFormation client to deploy or to report
      for (const unused of ['client-rekognition', 'client-cloudformation']) assert.ok(!s.clients.includes(unused), `${unused} loaded`);
      if (name === 'status') {
        for (const unused of ['client-s3', 'client-api-gateway']) assert.ok(!s.clients.includes(unused), `status loaded ${unused}`);
      }
      // the clients are required (targets/clients.ts), not imported: an ESM import of a CommonJS
      // bundle first lexes the whole file for its named exports: 0.29 s of status's 0.83 s of CPU
      assert.deepEqual(importedClients(loaded), [], `${name} imports no SDK client through the ESM loader`);
      if (clients) {
        const extra = s.clients.filter((c) => !(clients as readonly string[]).includes(c));
        assert.deepEqual(extra, [], `${name} loads only the clients it calls`);
      }
    });
  }
});

// the cloud itself (the background entry deploy spawns): the yaml package reads a CodeDeploy AppSpec
// only, so it is required when one is first read, not at every cloud's start (0.08 s of its 0.5 s
// of CPU), and cbor2 is loaded at the first RPC v2 CBOR call (0.07 s); test/emulator/codedeploy
// reads AppSpecs, YAML and JSON, and test/emulator/cloudwatch/protocols calls in CBOR; fflate unpacks
// a function's zip when its code arrives (CreateFunction, UpdateFunctionCode: test/emulator/lambda)
test('the cloud starts without the yaml, cbor2 and fflate packages: each is loaded when first needed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-startup-cloud-'));
  const file = join(dir, 'loads.txt');
  try {
    const options = { stateDir: join(dir, 'state'), port: 0, host: '127.0.0.1', speed: 1, throttleStatus: 500, accountConcurrency: 1000, mode: 'background' };
    const child = spawn(process.execPath, ['--import', tracer, fileURLToPath(MAIN_SCRIPT), JSON.stringify(options)], {
      env: { ...process.env, TRACE_LOADS_FILE: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    let out = '';
    child.stderr.on('data', (chunk) => (out += String(chunk)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        out += String(chunk);
        if (/listening on http/.test(out)) resolve();
      });
      void exited.then(() => reject(new Error(`the cloud exited before it listened: ${out}`)));
    });
    child.kill('SIGTERM');
    await exited;
    const loaded = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    assert.ok(loaded.some((u) => u.endsWith('/dist/src/emulator/services/codedeploy/appspec.js')), 'the tracer saw the AppSpec module');
    assert.ok(loaded.some((u) => u.endsWith('/dist/src/emulator/protocols/rpcv2-cbor.js')), 'the tracer saw the CBOR codec');
    // nor fflate: a function's zip is unpacked when its code arrives, never at a start (16 ms of its CPU)
    assert.ok(loaded.some((u) => u.endsWith('/dist/src/emulator/services/lambda/code.js')), 'the tracer saw the code packages');
    assert.deepEqual(loaded.filter((u) => /node_modules\/(yaml|cbor2|fflate)\//.test(u)), []);
    // a background cloud's log has no colour: no chalk (io/terminal.ts requires it at the first colour)
    if (requiresEsmQuietly()) assert.deepEqual(loaded.filter((u) => /node_modules\/chalk\//.test(u)), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
