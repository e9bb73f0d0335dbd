import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReferenceBook } from '../../src/lab/reference.js';
import { workspacePaths } from '../../src/lab/workspace.js';

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
  assert.deepEqual(s.book.apply('one', s.ws), [{ file: 't.yaml', how: 'patched', kept: undefined }]);
  assert.equal(readFileSync(s.file, 'utf8'), 'a: 1 # mine\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 70\n');
  assert.deepEqual(s.book.apply('one', s.ws).map((f) => f.how), ['unchanged'], 'applying twice changes nothing');
  assert.equal(s.book.diff('one', s.ws), '');
});

test('when the learner changed the same lines, the reference is written and their file kept as .mine; reset restores the starting point', (t) => {
  const s = setup();
  t.after(() => rmSync(s.root, { recursive: true, force: true }));
  writeFileSync(s.file, 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 8\n');
  const applied = s.book.apply('one', s.ws);
  assert.equal(applied[0]!.how, 'replaced');
  assert.equal(readFileSync(`${s.file}.mine`, 'utf8'), 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 8\n');
  assert.match(readFileSync(s.file, 'utf8'), /g: 70/);
  s.book.apply('two', s.ws);
  assert.ok(existsSync(join(s.ws.samApp, 'hook.mjs')));
  assert.deepEqual(s.book.restore('two', s.ws).sort(), ['hook.mjs', 't.yaml']);
  assert.ok(!existsSync(join(s.ws.samApp, 'hook.mjs')), 'a file the step added is removed');
  assert.match(readFileSync(s.file, 'utf8'), /^a: 1\n[\s\S]*g: 70\n$/);
});
