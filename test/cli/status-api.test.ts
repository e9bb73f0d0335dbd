/**
 * `status` shows what the API's stage calls once the canary chapter moved it: after the promotion
 * every request goes to lambdaAlias=<new version>, while the alias line still says live → the old
 * one. Before, status showed only the alias. With a canary, both shares; as deployed, nothing more.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { formatApi, formatStatus } from '../../src/commands/status-format.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { solveStep } from '../../src/lab/solver.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { canarySteps } from '../../src/steps/canary.js';
import { workspaceStatus } from '../../src/targets/status.js';
import { labWorkspace } from '../lab/helpers.js';
import { workspaceCanaryCloud } from '../steps/canary-fixture.js';

test('status: the stage as deployed shows no API; with a canary both shares; promoted, the version every request reaches (and --json has it)', async () => {
  const dir = await labWorkspace('sol-status-api-');
  const ws = workspacePaths(dir);
  // the workspace's own cloud, which status reads (its canary split even: the steps measure 500 requests)
  const { cloud, deployed } = await workspaceCanaryCloud(dir);
  try {
    const solve = async (id: string) => {
      const r = await solveStep(canarySteps.find((s) => s.id === id)!, cloud.contextFor(id), { pollMs: 50 });
      assert.equal(r.outcome, 'passed', r.instructorMessage);
      progress.update(id, (p) => void (p.status = 'done'));
    };
    const progress = ProgressStore.load(ws, 'local');

    const before = await workspaceStatus(ws);
    // before the chapter, status reads no stage (and loads no API Gateway client: cli/startup)
    assert.deepEqual(before.apis, []);
    assert.doesNotMatch(formatStatus(before), /^API /m);
    // the chapter begun, the stage as deployed: read, not shown
    progress.update('canary-stage-variable', (p) => void (p.status = 'started'));
    const begun = await workspaceStatus(ws);
    assert.equal(begun.apis[0]?.changed, false);
    assert.doesNotMatch(formatStatus(begun), /^API /m);

    await solve('canary-stage-variable');
    await solve('canary-create');
    const v = String(cloud.figures['canary-create']!.version);
    const canary = await workspaceStatus(ws);
    const withCanary = formatApi(canary.apis[0]!, canary.functions).join('\n');
    assert.match(withCanary, /^ {2}POST \/getinfo calls lab-GetInfoFunction:\$\{stageVariables\.lambdaAlias\} with lambdaAlias=live → alias live → Lambda version 1 \(90%\)$/m, withCanary);
    assert.match(withCanary, new RegExp(`^ {4}canary \\(10%, deployment \\w+\\) with lambdaAlias=${v} → Lambda version ${v}$`, 'm'), withCanary);

    await solve('canary-rollback');
    await solve('canary-promote');
    const s = await workspaceStatus(ws);
    const a = s.apis[0]!;
    assert.equal(a.changed, true);
    assert.equal(a.canary, null);
    assert.deepEqual(a.calls.map((c) => [c.method, c.path, c.qualifier]), [['POST', '/getinfo', v]]);
    const text = formatStatus(s);
    assert.match(text, /^ {2}alias live → Lambda version 1$/m);
    assert.match(text, new RegExp(`^API ServerlessRestApi: stage Prod serves deployment (\\w+) \\(the last deploy put ${deployed} on it\\)$`, 'm'), text);
    assert.match(text, new RegExp(`^ {2}POST /getinfo calls lab-GetInfoFunction:\\$\\{stageVariables\\.lambdaAlias\\} with lambdaAlias=${v} → Lambda version ${v}$`, 'm'), text);
    // --json is the same object, serialised
    assert.equal((JSON.parse(JSON.stringify(s)) as typeof s).apis[0]!.variables.lambdaAlias, v);
  } finally {
    try {
      await cloud.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
