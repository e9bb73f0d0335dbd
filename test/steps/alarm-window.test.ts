/**
 * hooks-alarm: the learner forces the alarm while traffic shifts. The intro said the command was
 * "printed below", but it came only after d (the deploy makes the alarm, and names it), with no
 * word of how long the shift gives: about 54 s at 10x. The intro says when it comes; the follow
 * prints it with the time the shift lasts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspacePaths } from '../../src/lab/workspace.js';
import { alarmRollbackStep, shiftWindow } from '../../src/steps/hooks-alarms.js';
import { ERRORS_ALARM } from '../../src/steps/shared/alarms.js';
import { fakeContext } from '../helpers/lab-context.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));

test('hooks-alarm: the intro does not promise a command "below" that comes only after the deploy; the follow prints it with how long the shift lasts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-alarm-window-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ws = workspacePaths(dir);
  mkdirSync(ws.samApp, { recursive: true });
  copyFileSync(join(TEMPLATES, 'hooks-alarm', 'template.yaml'), ws.template);
  const intro = (alarmRollbackStep.explain as readonly string[]).join(' ');
  assert.doesNotMatch(intro, /printed below/);
  assert.match(intro, /the deploy makes the alarm, and the lab then prints the command, with how long the shift gives you/);

  const record = { functions: [{ logicalId: 'GetInfoFunction', name: 'fn', alias: 'live' }], physicalIds: { [ERRORS_ALARM]: 'stack-Errors-ABC' }, outputs: {}, apis: [] };
  // no deployment to follow (lastDeployments names none): the follow says so and ends
  const ctx = fakeContext({ ws, ci: false, assisting: false, speed: 10, deployment: () => record as never, lastDeployments: [] });
  await alarmRollbackStep.follow!(ctx);
  const said = ctx.io.text;
  assert.ok(said.includes('The alarm exists now. While traffic is moving, force it from another terminal: traffic shifts for about 54 s here (9 minutes of cloud time at 10x) once the hook has reported, and after that the alarm stops nothing:'), said);
  assert.ok(said.includes('aws cloudwatch set-alarm-state --alarm-name stack-Errors-ABC --state-value ALARM'), said);

  // the window follows the template's Type and the target
  assert.equal(shiftWindow({ ws, speed: 1, target: 'aws' }), 'about 9 minutes');
  assert.equal(shiftWindow({ ws, speed: 2, target: 'local' }), 'about 5 minutes here (9 minutes of cloud time at 2x)');
});
