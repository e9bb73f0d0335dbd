import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  InvokeCommand,
  ListAliasesCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { evenDraw } from '../../../src/emulator/core/even-draw.js';
import { createFn, failure, handlers, startLambdaEmulator, text, zip, type LambdaEmulator } from './harness.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

describe('Lambda aliases and weighted routing', () => {
  let emu: LambdaEmulator;
  before(async () => {
    // alias weights drawn evenly (evenDraw): a weighted split over a multiple of 100 invokes is exact
    emu = await startLambdaEmulator({ random: evenDraw() });
    const c = emu.client;
    // fn-alias: versions 1 and 2 answer their own version number
    await createFn(c, 'fn-alias', handlers.version);
    await c.send(new PublishVersionCommand({ FunctionName: 'fn-alias' }));
    await c.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn-alias', ZipFile: zip({ 'index.js': handlers.version, 'v2.txt': '2' }) }));
    await c.send(new PublishVersionCommand({ FunctionName: 'fn-alias' }));
  });
  after(() => emu.close());

  test('CreateAlias / GetAlias / ListAliases / DeleteAlias', async () => {
    const c = emu.client;
    const created = await c.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'live', FunctionVersion: '1', Description: 'prod' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.AliasArn, `${ARN}:fn-alias:live`);
    assert.equal(created.FunctionVersion, '1');
    assert.match(created.RevisionId!, /^[0-9a-f-]{36}$/);
    const got = await c.send(new GetAliasCommand({ FunctionName: 'fn-alias', Name: 'live' }));
    assert.deepEqual({ ...got, $metadata: undefined }, { ...created, $metadata: undefined });
    await c.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'beta', FunctionVersion: '2' }));
    const all = await c.send(new ListAliasesCommand({ FunctionName: 'fn-alias' }));
    assert.deepEqual(all.Aliases?.map((a) => a.Name), ['beta', 'live']);
    const only2 = await c.send(new ListAliasesCommand({ FunctionName: 'fn-alias', FunctionVersion: '2' }));
    assert.deepEqual(only2.Aliases?.map((a) => a.Name), ['beta']);
    const dup = await failure(c.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'live', FunctionVersion: '1' })));
    assert.equal(dup.name, 'ResourceConflictException');
    assert.equal(dup.message, `Alias already exists: ${ARN}:fn-alias:live`);
    const del = await c.send(new DeleteAliasCommand({ FunctionName: 'fn-alias', Name: 'beta' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    const gone = await failure(c.send(new GetAliasCommand({ FunctionName: 'fn-alias', Name: 'beta' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    assert.equal(gone.message, `Cannot find alias arn: ${ARN}:fn-alias:beta`);
    const noVersion = await failure(c.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'x', FunctionVersion: '9' })));
    assert.equal(noVersion.name, 'ResourceNotFoundException');
    assert.equal(noVersion.message, `Function not found: ${ARN}:fn-alias:9`);
    const numeric = await failure(c.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: '12', FunctionVersion: '1' })));
    assert.equal(numeric.name, 'ValidationException');
  });

  test('UpdateAlias routing rules give AWS errors', async () => {
    const c = emu.client;
    await c.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'rules', FunctionVersion: '1' }));
    const upd = (over: object) => c.send(new UpdateAliasCommand({ FunctionName: 'fn-alias', Name: 'rules', ...over }));
    let e = await failure(upd({ RoutingConfig: { AdditionalVersionWeights: { '2': 0.1, '3': 0.1 } } }));
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(e.message, 'Number of items in AdditionalVersionWeights cannot be greater than 1');
    e = await failure(upd({ RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } }));
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(e.message, 'Invalid function version 1. Function version 1 is already included in routing configuration.');
    e = await failure(upd({ RoutingConfig: { AdditionalVersionWeights: { '2': 1.5 } } }));
    assert.equal(e.name, 'ValidationException');
    assert.match(e.message, /at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint/);
    e = await failure(upd({ RoutingConfig: { AdditionalVersionWeights: { $LATEST: 0.5 } } }));
    assert.equal(e.name, 'ValidationException');
    e = await failure(upd({ RoutingConfig: { AdditionalVersionWeights: { '7': 0.5 } } }));
    assert.equal(e.name, 'ResourceNotFoundException');
    e = await failure(upd({ FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }));
    assert.equal(e.name, 'InvalidParameterValueException');
    assert.equal(e.message, '$LATEST is not supported for an alias pointing to more than 1 version');
    e = await failure(upd({ Description: 'x', RevisionId: 'stale' }));
    assert.equal(e.name, 'PreconditionFailedException');
    const ok = await upd({ RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } } });
    assert.deepEqual(ok.RoutingConfig?.AdditionalVersionWeights, { '2': 0.25 });
    // a version an alias routes to cannot be deleted
    e = await failure(c.send(new DeleteFunctionCommand({ FunctionName: 'fn-alias', Qualifier: '2' })));
    assert.equal(e.name, 'ResourceConflictException');
    const cleared = await upd({ RoutingConfig: { AdditionalVersionWeights: {} } });
    assert.equal(cleared.RoutingConfig?.AdditionalVersionWeights, undefined);
  });

  test('Invoke through an alias runs its version; context carries the alias ARN', async () => {
    const c = emu.client;
    await c.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'two', FunctionVersion: '2' }));
    const out = await c.send(new InvokeCommand({ FunctionName: 'fn-alias:two' }));
    assert.equal(out.ExecutedVersion, '2');
    assert.equal(text(out.Payload), '"2"');
    const byQuery = await c.send(new InvokeCommand({ FunctionName: 'fn-alias', Qualifier: '1' }));
    assert.equal(byQuery.ExecutedVersion, '1');
    const missing = await failure(c.send(new InvokeCommand({ FunctionName: 'fn-alias', Qualifier: 'nope' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.message, `Function not found: ${ARN}:fn-alias:nope`);
  });

  test('alias 90/10 over 1,000 invokes: the observed split is the weight', async () => {
    const c = emu.client;
    await c.send(
      new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'canary', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } }),
    );
    const counts: Record<string, number> = {};
    let next = 0;
    // the draws are even (evenDraw: each of 0.005, 0.015, ... 0.995 once in every 100 invokes), so
    // exactly 100 of 1,000 fall under the weight 0.1: a split off by any amount fails, where 5,000
    // invokes drawn by Math.random (about 5 s of CPU more) caught one off by 5 points and missed one
    // off by 1.
    // The front door's split with Math.random is measured by steps/canary-lesson.test
    const total = 1_000;
    const worker = async () => {
      while (next < total) {
        next++;
        const out = await c.send(new InvokeCommand({ FunctionName: 'fn-alias', Qualifier: 'canary' }));
        assert.equal(out.FunctionError, undefined);
        assert.equal(text(out.Payload), JSON.stringify(out.ExecutedVersion));
        counts[out.ExecutedVersion!] = (counts[out.ExecutedVersion!] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.equal((counts['1'] ?? 0) + (counts['2'] ?? 0), total);
    const share2 = (counts['2'] ?? 0) / total;
    assert.ok(Math.abs(share2 - 0.1) <= 0.02, `version 2 got ${(share2 * 100).toFixed(2)}% of ${total}`);
    assert.deepEqual(counts, { '1': 900, '2': 100 });
  });
});
