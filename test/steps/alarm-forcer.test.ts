/**
 * The lab forcing the alarm for the learner (--ci, "do it for me") in the hooks-alarm step: a forced
 * state holds only until the alarm's next evaluation, which may come before CodeDeploy looks at the
 * alarm again, so the lab forces it at every look while traffic moves (a start --ci run once saw
 * the release go through when it forced it only once).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TargetClients } from '../../src/targets/clients.js';
import { alarmForcer } from '../../src/steps/shared/alarms.js';
import { fakeContext } from '../helpers/lab-context.js';

test('forces the alarm at every look while the shift goes on, says so once, and stops when the deployment does', async () => {
  const sent: { AlarmName?: string; StateValue?: string }[] = [];
  const cloudWatch = { send: async (command: { input: { AlarmName?: string; StateValue?: string } }) => void sent.push(command.input) };
  const ctx = fakeContext({ clients: { cloudWatch } as unknown as TargetClients });
  const onPoll = alarmForcer(ctx, 'errors-alarm');

  await onPoll({ status: 'InProgress' }, 0); // BeforeAllowTraffic: nothing moves yet
  assert.equal(sent.length, 0);
  await onPoll({ status: 'InProgress' }, 0.1);
  await onPoll({ status: 'InProgress' }, 0.1);
  await onPoll({ status: 'InProgress' }, 0.2); // the alarm's evaluation set it back: forced again
  assert.deepEqual(
    sent.map((s) => [s.AlarmName, s.StateValue]),
    [
      ['errors-alarm', 'ALARM'],
      ['errors-alarm', 'ALARM'],
      ['errors-alarm', 'ALARM'],
    ],
  );
  await onPoll({ status: 'Stopped' }, 0.2);
  await onPoll({ status: 'InProgress' }, 1);
  assert.equal(sent.length, 3);
  assert.equal(ctx.io.text.match(/traffic is moving: the lab forces the alarm/g)?.length, 1);
  assert.match(ctx.io.text, /aws cloudwatch set-alarm-state --alarm-name errors-alarm --state-value ALARM/);
});
