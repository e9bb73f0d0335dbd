import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { PlainIoHost } from '../../src/io/plain.js';
import { RecordingIoHost, WAIT, CTRL_C } from '../../src/io/recording.js';
import { createIoHost } from '../../src/io/index.js';
import { formatCheck, formatFooter, formatTable, wrap, colourDiff, checkSummaryLine, stripAnsi, commandLines, commandArgs } from '../../src/io/format.js';
import { hintCommand } from '../../src/lab/check.js';
import { InteractiveIoHost } from '../../src/io/interactive.js';
import { endOpenViews } from '../../src/io/open-views.js';
import { execFileSync } from 'node:child_process';
import { createTwoFilesPatch } from 'diff';
import type { ReadStream, WriteStream } from 'node:tty';
import { paint } from '../../src/io/terminal.js';
import { InterruptPolicy } from '../../src/interrupt.js';
import { InterruptedError } from '../../src/errors.js';

const P = paint(false);

function sink(): { write(s: string): boolean; text: string } {
  const s = { text: '', write: (c: string) => ((s.text += c), true) };
  return s;
}

test('wrap keeps long words (commands, URLs) whole and wraps the rest to the width', () => {
  assert.deepEqual(wrap('one two three four', 9), ['one two', 'three', 'four']);
  assert.deepEqual(wrap('see https://docs.aws.amazon.com/lambda/latest/dg/x.html now', 20), ['see', 'https://docs.aws.amazon.com/lambda/latest/dg/x.html', 'now']);
});

test("wrap keeps a line's own leading spaces (hey's indented summary), on each line it wraps to", () => {
  assert.deepEqual(wrap('  [200] 950 responses', 80), ['  [200] 950 responses']);
  assert.deepEqual(wrap('  Total: 61.0 secs and more words', 16), ['  Total: 61.0', '  secs and more', '  words']);
  assert.deepEqual(wrap('  a b', 20, '> '), ['>   a b']);
  assert.deepEqual(wrap('    x', Infinity), ['    x']);
});

test('a check line says expected and found, the hint and the aws command; could-not-check says what and the fix', () => {
  const notYet = formatCheck({ name: 'Timeout above 3 s', aws: 'aws lambda get-function-configuration', status: 'not-yet', expected: 'more than 3', found: '3', hint: 'version 2 waits 3 s' }, P, 80);
  assert.deepEqual(notYet, [
    '✗ Timeout above 3 s (not yet)',
    '    expected more than 3',
    '    found 3',
    '    hint: version 2 waits 3 s',
    '    $ aws lambda get-function-configuration',
  ]);
  const broken = formatCheck({ name: 'alias live', aws: 'aws lambda get-alias', status: 'could-not-check', what: 'reach the local cloud (ECONNREFUSED)', fix: 'start it' }, P, 80);
  assert.match(broken[0]!, /^\? alias live \(could not check\)$/);
  assert.ok(broken.includes('    could not reach the local cloud (ECONNREFUSED)'));
  assert.ok(broken.includes('    fix: start it'));
  assert.equal(formatCheck({ name: 'x', status: 'passed', found: '25' }, P, 80)[0], '✓ x — 25');
  assert.equal(checkSummaryLine([{ name: 'a', status: 'passed' }, { name: 'b', status: 'not-yet' }]), '1 of 2 checks pass');
  assert.match(checkSummaryLine([{ name: 'a', status: 'could-not-check' }]), /^0 of 1 check passes; 1 could not be checked/);
});

test('the footer wraps its keys on a 60-column terminal instead of cutting them', () => {
  const keys = ['r re-check', 'h hint', 's show me', 'a do it for me', 'd deploy', 'l list', 'q quit'].map((k) => ({ key: k[0]!, label: k.slice(2) }));
  const lines = formatFooter({ step: 2, of: 9, title: 'blue-green: shift traffic', file: '/w/sam-app/template.yaml', keys }, P, 60, { cwd: '/w' });
  assert.equal(lines[1], 'step 2 of 9 · blue-green: shift traffic');
  assert.equal(lines[2], 'edit sam-app/template.yaml');
  for (const l of lines) assert.ok(stripAnsi(l).length <= 60, l);
  assert.ok(lines.slice(3).join(' ').includes('q quit'));
});

test('the diff is coloured by line kind, and uncoloured without colour', () => {
  const patch = '--- a\n+++ b\n@@ -1 +1 @@\n-Timeout: 3\n+Timeout: 10\n';
  assert.deepEqual(colourDiff(patch, P), ['--- a', '+++ b', '@@ -1 +1 @@', '-Timeout: 3', '+Timeout: 10']);
  const coloured = colourDiff(patch, paint(true));
  assert.notEqual(coloured[4], '+Timeout: 10');
  assert.equal(stripAnsi(coloured[4]!), '+Timeout: 10');
  // createTwoFilesPatch's `Index:` and `===` lines name the file the ---/+++ lines name: left out
  assert.deepEqual(colourDiff(`Index: a\n${'='.repeat(67)}\n${patch}`, P), ['--- a', '+++ b', '@@ -1 +1 @@', '-Timeout: 3', '+Timeout: 10']);
});

test("the diff is the library's, line for line: a removed `-- …` line is a removal, and `\\ No newline at end of file` stays", () => {
  const before = 'Resources:\n-- the old note\n  Timeout: 3\n};';
  const after = 'Resources:\n++ the new note\n  Timeout: 3\n};\n';
  const patch = createTwoFilesPatch('sam-app/t.yaml', 'sam-app/t.yaml', before, after, undefined, undefined, { context: 1 });
  const library = patch.split('\n').slice(2, -1);
  assert.deepEqual(colourDiff(patch, P), library, 'every line the library wrote, but its Index: and === lines');
  assert.ok(library.includes('\\ No newline at end of file'));
  const c = paint(true);
  const coloured = colourDiff(patch, c);
  assert.equal(coloured[library.indexOf('--- the old note')], c.red('--- the old note'));
  assert.equal(coloured[library.indexOf('+++ the new note')], c.green('+++ the new note'));
  assert.equal(coloured[0], c.bold('--- sam-app/t.yaml'));
});

