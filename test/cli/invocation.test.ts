/**
 * The command lines of our CLI that the lab prints run as they are in the learner's shell: `npm
 * start` and `node dist/src/cli.js` from a clone (where no `serverless-ops-lab` is on PATH), `npx
 * serverless-ops-lab` under npx, the bare name for a global install, the script's path elsewhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliCommand, howInvoked, NPM_START_ARGS, shellWord, type ProcessFacts } from '../../src/invocation.js';
import { resumeArgs } from '../../src/commands/start.js';
import { readLabFlags } from '../../src/lab/session.js';

const ROOT = '/home/me/serverless-ops-lab';
const SCRIPT = `${ROOT}/dist/src/cli.js`;

function facts(over: Partial<ProcessFacts> & { env?: NodeJS.ProcessEnv }): ProcessFacts {
  return { env: {}, cwd: ROOT, packageRoot: ROOT, cliScript: SCRIPT, binOnPath: () => undefined, ...over };
}

const NPM_START = { npm_lifecycle_event: 'start', npm_package_name: 'serverless-ops-lab', npm_command: 'start' };

test('npm start in a clone: the resume line is npm start, other commands node dist/src/cli.js', () => {
  // npm puts node_modules/.bin on the script's PATH; the name found there is not on the learner's
  const how = howInvoked(facts({ env: NPM_START, initCwd: ROOT, binOnPath: () => SCRIPT }));
  assert.deepEqual(how, { kind: 'npm-script', script: 'dist/src/cli.js' });
  assert.equal(cliCommand(['start', '--workspace', `${ROOT}/lab-workspace`], how, ROOT), 'npm start');
  assert.equal(cliCommand(['start', '--workspace', 'lab-workspace'], how, ROOT), 'npm start');
  assert.equal(cliCommand(['start', '--ci', '--workspace', '/tmp/other ws'], how, ROOT), "npm start -- --ci --workspace '/tmp/other ws'");
  assert.equal(cliCommand(['start', '--target', 'aws', '--workspace', `${ROOT}/lab-workspace`], how, ROOT), 'npm start -- --target aws');
  assert.equal(cliCommand(['emulator', 'stop', '--workspace', `${ROOT}/lab-workspace`], how, ROOT), `node dist/src/cli.js emulator stop --workspace ${ROOT}/lab-workspace`);
  // npm start typed in a subfolder (npm runs the script in the package folder): the path from there
  const fromSub = howInvoked(facts({ env: NPM_START, initCwd: `${ROOT}/sam-app` }));
  assert.equal(cliCommand(['list'], fromSub, ROOT), 'node ../dist/src/cli.js list');
  assert.equal(cliCommand(['start', '--workspace', `${ROOT}/lab-workspace`], fromSub, ROOT), 'npm start');
  // npm run deploy, npm test: the same folder, the same answers
  assert.deepEqual(howInvoked(facts({ env: { npm_lifecycle_event: 'deploy', npm_package_name: 'serverless-ops-lab' } })), { kind: 'npm-script', script: 'dist/src/cli.js' });
});

test('npx, in the clone or from the registry, and a script of a project that depends on us: npx serverless-ops-lab', () => {
  for (const env of [
    { npm_lifecycle_event: 'npx', npm_package_name: 'serverless-ops-lab', npm_command: 'exec' },
    { npm_lifecycle_event: 'npx', npm_command: 'exec' },
    { npm_lifecycle_event: 'lab', npm_package_name: 'my-course' },
  ]) {
    // npx's cache bin folder is on this process's PATH, not on the learner's
    const how = howInvoked(facts({ env, cwd: '/home/me/course', binOnPath: () => SCRIPT }));
    assert.deepEqual(how, { kind: 'npx' }, JSON.stringify(env));
    assert.equal(cliCommand(['start', '--workspace', '/w'], how), 'npx serverless-ops-lab start --workspace /w');
  }
});

test('no npm: the bare name when it is this CLI on PATH, else the script path (relative inside the package)', () => {
  assert.deepEqual(howInvoked(facts({ cwd: '/anywhere', binOnPath: () => SCRIPT })), { kind: 'bin' });
  assert.equal(cliCommand(['list'], { kind: 'bin' }), 'serverless-ops-lab list');
  // `node dist/src/cli.js` in the clone: not npx, whose link to a clone goes stale (src/invocation.ts)
  assert.deepEqual(howInvoked(facts({ cwd: ROOT })), { kind: 'node', script: 'dist/src/cli.js' });
  assert.deepEqual(howInvoked(facts({ cwd: `${ROOT}/sam-app` })), { kind: 'node', script: '../dist/src/cli.js' });
  // from elsewhere, with another copy on PATH or none: only the path is sure to run this one
  for (const bin of [undefined, '/usr/lib/node_modules/serverless-ops-lab/dist/src/cli.js']) {
    const how = howInvoked(facts({ cwd: '/home/me', binOnPath: () => bin }));
    assert.deepEqual(how, { kind: 'node', script: SCRIPT });
    assert.equal(cliCommand(['emulator', 'stop', '--workspace', '/w'], how), `node ${SCRIPT} emulator stop --workspace /w`);
  }
  // a sibling folder whose name starts like the package's is not inside it
  assert.deepEqual(howInvoked(facts({ cwd: `${ROOT}-2` })).kind, 'node');
});

test('words are quoted for a POSIX shell only where they need it', () => {
  assert.equal(shellWord('/tmp/a-b_c.d/lab-workspace'), '/tmp/a-b_c.d/lab-workspace');
  assert.equal(shellWord('http://127.0.0.1:4566/execute-api/abc/Prod/getinfo'), 'http://127.0.0.1:4566/execute-api/abc/Prod/getinfo');
  assert.equal(shellWord('Content-Type: application/json'), "'Content-Type: application/json'");
  assert.equal(shellWord('{"bucket":"b","key":"someguy.jpg"}'), `'{"bucket":"b","key":"someguy.jpg"}'`);
  assert.equal(shellWord("/tmp/it's"), `'/tmp/it'\\''s'`);
  assert.equal(shellWord('<ApiUrl>'), "'<ApiUrl>'");
  assert.equal(shellWord(''), "''");
});

test("NPM_START_ARGS is what package.json's start script runs", () => {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as { scripts: { start: string } };
  assert.ok(pkg.scripts.start.endsWith(`node dist/src/cli.js ${NPM_START_ARGS.join(' ')}`), pkg.scripts.start);
});

test('the resume line keeps the workspace, the mode and the target (a workspace on AWS refuses a start without --target aws)', () => {
  const ws = `${ROOT}/lab-workspace`;
  assert.deepEqual(resumeArgs(readLabFlags({}), ws), ['start', '--workspace', ws]);
  assert.deepEqual(resumeArgs(readLabFlags({ ci: true }), ws), ['start', '--ci', '--workspace', ws]);
  assert.deepEqual(resumeArgs(readLabFlags({ target: 'aws', profile: 'lab', region: 'eu-west-1' }), ws), [
    'start', '--target', 'aws', '--profile', 'lab', '--region', 'eu-west-1', '--workspace', ws,
  ]);
  assert.equal(cliCommand(resumeArgs(readLabFlags({ target: 'aws' }), ws), { kind: 'npm-script', script: 'dist/src/cli.js' }, ROOT), 'npm start -- --target aws');
});
