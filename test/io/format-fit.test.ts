/**
 * Lines of a report at 80 columns (io/format fitted): wrapped at words, and a word wider than a
 * line cut after a `:` or `/` under the indent, never mid-word by the terminal. From a learner
 * walk: status cut `${stageVariables.lambdaAlia` / `s}`, emulator start its state dir (`ws1.lC` / `tZ/…`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { commandLines, fitted, wrap } from '../../src/io/format.js';
import { requiresEsmQuietly, wrapAnsi } from '../../src/io/word-wrap.js';
import wrapAnsiItself from 'wrap-ansi';
import { formatStatus } from '../../src/commands/status-format.js';
import { startedLines } from '../../src/commands/emulator.js';
import type { WorkspaceStatus } from '../../src/targets/status.js';

/** every word of `text` is in `lines`, whole (joined at the breaks fitted makes) */
const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);

test('fitted: at words within the width, a word wider than the line cut after : or /, its pieces under the indent; piped, one line', () => {
  const text = `a word wider than a line: ${'/tmp/sol-workspace-with-a-long-name.AbCdEf/'.repeat(3)}.lab/state and more`;
  const lines = fitted(text, 80, '  ');
  for (const l of lines) assert.ok(l.length <= 80, `${l.length}: ${l}`);
  for (const l of lines.slice(1)) assert.match(l, /^ {2}\S/);
  // cut only after a /: each line of the path ends at one, or is its end
  assert.equal(lines.map((l) => l.trim()).join(' ').replace(/\/ /g, '/'), text);
  assert.deepEqual(fitted(text, Infinity, '  '), [text]);
});