test('the plain face: timestamped lines, defaults instead of prompts (said), no colour', async () => {
  const out = sink();
  const io = new PlainIoHost({ out, now: () => new Date(2026, 0, 1, 10, 5, 9) });
  io.heading('Step 1 · deploy');
  assert.equal(await io.choose('How?', [{ value: 'self', label: "I'll do it" }, { value: 'apply', label: 'do it for me' }], 'apply'), 'apply');
  assert.equal(await io.key('next?', [{ key: 'n', label: 'next' }], 'n'), 'n');
  io.check({ name: 'alias live', aws: 'aws lambda get-alias', status: 'passed', found: 'version 1' });
  const p = io.progress('deploying');
  p.update('still deploying');
  p.succeed('deployed');
  assert.equal(
    out.text,
    [
      '10:05:09 == Step 1 · deploy',
      "10:05:09 How? → do it for me (no prompt: the default)",
      '10:05:09 ✓ alias live — version 1',
      '10:05:09     $ aws lambda get-alias',
      '10:05:09 deploying…',
      '10:05:09 ✓ deployed',
      '',
    ].join('\n'),
  );
  assert.doesNotMatch(out.text, /\u001B\[/);
});

test('the plain face prints a live view only when it changed, at most every interval, and only its new lines', () => {
  const out = sink();
  let t = 0;
  const io = new PlainIoHost({ out, now: () => new Date(t) });
  const live = io.live('deployment', 1000);
  live.update(['1s 10 %', 'status InProgress']);
  t = 500;
  live.update(['1s 10 %', '2s 20 %', 'status InProgress']); // too soon
  t = 1600;
  live.update(['1s 10 %', '2s 20 %', 'status InProgress']);
  live.update(['1s 10 %', '2s 20 %', 'status InProgress']); // same
  live.done(['2s 20 %', '3s 100 %', 'status Succeeded']); // always shown
  const shown = out.text.split('\n').filter(Boolean).map((l) => l.slice(9));
  assert.deepEqual(shown, ['-- deployment', '1s 10 %', 'status InProgress', '2s 20 %', '3s 100 %', 'status Succeeded']);
});

test('without a terminal the host is plain and says so once; --ci, and a command that never asks, say nothing', async () => {
  const stdout = Object.assign(new PassThrough(), { isTTY: false });
  let text = '';
  stdout.on('data', (c) => (text += c));
  const io = await createIoHost({ stdin: Object.assign(new PassThrough(), { isTTY: true }), stdout, onCtrlC: () => undefined, signal: new AbortController().signal });
  assert.equal(io.face, 'plain');
  assert.match(text, /stdout is not a terminal: plain output, no prompts/);
  text = '';
  const ci = await createIoHost({ ci: true, stdin: Object.assign(new PassThrough(), { isTTY: true }), stdout: Object.assign(stdout, { isTTY: true }), onCtrlC: () => undefined, signal: new AbortController().signal });
  assert.equal(ci.face, 'plain');
  assert.equal(text, '');
  // a command that never asks (doctor) has no prompts to speak of
  const quiet = await createIoHost({ prompts: false, stdin: Object.assign(new PassThrough(), { isTTY: false }), stdout: Object.assign(stdout, { isTTY: false }), onCtrlC: () => undefined, signal: new AbortController().signal });
  assert.equal(quiet.face, 'plain');
  assert.equal(text, '');
});

test('the recording face answers from its script (functions may act first), WAIT until the signal, CTRL_C interrupts', async () => {
  let pressed = 0;
  const acted: string[] = [];
  const io = new RecordingIoHost({
    answers: ['apply', (q) => (acted.push(q.text), 'r'), WAIT, CTRL_C],
    onCtrlC: () => pressed++,
  });
  const choices = [{ value: 'self', label: 'me' }, { value: 'apply', label: 'you' }] as const;
  assert.equal(await io.choose('How?', choices, 'self'), 'apply');
  const keys = [{ key: 'r', label: 're-check' }];
  assert.equal(await io.key('waiting', keys, 'r'), 'r');
  assert.deepEqual(acted, ['waiting']);
  const changed = new AbortController();
  setImmediate(() => changed.abort());
  assert.equal(await io.key('waiting', keys, 'r', changed.signal), undefined);
  await assert.rejects(io.key('waiting', keys, 'r'), InterruptedError);
  assert.equal(pressed, 1);
  await assert.rejects(io.key('waiting', keys, 'r'), /the script has no answer for: waiting/);
  assert.equal(io.of('key').length, 4);
});

test('the interrupt policy: a SIGTERM says what a second stop does in its own words (no Ctrl-C it did not press), and the second one exits 143', () => {
  let said = '';
  const exits: number[] = [];
  const policy = new InterruptPolicy({ write: (t) => (said += t), exit: (c) => void exits.push(c) });
  policy.terminate();
  assert.ok(policy.signal.aborted);
  assert.match(said, /stopping at the next safe point… \(terminated: a second SIGTERM, or Ctrl-C, quits at once\)/);
  assert.doesNotMatch(said, /Ctrl-C again/);
  policy.terminate();
  assert.deepEqual(exits, [143]);
});

test('the recording face refuses a scripted answer that is not a choice', async () => {
  const io = new RecordingIoHost({ answers: ['nope'] });
  await assert.rejects(io.choose('How?', [{ value: 'a', label: 'a' }], 'a'), /not one of a/);
});

test('the interrupt policy: the first Ctrl-C aborts the signal with InterruptedError and says so, the second exits 130', () => {
  let said = '';
  const exits: number[] = [];
  const policy = new InterruptPolicy({ write: (t) => (said += t), exit: (c) => void exits.push(c) });
  policy.press();
  assert.ok(policy.signal.aborted);
  assert.ok(policy.signal.reason instanceof InterruptedError);
  assert.match(said, /stopping at the next safe point… \(Ctrl-C again to quit at once\)/);
  assert.deepEqual(exits, []);
  policy.press();
  assert.deepEqual(exits, [130]);
});

const ENDPOINT = 'http://127.0.0.1:4566';
const GET_DEPLOYMENT = `aws deploy get-deployment --deployment-id d-ABCDEFGHI --endpoint-url ${ENDPOINT}`;
const LOADTEST = `serverless-ops-lab loadtest -n 1000 -c 50 -m POST -H 'Content-Type: application/json' -d '{"bucket":"serverlessops-stack-imagesbucket-1a2b3c4d","key":"someguy.jpg"}' 'http://127.0.0.1:4566/execute-api/abc123defg/Prod/getinfo'`;
const SET_ALARM = `aws cloudwatch set-alarm-state --alarm-name ServerlessOps-stack-AliasErrorMetricGreaterThanZeroAlarm-1A2B3C --state-value ALARM --state-reason "testing the rollback" --endpoint-url ${ENDPOINT}`;

/** what bash makes of the pasted lines: one argument per line */
function shellArgs(text: string): string {
  return execFileSync('bash', ['-c', `printf '<%s>\\n' ${text}`], { encoding: 'utf8' });
}

test('a command too long for the width breaks at its arguments with ` \\` continuations, and pasted it is still the same command', () => {
  assert.deepEqual(commandArgs(`aws lambda get-alias --function-name f --name live --endpoint-url ${ENDPOINT}`), ['aws', 'lambda', 'get-alias', '--function-name f', '--name live', `--endpoint-url ${ENDPOINT}`]);
  assert.deepEqual(commandArgs(`x -H 'A: b' -d '{"k": 1}' --flag`), ['x', "-H 'A: b'", `-d '{"k": 1}'`, '--flag']);
  assert.deepEqual(commandLines(GET_DEPLOYMENT, 100, '$ ', '    '), [`$ ${GET_DEPLOYMENT}`], 'a command that fits stays on one line');
  assert.deepEqual(commandLines(GET_DEPLOYMENT, Infinity, '$ ', '    '), [`$ ${GET_DEPLOYMENT}`], 'the plain face never breaks one');
  for (const cmd of [GET_DEPLOYMENT, LOADTEST, SET_ALARM]) {
    const lines = commandLines(cmd, 60, '  $ ', '      ');
    assert.ok(lines.length > 1, cmd);
    lines.forEach((l, i) => {
      // a line that ends inside a JSON body's quotes goes on with a plain newline (below)
      if (i < lines.length - 1 && !/,$/.test(l)) assert.match(l, / \\$/, 'each line but the last continues');
      // an argument longer than the width stays whole (the URL in the loadtest command); nothing else overflows
      if (l.length > 60) assert.equal(commandArgs(l.replace(/^ {2}\$ /, '').replace(/ \\$/, '')).length, 1, l);
    });
    assert.ok(lines.slice(1).every((l) => l.startsWith('      ')), 'continuation lines are indented');
    assert.ok(!lines.some((l) => /--endpoint-url \\$|--state-value \\$/.test(l)), 'a flag stays with its value');
    const pasted = lines.map((l) => l.replace(/^ {2}\$ /, '')).join('\n');
    assert.deepEqual(sameJson(shellArgs(pasted)), sameJson(shellArgs(cmd)), `pasted, it is the same command:\n${pasted}`);
  }
});

/** bash's arguments, one a line, with a JSON body's white space (a break between its members) taken out */
function sameJson(args: string): string[] {
  return args.split(/^</m).map((a) => {
    const body = a.replace(/>\n$/, '');
    try {
      return JSON.stringify(JSON.parse(body));
    } catch {
      return body;
    }
  });
}

test('a JSON body too long for the width breaks after a comma between its members, inside its quotes, and the terminal never cuts it mid-word', () => {
  const curl = `curl -X POST 'http://127.0.0.1:4566/execute-api/iwra7xyoy4/Prod/getinfo' -H 'Content-Type: application/json' -d '{"bucket":"serverlessops-stack-imagesbucket-hq0kufdduh4f","key":"someguy.jpg"}'`;
  const lines = commandLines(curl, 80, '    $ ', '        ');
  assert.deepEqual(lines, [
    `    $ curl -X POST 'http://127.0.0.1:4566/execute-api/iwra7xyoy4/Prod/getinfo' \\`,
    `        -H 'Content-Type: application/json' \\`,
    `        -d '{"bucket":"serverlessops-stack-imagesbucket-hq0kufdduh4f",`,
    `        "key":"someguy.jpg"}'`,
  ]);
  const pasted = lines.map((l) => l.replace(/^ {4}\$ /, '')).join('\n');
  assert.deepEqual(sameJson(shellArgs(pasted)), sameJson(shellArgs(curl)), pasted);
  const body = shellArgs(pasted).split(/^</m).at(-1)!.replace(/>\n$/, '');
  assert.deepEqual(JSON.parse(body), { bucket: 'serverlessops-stack-imagesbucket-hq0kufdduh4f', key: 'someguy.jpg' });
  // a quoted argument that is not JSON, or a JSON one with a single member, stays whole
  const text = `aws x --state-reason '${'a,'.repeat(50)}'`;
  assert.ok(commandLines(text, 40, '$ ', '    ').some((l) => l.includes(`'${'a,'.repeat(50)}'`)));
  const single = `curl -d '{"bucket":"${'b'.repeat(80)}"}'`;
  assert.ok(commandLines(single, 40, '$ ', '    ').some((l) => l.includes(`'{"bucket":"${'b'.repeat(80)}"}'`)));
});

test('a note above a command (a shell comment) wraps as comments, never with a ` \\` that would run its rest', () => {
  const noted = `# cloud time: the local cloud's clock runs 10x faster than yours\n${GET_DEPLOYMENT}`;
  const lines = commandLines(noted, 40, '  $ ', '      ');
  const note = lines.slice(0, lines.findIndex((l) => l.includes('aws ')));
  assert.ok(note.length > 1, lines.join('\n'));
  // no prompt in front of a comment: its # stands where the command's $ does, on every line of it
  assert.ok(note.every((l) => /^ {2}# /.test(l) && !l.endsWith('\\')), note.join('\n'));
  assert.match(lines[note.length]!, /^ {2}\$ aws /);
  // pasted into bash (aws stands in for itself, printing its arguments): the same one command runs
  const run = (text: string) => execFileSync('bash', ['-c', `aws() { printf '<%s>\\n' "$@"; }\n${text}`], { encoding: 'utf8' });
  const pasted = lines.map((l) => l.replace(/^ {2}\$ /, '')).join('\n');
  assert.equal(run(pasted), run(GET_DEPLOYMENT), `pasted, the note runs nothing:\n${pasted}`);
  // a note that fits, on each face: never `$ # …`, and the command keeps its prompt
  assert.deepEqual(commandLines(noted, 200, '  $ ', '      '), [`  # cloud time: the local cloud's clock runs 10x faster than yours`, `  $ ${GET_DEPLOYMENT}`]);
  const out = sink();
  new PlainIoHost({ out, now: () => new Date(2026, 0, 1, 10, 5, 59) }).command(noted);
  assert.equal(out.text, `10:05:59 # cloud time: the local cloud's clock runs 10x faster than yours\n10:05:59 $ ${GET_DEPLOYMENT}\n`);
  const check = formatCheck({ name: 'peak', status: 'passed', aws: noted }, P, 200);
  assert.deepEqual(check.slice(1), [`    # cloud time: the local cloud's clock runs 10x faster than yours`, `    $ ${GET_DEPLOYMENT}`]);
});

/** an interactive face writing to a fake terminal of `columns` columns */
function terminal(columns: number, env: NodeJS.ProcessEnv = {}) {
  let text = '';
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns });
  stdout.on('data', (c: Buffer) => (text += c));
  const io = new InteractiveIoHost({ stdin: new PassThrough() as unknown as ReadStream, stdout: stdout as unknown as WriteStream, env, onCtrlC: () => undefined, signal: new AbortController().signal });
  return { io, lines: () => text.replace(/\n$/, '').split('\n') };
}

test('on a 60-column terminal the interactive face word-wraps prose, checks and headings (colours kept) and breaks commands at arguments', () => {
  const t = terminal(60);
  t.io.heading('Step 3 of 14 · Hooks and alarms (4.1.3): a PreTraffic hook that says no');
  t.io.explain(['A PreTraffic hook is a Lambda function CodeDeploy invokes before any traffic moves to the new version. It tests the version and reports Succeeded or Failed.']);
  t.io.warn('the role SAM creates for CodeDeploy may only invoke functions named CodeDeployHook_*; any other name fails the deployment');
  t.io.command(SET_ALARM);
  t.io.check({ name: 'the release was refused by the hook: Failed with HOOK_EXECUTION_FAILURE', aws: GET_DEPLOYMENT, status: 'not-yet', expected: 'Failed with HOOK_EXECUTION_FAILURE', found: 'd-ABCDEFGHI InProgress', hint: 'deployment d-ABCDEFGHI has waited in BeforeAllowTraffic since 2026-12-01T13:00:00.000Z: does your hook call PutLifecycleEventHookExecutionStatus?' });
  const lines = t.lines();
  assert.ok(lines.some((l) => l.includes('\u001B[')), 'coloured');
  // nothing over 60 columns but a command line holding one argument longer than that (an alarm's name)
  for (const l of lines.map(stripAnsi)) assert.ok(l.length <= 60 || commandArgs(l.replace(/^ +(\$ )?/, '').replace(/ \\$/, '')).length === 1, `over 60 columns: ${l}`);
  const plain = lines.map(stripAnsi);
  // no word is cut: every word of the prose is on some line whole
  for (const w of ['PreTraffic', 'CodeDeployHook_*;', 'PutLifecycleEventHookExecutionStatus?', 'HOOK_EXECUTION_FAILURE']) assert.ok(plain.some((l) => l.split(' ').includes(w)), w);
  // the command's lines: from its prompt through the last ` \` continuation (a flag's value too long
  // to share a line with it is on a line of its own)
  const first = plain.findIndex((l) => l.startsWith('  $ aws cloudwatch'));
  let last = first;
  while (plain[last]!.endsWith(' \\')) last++;
  const cmd = plain.slice(first, last + 1);
  assert.ok(cmd.length > 1);
  assert.equal(shellArgs(cmd.map((l) => l.replace(/^ {2}\$ /, '')).join('\n')), shellArgs(SET_ALARM));
  const checkCmd = plain.slice(plain.findIndex((l) => l.startsWith('    $ aws deploy')));
  assert.match(checkCmd[0]!, / \\$/, 'the check\'s aws command is broken the same way');
});

test('with NO_COLOR the 60-column face wraps the same lines, with no escape codes', () => {
  const say = 'A PreTraffic hook is a Lambda function CodeDeploy invokes before any traffic moves to the new version.';
  const coloured = terminal(60);
  const plain = terminal(60, { NO_COLOR: '1' });
  for (const t of [coloured, plain]) {
    t.io.warn(say);
    t.io.command(SET_ALARM);
  }
  assert.doesNotMatch(plain.lines().join('\n'), /\u001B/);
  assert.deepEqual(plain.lines(), coloured.lines().map(stripAnsi));
});

test('the plain face never wraps: a long line of prose and a long command each stay one greppable line', () => {
  const out = sink();
  const io = new PlainIoHost({ out, now: () => new Date(2026, 0, 1, 10, 5, 9), width: 60 });
  const prose = 'A PreTraffic hook is a Lambda function CodeDeploy invokes before any traffic moves to the new version.';
  io.explain([prose]);
  io.command(SET_ALARM);
  io.check({ name: 'x', aws: SET_ALARM, status: 'not-yet', expected: 'a', found: 'b', hint: prose });
  const lines = out.text.replace(/\n$/, '').split('\n').map((l) => l.slice(9));
  assert.ok(lines.includes(prose));
  assert.ok(lines.includes(`$ ${SET_ALARM}`));
  assert.ok(lines.includes(`    $ ${SET_ALARM}`));
  assert.ok(lines.includes(`    hint: ${prose}`));
});

test('a key prompt keeps room on its last line for the key it echoes, however its text falls against the terminal width', async () => {
  // the face wraps at 40 to 100 columns (proseWidth)
  for (let columns = 40; columns <= 58; columns++) {
    let text = '';
    const stdout = Object.assign(new PassThrough(), { isTTY: true, columns });
    stdout.on('data', (c: Buffer) => (text += c));
    // a terminal's stdin: raw mode can be set, keys arrive as bytes
    const stdin = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode(raw: boolean) { stdin.isRaw = raw; return stdin; } });
    const io = new InteractiveIoHost({ stdin: stdin as unknown as ReadStream, stdout: stdout as unknown as WriteStream, env: { NO_COLOR: '1' }, onCtrlC: () => undefined, signal: new AbortController().signal });
    // a prompt that, with its " (Enter: next)", fills the width exactly (and one a column short, and over)
    const prompt = `done: ${'w'.repeat(columns - ' (Enter: next)'.length - 6 + (columns % 3) - 1)}`;
    const pressed = io.key(prompt, [{ key: 'n', label: 'next' }, { key: 'q', label: 'quit' }], 'n');
    stdin.write('q');
    assert.equal(await pressed, 'q');
    const lines = text.replace(/\n$/, '').split('\n');
    assert.match(lines.at(-1)!, / q$/, `at ${columns} columns the key is echoed after the prompt:\n${text}`);
    for (const l of lines) assert.ok(l.length <= columns, `over ${columns} columns: ${l}`);
  }
});

