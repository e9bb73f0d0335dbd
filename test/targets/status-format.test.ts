/** `status`'s text on fixed inputs: reserved concurrency explained, the endpoint, colour only when asked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStatus, type FunctionStatus, type WorkspaceStatus } from '../../src/targets/status.js';

function status(fns: Partial<FunctionStatus>[], over: Partial<WorkspaceStatus> = {}): WorkspaceStatus {
  return {
    target: 'local',
    endpoint: 'http://127.0.0.1:40689',
    stackName: 'ServerlessOps-stack',
    region: 'us-east-1',
    deployedAt: '2025-01-01T00:00:00.000Z',
    outputs: { ApiUrl: 'http://127.0.0.1:40689/execute-api/abc/Prod/getinfo' },
    functions: fns.map((f, i) => ({ logicalId: `Fn${i}`, name: `fn-${i}`, aliases: [], reservedConcurrency: null, versions: ['1'], ...f })),
    live: true,
    emulator: { running: true, pid: 42 },
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
  const stopped = formatStatus(status([{}], { emulator: { running: false, pid: null }, live: false }));
  assert.doesNotMatch(stopped, /^Endpoint:/m);
  assert.match(stopped, /embedded cloud: not running/);
});

test('colour only when asked for', () => {
  const s = status([{ reservedConcurrency: 0 }]);
  assert.doesNotMatch(formatStatus(s), /\x1b\[/);
  assert.doesNotMatch(formatStatus(s, { color: false }), /\x1b\[/);
  assert.match(formatStatus(s, { color: true }), /0 \x1b\[31m\(every invocation is throttled\)\x1b\[39m/);
});
