/**
 * Whether the learner's PreTraffic hook passes on HOOK_STATUS (hook-code.ts readsHookStatus): a
 * mention in a comment or inside a longer string is no read, so hooks-alarm's "do it for me" still
 * puts the reference hook in place of one that hard-codes its status. Comments are told from
 * strings, template literals and regular expressions, where `//` and `/*` start none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readsHookStatus } from '../../src/steps/shared/hook-code.js';

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

test('HOOK_STATUS only inside a longer string, template or regular expression is no read', () => {
  for (const hook of [
    failed("console.log('HOOK_STATUS is not read yet');"),
    failed('console.log(`set HOOK_STATUS to ${"Succeeded"} one day`);'),
    failed("const note = 'process.env.HOOK_STATUS';"),
    failed('const looksLike = /HOOK_STATUS/;'),
    failed('const env = { HOOK_STATUS_OLD: 1, MY_HOOK_STATUS: 2 };'),
  ]) {
    assert.equal(readsHookStatus(hook), false, hook);
  }
  // the name as a whole string is the variable's name: process.env's key, read
  for (const hook of [
    failed('', "process.env['HOOK_STATUS']"),
    failed('', 'process.env["HOOK_STATUS"]'),
    failed('', 'process.env[`HOOK_STATUS`]'),
    failed("const key = 'HOOK_STATUS';", 'process.env[key]'),
    failed('const { HOOK_STATUS } = process.env;', 'HOOK_STATUS'),
  ]) {
    assert.equal(readsHookStatus(hook), true, hook);
  }
});

test('a regular expression after if (…) is one: its `/*` opens no comment', () => {
  // the hand-written scanner took a `/` after `)` for a division, and the `/*` in its class for
  // a comment that ran to the `*/` at the line's end
  assert.equal(readsHookStatus(failed('if (true) /[/*]/.test("x"); const s = process.env.HOOK_STATUS; // */')), true);
  assert.equal(readsHookStatus(failed('if (true) /\\/\\//.test(process.env.HOOK_STATUS);')), true);
});

test('broken or unfinished code is read as far as it goes, never an error', () => {
  // an unclosed comment runs to the end of the text
  assert.equal(readsHookStatus('a /* HOOK_STATUS'), false);
  assert.equal(readsHookStatus('process.env.HOOK_STATUS /* b'), true);
  // an unclosed string ends at its line break; the code on the next line is code
  assert.equal(readsHookStatus("a = 'b // HOOK_STATUS"), false);
  assert.equal(readsHookStatus("a = 'b // c\nprocess.env.HOOK_STATUS"), true);
  assert.equal(readsHookStatus("process.env['HOOK_STATUS"), false);
  // an unclosed template runs to the end; a comment in its ${…} is one
  assert.equal(readsHookStatus('a = `b ${c // HOOK_STATUS'), false);
  assert.equal(readsHookStatus('a = `b ${process.env.HOOK_STATUS'), true);
  for (const text of ['', '/', '`', '${', '}`', '/*/', "'\\", '#!/usr/bin/env node HOOK_STATUS', ')]}/[', '\\u{', '@#%^', '\uD800']) {
    assert.equal(readsHookStatus(text), false, text);
  }
});
