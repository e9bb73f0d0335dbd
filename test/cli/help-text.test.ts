/**
 * The end of --help at a terminal's width: prose wraps between words, commands break only between
 * their arguments with ` \` and paste back as the same command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { helpEpilogue } from '../../src/help-text.js';
import { commandLines } from '../../src/io/format.js';
import { runCli } from '../helpers/cli.js';

/** the lines of a pasted command joined as a shell joins `\`-newline */
const pasted = (lines: string[]): string => lines.map((l) => l.replace(/ \\$/, '')).join(' ').replace(/\s+/g, ' ').trim();

test('--help at 80 columns: no line over 80, the prose wrapped between words, each command whole once pasted', () => {
  for (const width of [60, 80]) {
    const text = helpEpilogue(width);
    const lines = text.split('\n');
    for (const l of lines) assert.ok(l.length <= width, `over ${width}: ${l}`);
    // the prose: every word of it still there, none cut ("st/ep")
    const prose = lines.filter((l) => !/^ {2}[$#]| {6}\S/.test(l)).join(' ').replace(/\s+/g, ' ');
    assert.match(prose, /One command at a time changes a workspace \(start, step, deploy, reset\): a second one exits 3 naming the first; status, list and doctor work meanwhile\./);
    assert.match(prose, /Exit codes: 0 ok, 1 a failed run or check, 2 a usage error \(also start --ci where every step is already done: nothing would be checked\), 3 the environment \(the cloud could not be checked or stopped, the workspace is busy or damaged, the disk is full or refuses a file\), 130 interrupted, 143 terminated \(SIGTERM\)\./);
    // the curl command, broken or not, pastes back as itself
    const at = lines.findIndex((l) => l.startsWith('  $ curl'));
    let end = at;
    while (lines[end]!.endsWith(' \\')) end++;
    assert.equal(pasted(lines.slice(at, end + 1)).replace(/^\$ /, ''), `curl -X POST <ApiUrl> -d '{"bucket":"<ImagesBucket>","key":"someguy.jpg"}'`);
  }
  // wide enough: the descriptions in a column beside the commands, as before
  assert.match(helpEpilogue(160), /\$ .*start +the guided lab, step by step \(resumable\)/);
});

test('a flag and its value too long for a line of their own break between them, never inside the value', () => {
  const cmd = `aws apigateway update-stage --rest-api-id abc123defg --stage-name Prod --patch-operations op=replace,path=/canarySettings/percentTraffic,value=0.0 --endpoint-url http://127.0.0.1:4566`;
  const lines = commandLines(cmd, 80, '  $ ', '      ');
  for (const l of lines) assert.ok(l.length <= 80, `over 80: ${l}`);
  assert.ok(lines.includes('      --patch-operations \\'), lines.join('\n'));
  assert.ok(lines.some((l) => l.trim().startsWith('op=replace,path=/canarySettings/percentTraffic,value=0.0')), lines.join('\n'));
  assert.equal(pasted(lines), `$ ${cmd}`);
});

test('each command\'s --help says what README.md says of it: list\'s four states and its exit 1, reset\'s --yes with no terminal', async () => {
  const flat = async (cmd: string): Promise<string> => {
    const r = await runCli([cmd, '--help']);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.replace(/\s+/g, ' ');
  };
  assert.match(await flat('list'), /done, assisted, started or pending; a workspace that is not there exits 1/);
  assert.match(await flat('reset'), /with no terminal, --yes is required/);
  // emulator start --json's keys, as README's emulator row gives them (the help left out reused and log)
  assert.match(await flat('emulator'), /--json start: print \{endpoint, port, pid, reused, stateDir, log\} as JSON/);
});

test('a flag that takes no value given one (--ci=yes) is said as such, exit 2, for every command\'s flags; an unknown flag still as commander says it', async () => {
  for (const [args, flag] of [
    [['start', '--ci=yes'], '--ci'],
    [['status', '--json=1'], '--json'],
    [['reset', 'deploy', '--yes=no'], '--yes'],
    [['emulator', '--quiet=1'], '--quiet'],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^error: ${flag} takes no value: give ${flag} alone, not ${flag}=`), r.stderr);
    assert.doesNotMatch(r.stderr, /unknown option/);
  }
  const unknown = await runCli(['start', '--nosuch=1']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option '--nosuch=1'/);
  // a flag that takes a value still takes it after =
  const from = await runCli(['start', '--from=nope', '--ci']);
  assert.equal(from.code, 2);
  assert.match(from.stderr, /no step "nope"/);
});