/** a fake terminal that ora can draw on: a TTY of `columns` columns with the cursor methods */
function drawableTerminal(columns: number) {
  let text = '';
  const stdout = Object.assign(new PassThrough(), {
    isTTY: true,
    columns,
    rows: 30,
    cursorTo: (x: number) => stdout.write(`\u001B[${x + 1}G`),
    moveCursor: (dx: number, dy: number) => stdout.write(dy < 0 ? `\u001B[${-dy}A` : ''),
    clearLine: () => stdout.write('\u001B[0K'),
  });
  stdout.setEncoding('utf8');
  stdout.on('data', (c: string) => (text += c));
  return { stdout: stdout as unknown as WriteStream, text: () => stripVTControlCharacters(text) };
}

test('the interactive face: Ctrl-C ends a turning spinner at once, its last text kept; what follows is plain lines', async () => {
  const t = drawableTerminal(100);
  const interrupt = new AbortController();
  const io = new InteractiveIoHost({ stdin: new PassThrough() as unknown as ReadStream, stdout: t.stdout, env: { NO_COLOR: '1' }, onCtrlC: () => undefined, signal: interrupt.signal });
  const p = io.progress('d-ABC following fn:live to version 8');
  try {
    p.update('d-ABC InProgress (30% on version 8)');
    interrupt.abort(new InterruptedError());
    await new Promise((resolve) => setImmediate(resolve));
    const shown = t.text();
    assert.match(shown, /! d-ABC InProgress \(30% on version 8\)\n$/, 'the spinner ended on the interrupt');
    // the command reaches its safe point later: its last word is a line, no spinner is drawn again
    p.update('d-ABC InProgress (40% on version 8)');
    p.fail('the deploy did not finish');
    // a spinner asked for after the interrupt does not turn either
    const late = io.progress('restoring');
    late.succeed('restored');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(t.text().slice(shown.length), '✖ the deploy did not finish\n- restoring\n✔ restored\n');
  } finally {
    // the old face ignored the signal: its spinner's timer would keep this test's process alive
    p.stop();
  }
});