test("status at 80 columns: the stage's call through ${stageVariables.lambdaAlias} of a stack's function name is cut after its ':', not inside the variable", () => {
  const fn = 'ServerlessOps-stack-GetInfoFunction-PY5BM29B7HYT';
  const s: WorkspaceStatus = {
    target: 'local',
    endpoint: 'http://127.0.0.1:4566',
    stackName: 'ServerlessOps-stack',
    region: 'us-east-1',
    deployedAt: '2026-12-03T00:00:00.000Z',
    outputs: {},
    functions: [{ logicalId: 'GetInfoFunction', name: fn, aliases: [{ name: 'live', version: '5', weights: {} }], reservedConcurrency: null, versions: ['1', '5', '6'] }],
    alarms: [],
    apis: [
      {
        logicalId: 'ServerlessRestApi',
        restApiId: 'abc',
        stage: 'Prod',
        deploymentId: 'abc123',
        deployedDeploymentId: 'abc123',
        variables: { lambdaAlias: 'live' },
        changed: true,
        canary: { percentTraffic: 10, deploymentId: 'def456', stageVariableOverrides: { lambdaAlias: '6' } },
        calls: [{ method: 'POST', path: '/getinfo', functionName: fn, uriQualifier: '${stageVariables.lambdaAlias}', qualifier: 'live', canaryQualifier: '6' }],
      },
    ],
    live: true,
    emulator: { running: true, pid: 42, stoppedUnexpectedly: null, unresponsive: null },
  } as WorkspaceStatus;
  for (const color of [false, true]) {
    const out = formatStatus(s, { width: 80, color }).replace(/\x1b\[\d+m/g, '');
    for (const l of out.split('\n')) assert.ok(l.length <= 80, `${l.length}: ${l}`);
    assert.ok(out.split('\n').some((l) => l.trim() === '${stageVariables.lambdaAlias}' || l.includes(`${fn}:\${stageVariables.lambdaAlias}`) || /^\s+\$\{stageVariables\.lambdaAlias\}( |$)/.test(l)), out);
    assert.doesNotMatch(out, /lambdaAlia\n/, out);
  }
  // piped: the call on one line, for grep
  assert.match(formatStatus(s), new RegExp(`calls ${fn}:\\$\\{stageVariables\\.lambdaAlias\\} with lambdaAlias=live`));
});

test("emulator start's line at 80 columns: the state dir of a temp workspace wrapped at words, cut after a '/' when wider than a line; piped, one line", () => {
  const state = '/tmp/s18a/ws1.lCtZ9qRx/.lab/state';
  const line = `started the emulator at http://127.0.0.1:4566 (pid 123456, state ${state}, log ${state}/emulator.log)`;
  const out = startedLines(line, 80).split('\n');
  for (const l of out) assert.ok(l.length <= 80, `${l.length}: ${l}`);
  // each word whole on a line: no path cut by the terminal
  assert.deepEqual(words(out.join(' ')), words(line));
  assert.equal(startedLines(line, Infinity), line);
  const deep = `/home/learner/projects/${'a-workshop-folder-with-a-long-name/'.repeat(3)}lab-workspace/.lab/state`;
  const wide = startedLines(`started the emulator at http://127.0.0.1:4566 (pid 1, state ${deep}, log ${deep}/emulator.log)`, 80).split('\n');
  for (const l of wide) assert.ok(l.length <= 80, `${l.length}: ${l}`);
  for (const l of wide.slice(1)) assert.match(l, /^ {2}\S/);
});

test("a bare patch operation wider than a line is quoted and cut after a comma inside the quotes, where the aws CLI's shorthand skips white space; one that fits stays bare", () => {
  const op = 'op=replace,path=/canarySettings/stageVariableOverrides/lambdaAlias,value=6';
  const cmd = `aws apigateway update-stage --rest-api-id q41oulni7c --stage-name Prod --patch-operations op=replace,path=/canarySettings/deploymentId,value=k2v8q1 ${op} --endpoint-url http://127.0.0.1:4566`;
  // a hint's command under a check (formatCheck: proseLines under 4): the walk's 81-column line (`…lambdaAlias,val` / `ue=6 \`)
  const lines = commandLines(cmd, 80, '      $ ', '          ');
  for (const l of lines) assert.ok(l.length <= 80, `${l.length}: ${l}`);
  assert.ok(lines.some((l) => l.trimStart().startsWith(`'op=replace,path=/canarySettings/stageVariableOverrides/lambdaAlias,`)), lines.join('\n'));
  // pasted: the shell joins ` \`-newlines; inside the quotes the newline and indent follow a comma, which the shorthand skips
  const shell = lines.map((l) => l.replace(/^ *\$ /, '')).join('\n').replace(/ \\\n\s*/g, ' ');
  assert.equal(shell.replace(/,\n\s*/g, ',').replace(`'${op}'`, op).trim(), cmd);
  // at the lab's own indent (6) it does not fit bare with its ` \` either: quoted and cut the same
  // way, every continuation at 6 (where it moved them all to 4, out of line with every other command)
  const top = commandLines(cmd, 80, '  $ ', '      ');
  for (const l of top) assert.ok(l.length <= 80, `${l.length}: ${l}`);
  for (const l of top.slice(1)) assert.match(l, /^ {6}\S/, top.join('\n'));
  assert.equal(top.map((l) => l.replace(/^ *\$ /, '')).join('\n').replace(/ \\\n\s*/g, ' ').replace(/,\n\s*/g, ',').replace(`'${op}'`, op).trim(), cmd);
});

test("step 6's put-integration --uri, about 200 columns, is cut after a ':' or '/' into quoted pieces joined by \\ and a newline: each line fits 80 columns, and bash reads the same arguments", () => {
  const uri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:ServerlessOps-stack-GetInfoFunction-PY5BM29B7HYT:${stageVariables.lambdaAlias}/invocations';
  const cmd = `aws apigateway put-integration --rest-api-id q41oulni7c --resource-id abc123 --http-method POST --type AWS_PROXY --integration-http-method POST --uri '${uri}' --endpoint-url http://127.0.0.1:4566`;
  const run = (text: string) => execFileSync('bash', ['-c', `aws() { printf '<%s>\\n' "$@"; }\n${text}`], { encoding: 'utf8' });
  for (const [prefix, indent] of [['  $ ', '      '], ['      $ ', '          ']] as const) {
    const lines = commandLines(cmd, 80, prefix, indent);
    for (const l of lines) assert.ok(l.length <= 80, `${l.length}: ${l}`);
    // a piece ends at a : or /, the variable whole
    assert.ok(lines.some((l) => l.startsWith("'${stageVariables.lambdaAlias}/invocations'")), lines.join('\n'));
    assert.equal(run(lines.map((l) => l.replace(/^ *\$ /, '')).join('\n')), run(cmd));
  }
  // piped: one line, as given
  assert.deepEqual(commandLines(cmd, Infinity, '$ ', ''), [`$ ${cmd}`]);
});

test("a backup's path wider than a line is cut after a '/' where prose wraps, as fitted cuts it; a URL stays whole", () => {
  const kept = '/tmp/s19walk/lab-workspace-for-walk/backups/2026-12-03T15-21-07-before-hooks-alarm/sam-app/template.yaml';
  const line = `replaced sam-app/template.yaml with the reference (your version before it is kept as ${kept})`;
  const out = wrap(line, 80);
  for (const l of out) assert.ok(l.length <= 80, `${l.length}: ${l}`);
  // cut only after a '/', nothing lost
  assert.equal(out.join(' ').replace(/\/ /g, '/'), line);
  assert.ok(out.some((l) => l.endsWith('/backups/')), out.join('\n'));
  // piped (no width): one line
  assert.deepEqual(wrap(line, Infinity), [line]);
  // a URL wider than the line is left whole, to be clicked
  const url = `https://docs.aws.amazon.com/codedeploy/latest/userguide/${'x'.repeat(40)}.html`;
  assert.deepEqual(wrap(`see ${url}`, 60), ['see', url]);
});

test('wrap-ansi is required at the first wrap only where Node requires an ES module without a warning; it wraps as wrap-ansi itself', () => {
  // on by default from 20.19, 22.12 and 23.0; 22.12 and 23.0-23.4 print an ExperimentalWarning
  for (const [version, quiet] of [['20.12.0', false], ['20.18.3', false], ['20.19.0', true], ['20.20.2', true], ['22.11.0', false], ['22.12.0', false], ['22.13.0', true], ['23.4.0', false], ['23.5.0', true], ['24.0.0', true], ['26.1.0', true]] as const) {
    assert.equal(requiresEsmQuietly(version, true), quiet, version);
  }
  assert.equal(requiresEsmQuietly('24.0.0', false), false, '--no-experimental-require-module');
  const text = 'the \u001B[1mlocal cloud\u001B[22m of /tmp/ws stopped unexpectedly (pid 42): killed, crashed, or the machine restarted';
  for (const cols of [20, 37, 80]) assert.equal(wrapAnsi(text, cols, { hard: false, trim: true }), wrapAnsiItself(text, cols, { hard: false, trim: true }), `${cols} columns`);
});
