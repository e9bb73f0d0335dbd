import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { COMPARISON_SIDES, DIFF_CONTEXT, ReferenceBook } from '../../src/lab/reference.js';
import { scaffoldWorkspace, workspacePaths } from '../../src/lab/workspace.js';
import { REFERENCE_ORDER } from '../../src/steps/index.js';
import { editSolve } from '../../src/steps/shared/solve.js';
import { fakeContext } from '../helpers/lab-context.js';

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'sol-ref-'));
  const put = (p: string, text: string) => {
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  };
  put(join(root, 'bundled', 't.yaml'), 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\n');
  put(join(root, 'templates', 'one', 't.yaml'), 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 70\n');
  put(join(root, 'templates', 'two', 't.yaml'), 'a: 10\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 70\n');
  put(join(root, 'templates', 'two', 'hook.mjs'), 'export const handler = () => {};\n');
  const book = new ReferenceBook(
    [
      { stepId: 'one', files: ['t.yaml'] },
      { stepId: 'two', files: ['t.yaml', 'hook.mjs'] },
    ],
    { templates: join(root, 'templates'), bundled: join(root, 'bundled') },
  );
  const ws = workspacePaths(join(root, 'ws'));
  mkdirSync(ws.samApp, { recursive: true });
  writeFileSync(join(ws.samApp, 't.yaml'), readFileSync(join(root, 'bundled', 't.yaml'), 'utf8'));
  return { root, book, ws, file: join(ws.samApp, 't.yaml') };
}

test("a step's starting point is the bundled file overlaid by the earlier steps' references", (t) => {
  const s = setup();
  t.after(() => rmSync(s.root, { recursive: true, force: true }));
  assert.match(s.book.before('one', 't.yaml')!, /g: 7\n/);
  assert.match(s.book.before('two', 't.yaml')!, /g: 70\n/);
  assert.equal(s.book.before('two', 'hook.mjs'), undefined);
});

test("do it for me applies the reference diff onto the learner's file and keeps their other edits", (t) => {
  const s = setup();
  t.after(() => rmSync(s.root, { recursive: true, force: true }));
  writeFileSync(s.file, readFileSync(s.file, 'utf8').replace('a: 1', 'a: 1 # mine'));
  assert.match(s.book.diff('one', s.ws), /-g: 7\n\+g: 70/);
  const applied = s.book.apply('one', s.ws);
  assert.deepEqual(applied.map((f) => [f.file, f.how]), [['t.yaml', 'patched']]);
  assert.equal(readFileSync(s.file, 'utf8'), 'a: 1 # mine\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 70\n');
  // their exact version is kept too, outside sam-app/
  assert.ok(applied[0]!.kept!.startsWith(`${s.ws.backups}/`), applied[0]!.kept);
  assert.equal(readFileSync(applied[0]!.kept!, 'utf8'), 'a: 1 # mine\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\n');
  assert.deepEqual(s.book.apply('one', s.ws).map((f) => f.how), ['unchanged'], 'applying twice changes nothing');
  assert.equal(s.book.diff('one', s.ws), '');
});

test('when the learner changed the same lines, the reference is written and their file kept under backups/; reset restores the starting point', (t) => {
  const s = setup();
  t.after(() => rmSync(s.root, { recursive: true, force: true }));
  writeFileSync(s.file, 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 8\n');
  const applied = s.book.apply('one', s.ws);
  assert.equal(applied[0]!.how, 'replaced');
  assert.ok(!existsSync(`${s.file}.mine`), 'no copy inside sam-app/ (it would be deployed with the code)');
  assert.match(applied[0]!.kept!, /\/backups\/[^/]+-before-one\/sam-app\/t\.yaml$/);
  assert.equal(readFileSync(applied[0]!.kept!, 'utf8'), 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 8\n');
  assert.match(readFileSync(s.file, 'utf8'), /g: 70/);
  s.book.apply('two', s.ws);
  assert.ok(existsSync(join(s.ws.samApp, 'hook.mjs')));
  assert.deepEqual(s.book.restore(['two'], s.ws).files.sort(), ['hook.mjs', 't.yaml']);
  assert.ok(!existsSync(join(s.ws.samApp, 'hook.mjs')), 'a file the step added is removed');
  assert.match(readFileSync(s.file, 'utf8'), /^a: 1\n[\s\S]*g: 70\n$/);
});

test('every overwrite of a learner file keeps its own copy: a later one never replaces an earlier one', (t) => {
  const s = setup();
  t.after(() => rmSync(s.root, { recursive: true, force: true }));
  writeFileSync(s.file, 'first\n');
  const one = s.book.apply('one', s.ws)[0]!.kept!;
  writeFileSync(s.file, 'second\n');
  const two = s.book.apply('two', s.ws)[0]!.kept!;
  writeFileSync(s.file, 'third\n');
  const reset = s.book.restore(['one', 'two'], s.ws);
  assert.notEqual(one, two);
  assert.equal(readFileSync(one, 'utf8'), 'first\n');
  assert.equal(readFileSync(two, 'utf8'), 'second\n');
  assert.equal(readFileSync(join(reset.keptIn!, 't.yaml'), 'utf8'), 'third\n');
  assert.equal(new Set([one, two, join(reset.keptIn!, 't.yaml')]).size, 3);
  // back to the start of 'one' (the earliest step), the bundled file
  assert.equal(readFileSync(s.file, 'utf8'), 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\n');
  assert.ok(!existsSync(join(s.ws.samApp, 'hook.mjs')));
  // a file the lab wrote itself (a reference text) is not copied: nothing of the learner's is in it
  s.book.apply('one', s.ws);
  assert.equal(s.book.restore(['one'], s.ws).keptIn, undefined);
});

test('"do it for me" on a real step says where the learner\'s version went: backups/, never sam-app/src/ (the function\'s CodeUri)', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sol-ref-solve-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ws = workspacePaths(root);
  await scaffoldWorkspace(ws);
  const app = join(ws.samApp, 'src', 'app.mjs');
  writeFileSync(app, '// my own handler\nexport const handler = async () => ({ statusCode: 200 });\n');
  const ctx = fakeContext({ ws, reference: new ReferenceBook(REFERENCE_ORDER) });
  await editSolve('blue-green').apply(ctx);
  assert.deepEqual(readdirSync(join(ws.samApp, 'src')), ['app.mjs'], 'nothing but the code in the code folder');
  const line = ctx.io.of('say').map((e) => e.text).find((l) => l.startsWith('replaced sam-app/src/app.mjs'));
  const kept = /kept as (\S+)\)$/.exec(line ?? '')?.[1];
  assert.ok(kept?.startsWith(`${ws.backups}/`), line);
  assert.match(readFileSync(kept!, 'utf8'), /my own handler/);
});

test("a file the step creates, in the learner's own version: the comparison is the diff library's, line against line, and \"do it for me\" writes the reference", async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sol-ref-new-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ws = workspacePaths(root);
  await scaffoldWorkspace(ws);
  const book = new ReferenceBook(REFERENCE_ORDER);
  const file = 'hooks/pre-traffic.mjs';
  const reference = book.after('hooks-failing', file);
  // their own hook: a line inserted just above the line they edited
  const statusLine = "  const status =\n    process.env.HOOK_STATUS === 'Succeeded' ? 'Succeeded' : 'Failed';";
  assert.ok(reference.includes(statusLine));
  const mine = reference.replace(statusLine, "  console.log(event);\n  const status = process.env.HOOK_STATUS ?? 'Failed';");
  mkdirSync(join(ws.samApp, 'hooks'), { recursive: true });
  writeFileSync(join(ws.samApp, file), mine);

  const expected = createTwoFilesPatch(`sam-app/${file} (yours)`, `sam-app/${file} (with the change)`, mine, reference, undefined, undefined, { context: DIFF_CONTEXT });
  assert.match(expected, /\n-  console\.log\(event\);\n-  const status = process\.env\.HOOK_STATUS \?\? 'Failed';\n\+  const status =\n\+    process\.env\.HOOK_STATUS === /);
  const shown = book.diff('hooks-failing', ws);
  assert.ok(shown.includes(expected), `the comparison shown:\n${shown}`);
  // no copy of the reference inside their file: every line of the reference appears once in it
  assert.equal(shown.split('\n').filter((l) => l === '+export const handler = async (event) => {').length, 0);

  const applied = book.apply('hooks-failing', ws).find((f) => f.file === file)!;
  assert.equal(applied.how, 'replaced');
  assert.equal(readFileSync(join(ws.samApp, file), 'utf8'), reference);
  assert.equal(readFileSync(applied.kept!, 'utf8'), mine);
});

test("after step 2 made by the learner with the lab's old comment kept, a later step's change is the step's own (no comment rewording), each side named; the comparison after a pass says yours and the lab's", async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sol-ref-comments-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ws = workspacePaths(root);
  await scaffoldWorkspace(ws);
  const book = new ReferenceBook(REFERENCE_ORDER);
  // step 2 as a learner makes it: the two lines uncommented, the lab's comment above them kept
  const start = readFileSync(ws.template, 'utf8');
  const mine = start.replace('      # DeploymentPreference:\n      #   Type: Linear10PercentEvery1Minute', '      DeploymentPreference:\n        Type: Linear10PercentEvery1Minute');
  assert.notEqual(mine, start);
  writeFileSync(ws.template, mine);
  // blue-green's comparison: theirs and the reference differ only in comments: nothing to compare
  assert.equal(book.diff('blue-green', ws, COMPARISON_SIDES).includes('template.yaml'), false);
  // hooks-failing's change: the step's own, not the blue-green comment rewording
  const shown = book.diff('hooks-failing', ws);
  assert.doesNotMatch(shown, /Uncomment in the blue\/green step/, shown);
  assert.match(shown, /^--- sam-app\/template\.yaml \(yours, but for comments\)$/m);
  assert.match(shown, /^\+\+\+ sam-app\/template\.yaml \(with the change\)$/m);
  assert.match(shown, /^\+ {8}Hooks:$/m);
  // the comparison after a pass names whose each side is
  writeFileSync(ws.template, book.after('hooks-failing', 'template.yaml').replace('HOOK_STATUS: Failed', 'HOOK_STATUS: Failed # mine'));
  const compared = book.diff('hooks-failing', ws, COMPARISON_SIDES);
  assert.match(compared, /^--- sam-app\/template\.yaml \(yours\)$/m, compared);
  assert.match(compared, /^\+\+\+ sam-app\/template\.yaml \(the lab's\)$/m, compared);
});

test("the comparison after a pass leaves out the hunks that change only comments when the file differs in code too: the lab's comment kept above the uncommented lines is not listed, the code that differs is", async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sol-ref-comment-hunks-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ws = workspacePaths(root);
  await scaffoldWorkspace(ws);
  const book = new ReferenceBook(REFERENCE_ORDER);
  // step 2 made with the lab's comment kept, and a Timeout of the learner's own (far from it: a hunk of its own)
  const start = readFileSync(ws.template, 'utf8');
  const mine = start
    .replace('      # DeploymentPreference:\n      #   Type: Linear10PercentEvery1Minute', '      DeploymentPreference:\n        Type: Linear10PercentEvery1Minute')
    .replace('    Timeout: 10\n', '    Timeout: 12\n');
  assert.notEqual(mine, start);
  assert.ok(mine.includes('Timeout: 12'));
  writeFileSync(ws.template, mine);
  const compared = book.diff('blue-green', ws, COMPARISON_SIDES);
  assert.match(compared, /^-    Timeout: 12$/m, compared);
  assert.match(compared, /^\+    Timeout: 10$/m, compared);
  assert.doesNotMatch(compared, /Uncomment in the blue\/green step/, compared);
  assert.doesNotMatch(compared, /CodeDeploy shifts "live" to each new/, compared);
  // "show me the change" still shows all that "do it for me" would write
  assert.match(book.diff('blue-green', ws), /Uncomment in the blue\/green step/);
});

test("hooks-alarm's change over a learner's hooks-failing made their way (their hook's Resource: '*', a comment reworded): only the step's own change, not the earlier step's choice nor the comment", async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sol-ref-own-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ws = workspacePaths(root);
  await scaffoldWorkspace(ws);
  const book = new ReferenceBook(REFERENCE_ORDER);
  const lab = book.after('hooks-failing', 'template.yaml');
  const arn = /Resource: !Sub 'arn:\$\{AWS::Partition\}:codedeploy[^\n]*/;
  assert.match(lab, arn);
  const comment = "# SAM's role for CodeDeploy may invoke only functions named CodeDeployHook_*";
  assert.ok(lab.includes(comment));
  const mine = lab.replace(arn, "Resource: '*'").replace(comment, '# my hook: its name starts CodeDeployHook_');
  writeFileSync(ws.template, mine);
  const shown = book.diff('hooks-alarm', ws);
  assert.match(shown, /^--- sam-app\/template\.yaml \(yours, but for comments and earlier steps\)$/m, shown);
  assert.doesNotMatch(shown, /Resource: '\*'/, shown);
  assert.doesNotMatch(shown, /^[-+].*(my hook|SAM's role)/m, shown);
  // the step's own change is all there
  assert.match(shown, /^\+ {8}Alarms:$/m);
  assert.match(shown, /^- {10}HOOK_STATUS: Failed\n\+ {10}HOOK_STATUS: Succeeded$/m);
  assert.match(shown, /^\+ {2}AliasErrorMetricGreaterThanZeroAlarm:$/m);
  for (const l of shown.split('\n')) assert.ok(l.length <= 80, l);
  // "do it for me" writes what the diff's new side shows, their file kept
  const [applied] = book.apply('hooks-alarm', ws);
  assert.equal(applied!.how, 'replaced');
  assert.equal(readFileSync(ws.template, 'utf8'), book.after('hooks-alarm', 'template.yaml'));
  assert.equal(readFileSync(applied!.kept!, 'utf8'), mine);
});
