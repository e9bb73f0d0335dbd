/**
 * hooks-errors' hints that name Lambda's metrics page fit 80 columns where a check shows them (four
 * columns in): `(https://…/monitoring-metrics-types.html),` was 77 wide, 81 with the indent, and the
 * terminal put its comma on a line alone. The page now ends its hint after a colon.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCheck, stripAnsi } from '../../src/io/format.js';
import { paint } from '../../src/io/terminal.js';
import { brokenRollbackHint, returnedErrorHint } from '../../src/steps/hooks-alarms.js';

const URL = 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html';
/** the way back the step gives inside a running lab (wayBackByA), for a workspace of a usual name */
const WAY_BACK =
  "In the lab, d deploys only a version that throws: press a, and the lab does both (it releases the previous step's code first); or, to deploy that first release yourself, quit the lab (q), then run `npx serverless-ops-lab deploy --workspace lab-workspace`, then `npx serverless-ops-lab start --workspace lab-workspace`.";

test("the hints naming Lambda's metrics page fit 80 columns in a check, the page whole on a line", () => {
  for (const hint of [returnedErrorHint(WAY_BACK, 500, 'Lambda version 7 (app version 4)'), returnedErrorHint(WAY_BACK, 400, undefined), brokenRollbackHint(WAY_BACK, '7', 500, '5')]) {
    assert.ok(hint.endsWith(`: ${URL}`), hint);
    for (const color of [false, true]) {
      const lines = formatCheck({ name: 'the alias "live" is back on the last good version alone', status: 'not-yet', expected: 'a version that answers 200', found: 'Lambda version 7 alone', hint }, paint(color), 80).map(stripAnsi);
      for (const l of lines) assert.ok(l.length <= 80, `${l.length}: ${l}`);
      assert.ok(lines.some((l) => l.trim() === URL), lines.join('\n'));
    }
  }
});
