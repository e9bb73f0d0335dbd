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
  // nothing is under Handler: app.handler: no lines to move with it (the line after it stays where it is)
  assert.match(e.hint!, /^indent Handler: 6 spaces, as CodeUri: on line \d+: YAML nests by indentation/);
});

test('a key indented deeper than the key-and-value above it (Handler: at 7 spaces): at the key, not at the value of the line before', () => {
  const text = BUNDLED.replace('      Handler: app.handler', '       Handler: app.handler');
  const line = lineOf(text, '       Handler:');
  const e = parseError(text);
  assert.equal(`${e.line}:${e.column}`, `${line}:8`);
  assert.match(e.message, /Handler: is indented 7 spaces; the other keys of its mapping are indented 6 spaces \(CodeUri: on line \d+\)$/);
});

test('a key dedented to the column of the mapping above (Handler: at 4 spaces among keys at 6): Handler: is the odd one, not the key after it', () => {
  const text = BUNDLED.replace('      Handler: app.handler', '    Handler: app.handler');
  const line = lineOf(text, '    Handler:');
  const e = parseError(text);
  // the library stops at AutoPublishAlias: (Handler: at 4 spaces reads as a key of GetInfoFunction)
  assert.equal(`${e.line}:${e.column}`, `${line}:5`);
  assert.equal(e.message, `template.yaml:${line}:5: invalid template: Handler: is indented 4 spaces; the other keys of its mapping are indented 6 spaces (CodeUri: on line ${line - 1})`);
  assert.match(e.hint!, /^indent Handler: 6 spaces, as CodeUri: on line \d+: /);
  // the advice, followed, mends the template
  assert.doesNotThrow(() => parseTemplateText(text.replace('    Handler:', '      Handler:'), 'template.yaml'));
});

test('a block key dedented among keys at 6 spaces (Environment: at 4): the key itself, though the library stops at the key after its block', () => {
  const text = BUNDLED.replace('      Environment:', '    Environment:');
  const line = lineOf(text, '    Environment:');
  const e = parseError(text);
  assert.equal(`${e.line}:${e.column}`, `${line}:5`);
  assert.match(e.message, /Environment: is indented 4 spaces; the other keys of its mapping are indented 6 spaces \(AutoPublishAlias: on line \d+\)$/);
  assert.match(e.hint!, /^indent Environment: 6 spaces, as AutoPublishAlias: on line \d+ \(the lines under it move 2 spaces right with it\)/);
});

test('the first key of a block indented unlike the keys after it (Description: at 7 spaces): the first key, not the second', () => {
  const text = BUNDLED.replace('      Description:', '       Description:');
  const line = lineOf(text, '       Description:');
  const e = parseError(text);
  assert.equal(`${e.line}:${e.column}`, `${line}:8`);
  assert.match(e.message, /Description: is indented 7 spaces; the other keys of its mapping are indented 6 spaces \(CodeUri: on line \d+\)$/);
});

test('a block key moved alone onto its keys\' column (Properties: at 6 spaces) is the odd one, not the key above it', () => {
  const text = BUNDLED.replace('    Properties:', '      Properties:');
  const e = parseError(text);
  assert.equal(e.line, lineOf(text, '      Properties:'));
  assert.match(e.message, /Properties: is indented 6 spaces; the other keys of its mapping are indented 4 spaces \(Type: on line \d+\)$/);
});

test('a YAML error that is no indentation keeps the library\'s message and position', () => {
  assert.throws(() => parseTemplateText(BUNDLED.replace('Resources:', 'Resources:\n  - broken: [1'), 'template.yaml'), (err: Error) => !(err instanceof IndentationError) && /^template\.yaml:\d+:\d+: invalid template: /.test(err.message));
});