test('the interactive face: a spinner a command left turning is ended by the error boundary (endOpenViews)', async () => {
  const t = drawableTerminal(100);
  const io = new InteractiveIoHost({ stdin: new PassThrough() as unknown as ReadStream, stdout: t.stdout, env: { NO_COLOR: '1' }, onCtrlC: () => undefined, signal: new AbortController().signal });
  const p = io.progress('deploying');
  try {
    endOpenViews();
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(t.text(), /! deploying\n$/);
    const shown = t.text();
    // ended: nothing redraws it (a write below it would, while ora's hook on the stream lasts)
    t.stdout.write('error: something\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(t.text().slice(shown.length), 'error: something\n');
  } finally {
    p.stop();
  }
});

test('the second Ctrl-C says its last words (the lab: progress saved, the command that goes on) before it exits 130', () => {
  const exits: number[] = [];
  const said: string[] = [];
  const policy = new InterruptPolicy({ write: () => undefined, exit: (c) => void exits.push(c) });
  policy.lastWords = () => void said.push(`progress saved; this goes on from here (exits so far: ${exits.length})`);
  policy.press();
  assert.deepEqual(said, [], 'the first Ctrl-C stops at a safe point, which says it itself');
  policy.press();
  assert.deepEqual(said, ['progress saved; this goes on from here (exits so far: 0)']);
  assert.deepEqual(exits, [130]);
});

/** a terminal's stdin: raw mode can be set, keys arrive as bytes */
function keyboard() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode(raw: boolean) { stdin.isRaw = raw; return stdin; } });
  return stdin;
}

