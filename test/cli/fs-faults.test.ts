/**
 * The machine's file system faults (a full disk, an immutable or unreadable file, a path too long)
 * are said as such: which file, what the system said in words, what to do, exit 3 — never "this is
 * a bug in serverless-ops-lab". Damaged .lab files get advice that loses nothing (their .bak), and
 * doctor, list and `emulator --host` say what is wrong without making or hiding anything.
 *
 * Tests may run as root, where chmod stops no read or write: faults are made with paths that fail
 * for root too (a folder where a file is read: EISDIR; a name over 255 bytes: ENAMETOOLONG), or
 * the fs call is replaced at the module boundary (mock.method + syncBuiltinESMExports).
 */
import { after, afterEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { labWorkspace } from '../lab/helpers.js';
import { ExitCode, FileSystemError, asFileSystemError, LabError } from '../../src/errors.js';
import { progressPath, ProgressStore } from '../../src/lab/progress.js';
import { workspacePaths, writeJsonAtomic } from '../../src/lab/workspace.js';
import { NameBook } from '../../src/targets/deployers/local/names.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { REFERENCE_ORDER } from '../../src/steps/index.js';
import { freeSpaceFinding, labFilesFinding, templateFinding } from '../../src/commands/doctor.js';
import { markNewVersion } from '../../src/steps/shared/release.js';
import type { LabContext } from '../../src/lab/context.js';

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  mock.restoreAll();
  syncBuiltinESMExports();
});

const BUG = /this is a bug in serverless-ops-lab/;

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** the next call of fs.<name> fails with this errno error, as the system would raise it */
function failNext(name: 'writeFileSync' | 'renameSync', code: string, extra: Record<string, string> = {}): void {
  const real = fs[name] as (...a: unknown[]) => unknown;
  let once = true;
  mock.method(fs, name, (...args: unknown[]) => {
    if (once) {
      once = false;
      throw Object.assign(new Error(`${code}: simulated, ${name}`), { code, errno: -1, ...extra });
    }
    return real(...args);
  });
  syncBuiltinESMExports();
}

