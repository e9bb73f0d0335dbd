/**
 * Which recorded resources a deploy removes, and in what order (removal.ts, pure): what the
 * template no longer has, the reverse of the order applied (dependents first); a record without
 * types gives names to warn about; a record of the aws target gives nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeployRecord } from '../../src/targets/deploy-record.js';
import { removalsSince } from '../../src/targets/deployers/local/removal.js';

const record = (over: Partial<DeployRecord>): DeployRecord => ({
  schema: 1,
  target: 'local',
  region: 'us-east-1',
  stackName: 'lab',
  deployedAt: '2026-12-03T00:00:00.000Z',
  outputs: {},
  physicalIds: { Role: 'r', App: 'a', Fn: 'f', Group: 'g' },
  functions: [],
  apis: [],
  ...over,
});

const typed = record({
  resources: {
    Role: { type: 'AWS::IAM::Role', physicalId: 'r' },
    App: { type: 'AWS::CodeDeploy::Application', physicalId: 'a' },
    Fn: { type: 'AWS::Lambda::Function', physicalId: 'f' },
    Group: { type: 'AWS::CodeDeploy::DeploymentGroup', physicalId: 'g', within: 'a' },
  },
});

test('what the template dropped, dependents first (the reverse of the order applied)', () => {
  const { removals, untyped } = removalsSince(typed, new Set(['Fn']));
  assert.deepEqual(removals.map((r) => r.logicalId), ['Group', 'App', 'Role']);
  assert.equal(removals[0].within, 'a');
  assert.deepEqual(untyped, []);
  assert.deepEqual(removalsSince(typed, new Set(['Role', 'App', 'Fn', 'Group'])).removals, []);
});

test('a record without types: the dropped ids to warn about, nothing to remove', () => {
  const { removals, untyped } = removalsSince(record({}), new Set(['Fn']));
  assert.deepEqual(removals, []);
  assert.deepEqual(untyped.map((u) => `${u.logicalId}=${u.physicalId}`), ['Role=r', 'App=a', 'Group=g']);
});

test('no record, or one of the aws target: nothing', () => {
  assert.deepEqual(removalsSince(undefined, new Set()), { removals: [], untyped: [] });
  assert.deepEqual(removalsSince(record({ target: 'aws' }), new Set()), { removals: [], untyped: [] });
});