test('a live view holds the keyboard: q stops a view that offers it, and a key pressed during a view never answers a later prompt', async () => {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  let text = '';
  stdout.on('data', (c: Buffer) => (text += c));
  const stdin = keyboard();
  let ctrlC = 0;
  const io = new InteractiveIoHost({ stdin: stdin as unknown as ReadStream, stdout: stdout as unknown as WriteStream, env: { NO_COLOR: '1' }, onCtrlC: () => void ctrlC++, signal: new AbortController().signal });

  const following = io.live('deployment d-1', 0, { quit: 'stop following' });
  following.update(['InProgress']);
  assert.equal(stdin.isRaw, true, 'raw: a key is read at once, not kept in the line buffer');
  stdin.write('x');
  stdin.write('q');
  await new Promise((r) => setImmediate(r));
  assert.equal(following.quit.aborted, true);
  following.done();
  assert.equal(stdin.isRaw, true, 'held until the next prompt: the wait after a view keeps no key either');
  assert.match(text, /deployment d-1 {2}\(q: stop following; Ctrl-C: stop the lab\)/);

  // a view that offers no q: the q is dropped, Ctrl-C is still the interrupt
  const chart = io.live('answers per second');
  stdin.write('q');
  stdin.write('\u0003');
  await new Promise((r) => setImmediate(r));
  assert.equal(chart.quit.aborted, false);
  assert.equal(ctrlC, 1);
  chart.done(['done']);
  const next = io.key('next?', [{ key: 'n', label: 'next step' }, { key: 'q', label: 'quit' }], 'n');
  stdin.write('n');
  assert.equal(await next, 'n', 'the q pressed during the view did not answer "next?"');
});

test('a turning spinner holds the keyboard too, until the next prompt: a key pressed while the checks run, or after them, does not answer that prompt', async () => {
  const t = drawableTerminal(80);
  const stdin = keyboard();
  let ctrlC = 0;
  const io = new InteractiveIoHost({ stdin: stdin as unknown as ReadStream, stdout: t.stdout, env: { NO_COLOR: '1' }, onCtrlC: () => void ctrlC++, signal: new AbortController().signal });
  const spinner = io.progress('running the checks');
  assert.equal(stdin.isRaw, true);
  stdin.write('q');
  await new Promise((r) => setImmediate(r));
  spinner.stop();
  stdin.write('q');
  await new Promise((r) => setImmediate(r));
  const next = io.key('next?', [{ key: 'n', label: 'next step' }, { key: 'q', label: 'quit' }], 'n');
  stdin.write('n');
  assert.equal(await next, 'n');
  assert.equal(stdin.isRaw, false, 'the prompt gave the keyboard back');
  assert.equal(ctrlC, 0);
});

test("an argument too wide for its line is never left with its ` \\` on a terminal row alone, and pasted the command is the same", () => {
  // concurrency-throttled's peak query, with the local cloud's function name (48 characters): at 80
  // columns `Name=FunctionName,Value=…` at the check's indent was 80 wide, and its ` \` a row alone
  const fn = 'ServerlessOps-stack-GetInfoFunction-7W6KX9WZ1NUO';
  const peak = `aws cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name ConcurrentExecutions --dimensions Name=FunctionName,Value=${fn} --statistics Maximum --period 60 --start-time 2026-12-03T04:42:00Z --end-time 2026-12-03T05:01:00Z --endpoint-url ${ENDPOINT}`;
  // a bare shorthand argument cut inside the quotes it is given (io/format quotedShorthand) holds a
  // newline and spaces after a comma, which the aws CLI's shorthand parser skips: the same argument to it
  const run = (text: string) => execFileSync('bash', ['-c', `aws() { printf '<%s>\\n' "$@"; }\n${text}`], { encoding: 'utf8' }).replace(/,\n\s*/g, ',');
  // a terminal `width` columns wide shows each line in rows of `width`
  const rows = (line: string, width: number) => Array.from({ length: Math.ceil(line.length / width) }, (_, i) => line.slice(i * width, (i + 1) * width));
  // names from short to wider than the width: each argument fits its line, or is whole on one of its own
  for (const name of [fn, `${fn}-extra`, `${fn}${'X'.repeat(30)}`, `${fn}${'Y'.repeat(60)}`]) {
    const cmd = peak.replace(fn, name);
    // every layout, pasted one after the other into one bash
    const pastes: string[] = [];
    for (let width = 40; width <= 100; width++) {
      for (const [lines, prompt] of [
        [formatCheck({ name: 'peak', status: 'passed', aws: cmd }, P, width).slice(1), /^ {4}\$ /],
        [commandLines(cmd, width, '  $ ', '      '), /^ {2}\$ /],
      ] as const) {
        for (const l of lines) {
          for (const r of rows(l, width)) assert.notEqual(r.trim(), '\\', `at ${width} columns a row is a lone \\:\n${lines.join('\n')}`);
          // a line wider than the width holds one argument only, and its ` \`
          if (l.length > width) assert.equal(commandArgs(l.replace(prompt, '').replace(/ \\$/, '')).length, 1, `at ${width}: ${l}`);
        }
        pastes.push(lines.map((l) => l.replace(prompt, '')).join('\n'));
      }
    }
    const expected = run(cmd);
    assert.deepEqual(run(pastes.join('\necho ==\n')).split('==\n'), pastes.map(() => expected), `pasted, each is the same command:\n${pastes.join('\n\n')}`);
  }
  // at 80 columns the dimension, 72 wide, does not fit at the indent with its ` \`: quoted and cut
  // after its comma, every continuation at the indent (it moved them all to 6, where other commands have 8)
  const at80 = formatCheck({ name: 'peak', status: 'passed', aws: peak }, P, 80);
  assert.ok(at80.includes("        --metric-name ConcurrentExecutions --dimensions 'Name=FunctionName,"), at80.join('\n'));
  assert.ok(at80.includes(`        Value=${fn}' \\`), at80.join('\n'));
  for (const l of at80.slice(2)) assert.match(l, /^ {8}\S/, at80.join('\n'));
});

test('Enter at a key prompt echoes nothing, not the letter of the key it stands for (`next? (Enter: next step) n` read as a no); a key pressed is echoed', async () => {
  for (const [input, echo, answer] of [['\r', '', 'n'], ['q', 'q', 'q']] as const) {
    let text = '';
    const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    stdout.on('data', (c: Buffer) => (text += c));
    const stdin = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode(raw: boolean) { stdin.isRaw = raw; return stdin; } });
    const io = new InteractiveIoHost({ stdin: stdin as unknown as ReadStream, stdout: stdout as unknown as WriteStream, env: { NO_COLOR: '1' }, onCtrlC: () => undefined, signal: new AbortController().signal });
    const pressed = io.key('next?', [{ key: 'n', label: 'next step' }, { key: 'q', label: 'quit' }], 'n');
    stdin.write(input);
    assert.equal(await pressed, answer);
    assert.equal(text, `next? (Enter: next step) ${echo}\n`);
  }
});

