/** `status`'s text on fixed inputs: reserved concurrency explained, the endpoint, colour only when asked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStatus } from '../../src/commands/status-format.js';
import type { FunctionStatus, WorkspaceStatus } from '../../src/targets/status.js';

function status(fns: Partial<FunctionStatus>[], over: Partial<WorkspaceStatus> = {}): WorkspaceStatus {
  return {
    target: 'local',
    endpoint: 'http://127.0.0.1:40689',
    stackName: 'ServerlessOps-stack',
    region: 'us-east-1',
    deployedAt: '2025-01-01T00:00:00.000Z',
    outputs: { ApiUrl: 'http://127.0.0.1:40689/execute-api/abc/Prod/getinfo' },
    functions: fns.map((f, i) => ({ logicalId: `Fn${i}`, name: `fn-${i}`, aliases: [], reservedConcurrency: null, versions: ['1'], ...f })),
    alarms: [],
    apis: [],
    live: true,
    emulator: { running: true, pid: 42, stoppedUnexpectedly: null, unresponsive: null },
    ...over,
  };
}

test('reserved concurrency: none, 0 throttles everything, N is shared by all versions and aliases', () => {
  const out = formatStatus(status([{ reservedConcurrency: null }, { reservedConcurrency: 0 }, { reservedConcurrency: 25 }]));
  assert.match(out, /^ {2}reserved concurrency: none \(uses the unreserved pool\)$/m);
  assert.match(out, /^ {2}reserved concurrency: 0 \(every invocation is throttled\)$/m);
  assert.match(out, /^ {2}reserved concurrency: 25 \(shared by all versions and aliases\)$/m);
});

test('the endpoint is printed with the outputs while the cloud runs', () => {
  const out = formatStatus(status([{}]));
  assert.match(out, /^Outputs:\nApiUrl: \S+\nEndpoint: http:\/\/127\.0\.0\.1:40689$/m);
  const stopped = formatStatus(status([{}], { emulator: { running: false, pid: null, stoppedUnexpectedly: null, unresponsive: null }, live: false }));
  assert.doesNotMatch(stopped, /^Endpoint:/m);
  assert.match(stopped, /embedded cloud: not running/);
});

test('a cloud that stopped unexpectedly: the line under the cloud line, in yellow on a terminal', () => {
  const s = status([{}], { emulator: { running: false, pid: null, stoppedUnexpectedly: { pid: 7, startedAt: null, log: null }, unresponsive: null }, live: false });
  const line = 'the local cloud of /w/.lab/state stopped unexpectedly (pid 7: killed, crashed, or the machine restarted)';
  assert.match(formatStatus(s, { stoppedUnexpectedly: line }), /^embedded cloud: not running\n {2}the local cloud of \/w\/\.lab\/state stopped unexpectedly \(pid 7: killed, crashed, or the machine restarted\)\n\nOutputs:/m);
  assert.ok(formatStatus(s, { stoppedUnexpectedly: line, color: true }).includes(`\n  \x1b[33m${line}\x1b[39m\n`));
  assert.doesNotMatch(formatStatus(s), /stopped unexpectedly/);
});

test('a cloud that holds the state dir but does not answer: not answering (pid), and what to do under it, once', () => {
  const note = 'an emulator (pid 9) holds /w/.lab/state but does not answer; stop it with `serverless-ops-lab emulator stop --workspace /w` (or `kill -CONT 9; kill 9`), then run this again';
  const s = status([{}], { emulator: { running: false, pid: null, stoppedUnexpectedly: null, unresponsive: { pid: 9 } }, live: false, note });
  const out = formatStatus(s);
  assert.ok(out.includes(`\nembedded cloud: not answering (pid 9)\n  ${note}\n\nOutputs:`), out);
  assert.doesNotMatch(out, /not running/);
  assert.doesNotMatch(out, /^note:/m);
  assert.equal(out.split(note).length, 2, 'said once');
  assert.ok(formatStatus(s, { color: true }).includes(`\n  \x1b[33m${note}\x1b[39m\n`));
});

test('a lock held by a process no record nor the system names: not answering (pid unknown), and how to find it under it', () => {
  const note = 'a process holds the lock of /w/.lab/state but does not answer, and no record names its pid; find it with `sudo ss -xlp | grep serverless-ops-lab/emulator/0a` (pid=N), then end it with `kill -CONT N; kill N`, then run this again';
  const s = status([{}], { emulator: { running: false, pid: null, stoppedUnexpectedly: null, unresponsive: { pid: null } }, live: false, note });
  const out = formatStatus(s);
  assert.ok(out.includes(`\nembedded cloud: not answering (pid unknown)\n  ${note}\n\nOutputs:`), out);
  assert.doesNotMatch(out, /not running|pid null/);
});

test('colour only when asked for', () => {
  const s = status([{ reservedConcurrency: 0 }]);
  assert.doesNotMatch(formatStatus(s), /\x1b\[/);
  assert.doesNotMatch(formatStatus(s, { color: false }), /\x1b\[/);
  assert.match(formatStatus(s, { color: true }), /0 \x1b\[31m\(every invocation is throttled\)\x1b\[39m/);
});

test('the latest deployment: status, weights, lifecycle events, AWS\'s error and the rollback; alarms with their states', () => {
  const out = formatStatus(
    status([
      {
        deployment: {
          deploymentId: 'd-ABCDEFGHI',
          status: 'Stopped',
          deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
          currentVersion: '1',
          targetVersion: '2',
          targetVersionWeight: 0.3,
          lifecycleEvents: [
            { name: 'BeforeAllowTraffic', status: 'Succeeded' },
            { name: 'AllowTraffic', status: 'Failed' },
            { name: 'AfterAllowTraffic', status: 'Skipped' },
          ],
          error: { code: 'ALARM_ACTIVE', message: 'One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <errors>' },
          rollback: { rollbackDeploymentId: 'd-ROLLBACK1' },
        },
      },
    ], { alarms: [{ name: 'errors', state: 'ALARM', reason: 'Threshold Crossed' }, { name: 'latency', state: 'OK' }] }),
  );
  assert.match(out, /^ {2}latest deployment d-ABCDEFGHI: Stopped \(CodeDeployDefault\.LambdaLinear10PercentEvery1Minute\)$/m);
  assert.match(out, /^ {4}Lambda version 1 → 2: 70% on 1, 30% on 2$/m);
  assert.match(out, /^ {4}lifecycle: BeforeAllowTraffic Succeeded, AllowTraffic Failed, AfterAllowTraffic Skipped$/m);
  assert.match(out, /^ {4}ALARM_ACTIVE: One or more alarms have been activated/m);
  assert.match(out, /^ {4}rolled back by d-ROLLBACK1$/m);
  assert.match(out, /^Alarms:\n {2}errors: ALARM — Threshold Crossed\n {2}latency: OK$/m);
  assert.doesNotMatch(out, /\x1b\[/);
});

test('on an 80-column terminal every line fits, wrapped at words under its own indent and two more; piped, lines stay whole', () => {
  const line =
    'the local cloud of /tmp/s15e-ws/.lab/state stopped unexpectedly (pid 24517, started 2026-12-03T03:29:06.817Z: killed, crashed, or the machine restarted); its log: /tmp/s15e-ws/.lab/state/emulator.log';
  const note = 'the embedded cloud is not running: this (or deploy) starts it again with its state:\n$ node dist/src/cli.js emulator start --workspace /tmp/s15e-ws-with-a-much-longer-name-than-a-line-holds';
  const s = status([{}], { emulator: { running: false, pid: null, stoppedUnexpectedly: { pid: 24517, startedAt: null, log: null }, unresponsive: null }, live: false, note });
  for (const color of [false, true]) {
    const out = formatStatus(s, { stoppedUnexpectedly: line, color, width: 80 });
    const plain = out.replace(/\x1b\[\d+m/g, '');
    for (const l of plain.split('\n')) assert.ok(l.length <= 80, `${l.length}: ${l}`);
    // the yellow line: its words whole, its continuations under it by two
    assert.match(plain, /^ {2}the local cloud of \/tmp\/s15e-ws\/\.lab\/state stopped unexpectedly \(pid 24517,\n {4}started 2026-12-03T03:29:06\.817Z: killed, crashed, or the machine\n {4}restarted\); its log: \/tmp\/s15e-ws\/\.lab\/state\/emulator\.log$/m);
    // the note's command on lines of its own, broken at an argument with ` \\`, to paste (a code span in the sentence was cut mid-word)
    assert.match(plain, /^note: this \(or deploy\) starts it again with its state:\n {2}\$ node dist\/src\/cli\.js emulator start \\\n {6}--workspace \/tmp\/s15e-ws-with-a-much-longer-name-than-a-line-holds$/m);
  }
  // no width (stdout is a pipe or a file): one line each, for grep
  assert.ok(formatStatus(s, { stoppedUnexpectedly: line }).includes(`\n  ${line}\n`));
  assert.ok(formatStatus(s, { stoppedUnexpectedly: line }).includes('\nnote: this (or deploy) starts it again with its state:\n  $ node dist/src/cli.js emulator start --workspace /tmp/s15e-ws-with-a-much-longer-name-than-a-line-holds\n'));
});

test('a cloud said not running and stopped unexpectedly: the note says only what to do (start it again, or why it cannot), not "not running" a third time', () => {
  const line = 'the local cloud of /w/.lab/state stopped unexpectedly (pid 7: killed, crashed, or the machine restarted)';
  const start = 'this (or deploy) starts it again with its state:\n$ serverless-ops-lab emulator start --workspace /w';
  const emulator = { running: false as const, pid: null, stoppedUnexpectedly: { pid: 7, startedAt: null, log: null }, unresponsive: null };
  const out = formatStatus(status([{}], { emulator, live: false, note: `the embedded cloud is not running: ${start}` }), { stoppedUnexpectedly: line });
  assert.equal(out.match(/not running/g)?.length, 1, out);
  assert.match(out, /^embedded cloud: not running\n {2}the local cloud of \/w\/\.lab\/state stopped unexpectedly/m);
  assert.ok(out.endsWith(`\nnote: this (or deploy) starts it again with its state:\n  $ serverless-ops-lab emulator start --workspace /w\n`), out);
  // a damaged state file: why it cannot start, and the way out
  const why = 'its state file /w/.lab/state/lambda.json cannot be loaded: not JSON; move it away';
  const damaged = formatStatus(status([{}], { emulator, live: false, note: `the embedded cloud is not running, and cannot start as it is: ${why}` }), { stoppedUnexpectedly: line });
  assert.equal(damaged.match(/not running/g)?.length, 1, damaged);
  assert.ok(damaged.endsWith(`\nnote: it cannot start as it is: ${why}\n`), damaged);
  // stopped with `emulator stop` (no stopped-unexpectedly line): the note stays whole
  const clean = formatStatus(status([{}], { emulator: { ...emulator, stoppedUnexpectedly: null }, live: false, note: `the embedded cloud is not running: ${start}` }));
  assert.ok(clean.endsWith(`\nnote: the embedded cloud is not running: this (or deploy) starts it again with its state:\n  $ serverless-ops-lab emulator start --workspace /w\n`), clean);
});

test('the API stage: shown only when changed; a value that names no alias or version of the function is said so', () => {
  const fn: Partial<FunctionStatus> = { name: 'lab-GetInfoFunction', versions: ['1', '5'], aliases: [{ name: 'live', version: '1', weights: {} }] };
  const api = {
    logicalId: 'ServerlessRestApi',
    restApiId: 'abc',
    stage: 'Prod',
    deploymentId: 'd1',
    deployedDeploymentId: 'd1',
    variables: { lambdaAlias: 'lve' },
    canary: null,
    calls: [{ method: 'POST', path: '/getinfo', functionName: 'lab-GetInfoFunction', uriQualifier: '${stageVariables.lambdaAlias}', qualifier: 'lve' }],
    changed: true,
  };
  const out = formatStatus(status([fn], { apis: [api] }));
  assert.match(out, /^API ServerlessRestApi: stage Prod serves deployment d1$/m);
  assert.match(out, /^ {2}POST \/getinfo calls lab-GetInfoFunction:\$\{stageVariables\.lambdaAlias\} with lambdaAlias=lve → lve, no alias or version of lab-GetInfoFunction$/m);
  assert.doesNotMatch(formatStatus(status([fn], { apis: [{ ...api, changed: false }] })), /^API /m);
});

test("every version status names is Lambda's, said so (app version 2 can be Lambda version 3): the versions, the alias and its weights, a deployment's shift, what the stage calls", () => {
  const out = formatStatus(
    status(
      [
        {
          name: 'lab-GetInfoFunction',
          versions: ['1', '2', '3'],
          aliases: [{ name: 'live', version: '2', weights: { '3': 0.1 } }],
          deployment: { deploymentId: 'd-ABCDEFGHI', status: 'InProgress', creator: 'user', deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute', currentVersion: '2', targetVersion: '3', targetVersionWeight: 0.1, lifecycleEvents: [] },
        },
      ],
      {
        apis: [
          {
            logicalId: 'ServerlessRestApi',
            restApiId: 'abc',
            stage: 'Prod',
            deploymentId: 'dep2',
            deployedDeploymentId: 'dep1',
            variables: { lambdaAlias: '3' },
            canary: null,
            changed: true,
            calls: [{ method: 'POST', path: '/getinfo', functionName: 'lab-GetInfoFunction', uriQualifier: '${stageVariables.lambdaAlias}', qualifier: '3' }],
          },
        ],
      },
    ),
  );
  assert.match(out, /^ {2}Lambda versions: 1, 2, 3$/m);
  assert.match(out, /^ {2}alias live → Lambda version 2 \(90%\), Lambda version 3 \(10%\)$/m);
  assert.match(out, /^ {4}Lambda version 2 → 3: 90% on 2, 10% on 3$/m);
  assert.match(out, /with lambdaAlias=3 → Lambda version 3$/m);
  assert.doesNotMatch(out, /(?<!Lambda )\bversions? \d/, out);
});
