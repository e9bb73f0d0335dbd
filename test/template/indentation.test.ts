/**
 * A mis-indented key is reported at the key, with the indentation its mapping has. The yaml
 * library reports it where it noticed: at the comment lines above it (BAD_INDENT), or at the value
 * of the line before it (BLOCK_AS_IMPLICIT_KEY), which is where the learner did not edit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runStaticChecks } from '../../src/lab/check.js';
import { IndentationError } from '../../src/template/errors.js';
import { parseTemplateText } from '../../src/template/yaml.js';
import { templateParses } from '../../src/steps/shared/template-checks.js';

const BUNDLED = readFileSync(new URL('../../../sam-app/template.yaml', import.meta.url), 'utf8');
const lineOf = (text: string, start: string): number => text.split('\n').findIndex((l) => l.startsWith(start)) + 1;

function parseError(text: string): IndentationError {
  try {
    parseTemplateText(text, 'template.yaml');
  } catch (err) {
    assert.ok(err instanceof IndentationError, `an IndentationError, not ${String(err)}`);
    return err;
  }
  assert.fail('the template parsed');
}

test('step 2 uncommented by deleting only the # (DeploymentPreference: indented 7 spaces): the error is at that line and column, with the 6 spaces its mapping has', async () => {
  const text = BUNDLED.replace('      # DeploymentPreference:\n      #   Type:', '       DeploymentPreference:\n         Type:');
  assert.notEqual(text, BUNDLED);
  const line = lineOf(text, '       DeploymentPreference:');
  const e = parseError(text);
  assert.equal(e.line, line);
  assert.equal(e.column, 8);
  assert.equal(e.message, `template.yaml:${line}:8: invalid template: DeploymentPreference: is indented 7 spaces; the other keys of its mapping are indented 6 spaces (AutoPublishAlias: on line ${lineOf(text, '      AutoPublishAlias:')})`);
  assert.match(e.hint!, /^indent DeploymentPreference: 6 spaces, as AutoPublishAlias: on line \d+ \(the lines under it move 1 space left with it\)/);
  // the static check shows that message and its hint, not "the message names the line and column"
  const [r] = await runStaticChecks([templateParses], { samApp: 'sam-app', read: (rel) => (rel === 'template.yaml' ? text : undefined) });
  assert.equal(r!.status, 'not-yet');
  assert.match(r!.found!, new RegExp(`template\\.yaml:${line}:8: invalid template: DeploymentPreference: is indented 7 spaces`));
  assert.match(r!.hint!, /^indent DeploymentPreference: 6 spaces/);
});

test('a key indented less than its mapping (Handler: at 5 spaces): its own column, and its neighbour named', () => {
  const text = BUNDLED.replace('      Handler: app.handler', '     Handler: app.handler');
  const line = lineOf(text, '     Handler:');
  const e = parseError(text);
  assert.equal(`${e.line}:${e.column}`, `${line}:6`);
  assert.equal(e.message, `template.yaml:${line}:6: invalid template: Handler: is indented 5 spaces; the other keys of its mapping are indented 6 spaces (CodeUri: on line ${line - 1})`);
  assert.match(e.hint!, /move 1 space right with it/);
});

test('a key indented deeper than the key-and-value above it (Handler: at 7 spaces): at the key, not at the value of the line before', () => {
  const text = BUNDLED.replace('      Handler: app.handler', '       Handler: app.handler');
  const line = lineOf(text, '       Handler:');
  const e = parseError(text);
  assert.equal(`${e.line}:${e.column}`, `${line}:8`);
  assert.match(e.message, /Handler: is indented 7 spaces; the other keys of its mapping are indented 6 spaces \(CodeUri: on line \d+\)$/);
});

test('a YAML error that is no indentation keeps the library\'s message and position', () => {
  assert.throws(() => parseTemplateText(BUNDLED.replace('Resources:', 'Resources:\n  - broken: [1'), 'template.yaml'), (err: Error) => !(err instanceof IndentationError) && /^template\.yaml:\d+:\d+: invalid template: /.test(err.message));
});