test('prose never breaks inside a `code span`: the span goes whole to the next line, and a command wider than the line goes on lines of its own, broken between its arguments with ` \\`, so a pasted command is whole', () => {
  const reset = '`node dist/src/cli.js reset --workspace /tmp/sol-walk-x1/lab`';
  const text = `Your workspace stays. ${reset} starts over.`;
  assert.deepEqual(wrap(text, 80), ['Your workspace stays.', `${reset} starts over.`]);
  // wider than the line: as every printed command, without the backquotes (a shell would run them)
  // and the punctuation glued to them; the terminal cut it mid-path (`/tmp/sol-walk-x1/l` / `ab`)
  assert.deepEqual(wrap(text, 50), ['Your workspace stays.', '  $ node dist/src/cli.js reset \\', '      --workspace /tmp/sol-walk-x1/lab', 'starts over.']);
  assert.deepEqual(wrap(`then run ${reset}, then go on`, 50), ['then run', '  $ node dist/src/cli.js reset \\', '      --workspace /tmp/sol-walk-x1/lab', 'then go on']);
  // a long span with no space is no command (a path): it stays whole
  assert.deepEqual(wrap('see `/tmp/a-very-long-folder-name/and-another-one/template.yaml` now', 40), ['see', '`/tmp/a-very-long-folder-name/and-another-one/template.yaml`', 'now']);
  // a hint under a check: the same, under its indent, each line within the width
  const hint = 'hint: remove it: `aws apigateway update-stage --rest-api-id abc123 --stage-name Prod --patch-operations op=remove,path=/canarySettings`';
  const lines = formatCheck({ name: 'no canary', status: 'not-yet', expected: 'none', found: 'one', hint: hint.slice(6) }, P, 80);
  for (const l of lines) assert.ok(l.length <= 80, `over 80: ${l}`);
  const at = lines.findIndex((l) => l.includes('$ aws apigateway update-stage'));
  assert.ok(at >= 0, lines.join('\n'));
  const pasted = lines.slice(at, at + 3).map((l) => l.replace(/ \\$/, '').trim()).join(' ').replace(/^\$ /, '');
  assert.equal(pasted, 'aws apigateway update-stage --rest-api-id abc123 --stage-name Prod --patch-operations op=remove,path=/canarySettings');
  // prose outside spans still wraps at words, and the plain face (no width) leaves it whole
  assert.deepEqual(wrap('one `two three` four', 11), ['one', '`two three`', 'four']);
  assert.deepEqual(wrap(text, Infinity), [text]);
});

test('a share and its percent sign stay on one line (`10 %`), and come out with their plain space', () => {
  const title = 'Step 2 of 14 · Blue/green deployments (4.1): shift traffic to app version 2, 10 % a minute';
  assert.deepEqual(wrap(title, 80), ['Step 2 of 14 · Blue/green deployments (4.1): shift traffic to app version 2,', '10 % a minute']);
  assert.ok(!wrap(title, 80).join('').includes('\u00A0'));
});

test("the steps' tables (`list`, the lab's l) fit 80 columns, each title under its step, and piped keep a line a step", async () => {
  const { LAB_STEPS } = await import('../../src/steps/index.js');
  const rows = LAB_STEPS.map((s, i) => [String(i + 1), s.id, s.title, `${s.chapter.id}${s.chapter.section ? ` (${s.chapter.section})` : ''}`, '· pending']);
  const inLab = LAB_STEPS.map((s, i) => [String(i + 1), s.id, s.title, i === 1 ? '◐ assisted' : '· pending']);
  for (const [headers, r, join] of [[['#', 'step', 'what', 'chapter', 'status'], rows, ' — '], [['#', 'step', 'what', 'status'], inLab, undefined]] as const) {
    const narrow = formatTable(headers, r, P, { column: 2, join, width: 80 });
    for (const l of narrow) assert.ok(l.length <= 80, `over 80 columns: ${l}`);
    for (const [i, row] of r.entries()) {
      // the row whole (its step id and status never cut), its title on the line under it
      const at = narrow.findIndex((l) => l.startsWith(`${row[0]} `) && l.includes(` ${row[1]} `) && l.endsWith(row.at(-1)!));
      assert.ok(at > 0, `row ${i + 1}:\n${narrow.join('\n')}`);
      assert.equal(narrow[at + 1]!.trim(), row[2]);
    }
    // piped: a line a row, the title in it
    const piped = formatTable(headers, r, P, { column: 2, join, width: Infinity });
    assert.equal(piped.length, r.length + 1);
    if (join) assert.match(piped[2]!, /^2 +blue-green — shift traffic/);
    // wide enough: a line a row on a terminal too
    assert.equal(formatTable(headers, r, P, { column: 2, join, width: 110 }).length, r.length + 1);
  }
});

