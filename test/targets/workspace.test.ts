import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledSamApp, packageRoot, scaffoldWorkspace, workspacePaths, writeJsonAtomic } from '../../src/lab/workspace.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sol-ws-'));
}

/** A small stand-in for the bundled app, so these tests do not depend on its contents. */
function fakeApp(root: string): string {
  const app = join(root, 'bundled');
  mkdirSync(join(app, 'src'), { recursive: true });
  mkdirSync(join(app, 'samples'), { recursive: true });
  mkdirSync(join(app, '.aws-sam', 'build'), { recursive: true });
  writeFileSync(join(app, 'template.yaml'), 'Resources: {}\n');
  writeFileSync(join(app, 'src', 'app.mjs'), 'export const handler = async () => 1;\n');
  writeFileSync(join(app, 'samples', 'a.jpg'), Buffer.from([0xff, 0xd8, 0xff]));
  writeFileSync(join(app, 'samples', 'a.labels.json'), '{}');
  writeFileSync(join(app, '.aws-sam', 'build', 'junk'), 'x');
  return app;
}

test('the bundled app is found from the package root, not the cwd', () => {
  const root = packageRoot();
  assert.ok(existsSync(join(root, 'package.json')));
  assert.equal(bundledSamApp(), join(root, 'sam-app'));
  const cwd = process.cwd();
  const elsewhere = tempDir();
  try {
    process.chdir(elsewhere);
    assert.equal(bundledSamApp(), join(root, 'sam-app'));
  } finally {
    process.chdir(cwd);
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('first run copies the whole app (sources, samples, dotfiles) but not sam build output', async () => {
  const dir = tempDir();
  try {
    const ws = workspacePaths(join(dir, 'lab'));
    const r = await scaffoldWorkspace(ws, fakeApp(dir));
    assert.deepEqual(r, { copied: true });
    assert.equal(readFileSync(join(ws.samApp, 'src', 'app.mjs'), 'utf8'), 'export const handler = async () => 1;\n');
    assert.deepEqual(readdirSync(join(ws.samApp, 'samples')).sort(), ['a.jpg', 'a.labels.json']);
    assert.ok(!existsSync(join(ws.samApp, '.aws-sam')));
    // no temporary copy left behind
    assert.deepEqual(readdirSync(ws.root), ['sam-app']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("later runs never overwrite the learner's edits, nor restore deleted files", async () => {
  const dir = tempDir();
  try {
    const app = fakeApp(dir);
    const ws = workspacePaths(join(dir, 'lab'));
    await scaffoldWorkspace(ws, app);
    writeFileSync(join(ws.samApp, 'src', 'app.mjs'), '// my edit\n');
    rmSync(join(ws.samApp, 'samples', 'a.jpg'));
    const r = await scaffoldWorkspace(ws, app);
    assert.deepEqual(r, { copied: false });
    assert.equal(readFileSync(join(ws.samApp, 'src', 'app.mjs'), 'utf8'), '// my edit\n');
    assert.ok(!existsSync(join(ws.samApp, 'samples', 'a.jpg')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the real bundled app copies with its template, handler and samples', async () => {
  const dir = tempDir();
  try {
    const ws = workspacePaths(dir);
    await scaffoldWorkspace(ws);
    assert.ok(existsSync(ws.template));
    assert.ok(existsSync(join(ws.samApp, 'src', 'app.mjs')));
    assert.ok(readdirSync(join(ws.samApp, 'samples')).some((f) => f.endsWith('.jpg')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('workspace layout: .lab/state and .lab/deploy.json', () => {
  const ws = workspacePaths('/tmp/x');
  assert.equal(ws.stateDir, '/tmp/x/.lab/state');
  assert.equal(ws.deployRecord, '/tmp/x/.lab/deploy.json');
  assert.equal(ws.template, '/tmp/x/sam-app/template.yaml');
});

test('atomic JSON writes leave no temp files, only the file and its .bak', async () => {
  const dir = tempDir();
  try {
    const f = join(dir, '.lab', 'deploy.json');
    await writeJsonAtomic(f, { a: 1 });
    await writeJsonAtomic(f, { a: 2 });
    assert.deepEqual(JSON.parse(readFileSync(f, 'utf8')), { a: 2 });
    assert.deepEqual(readdirSync(join(dir, '.lab')).sort(), ['deploy.json', 'deploy.json.bak']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
