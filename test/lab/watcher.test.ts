/**
 * The watcher hears the learner's saves, not the files editors write beside them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEditorScratch } from '../../src/lab/watcher.js';

test("editors' scratch files are not changes; the learner's files are", () => {
  for (const f of ['src/.app.mjs.swp', 'src/.app.mjs.swo', '.template.yaml.swx', 'src/4913', '.#template.yaml', '#template.yaml#', 'template.yaml___jb_tmp___', 'template.yaml___jb_old___', 'template.yaml~', 'template.yaml.mine', 'x.tmp']) {
    assert.equal(isEditorScratch(f), true, f);
  }
  for (const f of ['template.yaml', 'src/app.mjs', 'hooks/pre-traffic.mjs', '.env', 'src/swap.mjs', 'src/.hidden.js', 'samconfig.toml']) {
    assert.equal(isEditorScratch(f), false, f);
  }
});