test("a finding's word wider than the line (an integration URI) is cut after a : or /, under the check's indent, never by the terminal mid-word", () => {
  const uri = '…function:ServerlessOps-stack-GetInfoFunction-9VI9UAS0JPL7:${stageVariables.lambdaAlias}/invocations';
  const passed = formatCheck({ name: 'the integration calls GetInfoFunction:${stageVariables.lambdaAlias}', status: 'passed', found: uri }, P, 80);
  for (const l of passed) assert.ok(l.length <= 80, `over 80 columns: ${l}`);
  assert.deepEqual(passed.slice(1), ['  …function:ServerlessOps-stack-GetInfoFunction-9VI9UAS0JPL7:', '  ${stageVariables.lambdaAlias}/invocations']);
  const long = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${'F'.repeat(90)}:live/invocations`;
  const failed = formatCheck({ name: 'x', status: 'not-yet', expected: 'y', found: `deployment d1 calls ${long}` }, P, 80);
  for (const l of failed) assert.ok(l.length <= 80, `over 80 columns: ${l}`);
  // the pieces, put together, are the URI
  assert.equal(failed.slice(3).map((l) => l.trim()).join(''), long);
  // the plain face keeps it whole, for grep
  assert.ok(formatCheck({ name: 'x', status: 'passed', found: uri }, P, Infinity)[0]!.endsWith(uri));
});

test("a question too long for the line is wrapped at words under its `? `, so no line of it starts with the space it broke at", async () => {
  let text = '';
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 30 });
  stdout.on('data', (c: Buffer) => (text += c));
  const stdin = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode(raw: boolean) { stdin.isRaw = raw; return stdin; } });
  const io = new InteractiveIoHost({ stdin: stdin as unknown as ReadStream, stdout: stdout as unknown as WriteStream, env: { NO_COLOR: '1' }, onCtrlC: () => undefined, signal: new AbortController().signal });
  // at 80 columns the prompt's own wrap broke this one after 'stage', its next line ' of the REST API …'
  const asked = io.confirm("This will forget reset hooks-errors and the steps after it; put the Prod stage of the REST API back to the last deploy's if the canary chapter changed it. Your own versions of those files are copied to /tmp/x/.lab/backups/ first. Go on?", false);
  await new Promise((r) => setTimeout(r, 50));
  stdin.write('n\r');
  assert.equal(await asked, false);
  // the first rendering, up to its (y/N): the prompt draws it again as it is answered
  const shown = stripVTControlCharacters(text);
  const lines = shown.slice(0, shown.indexOf('(y/N)') + '(y/N)'.length).split(/\r?\n/).filter((l) => l.trim());
  assert.ok(lines.length > 2, text);
  for (const l of lines) {
    assert.ok(l.length <= 80, `over 80 columns: ${l}`);
    assert.doesNotMatch(l, /^ \S/, `a line starts with the space it broke at: ${JSON.stringify(l)}`);
  }
});

test("a command's continuation lines keep the one indent every command has: a shorthand argument that fits only a column or two left of it is quoted and cut at its comma, not all of them moved to 6", () => {
  const cmd = 'aws --endpoint-url http://127.0.0.1:4566 cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name ConcurrentExecutions --dimensions Name=FunctionName,Value=ServerlessOps-stack-GetInfoFunction-9VI9UAS0JPL7 --statistics Maximum --period 60 --start-time 2026-12-03T07:00:00Z --end-time 2026-12-03T07:05:00Z';
  const lines = commandLines(cmd, 80, '    $ ', '        ');
  for (const l of lines) assert.ok(l.length <= 80, `over 80 columns: ${l}`);
  const indents = new Set(lines.slice(1).map((l) => /^ */.exec(l)![0].length));
  assert.deepEqual([...indents], [8], lines.join('\n'));
  assert.ok(lines.includes("        Value=ServerlessOps-stack-GetInfoFunction-9VI9UAS0JPL7' \\"), lines.join('\n'));
  // pasted, the same argv to the aws CLI, whose shorthand parser skips the white space after a comma
  const argv = (s: string) => execFileSync('bash', ['-c', `printf '%s\\n' ${s.replace(/^\s*\$ /, '')}`], { encoding: 'utf8' }).replace(/,\n\s*/g, ',');
  assert.equal(argv(lines.join('\n')), argv(cmd));
});

test("an argument with no comma to cut at that fits only a column or two left of the indent moves its own line, not every continuation of the command", () => {
  for (const n of [71, 72]) {
    const group = `/aws/lambda/${'F'.repeat(n - 12)}`;
    const cmd = `aws --endpoint-url http://127.0.0.1:4566 logs tail ${group} --since 5m --follow`;
    const lines = commandLines(cmd, 80, '    $ ', '        ');
    for (const l of lines) assert.ok(l.length <= 80, `over 80 columns: ${l}`);
    const rest = lines.slice(1).filter((l) => !l.includes(group));
    assert.ok(rest.length > 0, lines.join('\n'));
    // every other continuation at the indent every command has (they all moved to 6 or 7)
    for (const l of rest) assert.equal(/^ */.exec(l)![0].length, 8, lines.join('\n'));
    const argv = (s: string) => execFileSync('bash', ['-c', `printf '%s\\n' ${s.replace(/^\s*\$ /, '')}`], { encoding: 'utf8' });
    assert.equal(argv(lines.join('\n')), argv(cmd));
  }
});

test("an error on a terminal wraps at words under its indent, its command whole (list's hint broke mid-word at 80 columns); piped, a line each as before", async () => {
  const { errorLines } = await import('../../src/io/format.js');
  const hint = '`node dist/src/cli.js start --workspace /tmp/nonexist-s16j` makes one and begins';
  const lines = errorLines('error: no workspace at /tmp/nonexist-s16j (a typo?)', hint, 80);
  for (const l of lines) assert.ok(l.length <= 80, `over 80 columns: ${l}`);
  assert.deepEqual(lines.slice(1), ['  `node dist/src/cli.js start --workspace /tmp/nonexist-s16j` makes one and', '  begins']);
  // piped, a hint of several lines keeps its lines, each under the indent (the refused step's list, laid out to fit 80 columns)
  assert.deepEqual(errorLines('error: x', 'a\nb', Infinity), ['error: x', '  a', '  b']);
});

test("a hint's command (a `$ ` line, hintCommand) is laid out as a printed command at 80 columns, in a check and in what is said: ` \\` continuations, pasted whole", () => {
  const UPDATE_STAGE = `aws apigateway update-stage --rest-api-id a1b2c3d4e5 --stage-name Prod --patch-operations op=replace,path=/variables/lambdaAlias,value=live --endpoint-url ${ENDPOINT}`;
  const hint = `the stage sets lambdaAlias=Live, and lab-GetInfoFunction has no alias or version named Live (its aliases: live), so API Gateway's call to lab-GetInfoFunction:Live finds no function (500): set it to live, then press r:${hintCommand(UPDATE_STAGE)}`;
  assert.equal(hint.split('\n').at(-1), `$ ${UPDATE_STAGE}`);
  /** the command's lines (from its `$` through the last continuation), pasted */
  const pasted = (lines: string[]) => {
    const from = lines.findIndex((l) => /^ *\$ aws apigateway update-stage/.test(l));
    assert.ok(from >= 0, lines.join('\n'));
    const cmd: string[] = [];
    for (let i = from; i < lines.length; i++) {
      cmd.push(lines[i]!.replace(/^ *\$ /, ''));
      if (!lines[i]!.endsWith(' \\')) break;
    }
    assert.ok(cmd.length > 1, 'broken at its arguments');
    return cmd.join('\n');
  };
  const t = terminal(80);
  t.io.check({ name: 'requests through the stage still reach the live alias', status: 'not-yet', expected: 'every answer from Lambda version 1', found: '20 requests: 20 named no version; 20 answered 500', hint });
  t.io.say(`hint (from what the cloud shows now): ${hint}`);
  const lines = t.lines().map(stripAnsi);
  for (const l of lines) assert.ok(l.length <= 80, `over 80 columns: ${l}`);
  const check = lines.slice(0, lines.findIndex((l) => l.startsWith('hint (from')));
  const said = lines.slice(check.length);
  for (const part of [check, said]) assert.equal(shellArgs(pasted(part)), shellArgs(UPDATE_STAGE), `pasted, it is the command:\n${part.join('\n')}`);
  // the words before it wrap as prose, and end where the command begins
  assert.match(check.join('\n'), /r:\n {6}\$ aws apigateway update-stage/);
  assert.match(said.join('\n'), /r:\n {2}\$ aws apigateway update-stage/);
  // the plain face: the command on a line of its own, whole
  const out = sink();
  const plain = new PlainIoHost({ out, now: () => new Date(0) });
  plain.say(`hint: ${hint}`);
  assert.ok(out.text.split('\n').some((l) => l.endsWith(` $ ${UPDATE_STAGE}`)), out.text);
});

