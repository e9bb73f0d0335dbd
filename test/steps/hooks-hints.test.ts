/**
 * The hooks chapter's hints say what the cloud shows and what the run can do: hooks-alarm's
 * release that went through reads the alarm's history over the release (a forced ALARM that its
 * next evaluation undid is said as such, not "the alarm was not in ALARM"); under --ci no hint
 * asks for a key (d), it names the commands that do it again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { TargetClients } from '../../src/targets/clients.js';
import type { DeployRecord } from '../../src/targets/deploy-record.js';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failingHookStep, forcedAlarmMissed } from '../../src/steps/hooks-alarms.js';
import { releaseAgain } from '../../src/steps/shared/release.js';
import { fakeContext } from '../helpers/lab-context.js';
import { workspacePaths } from '../../src/lab/workspace.js';

const created = new Date('2026-01-01T10:00:00.000Z');
const completed = new Date('2026-01-01T10:10:00.000Z');
const release: DeploymentInfo = { deploymentId: 'd-AAAAAAAAA', status: 'Succeeded', createTime: created, completeTime: completed };

/** a context whose alarm history holds StateUpdate items to ALARM at `toAlarmAt` */
function withHistory(toAlarmAt: Date[], ci: boolean) {
  const cloudWatch = {
    send: async () => ({
      AlarmHistoryItems: toAlarmAt.map((at) => ({
        Timestamp: at,
        HistoryItemType: 'StateUpdate',
        HistoryData: JSON.stringify({ oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM', stateReason: 'forced' } }),
      })),
    }),
  };
  return fakeContext({
    ci,
    clients: { cloudWatch } as unknown as TargetClients,
    deployment: () => ({ physicalIds: { AliasErrorMetricGreaterThanZeroAlarm: 'errors-alarm' } }) as unknown as DeployRecord,
  });
}

test('hooks-alarm, release went through: an ALARM during the release that its next evaluation undid is said, with when', async () => {
  const hint = await forcedAlarmMissed(release, withHistory([new Date('2026-01-01T10:00:09.610Z')], false), new AbortController().signal);
  assert.match(hint, /went into ALARM at 10:00:09\.610/);
  assert.match(hint, /next evaluation/);
  assert.doesNotMatch(hint, /was not in ALARM/);
});

test('hooks-alarm, release went through: no change to ALARM over the release is said from the history', async () => {
  // one after the release ended does not count
  const hint = await forcedAlarmMissed(release, withHistory([new Date('2026-01-01T10:11:00.000Z')], false), new AbortController().signal);
  assert.match(hint, /history shows no change to ALARM/);
  assert.match(hint, /press d/);
});

test('under --ci the hints name `reset <step>` and `start --ci` with the workspace, never a key', async () => {
  const ctx = withHistory([], true);
  const hint = await forcedAlarmMissed(release, ctx, new AbortController().signal);
  assert.doesNotMatch(hint, /press d|\bpress\b/);
  assert.match(hint, new RegExp(`reset hooks-alarm --workspace ${ctx.ws.root}`));
  assert.match(hint, new RegExp(`start (-- )?--ci --workspace ${ctx.ws.root}`));
  assert.doesNotMatch(releaseAgain(ctx, 'hooks-errors'), /press/);
  assert.match(releaseAgain(ctx, 'hooks-errors'), /reset hooks-errors --workspace/);
});

test('hooks-failing\'s hints say where the hook\'s code goes, as the reference has it', () => {
  const texts = failingHookStep.hints.filter((h): h is string => typeof h === 'string');
  const where = texts.find((h) => h.includes('sam-app/hooks/pre-traffic.mjs'));
  assert.ok(where, `a hint names sam-app/hooks/pre-traffic.mjs: ${JSON.stringify(texts)}`);
  assert.match(where, /CodeUri: hooks\//);
  assert.match(where, /Handler: pre-traffic\.handler/);
  // the names the hint gives are the reference's ("show me the change")
  const reference = fileURLToPath(new URL('../../../templates/hooks-failing/', import.meta.url));
  assert.ok(existsSync(join(reference, 'hooks', 'pre-traffic.mjs')));
  const template = readFileSync(join(reference, 'template.yaml'), 'utf8');
  assert.match(template, /  PreTrafficHook:\n(?:      .*\n|    .*\n)*?      CodeUri: hooks\/\n      Handler: pre-traffic\.handler\n/);
});

/**
 * hooks-failing's first hint for a release that waits in BeforeAllowTraffic, against a workspace
 * whose template.yaml is the reference's, with or without the hook's permission to report
 */
async function waitingHint(target: 'local' | 'aws', policies: boolean, t: { after(fn: () => void): void }): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'hooks-hint-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ws = workspacePaths(dir);
  const reference = readFileSync(fileURLToPath(new URL('../../../templates/hooks-failing/template.yaml', import.meta.url)), 'utf8');
  const template = policies ? reference : reference.replace(/(      Handler: pre-traffic\.handler\n      Timeout: 10\n)      Policies:\n(?:        .*\n)+/, '$1');
  if (!policies) assert.doesNotMatch(template, /PutLifecycleEventHookExecutionStatus/);
  mkdirSync(ws.samApp, { recursive: true });
  writeFileSync(join(ws.samApp, 'template.yaml'), template);
  const waiting: DeploymentInfo = { deploymentId: 'd-WAITING01', status: 'InProgress', createTime: created, creator: 'user' };
  const codeDeploy = {
    send: async (cmd: { constructor: { name: string } }) => {
      switch (cmd.constructor.name) {
        case 'ListDeploymentsCommand':
          return { deployments: [waiting.deploymentId] };
        case 'BatchGetDeploymentsCommand':
          return { deploymentsInfo: [waiting] };
        case 'ListDeploymentTargetsCommand':
          return { targetIds: ['fn:live'] };
        case 'BatchGetDeploymentTargetsCommand':
          return { deploymentTargets: [{ lambdaTarget: { lifecycleEvents: [{ lifecycleEventName: 'BeforeAllowTraffic', status: 'InProgress', startTime: created }] } }] };
        default:
          throw new Error(`unexpected ${cmd.constructor.name}`);
      }
    },
  };
  const ctx = fakeContext({
    ws,
    target,
    clients: { codeDeploy } as unknown as TargetClients,
    deployment: () => ({ physicalIds: { ServerlessDeploymentApplication: 'app', GetInfoFunctionDeploymentGroup: 'group' }, functions: [] }) as unknown as DeployRecord,
  });
  const hint = failingHookStep.hints[0];
  assert.ok(hint && typeof hint !== 'string' && 'fromState' in hint);
  return hint.fromState(ctx, new AbortController().signal);
}

test("hooks-failing, a release waiting in BeforeAllowTraffic on AWS with a hook whose Policies do not allow it to report: the hint says that is why, and what to add", async (t) => {
  const hint = (await waitingHint('aws', false, t)) ?? '';
  assert.match(hint, /^deployment d-WAITING01 has waited in BeforeAllowTraffic since 2026-01-01T10:00:00\.000Z: your hook may not report/);
  assert.match(hint, /no Policies on PreTrafficHook/);
  assert.match(hint, /codedeploy:PutLifecycleEventHookExecutionStatus/);
  assert.match(hint, /one-hour timeout/);
  // on a line of its own, to be pasted whole (it was in parentheses inside the sentence)
  assert.match(hint, /To stop it:\n\$ aws deploy stop-deployment --deployment-id d-WAITING01 --auto-rollback-enabled/);
});

test('hooks-failing, a release waiting in BeforeAllowTraffic on the local cloud: the hint asks whether the hook reports, and names the permission AWS would need, which the template lacks', async (t) => {
  const hint = (await waitingHint('local', false, t)) ?? '';
  assert.match(hint, /: does your hook call PutLifecycleEventHookExecutionStatus with the DeploymentId and LifecycleEventHookExecutionId it was given\?/);
  assert.match(hint, /sam-app\/template\.yaml has no Policies on PreTrafficHook/);
  assert.match(hint, /the local cloud enforces no IAM, so that is not why it waits here/);
});

test('hooks-failing, a release waiting in BeforeAllowTraffic with the permission in the template: the hint says the call is allowed, so it is not denied', async (t) => {
  const hint = (await waitingHint('aws', true, t)) ?? '';
  assert.match(hint, /does your hook call PutLifecycleEventHookExecutionStatus/);
  assert.match(hint, /Its Policies in sam-app\/template\.yaml allow codedeploy:PutLifecycleEventHookExecutionStatus/);
  assert.doesNotMatch(hint, /may not report/);
});
