/**
 * The cloud dies mid-deploy (issue 12: deploy reported `connect ECONNREFUSED`): the message says
 * the cloud stopped and where its log is; nothing is recorded; deploy again starts it and finishes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../src/errors.js';
import { workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { deployLocal } from '../../src/targets/deployers/local.js';
import { silentLog, type DeployLog } from '../../src/targets/deployers/types.js';
import { killAndWait, removeWorkspace } from '../helpers/cli.js';

let ws: Workspace;
before(() => {
  ws = workspacePaths(mkdtempSync(join(tmpdir(), 'sol-died-')));
});
after(async () => {
  await removeWorkspace(ws.root);
});

test('the cloud killed after it started: "the embedded cloud stopped", its log named; a retry finishes', { skip: process.platform !== 'linux' }, async () => {
  const log: DeployLog = {
    info(line) {
      const m = /embedded cloud started at \S+ \(pid (\d+)\)/.exec(line);
      if (m) killAndWait(Number(m[1]));
    },
    warn() {},
  };
  await assert.rejects(deployLocal({ workspace: ws, stackName: 'lab', log }), (err: LabError) => {
    assert.ok(err instanceof LabError, String(err));
    assert.match(err.message, /^deploy failed while creating bucket \S+: the embedded cloud stopped \(see its log: .*[/\\]\.lab[/\\]state[/\\]emulator\.log\)$/);
    assert.doesNotMatch(err.message, /ECONNREFUSED/);
    assert.match(err.hint ?? '', /run deploy again: it starts the cloud with its saved state/);
    return true;
  });
  assert.ok(!existsSync(ws.deployRecord));
  const again = await deployLocal({ workspace: ws, stackName: 'lab', log: silentLog });
  assert.match(again.outputs.ApiUrl, /^http:\/\/127\.0\.0\.1:\d+\//);
});