test("an aws shorthand argument too long for the width (the canary's --canary-settings) breaks after a comma between its keys, inside its quotes, so it fits 80 columns and pastes", () => {
  const settings = `'percentTraffic=10,useStageCache=false,stageVariableOverrides={lambdaAlias=5}'`;
  const cmd = `aws apigateway create-deployment --rest-api-id 3k0vuqq517 --stage-name Prod --canary-settings ${settings} --endpoint-url http://127.0.0.1:46047`;
  for (const [prefix, indent] of [['  $ ', '      '], ['      $ ', '          ']] as const) {
    const lines = commandLines(cmd, 80, prefix, indent);
    for (const l of lines) assert.ok(l.length <= 80, `over 80 columns: ${l}\n${lines.join('\n')}`);
    const pasted = lines.map((l) => l.replace(/^ *\$ /, '')).join('\n');
    const args = shellArgs(pasted).split(/^</m).map((a) => a.replace(/>\n$/, ''));
    const given = shellArgs(cmd).split(/^</m).map((a) => a.replace(/>\n$/, ''));
    assert.equal(args.length, given.length, pasted);
    // the shorthand parser skips white space after a comma (awscli/shorthand.py): the same settings
    const at = given.indexOf('--canary-settings') + 1;
    assert.match(args[at]!, /,\n/, `broken inside its quotes:\n${pasted}`);
    assert.equal(args[at]!.replace(/,\s+/g, ','), given[at], pasted);
    assert.deepEqual(args.filter((_, i) => i !== at), given.filter((_, i) => i !== at), pasted);
  }
  // a comma inside a value (a list) is not cut; a shorthand of one key stays whole
  assert.ok(commandLines(`aws x --tags 'Values=${'a,'.repeat(40)}b'`, 40, '$ ', '    ').some((l) => l.includes(`'Values=${'a,'.repeat(40)}b'`)));
});

test("a command in an error's hint or a warning's words (list's start, reset's and deploy's update-stage) goes on lines of its own at 80 columns, laid out to paste, never cut mid-word", async () => {
  const { errorLines, proseLines } = await import('../../src/io/format.js');
  const ws = '/tmp/s18d/a-rather-long-workspace-folder-name/lab-workspace-for-testing';
  const start = `node /work/wt/s18d/dist/src/cli.js start --workspace ${ws}`;
  const lines = errorLines(`error: no workspace at ${ws} (a typo?)`, `this makes one and begins:${hintCommand(start)}`, 80);
  for (const l of lines) assert.ok(l.length <= 80, `over 80 columns: ${l}\n${lines.join('\n')}`);
  assert.ok(lines.includes('  this makes one and begins:'), lines.join('\n'));
  const cmd = lines.slice(lines.indexOf('  this makes one and begins:') + 1);
  assert.match(cmd[0]!, /^ {4}\$ node /);
  assert.deepEqual(commandArgs(cmd.map((l) => l.replace(/^ {4}\$ /, '').replace(/ \\$/, '')).join(' ')), commandArgs(start));
  // piped: a line each, the command on its own
  assert.deepEqual(errorLines('error: x', `this begins:${hintCommand(start)}`, Infinity), ['error: x', '  this begins:', `    $ ${start}`]);
  // a warning with two commands, as reset says it
  const getStage = `aws apigateway get-stage --rest-api-id a1b2c3d4e5 --stage-name Prod --endpoint-url ${ENDPOINT}`;
  const warning = proseLines(`warning: could not put the Prod stage back: boom. This shows the stage:${hintCommand(getStage)}`, 80);
  for (const l of warning) assert.ok(l.length <= 80, l);
  assert.ok(warning.some((l) => l.startsWith('  $ aws apigateway get-stage ')), warning.join('\n'));
});

test("the interactive face's warning lays out a command in it as it does in what is said: on lines of its own, to paste", () => {
  const out = sink();
  const io = new InteractiveIoHost({ stdin: new PassThrough() as unknown as ReadStream, stdout: Object.assign(out, { columns: 80, isTTY: true }) as unknown as WriteStream, env: { NO_COLOR: '1' }, onCtrlC: () => undefined, signal: new AbortController().signal });
  const getStage = `aws apigateway get-stage --rest-api-id a1b2c3d4e5 --stage-name Prod --endpoint-url ${ENDPOINT}`;
  io.warn(`could not put the Prod stage back on deployment abc, the last deploy's: boom. This shows the stage:${hintCommand(getStage)}`);
  const lines = out.text.replace(/\n$/, '').split('\n');
  for (const l of lines) assert.ok(l.length <= 80, l);
  assert.match(lines[0]!, /^! could not put/);
  assert.ok(lines.some((l) => l.startsWith('  $ aws apigateway get-stage')), out.text);
  assert.doesNotMatch(out.text, /`/);
});

/** the screen a terminal shows after `text`: lines, with `ESC[nF` (n lines up, first column) and `ESC[J` (clear below) applied */
function screenOf(text: string): string[] {
  const screen: string[] = [];
  let row = 0;
  for (const part of text.split(/(\u001B\[\d*[FJ])/)) {
    const esc = /^\u001B\[(\d*)([FJ])$/.exec(part);
    if (esc?.[2] === 'F') row = Math.max(0, row - Number(esc[1] || 1));
    else if (esc?.[2] === 'J') screen.length = row;
    else {
      const lines = part.split('\n');
      lines.forEach((l, i) => {
        if (i > 0) row++;
        screen[row] = (screen[row] ?? '') + l;
      });
    }
  }
  return screen.slice(0, row).map((l) => l ?? '');
}

test("a line said while a live view is open (Ctrl-C's stop message) goes above its rows, which are drawn once, under it: not the rows, the message, then the rows again", () => {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  let text = '';
  stdout.on('data', (c: Buffer) => (text += c));
  const io = new InteractiveIoHost({ stdin: keyboard() as unknown as ReadStream, stdout: stdout as unknown as WriteStream, env: { NO_COLOR: '1' }, onCtrlC: () => undefined, signal: new AbortController().signal });
  const view = io.live('requests through Prod, by the Lambda version that answered');
  view.update(['stage via alias live → Lambda v11    89', 'canary at 10 % → Lambda v12          11', '104 of 5000 requests sent']);
  io.say('');
  io.warn('stopping at the next safe point… (Ctrl-C again to quit at once)');
  view.update(['stage via alias live → Lambda v11   104', 'canary at 10 % → Lambda v12          14', '118 of 5000 requests sent']);
  view.done(['stage via alias live → Lambda v11   104', 'canary at 10 % → Lambda v12          14', '118 of 5000 requests sent']);
  // a late frame after done() draws nothing
  view.update(['stray']);
  io.say('- running the checks');
  // the cursor moves kept, the colours and the rest dropped
  const moves = stripVTControlCharacters(text.replace(/\u001B\[(\d*)([FJ])/g, '<<$1$2>>')).replace(/<<(\d*)([FJ])>>/g, '\u001B[$1$2');
  assert.deepEqual(screenOf(moves), [
    'requests through Prod, by the Lambda version that answered',
    '',
    '! stopping at the next safe point… (Ctrl-C again to quit at once)',
    'stage via alias live → Lambda v11   104',
    'canary at 10 % → Lambda v12          14',
    '118 of 5000 requests sent',
    '- running the checks',
  ]);
});
