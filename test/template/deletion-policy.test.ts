/**
 * DeletionPolicy, which the local deployer records so that a resource the template drops later is
 * kept (Retain) or deleted: read as written, a function's passed to its version, SAM's Retain on a
 * version otherwise; a value CloudFormation does not know is an error at its line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toStackResources } from '../../src/template/index.js';
import { load, sam, throwsAt } from './helpers.js';

const fn = (policy = '') => `  Fn:\n    Type: AWS::Serverless::Function\n${policy}    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: nodejs22.x\n      AutoPublishAlias: live\n`;

test('DeletionPolicy as written; SAM retains a function\'s versions unless the function says otherwise', () => {
  const policies = (text: string) => Object.fromEntries(toStackResources(load(text)).map((r) => [r.logicalId, r.deletionPolicy]));
  const kept = policies(sam(`${fn()}  Bucket:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n`));
  assert.equal(kept.Bucket, 'Retain');
  assert.equal(kept.FnVersion, 'Retain');
  assert.equal(kept.FnAliaslive, undefined);
  assert.equal(kept.Fn, undefined);
  const deleted = policies(sam(fn('    DeletionPolicy: Delete\n')));
  assert.equal(deleted.Fn, 'Delete');
  assert.equal(deleted.FnVersion, 'Delete');
});

test('a DeletionPolicy CloudFormation does not know is an error at its line', () => {
  throwsAt(() => load(sam('  Bucket:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Keep\n')), 6, 5, /resource Bucket: DeletionPolicy "Keep" is not one of Delete, Retain, RetainExceptOnCreate, Snapshot/);
});