test('a full disk while progress.json is written: FileSystemError naming progress.json (not its temp file), in words, exit 3; the file keeps what it held', async () => {
  const ws = workspacePaths(await labWorkspace('sol-fsf-enospc-'));
  made.push(ws.root);
  const progress = ProgressStore.load(ws, 'local');
  progress.update('deploy', (s) => void (s.status = 'done'));
  const before = readFileSync(progressPath(ws), 'utf8');
  // ENOSPC from write(2) carries no path: only the writer knows which file it was
  failNext('writeFileSync', 'ENOSPC', { syscall: 'write' });
  const err = (() => {
    try {
      progress.update('blue-green', (s) => void (s.status = 'done'));
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(err instanceof FileSystemError, String(err));
  assert.equal(err.exitCode, ExitCode.environment);
  assert.equal(err.message, `cannot write ${progressPath(ws)}: no space left on the device (ENOSPC)`);
  assert.match(err.hint ?? '', /free some space on that disk \(df -h /);
  assert.equal(readFileSync(progressPath(ws), 'utf8'), before);

  // an immutable file: the rename's own path is the temp file; the message names the real one
  failNext('renameSync', 'EPERM', { syscall: 'rename', path: `${progressPath(ws)}.1.abc.tmp`, dest: progressPath(ws) });
  assert.throws(() => progress.update('blue-green', (s) => void (s.status = 'done')), (e: unknown) => {
    assert.ok(e instanceof FileSystemError);
    assert.equal(e.message, `cannot write ${progressPath(ws)}: operation not permitted (EPERM)`);
    assert.match(e.hint ?? '', /immutable/);
    return true;
  });
});

test('the CLI boundary: an fs error no one named is still exit 3 with the file and words, and other errors are left alone', () => {
  const raw = Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS', syscall: 'open', path: '/x/y.json' });
  const said = asFileSystemError(raw);
  assert.ok(said instanceof LabError);
  assert.equal(said.exitCode, 3);
  assert.equal(said.message, 'cannot use /x/y.json: the file system is read-only (EROFS)');
  // not a file's: a signal refused, a port refused
  const kill = Object.assign(new Error('kill EPERM'), { code: 'EPERM', syscall: 'kill' });
  assert.equal(asFileSystemError(kill), kill);
  const listen = Object.assign(new Error('listen EACCES'), { code: 'EACCES', syscall: 'listen' });
  assert.equal(asFileSystemError(listen), listen);
});

test('a workspace path too long: "cannot use <workspace>: the path is longer than the file system allows", exit 3, no bug message', async () => {
  const dir = tempDir('sol-fsf-long-');
  const long = join(dir, 'a'.repeat(300));
  for (const args of [['list'], ['deploy']]) {
    const r = await runCli([...args, '--workspace', long]);
    assert.equal(r.code, 3, r.stderr);
    assert.ok(r.stderr.startsWith(`error: cannot use ${long}: the path is longer than the file system allows (ENAMETOOLONG)\n`), r.stderr);
    assert.doesNotMatch(r.stderr, BUG);
  }
});

test('a .lab file the system will not read (a folder where progress.json should be): named, exit 3, no bug message', async () => {
  const dir = await labWorkspace('sol-fsf-eisdir-');
  made.push(dir);
  mkdirSync(join(dir, '.lab', 'progress.json'), { recursive: true });
  const r = await runCli(['list', '--workspace', dir]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`^error: cannot read ${join(dir, '.lab', 'progress.json')}: it is a folder, not a file \\(EISDIR\\)\n`));
  assert.doesNotMatch(r.stderr, BUG);
});

test('"do it for me" and "show me" with a template.yaml that cannot be read: FileSystemError naming it', async () => {
  const ws = workspacePaths(await labWorkspace('sol-fsf-template-'));
  made.push(ws.root);
  rmSync(ws.template);
  mkdirSync(ws.template);
  const step = REFERENCE_ORDER.find((e) => e.files.includes('template.yaml'))!.stepId;
  const book = new ReferenceBook(REFERENCE_ORDER);
  for (const use of [() => book.diff(step, ws), () => book.apply(step, ws)]) {
    assert.throws(use, (e: unknown) => e instanceof FileSystemError && e.exitCode === 3 && e.message === `cannot read ${ws.template}: it is a folder, not a file (EISDIR)`);
  }
});

test("the lab's new version of src/app.mjs (a release again) with a file that cannot be read or written: FileSystemError naming it", async () => {
  const ws = workspacePaths(await labWorkspace('sol-fsf-appcode-'));
  made.push(ws.root);
  const app = join(ws.samApp, 'src', 'app.mjs');
  rmSync(app);
  mkdirSync(app);
  const ctx = { ws } as unknown as LabContext;
  assert.throws(() => markNewVersion(ctx), (e: unknown) => e instanceof FileSystemError && e.message === `cannot read ${app}: it is a folder, not a file (EISDIR)`);
  rmSync(app, { recursive: true });
  writeFileSync(app, 'export const handler = async () => ({ statusCode: 200 });\n');
  failNext('writeFileSync', 'ENOSPC', { syscall: 'write' });
  assert.throws(() => markNewVersion(ctx), (e: unknown) => e instanceof FileSystemError && e.exitCode === 3 && e.message.startsWith(`cannot write ${app}: `));
  assert.equal(readFileSync(app, 'utf8'), 'export const handler = async () => ({ statusCode: 200 });\n', 'the file keeps what it held');
});

test('each .lab JSON file is written with a .bak of the same text', async () => {
  const ws = workspacePaths(tempDir('sol-fsf-bak-'));
  await writeJsonAtomic(ws.deployRecord, { schema: 1, a: 1 });
  assert.equal(readFileSync(`${ws.deployRecord}.bak`, 'utf8'), readFileSync(ws.deployRecord, 'utf8'));
  const progress = ProgressStore.load(ws, 'local');
  progress.update('deploy', (s) => void (s.status = 'done'));
  assert.equal(readFileSync(`${progressPath(ws)}.bak`, 'utf8'), readFileSync(progressPath(ws), 'utf8'));
});

test('a cut-short progress.json with a good .bak: exit 3, the cp that puts the backup back; never "delete it"', async () => {
  const dir = await labWorkspace('sol-fsf-progress-');
  made.push(dir);
  const ws = workspacePaths(dir);
  ProgressStore.load(ws, 'local').update('deploy', (s) => void (s.status = 'done'));
  const file = progressPath(ws);
  writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40));
  const r = await runCli(['list', '--workspace', dir]);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(
    r.stderr,
    `error: ${file} is not valid JSON (cut short or edited?)\n  the lab keeps a copy of its last good write: \`cp ${file}.bak ${file}\` puts it back, then run the command again\n`,
  );
  // the advice works: the step's record is back
  writeFileSync(file, readFileSync(`${file}.bak`));
  assert.equal(ProgressStore.load(ws, 'local').step('deploy').status, 'done');
});

test("a progress.json of another lab version with a good .bak: the cp that puts the backup back, in the cut-short file's words", () => {
  const ws = workspacePaths(tempDir('sol-fsf-schema-'));
  mkdirSync(ws.labDir, { recursive: true });
  ProgressStore.load(ws, 'local').update('deploy', (s) => void (s.status = 'done'));
  const file = progressPath(ws);
  writeFileSync(file, '{"schema": 2, "steps": {}}');
  const err = (() => {
    try {
      ProgressStore.load(ws, 'local');
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof LabError && err.exitCode === ExitCode.environment, String(err));
  assert.equal(err.message, `${file} is not a progress file of this lab version`);
  // one sentence for the .bak, said by damagedLabFileHint too (the test above)
  assert.ok(err.hint?.startsWith(`the lab keeps a copy of its last good write: \`cp ${file}.bak ${file}\` puts it back, or run \``), err.hint);
  assert.match(err.hint!, /reset --workspace .* to start over, or move it away$/);
});

test('a cut-short names.json with no backup: "do not delete it", and reset (not a redeploy) as the way out, exit 3', () => {
  const ws = workspacePaths(tempDir('sol-fsf-names-'));
  mkdirSync(ws.labDir, { recursive: true });
  writeFileSync(ws.names, '{"schema":1,"names":{"ServerlessOps-stack/Fn');
  assert.throws(
    () => new NameBook(ws.names),
    (e: unknown) => {
      assert.ok(e instanceof LabError);
      assert.equal(e.exitCode, 3);
      assert.match(e.hint ?? '', /^do not delete it: it maps the template's resources to the names the local cloud gave them, and a deploy without it makes a second copy of each/);
      assert.match(e.hint ?? '', /reset --workspace /);
      assert.doesNotMatch(e.hint ?? '', /deploy again/);
      return true;
    },
  );
});

test('reset --yes of the whole lab works with a cut-short deploy.json, and takes the .bak files with it', async () => {
  const dir = await labWorkspace('sol-fsf-reset-');
  made.push(dir);
  const ws = workspacePaths(dir);
  await writeJsonAtomic(ws.deployRecord, { schema: 1, target: 'local' });
  writeFileSync(ws.deployRecord, '{"sch');
  const r = await runCli(['reset', '--yes', '--workspace', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(ws.deployRecord) && !existsSync(`${ws.deployRecord}.bak`));
});

test('doctor: a cut-short deploy.json, a template.yaml it cannot read and a full disk each fail, with their fix', async () => {
  const dir = await labWorkspace('sol-fsf-doctor-');
  made.push(dir);
  const ws = workspacePaths(dir);
  assert.equal(labFilesFinding(ws).ok, true);
  assert.equal(templateFinding(ws).ok, true);
  mkdirSync(ws.labDir, { recursive: true });
  writeFileSync(ws.deployRecord, '{"schema": 1, "targ');
  const files = labFilesFinding(ws);
  assert.deepEqual([files.ok, files.found], [false, `${ws.deployRecord} is not valid JSON (cut short or edited?)`]);
  assert.match(files.fix ?? '', /deploy\.json\.broken/);
  rmSync(ws.template);
  mkdirSync(ws.template);
  const template = templateFinding(ws);
  assert.deepEqual([template.ok, template.found], [false, `cannot read ${ws.template}: it is a folder, not a file (EISDIR)`]);
  const full = freeSpaceFinding(dir, (() => ({ bavail: 3, bsize: 4096 })) as unknown as typeof fs.statfsSync);
  assert.equal(full.ok, false);
  assert.match(full.fix ?? '', /^free at least 50 MB on that disk/);
  assert.equal(freeSpaceFinding(dir, (() => ({ bavail: 1e6, bsize: 4096 })) as unknown as typeof fs.statfsSync).ok, true);
  // and the command says so, exit 1, not "everything the lab needs is here"
  const r = await runCli(['doctor', '--workspace', dir]);
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stdout, /everything the lab needs is here/);
  assert.match(r.stderr, /thing\(s\) the lab needs: workspace files, sam-app\/template\.yaml/);
  // each one's fix under the closing error, not the first one's only
  assert.match(r.stderr, /\n {2}- workspace files: .*deploy\.json\.broken.*\n {2}- sam-app\/template\.yaml: /);
});
