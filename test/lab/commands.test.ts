/** list, reset, doctor and start's flags, through the built CLI (no cloud needed). */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { labWorkspace } from './helpers.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { LAB_STEPS } from '../../src/steps/index.js';
import { resetCommand } from '../../src/commands/reset.js';
import { InterruptPolicy } from '../../src/interrupt.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { templatesRoot } from '../../src/lab/reference.js';

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

test('list shows every step pending in a new workspace, and what progress says once there is some', async () => {
  const dir = await labWorkspace('sol-list-');
  made.push(dir);
  const empty = await runCli(['list', '--workspace', dir]);
  assert.equal(empty.code, 0, empty.stderr);
  for (const s of LAB_STEPS) assert.match(empty.stdout, new RegExp(`${s.id} — `));
  assert.match(empty.stdout, /no progress yet/);
  // the command it names runs where the learner is: from a clone's `npm run`, `npm start`
  const underNpm = await runCli(['list', '--workspace', dir], { env: { ...process.env, npm_lifecycle_event: 'deploy', npm_package_name: 'serverless-ops-lab' } });
  assert.ok(underNpm.stdout.includes(`no progress yet in ${dir}; this begins:\n  $ npm start -- --workspace ${dir}\n`), underNpm.stdout);
  const progress = ProgressStore.load(workspacePaths(dir), 'local');
  progress.update('deploy', (s) => {
    s.status = 'done';
  });
  // the second step of the lab, whichever it is
  progress.update(LAB_STEPS[1]!.id, (s) => {
    s.status = 'done';
    s.assisted = true;
  });
  const json = JSON.parse((await runCli(['list', '--workspace', dir, '--json'])).stdout) as { steps: { id: string; status: string }[] };
  const status = Object.fromEntries(json.steps.map((s) => [s.id, s.status]));
  assert.deepEqual([status.deploy, status['blue-green'], status['concurrency-baseline']], ['done', 'assisted', 'pending']);
  const text = (await runCli(['list', '--workspace', dir])).stdout;
  assert.match(text, /✓ done/);
  assert.match(text, /◐ assisted/);
});

