/**
 * The canary chapter publishes the canary's Lambda version itself (canary-create), outside any
 * deploy, and it stays published after a reset to a step before the chapter: Lambda versions are
 * immutable and stay until deleted, on AWS as here. What must not happen is that an earlier step's
 * check reads it as a release: blue-green's "live on the newest version" met it on resume after
 * `reset hooks-failing`, and warned that blue-green's shift no longer held.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetAliasCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { aliasOnNewest } from '../../src/steps/blue-green.js';
import { canarySteps } from '../../src/steps/canary.js';
import { startCanaryCloud } from './canary-fixture.js';

test("blue-green's alias check does not count the canary chapter's own Lambda version as a release", async () => {
  const cloud = await startCanaryCloud();
  try {
    for (const id of ['canary-stage-variable', 'canary-create']) {
      const step = canarySteps.find((s) => s.id === id)!;
      await step.prepare?.(cloud.contextFor(id));
      await step.solve.apply(cloud.contextFor(id));
    }
    const fn = cloud.record.functions[0]!.name;
    const live = (await cloud.clients.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' }))).FunctionVersion!;
    const versions = (await cloud.clients.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn }))).Versions!.map((v) => v.Version);
    const canary = String(cloud.figures['canary-create']!.version);
    assert.ok(versions.includes(canary) && Number(canary) > Number(live), `the canary's version ${canary} is the newest: ${versions.join(', ')}`);

    const result = await aliasOnNewest.run(cloud.contextFor('blue-green'), new AbortController().signal);
    assert.equal(result.status, 'passed', JSON.stringify(result));
    assert.match(result.found ?? '', new RegExp(`^Lambda version ${live}$`));
  } finally {
    await cloud.close();
  }
});
