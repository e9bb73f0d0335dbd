/**
 * The lab reads the deploy record against the cloud as it runs now: a cloud started again on
 * another port (4566 taken by another cloud, `emulator start --port N`) left the record's ApiUrl
 * on the deploy's port, and every request the steps sent through the API (the canary's measure,
 * the load tests, the resume's "is the app still there") went to a port nobody answered, or to
 * another workspace's cloud (403), while the SDK calls reached the right one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LiveLabContext } from '../../src/lab/live-context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { followEndpoint, type DeployRecord } from '../../src/targets/deploy-record.js';

const OLD = 'http://127.0.0.1:4566';
const NOW = 'http://127.0.0.1:37747';

function record(target: 'local' | 'aws', endpoint?: string): DeployRecord {
  return {
    schema: 1,
    target,
    ...(endpoint ? { endpoint } : {}),
    region: 'us-east-1',
    stackName: 'sam-app',
    deployedAt: '2026-12-04T00:00:00.000Z',
    outputs: { ApiUrl: `${OLD}/execute-api/abc123/Prod/getinfo`, BucketName: 'images-bucket' },
    physicalIds: {},
    functions: [],
    apis: [],
  };
}

test('followEndpoint: a local record\'s URLs on the port the cloud listens on now; the same port, an aws record or no endpoint: unchanged', () => {
  const moved = followEndpoint(record('local', OLD), NOW);
  assert.equal(moved.outputs.ApiUrl, `${NOW}/execute-api/abc123/Prod/getinfo`);
  assert.equal(moved.outputs.BucketName, 'images-bucket');
  assert.equal(moved.endpoint, NOW);
  const same = record('local', OLD);
  assert.equal(followEndpoint(same, OLD), same);
  const aws = record('aws');
  assert.equal(followEndpoint(aws, NOW), aws);
  assert.equal(followEndpoint(same, undefined), same);
});

test('the lab\'s deployment(): the ApiUrl of a record written on 4566 follows the cloud to the port it runs on now', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sol-endpoint-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ws = workspacePaths(root);
  mkdirSync(dirname(ws.deployRecord), { recursive: true });
  writeFileSync(ws.deployRecord, JSON.stringify(record('local', OLD)));
  const ctx = new LiveLabContext({
    io: new RecordingIoHost({}),
    ws,
    target: { kind: 'local', endpoint: NOW },
    progress: ProgressStore.load(ws, 'local'),
    reference: new ReferenceBook([]),
    ci: true,
    speed: 1,
    signal: new AbortController().signal,
  });
  assert.equal(ctx.deployment().outputs.ApiUrl, `${NOW}/execute-api/abc123/Prod/getinfo`);
});
