/**
 * hooks-errors' after-pass: CodeDeploy rolled "live" back, not sam-app/src/app.mjs, which still
 * holds version 4 (it throws); a plain deploy afterwards would release it, and with no traffic
 * during the shift the alarm lets it through. Once the step has passed, the lab puts the file back
 * as the previous step left it, the learner's version 4 kept in backups/, and says so; a file the
 * learner changed some other way is theirs: kept, and only said. Files only, no cloud: nothing is
 * deployed.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReferenceBook } from '../../src/lab/reference.js';
import { scaffoldWorkspace, workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { alarmRollbackStep, errorsRollbackStep, OWN_THROWS, revertSource } from '../../src/steps/hooks-alarms.js';
import { REFERENCE_ORDER } from '../../src/steps/index.js';
import { fakeContext } from '../helpers/lab-context.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
const V4 = readFileSync(join(TEMPLATES, 'hooks-errors', 'src', 'app.mjs'), 'utf8');
const PREVIOUS = readFileSync(join(TEMPLATES, 'hooks-failing', 'src', 'app.mjs'), 'utf8');

describe('hooks-errors passed: sam-app/src/app.mjs back to the code that answers 200', () => {
  let dir: string;
  let ws: Workspace;
  const app = () => join(ws.samApp, 'src', 'app.mjs');
  const context = () => fakeContext({ ws, reference: new ReferenceBook(REFERENCE_ORDER) });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sol-source-back-'));
    ws = workspacePaths(dir);
    await scaffoldWorkspace(ws);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('the step puts the source back once it has passed (afterPass), not in follow, which runs before its checks', () => {
    assert.equal(errorsRollbackStep.afterPass, revertSource);
  });

  test('version 4 (as shipped, or with the comment line the lab adds for a new version): put back to the previous step\'s, version 4 kept in backups/, said; nothing deployed', async () => {
    for (const v4 of [V4, `${V4}// a new version made by the lab at 2026-01-01T00:00:00.000Z, so that a deploy releases it\n`]) {
      rmSync(ws.backups, { recursive: true, force: true });
      writeFileSync(app(), v4);
      const ctx = context();
      await revertSource(ctx);
      assert.equal(readFileSync(app(), 'utf8'), PREVIOUS);
      const folders = readdirSync(ws.backups);
      assert.equal(folders.length, 1);
      assert.ok(folders[0]!.endsWith('-after-hooks-errors'), folders[0]);
      const kept = join(ws.backups, folders[0]!, 'sam-app', 'src', 'app.mjs');
      assert.equal(readFileSync(kept, 'utf8'), v4);
      assert.match(ctx.io.text, /CodeDeploy rolled the alias "live" back, not your source: sam-app\/src\/app\.mjs still held app version 4, which throws, and the next deploy would release it again/);
      // the lab wrote this file (a, --ci), not the learner: said so
      assert.ok(ctx.io.text.includes(`the lab put sam-app/src/app.mjs back as the previous step left it (code that answers 200); app version 4, which the lab wrote (not you), is kept as ${kept}. Nothing was deployed.`), ctx.io.text);
      assert.doesNotMatch(ctx.io.text, /your app version 4/);
      assert.equal(ctx.deploys, 0);
    }
  });

  test('version 4 as the learner wrote it (its code, with a comment of theirs): "your app version 4" is kept', async () => {
    const mine = V4.replace('export const handler', '// my version 4\nexport const handler');
    assert.notEqual(mine, V4);
    writeFileSync(app(), mine);
    const ctx = context();
    await revertSource(ctx);
    assert.equal(readFileSync(app(), 'utf8'), PREVIOUS);
    const folders = readdirSync(ws.backups);
    const kept = join(ws.backups, folders[0]!, 'sam-app', 'src', 'app.mjs');
    assert.equal(readFileSync(kept, 'utf8'), mine);
    assert.ok(ctx.io.text.includes(`; your app version 4 is kept as ${kept}. Nothing was deployed.`), ctx.io.text);
  });

  test('the file is the previous step\'s already (the learner reverted it, or a second pass): left alone, nothing said, no backup', async () => {
    writeFileSync(app(), PREVIOUS);
    const ctx = context();
    await revertSource(ctx);
    assert.equal(readFileSync(app(), 'utf8'), PREVIOUS);
    assert.equal(existsSync(ws.backups) ? readdirSync(ws.backups).length : 0, 0);
    assert.equal(ctx.io.text, '');
  });

  test('a version of the learner\'s own that throws (not app version 4 as shipped): put back too, theirs kept in backups/, said', async () => {
    const mine = PREVIOUS.replace('const APP_VERSION = 3;', 'const APP_VERSION = 5;\nif (process.env.BREAK) throw new Error("mine");');
    writeFileSync(app(), mine);
    const ctx = context();
    await revertSource(ctx);
    assert.equal(readFileSync(app(), 'utf8'), PREVIOUS);
    const folders = readdirSync(ws.backups);
    assert.equal(folders.length, 1);
    const kept = join(ws.backups, folders[0]!, 'sam-app', 'src', 'app.mjs');
    assert.equal(readFileSync(kept, 'utf8'), mine);
    assert.doesNotMatch(ctx.io.text, /neither app version 4 nor the previous step's/);
    assert.ok(ctx.io.text.includes(`sam-app/src/app.mjs still held your version that throws, and the next deploy would release it again`), ctx.io.text);
    assert.ok(ctx.io.text.includes(`the lab put sam-app/src/app.mjs back as the previous step left it (code that answers 200); your version is kept as ${kept}. Nothing was deployed.`), ctx.io.text);
    assert.equal(ctx.deploys, 0);
  });

  test('the learner changed it some other way, with no throw added: their file is kept as it is, and the lab only says what a rollback leaves', async () => {
    const mine = PREVIOUS.replace('const APP_VERSION = 3;', 'const APP_VERSION = 4;\nconsole.log("mine");');
    writeFileSync(app(), mine);
    const ctx = context();
    await revertSource(ctx);
    assert.equal(readFileSync(app(), 'utf8'), mine);
    assert.equal(existsSync(ws.backups) ? readdirSync(ws.backups).length : 0, 0);
    assert.match(ctx.io.text, /CodeDeploy rolled the alias "live" back, not your source: sam-app\/src\/app\.mjs is neither app version 4 nor the previous step's, and adds no throw, so the lab leaves it as it is\. If it still fails, put it back to code that answers 200 before you deploy again/);
    assert.equal(ctx.deploys, 0);
  });

  test("a throw of the learner's own that their previous version had (kept when hooks-alarm passed) is no throw added: their file is left as it is", async () => {
    const own = PREVIOUS.replace('const rekognition = new RekognitionClient({});', "const rekognition = new RekognitionClient({});\nconst must = (x) => { if (!x) throw new TypeError('no image'); return x; };");
    writeFileSync(app(), own);
    const ctx = context();
    await alarmRollbackStep.afterPass!(ctx);
    assert.deepEqual(ctx.figuresOf.current![OWN_THROWS], ["throw new TypeError ( 'no image' ) ;"]);
    ctx.figuresOf['hooks-alarm'] = ctx.figuresOf.current!;
    // found passed again on a resume, with the file edited since: what it kept first stays
    writeFileSync(app(), V4);
    await alarmRollbackStep.afterPass!(ctx);
    assert.deepEqual(ctx.figuresOf['hooks-alarm'][OWN_THROWS], ["throw new TypeError ( 'no image' ) ;"]);
    const mine = own.replace('const APP_VERSION = 3;', 'const APP_VERSION = 4;');
    writeFileSync(app(), mine);
    await revertSource(ctx);
    assert.equal(readFileSync(app(), 'utf8'), mine);
    assert.match(ctx.io.text, /is neither app version 4 nor the previous step's, and adds no throw, so the lab leaves it as it is/);
  });
});
