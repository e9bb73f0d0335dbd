/**
 * Whether the learner's PreTraffic hook passes on HOOK_STATUS (hook-code.ts readsHookStatus): a
 * mention in a comment is no read, so hooks-alarm's "do it for me" still puts the reference hook
 * in place of one that hard-codes its status. Comments are told from strings, template literals
 * and regular expressions, where `//` and `/*` start none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readsHookStatus, withoutComments } from '../../src/steps/shared/hook-code.js';

const REFERENCE = readFileSync(fileURLToPath(new URL('../../../templates/hooks-alarm/hooks/pre-traffic.mjs', import.meta.url)), 'utf8');

/** a hook that reports Failed whatever HOOK_STATUS says, with `above` before its handler */
const failed = (above: string, status = "'Failed'") => `import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
const codedeploy = new CodeDeployClient({});
${above}
export const handler = async (event) => {
  await codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand({ deploymentId: event.DeploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, status: ${status} }));
};
`;

test('HOOK_STATUS only in a comment is no read: line, block, doc comments, after code and in ${…}', () => {
  for (const hook of [
    failed('// TODO: read HOOK_STATUS'),
    failed('const x = 1; // HOOK_STATUS later'),
    failed('/* HOOK_STATUS */'),
    failed('/**\n * Reports HOOK_STATUS one day.\n */'),
    failed('', "/* process.env.HOOK_STATUS */ 'Failed'"),
    failed('', "`${/* HOOK_STATUS */ 'Failed'}`"),
    // `//` and `/*` in strings, a template and a regular expression start no comment, and the
    // comment after them is still one
    failed("const docs = 'https://docs.aws.amazon.com/codedeploy/'; // HOOK_STATUS"),
    failed('const docs = "it\'s /* not a comment"; // HOOK_STATUS'),
    failed("const docs = `http://x/${'y'}//z`; // HOOK_STATUS"),
    failed('const re = /https?:\\/\\/[^/]*/; // HOOK_STATUS'),
    failed('const half = 1 / 2; // HOOK_STATUS'),
  ]) {
    assert.equal(readsHookStatus(hook), false, hook);
  }
});

// these pass on the old whole-file regex too: they keep the comment strip from eating code (a
// naive strip of `//…` and `/*…*/` fails most of them)
test('HOOK_STATUS in code is a read, whatever `//` or `/*` stands before it on its line', () => {
  assert.equal(readsHookStatus(REFERENCE), true);
  for (const hook of [
    failed('', 'process.env.HOOK_STATUS'),
    failed('', "process.env['HOOK_STATUS']"),
    failed("const url = 'https://example.com/' + process.env.HOOK_STATUS;"),
    failed('const url = "/*" + process.env.HOOK_STATUS + "*/";'),
    failed('const url = `https://example.com/${process.env.HOOK_STATUS}`;'),
    // regular expressions where a value starts (after `=`, `(`, `return`): their `//` and `/*` open no comment
    failed('const ok = /[//]/.test(process.env.HOOK_STATUS);'),
    failed('const ok = [/[/*]/].some((re) => re.test(process.env.HOOK_STATUS));'),
    failed('const f = () => { return /[/*]/.test(process.env.HOOK_STATUS); };'),
    failed('const r = 4 / 2 / 1, s = process.env.HOOK_STATUS;'),
    failed('const s = `${`${"//"}`}` + process.env.HOOK_STATUS;'),
  ]) {
    assert.equal(readsHookStatus(hook), true, hook);
  }
});

test('withoutComments blanks comments and keeps every other character and every line break', () => {
  const text = "const a = 'x//y'; // gone\n/* gone\n   too */ const b = `/*${c /* gone */}*/`;\nconst d = /[/]\\//g; // gone";
  const out = withoutComments(text);
  assert.equal(out.length, text.length);
  assert.equal(out.split('\n').length, text.split('\n').length);
  assert.doesNotMatch(out, /gone|too/);
  assert.equal(out.replace(/ +/g, ' '), "const a = 'x//y'; \n \n const b = `/*${c }*/`;\nconst d = /[/]\\//g; ");
  // an unfinished comment, string or template ends the text as it is, no error
  assert.equal(withoutComments('a /* b'), 'a     ');
  assert.equal(withoutComments("a = 'b // c"), "a = 'b // c");
  assert.equal(withoutComments('a = `b ${c // d'), 'a = `b ${c     ');
});
