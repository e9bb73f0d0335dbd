/**
 * The SAM template canary-stage-variable shows ("show me the change"): its canary permission names
 * the Lambda version the canary step publishes in a lab run from its start, 5 (deploy 1, blue-green
 * 2, hooks-alarm 3, hooks-errors 4; start --ci says "app version 5 … is Lambda version 5"). It named
 * 3, app version 3's number from before the canary's app became version 5, a version the canary
 * never calls. Every line the comment adds fits the 78 columns the templates' comments wrap at.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { templateDiff } from '../../src/steps/canary/context.js';

it("the template's canary permission names Lambda version 5, the one a run from the start publishes", () => {
  const diff = templateDiff();
  assert.match(diff, /\n\+ {6}FunctionName: !Sub '\$\{GetInfoFunction\.Arn\}:5'\n/);
  assert.doesNotMatch(diff, /GetInfoFunction\.Arn\}:3'/);
  assert.match(diff, /Lambda version 5 in a lab run from its start; the canary\n\+ {2}# step says its number\)\./);
  for (const line of diff.split('\n').filter((l) => l.startsWith('+  #'))) assert.ok(line.length - 1 <= 78, line);
});
