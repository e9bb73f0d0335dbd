/**
 * The lab's own deploys (the `d` key, --ci) name what a deploy deleted in their one-line summary,
 * as they name what it created or updated: commenting DeploymentPreference out deletes its
 * deployment group, and the lab's line says so.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { RecordingIoHost } from '../../src/io/recording.js';
import { LiveLabContext } from '../../src/lab/live-context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import type { Workspace } from '../../src/lab/workspace.js';
import { REFERENCE_ORDER } from '../../src/steps/index.js';
import { labCloudWorkspace, removeWorkspace } from '../helpers/cli.js';

const SPEED = 100;
let dir: string;
let ws: Workspace;
let endpoint: string;

before(async () => {
  ({ dir, ws, endpoint } = await labCloudWorkspace('removal-summary', SPEED));
});
after(async () => {
  await removeWorkspace(dir);
});

test("--ci's deploy line names each deleted resource", async () => {
  const io = new RecordingIoHost();
  const ctx = new LiveLabContext({ io, ws, target: { kind: 'local', endpoint }, progress: ProgressStore.load(ws, 'local'), reference: new ReferenceBook(REFERENCE_ORDER), ci: true, speed: SPEED, signal: new AbortController().signal });
  try {
    const bundled = readFileSync(ws.template, 'utf8');
    const enabled = bundled.replace('      # DeploymentPreference:\n      #   Type: Linear10PercentEvery1Minute\n', '      DeploymentPreference:\n        Type: Linear10PercentEvery1Minute\n');
    assert.notEqual(enabled, bundled);
    writeFileSync(ws.template, enabled);
    await ctx.deploy();
    writeFileSync(ws.template, bundled);
    await ctx.deploy();
    const line = io.text.split('\n').filter((l) => l.includes('deployed: ')).at(-1) ?? '';
    assert.match(line, /GetInfoFunctionDeploymentGroup deleted \(removed from the template\)/, io.text);
    assert.match(line, /ServerlessDeploymentApplication deleted \(removed from the template\)/, io.text);
  } finally {
    ctx.destroy();
  }
});