test('reset STEP forgets that step and the ones after it, and keeps the earlier ones', async () => {
  const dir = await labWorkspace('sol-reset-');
  made.push(dir);
  const progress = ProgressStore.load(workspacePaths(dir), 'local');
  for (const id of ['deploy', 'concurrency-baseline', 'concurrency-reserve']) progress.update(id, (s) => void (s.status = 'done'));
  const refused = await runCli(['reset', 'concurrency-baseline', '--workspace', dir]);
  assert.equal(refused.code, 2, 'no terminal to ask on: --yes is needed, as for the whole lab');
  assert.match(refused.stderr, /add --yes to confirm/);
  assert.equal(ProgressStore.load(workspacePaths(dir), 'local').step('concurrency-reserve').status, 'done', 'nothing changed');
  // a step by its number, as list numbers them: 11 is concurrency-reserve
  const byNumber = await runCli(['reset', String(LAB_STEPS.findIndex((s) => s.id === 'concurrency-reserve') + 1), '--yes', '--workspace', dir]);
  assert.equal(byNumber.code, 0, byNumber.stderr);
  const reserveOnly = ProgressStore.load(workspacePaths(dir), 'local');
  assert.deepEqual(['concurrency-baseline', 'concurrency-reserve'].map((id) => reserveOnly.step(id).status), ['done', 'pending']);
  const r = await runCli(['reset', 'concurrency-baseline', '--yes', '--workspace', dir]);
  assert.equal(r.code, 0, r.stderr);
  const after = ProgressStore.load(workspacePaths(dir), 'local');
  assert.deepEqual(['deploy', 'concurrency-baseline', 'concurrency-reserve'].map((id) => after.step(id).status), ['done', 'pending', 'pending']);
  const bad = await runCli(['reset', 'nope', '--workspace', dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no step "nope"/);
  // the same words and list as start --from: the steps and the chapters (reset canary resets the chapter)
  const chapters = [...new Set(LAB_STEPS.map((s) => s.chapter.id))];
  const list = `${LAB_STEPS.map((s, i) => `${i + 1} ${s.id}`).join(', ')} or a chapter: ${chapters.join(', ')}`;
  assert.ok(bad.stderr.replace(/\s+/g, ' ').includes(list), bad.stderr);
  const badFrom = await runCli(['start', '--ci', '--from', 'nope', '--workspace', dir]);
  assert.equal(badFrom.code, 2);
  assert.equal(badFrom.stderr, bad.stderr);
});

test('reset of a canary step says what stays in the cloud and that the step puts its canary back as it starts, not to deploy', async () => {
  const dir = await labWorkspace('sol-reset-canary-');
  made.push(dir);
  const progress = ProgressStore.load(workspacePaths(dir), 'local');
  for (const id of ['deploy', 'canary-stage-variable', 'canary-create', 'canary-rollback']) progress.update(id, (s) => void (s.status = 'done'));
  const r = await runCli(['reset', 'canary-rollback', '--yes', '--workspace', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(ProgressStore.load(workspacePaths(dir), 'local').step('canary-rollback').status, 'pending');
  assert.match(r.stdout, /the cloud keeps what it has: the new Lambda version stays published/);
  assert.match(r.stdout, /the lab puts a canary on the new version back on the stage/);
  assert.doesNotMatch(r.stdout, /deploy \(or start/, 'deploying sam-app/ does not put a canary back');
});

test('reset wrap-up says the wrap-up only reads the cloud and start runs it again, not to deploy to bring it in line', async () => {
  const dir = await labWorkspace('sol-reset-wrap-');
  made.push(dir);
  const progress = ProgressStore.load(workspacePaths(dir), 'local');
  for (const s of LAB_STEPS) progress.update(s.id, (p) => void (p.status = 'done'));
  const r = await runCli(['reset', 'wrap-up', '--yes', '--workspace', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(ProgressStore.load(workspacePaths(dir), 'local').step('wrap-up').status, 'pending');
  assert.equal(ProgressStore.load(workspacePaths(dir), 'local').step('concurrency-restore').status, 'done', 'the steps before it stay done');
  assert.match(r.stdout, /wrap-up only reads the cloud, so nothing there changes: start runs it again/);
  assert.doesNotMatch(r.stdout, /bring it in line/);
  // the last step: none after it
  assert.match(r.stdout, / wrap-up is pending again$/m);
  assert.doesNotMatch(r.stdout, /steps after it/);
});

test('reset STEP copies the learner\'s own files to backups/ (outside sam-app/, a new folder each time) before putting the starting point back', async () => {
  const dir = await labWorkspace('sol-reset-keep-');
  made.push(dir);
  const ws = workspacePaths(dir);
  const app = join(ws.samApp, 'src', 'app.mjs');
  const mine = (n: number) => `${readFileSync(join(templatesRoot(), 'hooks-failing', 'src', 'app.mjs'), 'utf8')}\n// my edit ${n}\n`;
  writeFileSync(app, mine(1));
  const refused = await runCli(['reset', 'hooks-alarm', '--workspace', dir]);
  assert.equal(refused.code, 2);
  assert.equal(readFileSync(app, 'utf8'), mine(1), 'nothing changed without --yes');
  const r = await runCli(['reset', 'hooks-alarm', '--yes', '--workspace', dir]);
  assert.equal(r.code, 0, r.stderr);
  // the starting point of hooks-alarm: what hooks-failing left
  assert.equal(readFileSync(app, 'utf8'), readFileSync(join(templatesRoot(), 'hooks-failing', 'src', 'app.mjs'), 'utf8'));
  assert.equal(readFileSync(ws.template, 'utf8'), readFileSync(join(templatesRoot(), 'hooks-failing', 'template.yaml'), 'utf8'));
  const first = readdirSync(ws.backups);
  assert.equal(first.length, 1);
  assert.match(first[0]!, /-reset-hooks-alarm$/);
  const kept = join(ws.backups, first[0]!, 'sam-app');
  assert.equal(readFileSync(join(kept, 'src', 'app.mjs'), 'utf8'), mine(1));
  assert.ok(r.stdout.includes(`your versions of them are kept in ${kept}`), r.stdout);
  // the bundled template was the lab's own text: nothing of the learner's to keep
  assert.ok(!existsSync(join(kept, 'template.yaml')));
  assert.deepEqual(readdirSync(join(ws.samApp, 'src')).filter((f) => f !== 'app.mjs'), [], 'no copy inside the function\'s code folder');
  writeFileSync(app, mine(2));
  assert.equal((await runCli(['reset', 'hooks-alarm', '--yes', '--workspace', dir])).code, 0);
  const both = readdirSync(ws.backups).sort();
  assert.equal(both.length, 2, 'a second reset gets its own folder, even within the same second');
  assert.equal(readFileSync(join(kept, 'src', 'app.mjs'), 'utf8'), mine(1), 'the earlier copy is untouched');
  assert.equal(readFileSync(join(ws.backups, both.find((b) => b !== first[0])!, 'sam-app', 'src', 'app.mjs'), 'utf8'), mine(2));
  // run from the workspace's parent, as a learner does, the copy is named from there: an absolute
  // path under a home folder was wider than 80 columns, and the terminal broke it mid-word
  writeFileSync(app, mine(3));
  const fromParent = await runCli(['reset', 'hooks-alarm', '--yes', '--workspace', dir], { cwd: dirname(dir) });
  assert.equal(fromParent.code, 0, fromParent.stderr);
  assert.match(fromParent.stdout, new RegExp(`your versions of them are kept in ${basename(dir)}/backups/[^/\\s]+-reset-hooks-alarm-?\\d*/sam-app\n`), fromParent.stdout);
});

test('reset STEP on a terminal asks first: no changes nothing, yes resets', async () => {
  const dir = await labWorkspace('sol-reset-ask-');
  made.push(dir);
  const ws = workspacePaths(dir);
  writeFileSync(ws.template, `${readFileSync(ws.template, 'utf8')}\n# my edit\n`);
  const no = new RecordingIoHost({ answers: [false] });
  await resetCommand('blue-green', { workspace: dir }, new InterruptPolicy(), no);
  assert.match(no.of('confirm')[0]!.text, /put sam-app\/template\.yaml.*back to the step's starting point/);
  assert.match(no.text, /nothing changed/);
  assert.match(readFileSync(ws.template, 'utf8'), /# my edit/);
  assert.ok(!existsSync(ws.backups));
  const yes = new RecordingIoHost({ answers: [true] });
  await resetCommand('blue-green', { workspace: dir }, new InterruptPolicy(), yes);
  assert.doesNotMatch(readFileSync(ws.template, 'utf8'), /# my edit/);
  assert.match(yes.text, /kept in .*\/backups\//);
});

test('reset of a workspace with no lab in it says there is nothing to reset, fails, and creates nothing', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'sol-reset-none-'));
  made.push(parent);
  const missing = join(parent, 'never-existed');
  for (const args of [['reset', 'deploy'], ['reset', '--yes'], ['reset', 'hooks-alarm', '--yes']]) {
    const r = await runCli([...args, '--workspace', missing]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, /nothing to reset: .*never-existed holds no lab/);
    assert.ok(!existsSync(missing), `${args.join(' ')} made nothing`);
  }
  const r = await runCli(['reset', 'deploy', '--yes', '--workspace', parent]);
  assert.equal(r.code, 1);
  assert.deepEqual(readdirSync(parent), [], 'an existing folder with no lab stays as it was');
});

test('reset of the whole lab with no deploy record follows the target progress.json recorded', async () => {
  const dir = await labWorkspace('sol-reset-target-');
  made.push(dir);
  ProgressStore.load(workspacePaths(dir), 'aws').update('deploy', (s) => void (s.status = 'started'));
  const r = await runCli(['reset', '--workspace', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /reset would empty the S3 buckets of the CloudFormation stack ServerlessOps-stack .* delete the stack/);
});

test('reset of the whole lab without a terminal needs --yes; with it the cloud state and progress go, sam-app/ is kept aside', async () => {
  const dir = await labWorkspace('sol-reset-all-');
  made.push(dir);
  const ws = workspacePaths(dir);
  writeFileSync(ws.template, `${readFileSync(ws.template, 'utf8')}\n# my edit\n`);
  ProgressStore.load(ws, 'local').update('deploy', (s) => void (s.status = 'done'));
  const refused = await runCli(['reset', '--workspace', dir]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /add --yes to confirm/);
  assert.ok(existsSync(join(ws.labDir, 'progress.json')), 'nothing changed');
  const r = await runCli(['reset', '--yes', '--workspace', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(join(ws.labDir, 'progress.json')));
  const kept = readdirSync(dir).find((f) => f.startsWith('sam-app.before-reset-'));
  assert.ok(kept, 'the learner\'s sam-app/ is kept');
  assert.match(readFileSync(join(dir, kept!, 'template.yaml'), 'utf8'), /# my edit/);
  assert.doesNotMatch(readFileSync(ws.template, 'utf8'), /# my edit/);
  // no cloud ran in this workspace: the reset says what it did, not that it stopped one
  assert.doesNotMatch(r.stdout, /stopped the local cloud/);
  assert.match(r.stdout, /no local cloud to stop or wipe in /);
});

test('a second whole reset keeps no copy of the fresh app the first one made (nothing of the learner\'s in it), and says so', async () => {
  const dir = await labWorkspace('sol-reset-twice-');
  made.push(dir);
  writeFileSync(workspacePaths(dir).template, `${readFileSync(workspacePaths(dir).template, 'utf8')}\n# my edit\n`);
  for (const _ of [1, 2, 3]) {
    const r = await runCli(['reset', '--yes', '--workspace', dir]);
    assert.equal(r.code, 0, r.stderr);
  }
  const again = await runCli(['reset', '--yes', '--workspace', dir]);
  assert.match(again.stdout, /sam-app\/ is the lab's app as it was copied, unchanged: nothing of yours to keep/);
  const kept = readdirSync(dir).filter((f) => f.startsWith('sam-app.before-reset-'));
  assert.equal(kept.length, 1, `one copy, the edited one: ${kept.join(', ')}`);
  assert.match(readFileSync(join(dir, kept[0]!, 'template.yaml'), 'utf8'), /# my edit/);
});

test('start: bad flags are usage errors (exit 2) with the fix, before anything starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-flags-'));
  made.push(dir);
  for (const [args, message] of [
    [['--speed', '0'], /invalid --speed "0"/],
    [['--from', 'nope'], /no step "nope"/],
    [['--profile', 'x'], /--profile and --region are for --target aws/],
    [['--target', 'mars'], /argument 'mars' is invalid/],
  ] as const) {
    const r = await runCli(['start', '--ci', '--workspace', dir, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /    at /);
  }
  assert.ok(!existsSync(join(dir, '.lab', 'state')), 'no cloud was started');
});

test('doctor (local) passes on this machine and says so; --report is a paste-ready block', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-doctor-'));
  made.push(dir);
  const r = await runCli(['doctor', '--workspace', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Node\.js: \d+\.\d+\.\d+/);
  assert.match(r.stdout, /everything the lab needs is here/);
  // stdin and stdout are pipes here, but doctor never asks: no word about prompts or default answers
  assert.doesNotMatch(r.stdout, /not a terminal|no prompts|default answer/);
  // the folder is there (as after `emulator start --workspace DIR`), only sam-app/ is not
  assert.match(r.stdout, new RegExp(`✓ workspace: ${dir} \\(no sam-app/ yet\\)$`, 'm'));
  const missing = await runCli(['doctor', '--workspace', join(dir, 'new')]);
  assert.match(missing.stdout, new RegExp(`✓ workspace: ${join(dir, 'new')} \\(not created yet\\)$`, 'm'));
  const rep = await runCli(['doctor', '--workspace', dir, '--report']);
  assert.equal(rep.code, 0, rep.stderr);
  assert.match(rep.stdout, /^```\nserverless-ops-lab \S+ doctor --target local\nnode /);
  assert.doesNotMatch(rep.stdout, /AWS_SECRET|aws_secret_access_key/i);
});

test('doctor: a recommendation (no aws CLI on PATH) is a warning with its own mark, not a failed check, and the summary counts it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-doctor-rec-'));
  made.push(dir);
  // node is run by its path: a PATH without the aws CLI
  const r = await runCli(['doctor', '--workspace', dir], { env: { ...process.env, PATH: '/nonexistent' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^(\S+ )?warning: aws CLI \(to run the printed commands yourself\): not on PATH — recommended: optional: /m);
  assert.doesNotMatch(r.stdout, /✗|not yet|expected recommended/);
  assert.match(r.stdout, /everything the lab needs is here; 1 recommendation$/m);
});

test('doctor --report FILE, as start --report FILE: the checks as usual, and the same block written to FILE; a FILE it cannot write is a usage error first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-doctor-file-'));
  made.push(dir);
  const file = join(dir, 'doctor.md');
  const r = await runCli(['doctor', '--workspace', dir, '--report', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Node\.js: \d+\.\d+\.\d+/);
  assert.match(r.stdout, new RegExp(`report written to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(r.stdout, /everything the lab needs is here/);
  assert.match(readFileSync(file, 'utf8'), /^```\nserverless-ops-lab \S+ doctor --target local\nnode [^\n]+\nok {3}Node\.js: [\s\S]*\n```\n$/);
  // flags after it are flags, not its file
  const before = await runCli(['doctor', '--report', '--workspace', dir]);
  assert.equal(before.code, 0, before.stderr);
  assert.match(before.stdout, /^```\n/);
  const folder = await runCli(['doctor', '--workspace', dir, '--report', dir]);
  assert.equal(folder.code, 2, folder.stderr);
  assert.match(folder.stderr, /--report \S+ is a folder, not a file/);
  assert.doesNotMatch(folder.stdout, /Node\.js/, 'checked before doctor looks at anything');
});

test('list stops on Ctrl-C (exit 130 at the boundary), rather than print the list after "stopping at the next safe point…"', async () => {
  const dir = await labWorkspace('sol-list-ctrl-c-');
  made.push(dir);
  const { listCommand } = await import('../../src/commands/list.js');
  const { InterruptPolicy } = await import('../../src/interrupt.js');
  const { InterruptedError } = await import('../../src/errors.js');
  const policy = new InterruptPolicy({ write: () => undefined, exit: () => undefined });
  policy.press();
  await assert.rejects(listCommand({ workspace: dir }, policy), InterruptedError);
  await assert.rejects(listCommand({ workspace: dir, json: true }, policy), InterruptedError);
});

test('status stops on Ctrl-C too (exit 130 at the boundary), rather than print its report after "stopping at the next safe point…"', async () => {
  const dir = await labWorkspace('sol-status-ctrl-c-');
  made.push(dir);
  const { statusCommand } = await import('../../src/commands/status.js');
  const { InterruptPolicy } = await import('../../src/interrupt.js');
  const { InterruptedError } = await import('../../src/errors.js');
  const policy = new InterruptPolicy({ write: () => undefined, exit: () => undefined });
  policy.press();
  await assert.rejects(statusCommand({ workspace: dir }, policy.signal), InterruptedError);
  await assert.rejects(statusCommand({ workspace: dir, json: true }, policy.signal), InterruptedError);
});
