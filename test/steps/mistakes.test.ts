/**
 * Fixtures of typical learner mistakes: each fails its check with the intended message and hint.
 * The template ones are static checks on the bundled app's template, changed as a learner would;
 * reserved concurrency, a hook that never reports and an alarm left in ALARM are checked against
 * a real local cloud, with its clock set so that what is observed is a state, never a race.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAliasCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { GetMetricStatisticsCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { fileURLToPath } from 'node:url';
import { runLiveChecks, runStaticChecks, type CheckResult, type StaticCheck, type WorkspaceFiles } from '../../src/lab/check.js';
import { LiveLabContext } from '../../src/lab/live-context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { scaffoldWorkspace, workspacePaths, type Workspace } from '../../src/lab/workspace.js';
import { RecordingIoHost } from '../../src/io/recording.js';
import { alarmsWatchErrors, deploymentTypeIsStep, hookMayReport, hooksPrefixed, templateParses, timeoutAbove3 } from '../../src/steps/shared/template-checks.js';
import { reserveStep, restoreStep } from '../../src/steps/concurrency.js';
import { alarmRollbackStep, errorsRollbackStep, failingHookStep, LIVE_AT_START, OWN_THROWS } from '../../src/steps/hooks-alarms.js';
import { throwStatements } from '../../src/steps/shared/app-code.js';
import type { LabContext } from '../../src/lab/context.js';
import { blueGreenStep } from '../../src/steps/blue-green.js';
import { errorsAlarmName } from '../../src/steps/shared/alarms.js';
import { appFunction } from '../../src/steps/shared/app.js';
import { deploymentGroup, deployments, getDeploymentCommand, lambdaTarget } from '../../src/steps/shared/codedeploy.js';
import { followDeployment } from '../../src/steps/shared/deployment-view.js';
import { teachStep } from '../../src/lab/teach.js';
import { untilReadyToDeploy } from '../../src/lab/solver.js';
import { LAB_STEPS, REFERENCE_ORDER } from '../../src/steps/index.js';
import type { Hint } from '../../src/lab/step.js';
import { removeWorkspace } from '../helpers/cli.js';
import { runWithAwsEnv, skipWithoutAws } from '../helpers/aws-cli.js';
import { eventually } from '../helpers/eventually.js';

const BUNDLED = readFileSync(new URL('../../../sam-app/template.yaml', import.meta.url), 'utf8');
const WITH_PREFERENCE = BUNDLED.replace(
  `      # DeploymentPreference:
      #   Type: Linear10PercentEvery1Minute`,
  `      DeploymentPreference:
        Type: Linear10PercentEvery1Minute`,
);

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** sam-app/ as a step's reference leaves it: its template and its pre-traffic hook */
function seedStep(stepId: string): (samApp: string) => void {
  return (samApp) => {
    copyFileSync(join(TEMPLATES, stepId, 'template.yaml'), join(samApp, 'template.yaml'));
    mkdirSync(join(samApp, 'hooks'), { recursive: true });
    copyFileSync(join(TEMPLATES, stepId, 'hooks', 'pre-traffic.mjs'), join(samApp, 'hooks', 'pre-traffic.mjs'));
  };
}

function files(template: string): WorkspaceFiles {
  return { samApp: '/ws/sam-app', read: (rel) => (rel === 'template.yaml' ? template : undefined) };
}

async function one(check: StaticCheck, template: string) {
  const [r] = await runStaticChecks([check], files(template));
  return r!;
}

test('the bundled template passes the template checks it should, and is not yet blue/green', async () => {
  assert.equal((await one(templateParses, BUNDLED)).status, 'passed');
  assert.equal((await one(timeoutAbove3, BUNDLED)).status, 'passed');
  assert.notEqual(WITH_PREFERENCE, BUNDLED, 'the fixture edits the bundled template');
  assert.equal((await one(deploymentTypeIsStep, BUNDLED)).status, 'not-yet');
  assert.equal((await one(deploymentTypeIsStep, WITH_PREFERENCE)).status, 'passed');
});

test('Timeout: 3 fails with version 2\'s 3 s wait as the reason', async () => {
  const r = await one(timeoutAbove3, WITH_PREFERENCE.replace('Timeout: 10', 'Timeout: 3'));
  assert.equal(r.status, 'not-yet');
  assert.equal(r.expected, 'more than 3 (seconds)');
  assert.equal(r.found, '3');
  assert.match(r.hint!, /^app version 2 waits 3 s before it answers: with Timeout 3 every call times out/);
});

test('a DeploymentPreference Type with the CodeDeployDefault prefix is named, with the fix', async () => {
  const r = await one(deploymentTypeIsStep, WITH_PREFERENCE.replace('Type: Linear10PercentEvery1Minute', 'Type: CodeDeployDefault.LambdaLinear10PercentEvery1Minute'));
  assert.equal(r.status, 'not-yet');
  assert.equal(r.found, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
  assert.match(r.hint!, /SAM adds the CodeDeployDefault.Lambda prefix itself/);
});

test('a known DeploymentPreference Type other than the step\'s fails before the deploy, with the fix', async () => {
  // AllAtOnce deployed and released at once: the step's check then failed, and the code, released, made no new version
  for (const type of ['AllAtOnce', 'Canary10Percent5Minutes', 'Linear10PercentEvery10Minutes']) {
    const r = await one(deploymentTypeIsStep, WITH_PREFERENCE.replace('Type: Linear10PercentEvery1Minute', `Type: ${type}`));
    assert.equal(r.status, 'not-yet', type);
    assert.equal(r.expected, 'Type: Linear10PercentEvery1Minute', type);
    assert.equal(r.found, type);
    assert.match(r.hint!, /This lab shifts 10 % more every minute, .*: write Type: Linear10PercentEvery1Minute$/, type);
  }
  assert.match((await one(deploymentTypeIsStep, WITH_PREFERENCE.replace('Type: Linear10PercentEvery1Minute', 'Type: AllAtOnce'))).hint!, /^AllAtOnce moves all the traffic to the new version at once\./);
  const typo = await one(deploymentTypeIsStep, WITH_PREFERENCE.replace('Type: Linear10PercentEvery1Minute', 'Type: Linear10PercentEvery1Minutes'));
  assert.equal(typo.status, 'not-yet');
  assert.match(typo.hint!, /^did you mean Linear10PercentEvery1Minute\? not a Lambda deployment Type/);
  // blue-green's file check holds the deploy back ("the files look right: d deploys them" was said)
  const results = await runStaticChecks(blueGreenStep.staticChecks, files(WITH_PREFERENCE.replace('Type: Linear10PercentEvery1Minute', 'Type: AllAtOnce')));
  assert.deepEqual(results.filter((r) => r.status !== 'passed').map((r) => `${r.name}: ${r.found}`), ['DeploymentPreference Type is Linear10PercentEvery1Minute: AllAtOnce', 'src/app.mjs is app version 2: no src/app.mjs']);
});

test('a hook without the CodeDeployHook_ prefix fails with the IAM reason and the name to use', async () => {
  const hooked = WITH_PREFERENCE.replace(
    '        Type: Linear10PercentEvery1Minute',
    '        Type: Linear10PercentEvery1Minute\n        Hooks:\n          PreTraffic: !Ref PreTrafficHook',
  ).replace(
    '  ImagesBucket:\n',
    '  PreTrafficHook:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: preTrafficHook\n      CodeUri: src/\n      Handler: app.handler\n\n  ImagesBucket:\n',
  );
  const r = await one(hooksPrefixed, hooked);
  assert.equal(r.status, 'not-yet', JSON.stringify(r));
  assert.equal(r.found, 'FunctionName: preTrafficHook');
  assert.match(r.hint!, /may only invoke functions named CodeDeployHook_\*; any other name fails the deployment with IAM_ROLE_PERMISSIONS\. Give the hook FunctionName: CodeDeployHook_preTrafficHook\./);
  // the name the hint gives is the one the reference change ("show me the change") uses
  const reference = readFileSync(join(TEMPLATES, 'hooks-failing', 'template.yaml'), 'utf8');
  assert.match(reference, /FunctionName: CodeDeployHook_preTrafficHook\n/);
  const fixed = await one(hooksPrefixed, hooked.replace('FunctionName: preTrafficHook', 'FunctionName: CodeDeployHook_preTrafficHook'));
  assert.equal(fixed.status, 'passed');
});

/** the reference hook (templates/hooks-failing) with its Policies replaced by `policies` (YAML at the property's indentation, or '' for none) */
function hookWithPolicies(policies: string): string {
  const reference = readFileSync(join(TEMPLATES, 'hooks-failing', 'template.yaml'), 'utf8');
  const block = /      Policies:\n        - Version: '2012-10-17'\n          Statement:\n            - Effect: Allow\n              Action: codedeploy:PutLifecycleEventHookExecutionStatus\n              Resource: [^\n]+\n/;
  assert.match(reference, block, 'the fixture replaces the reference hook\'s Policies');
  return reference.replace(block, policies);
}

test('a hook whose Policies do not allow PutLifecycleEventHookExecutionStatus fails, though the local cloud would let it report', async () => {
  for (const [what, policies] of [
    ['no Policies', ''],
    ['another action', "      Policies:\n        - Version: '2012-10-17'\n          Statement:\n            - Effect: Allow\n              Action: codedeploy:GetDeployment\n              Resource: '*'\n"],
    ['Effect: Deny', "      Policies:\n        - Statement:\n            - Effect: Deny\n              Action: codedeploy:*\n              Resource: '*'\n"],
    ['a managed policy that does not grant it', '      Policies:\n        - AWSLambdaBasicExecutionRole\n'],
  ] as const) {
    const r = await one(hookMayReport, hookWithPolicies(policies));
    assert.equal(r.status, 'not-yet', `${what}: ${JSON.stringify(r)}`);
    assert.equal(r.expected, 'Policies on PreTrafficHook allowing codedeploy:PutLifecycleEventHookExecutionStatus', what);
    assert.equal(r.found, policies ? 'Policies on PreTrafficHook without codedeploy:PutLifecycleEventHookExecutionStatus' : 'no Policies on PreTrafficHook', what);
    assert.match(r.hint!, /The local cloud does not enforce IAM and would let it pass, but on AWS the call is denied and the deployment waits for the hook's timeout \(an hour\)/, what);
  }
  // the step itself does not pass such a template (its other checks do)
  const results = await runStaticChecks(failingHookStep.staticChecks, files(hookWithPolicies('')));
  assert.deepEqual(results.filter((r) => r.status !== 'passed').map((r) => r.name), ['hook functions may call PutLifecycleEventHookExecutionStatus']);
});

test('the forms a learner writes for the hook\'s permission pass', async () => {
  const statement = (action: string, resource = "'*'") => `      Policies:\n        - Version: '2012-10-17'\n          Statement:\n            - Effect: Allow\n              Action: ${action}\n              Resource: ${resource}\n`;
  for (const [what, policies] of [
    ['the action as a string', statement('codedeploy:PutLifecycleEventHookExecutionStatus')],
    ['in a list, with another', statement('\n                - lambda:InvokeFunction\n                - codedeploy:PutLifecycleEventHookExecutionStatus')],
    ['codedeploy:*', statement("'codedeploy:*'")],
    ['a wildcard, other case', statement("'CodeDeploy:Put*'")],
    ['a resource ARN with !Sub', statement('codedeploy:PutLifecycleEventHookExecutionStatus', "!Sub 'arn:aws:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:*'")],
    ['Statement as one mapping', "      Policies:\n        - Statement:\n            Effect: Allow\n            Action: codedeploy:PutLifecycleEventHookExecutionStatus\n            Resource: '*'\n"],
    ['a single policy document, not a list', "      Policies:\n        Statement:\n          - Effect: Allow\n            Action: codedeploy:PutLifecycleEventHookExecutionStatus\n            Resource: '*'\n"],
    ['the managed policy by name', '      Policies:\n        - AWSLambdaBasicExecutionRole\n        - AWSCodeDeployFullAccess\n'],
    ['the managed policy by ARN', '      Policies:\n        - arn:aws:iam::aws:policy/AWSCodeDeployFullAccess\n'],
    ['a Role of its own', "      Role: arn:aws:iam::123456789012:role/hook-role\n"],
  ] as const) {
    const r = await one(hookMayReport, hookWithPolicies(policies));
    assert.equal(r.status, 'passed', `${what}: ${JSON.stringify(r)}`);
  }
});

test('with no hook yet, the permission check is not run: the hook-name check says what is missing, once', async () => {
  const results = await runStaticChecks([hooksPrefixed, hookMayReport], files(WITH_PREFERENCE));
  assert.equal(results[0]!.status, 'not-yet');
  assert.equal(results[0]!.found, 'no hooks in DeploymentPreference');
  assert.equal(results[1]!.notRun, 'no hooks in DeploymentPreference (see "hook functions are named CodeDeployHook_…" above)');
});

test('each step\'s static checks pass on the template its reference solution leaves', async () => {
  const book = new ReferenceBook(REFERENCE_ORDER);
  let checked = 0;
  for (const step of LAB_STEPS) {
    if (!step.staticChecks.length) continue;
    const template = book.entry(step.id)?.files.includes('template.yaml') ? book.after(step.id, 'template.yaml') : book.before(step.id, 'template.yaml');
    assert.ok(template, step.id);
    const app = book.entry(step.id)?.files.includes('src/app.mjs') ? book.after(step.id, 'src/app.mjs') : book.before(step.id, 'src/app.mjs');
    const results = await runStaticChecks(step.staticChecks, { samApp: '/ws/sam-app', read: (rel) => (rel === 'template.yaml' ? template : rel === 'src/app.mjs' ? app : undefined) });
    for (const r of results) assert.equal(r.status, 'passed', `${step.id}: ${r.name}: ${JSON.stringify(r)}`);
    checked++;
  }
  // blue-green, hooks-failing, hooks-alarm, hooks-errors
  assert.ok(checked >= 4, `${checked} steps with static checks`);
  assert.ok(failingHookStep.staticChecks.includes(hookMayReport), 'hooks-failing checks the hook\'s permission');
});

/** hooks-alarm's reference template, its alarm changed by `edit` */
function alarmTemplate(edit: (t: string) => string = (t) => t): string {
  return edit(readFileSync(join(TEMPLATES, 'hooks-alarm', 'template.yaml'), 'utf8'));
}

test('an alarm on Invocations, not Errors, fails the template check of hooks-alarm and hooks-errors before the deploy, with the metric to write', async () => {
  const reference = alarmTemplate();
  assert.match(reference, /      MetricName: Errors\n/);
  const invocations = alarmTemplate((t) => t.replace('      MetricName: Errors\n', '      MetricName: Invocations\n'));
  for (const step of [alarmRollbackStep, errorsRollbackStep]) {
    assert.ok(step.staticChecks.includes(alarmsWatchErrors), step.id);
    const results = await runStaticChecks(step.staticChecks, files(invocations));
    const r = results.find((x) => x.name === alarmsWatchErrors.name)!;
    assert.equal(r.status, 'not-yet', step.id);
    assert.equal(r.expected, 'AliasErrorMetricGreaterThanZeroAlarm on AWS/Lambda Errors of GetInfoFunction');
    assert.equal(r.found, 'AliasErrorMetricGreaterThanZeroAlarm on AWS/Lambda Invocations');
    assert.match(r.hint!, /^Invocations counts every request, good or bad: it goes off on ordinary traffic and rolls back any release, a good one too\. /);
    assert.match(r.hint!, /write Namespace: AWS\/Lambda and MetricName: Errors, with Dimensions FunctionName: !Ref GetInfoFunction and Resource: !Sub '\$\{GetInfoFunction\}:live'\.$/);
  }
  const passedOn = await one(alarmsWatchErrors, reference);
  assert.equal(passedOn.status, 'passed', JSON.stringify(passedOn));
  assert.equal(passedOn.found, 'AliasErrorMetricGreaterThanZeroAlarm: AWS/Lambda Errors (Resource=${GetInfoFunction}:live, FunctionName=${GetInfoFunction})');
});

test('the alarm forms the workshop writes pass; dimensions Lambda publishes no Errors under, or no alarm at all, fail', async () => {
  const dims = /        - Name: Resource\n          Value: !Sub '\$\{GetInfoFunction\}:live'\n        - Name: FunctionName\n          Value: !Ref GetInfoFunction\n/;
  assert.match(alarmTemplate(), dims);
  const withDims = (yaml: string) => alarmTemplate((t) => t.replace(dims, yaml));
  // the workshop's LatestVersionErrorMetricGreaterThanZeroAlarm: the version behind the alias, too
  const latest = `        - Name: Resource\n          Value: !Sub '\${GetInfoFunction}:live'\n        - Name: FunctionName\n          Value: !Ref GetInfoFunction\n        - Name: ExecutedVersion\n          Value: !GetAtt GetInfoFunction.Version.Version\n`;
  for (const [what, yaml] of [
    ['the workshop\'s latest-version alarm', latest],
    ['the function as a whole', '        - Name: FunctionName\n          Value: !Ref GetInfoFunction\n'],
    ['the alias joined', "        - Name: FunctionName\n          Value: !Ref GetInfoFunction\n        - Name: Resource\n          Value: !Join [':', [!Ref GetInfoFunction, live]]\n"],
  ] as const) {
    const r = await one(alarmsWatchErrors, withDims(yaml));
    assert.equal(r.status, 'passed', `${what}: ${JSON.stringify(r)}`);
  }
  for (const [what, yaml, found] of [
    ['the logical id as the name', '        - Name: FunctionName\n          Value: GetInfoFunction\n', 'FunctionName=GetInfoFunction'],
    ['the alias alone', "        - Name: Resource\n          Value: !Sub '${GetInfoFunction}:live'\n", 'Resource=${GetInfoFunction}:live'],
    ['another alias', "        - Name: Resource\n          Value: !Sub '${GetInfoFunction}:prod'\n        - Name: FunctionName\n          Value: !Ref GetInfoFunction\n", 'Resource=${GetInfoFunction}:prod, FunctionName=${GetInfoFunction}'],
  ] as const) {
    const r = await one(alarmsWatchErrors, withDims(yaml));
    assert.equal(r.status, 'not-yet', what);
    assert.equal(r.found, `AliasErrorMetricGreaterThanZeroAlarm on AWS/Lambda Errors with ${found}`, what);
    assert.match(r.hint!, /watches a metric with no data, and never goes off\. Give it Dimensions FunctionName: !Ref GetInfoFunction and Resource: !Sub '\$\{GetInfoFunction\}:live'\.$/, what);
  }
  const none = await one(alarmsWatchErrors, alarmTemplate((t) => t.replace('        Alarms:\n          - !Ref AliasErrorMetricGreaterThanZeroAlarm\n', '')));
  assert.equal(none.status, 'not-yet');
  assert.equal(none.found, 'no Alarms under DeploymentPreference');
  const plain = await one(alarmsWatchErrors, alarmTemplate((t) => t.replace('          - !Ref AliasErrorMetricGreaterThanZeroAlarm\n', '          - AliasErrorMetricGreaterThanZeroAlarm\n')));
  assert.equal(plain.status, 'not-yet');
  assert.equal(plain.expected, '- !Ref AliasErrorMetricGreaterThanZeroAlarm');
});

test('blue-green with src/app.mjs as the previous step left it: the static check says so before the deploy, with what to change', async () => {
  const bundledApp = readFileSync(new URL('../../../sam-app/src/app.mjs', import.meta.url), 'utf8');
  const v2 = readFileSync(join(TEMPLATES, 'blue-green', 'src', 'app.mjs'), 'utf8');
  const withApp = (app: string | undefined): WorkspaceFiles => ({ samApp: '/ws/sam-app', read: (rel) => (rel === 'template.yaml' ? WITH_PREFERENCE : rel === 'src/app.mjs' ? app : undefined) });
  const check = async (app: string | undefined) => (await runStaticChecks(blueGreenStep.staticChecks, withApp(app))).find((r) => r.name === 'src/app.mjs is app version 2');
  const unchanged = await check(bundledApp);
  assert.ok(unchanged, 'blue-green checks src/app.mjs');
  assert.equal(unchanged.status, 'not-yet');
  assert.equal(unchanged.expected, 'const APP_VERSION = 2 (version 2 of the app, which waits 3 s)');
  assert.equal(unchanged.found, 'APP_VERSION = 1: src/app.mjs is as the previous step left it');
  assert.match(unchanged.hint!, /^replace src\/app\.mjs with app version 2 \(s shows the change\): only new code makes the deploy publish a new Lambda version, and only a new version starts the CodeDeploy deployment/);
  assert.match(unchanged.hint!, /as it is, a deploy would publish no new version, and nothing would shift$/);
  // a comment makes a new version, but not version 2 of the app
  const commented = await check(`${bundledApp}// changed\n`);
  assert.equal(commented!.status, 'not-yet');
  assert.equal(commented!.found, 'APP_VERSION = 1');
  assert.equal((await check(v2))!.status, 'passed');
  assert.equal((await check(undefined))!.found, 'no src/app.mjs');
});

test('blue-green with APP_VERSION = 2 and no wait: the static check says so before the deploy, with the wait to add', async () => {
  const bundledApp = readFileSync(new URL('../../../sam-app/src/app.mjs', import.meta.url), 'utf8');
  const v2 = readFileSync(join(TEMPLATES, 'blue-green', 'src', 'app.mjs'), 'utf8');
  const withApp = (app: string): WorkspaceFiles => ({ samApp: '/ws/sam-app', read: (rel) => (rel === 'template.yaml' ? WITH_PREFERENCE : rel === 'src/app.mjs' ? app : undefined) });
  const check = async (app: string) => (await runStaticChecks(blueGreenStep.staticChecks, withApp(app))).find((r) => r.name === 'src/app.mjs is app version 2')!;
  // the walk's change: only the number
  const numberOnly = await check(bundledApp.replace('const APP_VERSION = 1;', 'const APP_VERSION = 2;'));
  assert.equal(numberOnly.status, 'not-yet');
  assert.equal(numberOnly.found, 'APP_VERSION = 2, but no wait: the code never calls setTimeout');
  assert.match(numberOnly.hint!, /^app version 2 waits 3 s before it asks Rekognition: `await new Promise\(\(resolve\) => setTimeout\(resolve, WAIT_MS\)\);` in the handler, with `const WAIT_MS = 3000;` \(s shows the change\)/);
  // a setTimeout in a comment waits for nothing
  assert.equal((await check(bundledApp.replace('const APP_VERSION = 1;', 'const APP_VERSION = 2;\n// setTimeout(resolve, 3000)'))).status, 'not-yet');
  const passed = await check(v2);
  assert.equal(passed.status, 'passed');
  assert.equal(passed.found, 'APP_VERSION = 2, with a timer of 3000 ms');
});

test('blue-green with a timer shorter than the 3 s wait: the static check names its wait before the deploy; a wait it cannot read is left to the live check', async () => {
  const v2 = readFileSync(join(TEMPLATES, 'blue-green', 'src', 'app.mjs'), 'utf8');
  assert.match(v2, /const WAIT_MS = 3000;/);
  const withApp = (app: string): WorkspaceFiles => ({ samApp: '/ws/sam-app', read: (rel) => (rel === 'template.yaml' ? WITH_PREFERENCE : rel === 'src/app.mjs' ? app : undefined) });
  const check = async (app: string) => (await runStaticChecks(blueGreenStep.staticChecks, withApp(app))).find((r) => r.name === 'src/app.mjs is app version 2')!;
  const short = await check(v2.replace('const WAIT_MS = 3000;', 'const WAIT_MS = 10;'));
  assert.equal(short.status, 'not-yet');
  assert.equal(short.found, 'APP_VERSION = 2, but its timer waits 10 ms, not 3 s');
  assert.match(short.hint!, /^app version 2 waits 3 s before it asks Rekognition/);
  assert.equal((await check(v2.replace('setTimeout(resolve, WAIT_MS)', 'setTimeout(resolve, 300)'))).found, 'APP_VERSION = 2, but its timer waits 300 ms, not 3 s');
  assert.equal((await check(v2.replace('setTimeout(resolve, WAIT_MS)', 'setTimeout(resolve)'))).found, 'APP_VERSION = 2, but its timer waits 0 ms, not 3 s');
  // written otherwise, a wait of 3 s passes; one the code computes is the live check's to time
  assert.equal((await check(v2.replace('const WAIT_MS = 3000;', 'const WAIT_MS = 3_000;'))).status, 'passed');
  const promises = v2.replace('await new Promise((resolve) => setTimeout(resolve, WAIT_MS));', 'await setTimeout(WAIT_MS);').replace('const APP_VERSION = 2;', "import { setTimeout } from 'node:timers/promises';\nconst APP_VERSION = 2;");
  assert.equal((await check(promises)).found, 'APP_VERSION = 2, with a timer of 3000 ms');
  assert.equal((await check(promises.replace('await setTimeout(WAIT_MS);', 'await setTimeout(5);'))).status, 'not-yet');
  const computed = await check(v2.replace('const WAIT_MS = 3000;', 'const WAIT_MS = Number(process.env.WAIT_MS ?? 3000);'));
  assert.equal(computed.status, 'passed');
  assert.equal(computed.found, 'APP_VERSION = 2, with a timer');
});

test('hooks-errors with APP_VERSION = 4 that does not throw: the static check says so before the deploy; app version 4 passes', async () => {
  const previous = readFileSync(join(TEMPLATES, 'hooks-failing', 'src', 'app.mjs'), 'utf8');
  const v4 = readFileSync(join(TEMPLATES, 'hooks-errors', 'src', 'app.mjs'), 'utf8');
  const template = readFileSync(join(TEMPLATES, 'hooks-alarm', 'template.yaml'), 'utf8');
  const withApp = (app: string): WorkspaceFiles => ({ samApp: '/ws/sam-app', read: (rel) => (rel === 'template.yaml' ? template : rel === 'src/app.mjs' ? app : undefined) });
  const check = async (app: string) => (await runStaticChecks(errorsRollbackStep.staticChecks, withApp(app))).find((r) => r.name === 'src/app.mjs throws (app version 4)')!;
  assert.ok(await check(v4), 'hooks-errors checks src/app.mjs');
  const numberOnly = await check(previous.replace('const APP_VERSION = 3;', 'const APP_VERSION = 4;'));
  assert.equal(numberOnly.status, 'not-yet');
  assert.equal(numberOnly.found, 'APP_VERSION = 4, but no throw in the code');
  assert.match(numberOnly.hint!, /^App version 4 throws on every request: `throw new Error\(…\)` at the top of the handler, before its try/);
  assert.match(numberOnly.hint!, /The alarm reads Lambda's Errors metric, which counts only what the function throws \(unhandled\), not the answers it returns: https:/);
  // a 500 answer instead of a throw, and a throw in a comment or a string, are no throw
  assert.equal((await check(RETURNS_500)).status, 'not-yet');
  assert.equal((await check(previous.replace('const APP_VERSION = 3;', "const APP_VERSION = 4;\n// throw new Error('x')\nconst s = 'throw';"))).status, 'not-yet');
  assert.equal((await check(v4)).status, 'passed');
});

test('hooks-errors: a throw inside the handler\'s try is caught (it becomes an answer): the static check says so and where; one above the try, or in the catch, passes', async () => {
  const previous = readFileSync(join(TEMPLATES, 'hooks-failing', 'src', 'app.mjs'), 'utf8');
  const template = readFileSync(join(TEMPLATES, 'hooks-alarm', 'template.yaml'), 'utf8');
  const withApp = (app: string): WorkspaceFiles => ({ samApp: '/ws/sam-app', read: (rel) => (rel === 'template.yaml' ? template : rel === 'src/app.mjs' ? app : undefined) });
  const check = async (app: string) => (await runStaticChecks(errorsRollbackStep.staticChecks, withApp(app))).find((r) => r.name === 'src/app.mjs throws (app version 4)')!;
  const v4 = previous.replace('const APP_VERSION = 3;', 'const APP_VERSION = 4;');
  // the learner's walk: the first line inside the handler's try
  const inTry = v4.replace('  try {\n    const result', "  try {\n    throw new Error('app version 4 is broken');\n    const result");
  assert.notEqual(inTry, v4);
  const line = inTry.split('\n').findIndex((l) => l.includes("throw new Error('app version 4 is broken')")) + 1;
  const caught = await check(inTry);
  assert.equal(caught.status, 'not-yet');
  assert.equal(caught.found, `APP_VERSION = 4, but the throw on line ${line} is inside a try, whose catch takes it`);
  assert.match(caught.hint!, /^A throw inside a try is caught: the handler's catch turns it into an answer \(HTTP 500\), so the function does not fail, Lambda counts no Errors, and the alarm never goes off/);
  assert.match(caught.hint!, /Move the throw above the handler's `try \{`/);
  // the same throw above the try escapes the handler
  const above = v4.replace('  try {\n    const result', "  throw new Error('app version 4 is broken');\n  try {\n    const result");
  const passes = await check(above);
  assert.equal(passes.status, 'passed');
  assert.equal(passes.found, '1 throw');
  // a rethrow in the catch escapes too; a try with no catch catches nothing
  assert.equal((await check(v4.replace('    const status = err?.$metadata', '    throw err;\n    const status = err?.$metadata'))).status, 'passed');
  assert.equal((await check(v4.replace('export const handler = async (event, context) => {', "export const handler = async (event, context) => {\n  try { throw new Error('x'); } finally { console.log('done'); }"))).status, 'passed');
});

test("hooks-errors compares with the learner's own previous version: a throw of theirs kept as it was is no change; one added passes, also after a reset", async () => {
  const previous = readFileSync(join(TEMPLATES, 'hooks-failing', 'src', 'app.mjs'), 'utf8');
  const v4 = readFileSync(join(TEMPLATES, 'hooks-errors', 'src', 'app.mjs'), 'utf8');
  const template = readFileSync(join(TEMPLATES, 'hooks-alarm', 'template.yaml'), 'utf8');
  // the learner's own version of the previous step: a throw of theirs, which the handler's try catches
  const ownCheck = "const rekognition = new RekognitionClient({});\nfunction mustHave(x) {\n  if (!x) throw new TypeError('no image');\n  return x;\n}";
  const own = previous.replace('const rekognition = new RekognitionClient({});', ownCheck);
  assert.notEqual(own, previous);
  assert.deepEqual(throwStatements(own), ["throw new TypeError ( 'no image' ) ;"]);
  const ctx = { allFigures: () => ({ 'hooks-alarm': { [OWN_THROWS]: throwStatements(own) } }) } as unknown as LabContext;
  const withApp = (app: string): WorkspaceFiles => ({ samApp: '/ws/sam-app', read: (rel) => (rel === 'template.yaml' ? template : rel === 'src/app.mjs' ? app : undefined) });
  const check = async (app: string, c: LabContext = ctx) => (await runStaticChecks(errorsRollbackStep.staticChecks, withApp(app), c)).find((r) => r.name === 'src/app.mjs throws (app version 4)')!;
  // the number alone beside their own throw: it throws no more than the version before it
  const numberOnly = await check(own.replace('const APP_VERSION = 3;', 'const APP_VERSION = 4;'));
  assert.equal(numberOnly.status, 'not-yet');
  assert.equal(numberOnly.found, 'APP_VERSION = 4, but no throw beyond the 1 your src/app.mjs had when hooks-alarm passed');
  // app version 4's throw added to their own code
  const v4Throw = "export const handler = async (event, context) => {\n  throw new Error(`version ${APP_VERSION} is broken`);";
  const ownV4 = own.replace('const APP_VERSION = 3;', 'const APP_VERSION = 4;').replace('export const handler = async (event, context) => {', v4Throw);
  assert.equal((await check(ownV4)).status, 'passed');
  // after reset hooks-errors the file is the lab's again (their throw gone): the throw added still counts
  assert.equal((await check(previous.replace('export const handler = async (event, context) => {', v4Throw))).status, 'passed');
  assert.equal((await check(v4)).status, 'passed');
  // the same throw statement twice where their version had it once is one added
  assert.equal((await check(own.replace("  return x;\n}", "  if (x === '') throw new TypeError('no image');\n  return x;\n}"))).status, 'passed');
  // no figure kept (a workspace of an older lab, a unit test): the previous step's code is the measure, as before
  const noFigure = { allFigures: () => ({}) } as unknown as LabContext;
  assert.equal((await check(own.replace('const APP_VERSION = 3;', 'const APP_VERSION = 4;'), noFigure)).status, 'passed');
});

test('a template that does not parse says where', async () => {
  const r = await one(templateParses, BUNDLED.replace('Resources:', 'Resources:\n  - broken: [1'));
  assert.equal(r.status, 'not-yet');
  assert.match(r.found!, /template\.yaml:\d+:\d+/);
});

test('a misspelt property is named with the spelling it meant, not blamed on indentation', async () => {
  const r = await one(templateParses, WITH_PREFERENCE.replace('      DeploymentPreference:', '      DeploymentPrefrence:'));
  assert.equal(r.status, 'not-yet');
  assert.match(r.found!, /unknown property DeploymentPrefrence: did you mean DeploymentPreference\?/);
  assert.equal(r.hint, 'names are spelt exactly, case included: write DeploymentPreference');
  // Hooks at the function's depth, not under DeploymentPreference, is no typo: the indentation hint stays
  const nested = await one(templateParses, WITH_PREFERENCE.replace('        Type: Linear10PercentEvery1Minute', '        Type: Linear10PercentEvery1Minute\n      Hooks:\n        PreTraffic: !Ref GetInfoFunction'));
  assert.equal(nested.status, 'not-yet');
  assert.match(nested.hint!, /YAML indentation is the usual cause/);
});

test('a Ref to a name the template lacks is not blamed on YAML: the hint names the close names (and says when the name is an output\'s)', async () => {
  const alarm = readFileSync(join(TEMPLATES, 'hooks-alarm', 'template.yaml'), 'utf8');
  // ErrorsAlarm is the name of the output that shows the alarm, not of the alarm
  const r = await one(templateParses, alarm.replace('          - !Ref AliasErrorMetricGreaterThanZeroAlarm', '          - !Ref ErrorsAlarm'));
  assert.equal(r.status, 'not-yet');
  assert.match(r.found!, /Ref to "ErrorsAlarm": no parameter or resource has that name/);
  assert.doesNotMatch(r.hint!, /indentation/);
  assert.equal(
    r.hint,
    'ErrorsAlarm is an output\'s name (under Outputs), not a resource\'s, so this is not a YAML problem: name the resource the output shows (close: AliasErrorMetricGreaterThanZeroAlarm).',
  );
  // a name the template does not have at all: the names that share a word with it
  const other = await one(templateParses, alarm.replace('          - !Ref AliasErrorMetricGreaterThanZeroAlarm', '          - !Ref MyErrorAlarm'));
  assert.equal(other.hint, 'no parameter or resource is named MyErrorAlarm, so this is not a YAML problem: refer to a name the template defines (close: AliasErrorMetricGreaterThanZeroAlarm), or add a resource named MyErrorAlarm under Resources.');
  // a misspelt one gets its right name
  const typo = await one(templateParses, alarm.replace('          - !Ref AliasErrorMetricGreaterThanZeroAlarm', '          - !Ref AliasErrorMetricGreaterThanZeroAlrm'));
  assert.equal(typo.hint, 'no parameter or resource is named AliasErrorMetricGreaterThanZeroAlrm, so this is not a YAML problem: did you mean AliasErrorMetricGreaterThanZeroAlarm? Names are spelt exactly, case included.');
});


/** a workspace with the bundled app, `edit` applied to its sam-app/, its own local cloud at `speed`, deployed */
async function liveWorkspace(prefix: string, speed: number, edit: (samApp: string) => void = () => undefined) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ws = workspacePaths(dir);
  await scaffoldWorkspace(ws);
  edit(ws.samApp);
  const { ensureEmulator } = await import('../../src/emulator/daemon.js');
  const emu = await ensureEmulator({ stateDir: ws.stateDir, speed });
  const io = new RecordingIoHost();
  const ctx = new LiveLabContext({ io, ws, target: { kind: 'local', endpoint: emu.endpoint }, progress: ProgressStore.load(ws, 'local'), reference: new ReferenceBook([]), ci: true, speed, signal: new AbortController().signal });
  await ctx.deploy();
  return { dir, ws, ctx, io };
}

const fromState = (h: Hint | undefined) => {
  assert.ok(h && typeof h !== 'string', 'the first rung is a hint from the live state');
  return h;
};

describe('reserved concurrency against a local cloud', () => {
  let dir: string;
  let ctx: LiveLabContext;
  before(async () => {
    ({ dir, ctx } = await liveWorkspace('sol-mistakes-', 1));
  });
  after(async () => {
    ctx?.destroy();
    if (dir) await removeWorkspace(dir);
  });

  test('too much reserved concurrency: expected 25, found 900, and why 900 is wrong', async () => {
    const fn = ctx.deployment().functions[0]!.name;
    await ctx.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: 900 }));
    const [r] = await runLiveChecks(reserveStep.liveChecks, ctx);
    assert.equal(r!.status, 'not-yet');
    assert.equal(r!.expected, '25 reserved');
    assert.equal(r!.found, '900 reserved');
    assert.match(r!.hint!, /900 is more than the lab's 25: the load test would never be throttled/);
    assert.match(r!.aws!, /^aws lambda get-function-concurrency --function-name \S+ --endpoint-url http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('a reservation of 0 instead of none: the restore check says it stops the function', async () => {
    const fn = ctx.deployment().functions[0]!.name;
    await ctx.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: 0 }));
    const [r] = await runLiveChecks(restoreStep.liveChecks, ctx);
    assert.equal(r!.status, 'not-yet');
    assert.equal(r!.found, '0 reserved');
    assert.match(r!.hint!, /a reservation of 0 stops the function altogether/);
  });
});

describe('reserved concurrency on the wrong function', () => {
  let dir: string;
  let ctx: LiveLabContext;
  before(async () => {
    ({ dir, ctx } = await liveWorkspace('sol-mistakes-hookres-', 1, seedStep('hooks-failing')));
  });
  after(async () => {
    ctx?.destroy();
    if (dir) await removeWorkspace(dir);
  });

  test("25 reserved on the hook, not the app: the check names the hook and how to give its reservation back", async () => {
    const hook = ctx.deployment().functions.find((f) => f.name.startsWith('CodeDeployHook_'))!;
    assert.ok(hook, 'the template has a hook function');
    await ctx.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: hook.name, ReservedConcurrentExecutions: 25 }));
    const [r] = await runLiveChecks(reserveStep.liveChecks, ctx);
    assert.equal(r!.status, 'not-yet');
    assert.match(r!.found!, new RegExp(`; 25 on ${hook.name}$`));
    // the command on a line of its own, to be pasted whole (it was in parentheses inside the sentence)
    assert.match(r!.hint!, new RegExp(`went to ${hook.name}, not the app's function: give it back, then reserve on .*:\\n\\$ aws lambda delete-function-concurrency --function-name ${hook.name} `));
  });
});

/** the hooks-failing reference change, with a hook that forgets to report */
const NEVER_REPORTS = `// checks the new version... and returns without PutLifecycleEventHookExecutionStatus
export const handler = async (event) => {
  console.log('checked', event.DeploymentId);
  return 'looks fine';
};
`;

describe('a hook that never reports, against a local cloud', () => {
  let dir: string;
  let ws: Workspace;
  let ctx: LiveLabContext;
  let io: RecordingIoHost;
  before(async () => {
    // speed 1: the deployment waits for its hook up to an hour of cloud time, far beyond the test
    ({ dir, ws, ctx, io } = await liveWorkspace('sol-mistakes-hook-', 1, (samApp) => {
      copyFileSync(join(TEMPLATES, 'hooks-failing', 'template.yaml'), join(samApp, 'template.yaml'));
      mkdirSync(join(samApp, 'hooks'), { recursive: true });
      writeFileSync(join(samApp, 'hooks', 'pre-traffic.mjs'), NEVER_REPORTS);
    }));
  });
  after(async () => {
    ctx?.destroy();
    if (dir) await removeWorkspace(dir);
  });

  test('the release waits in BeforeAllowTraffic; the check says not yet, with the hook as the likely cause, and so does the first hint', async () => {
    // the first deploy made the stack (no deployment, as CloudFormation); a new version releases
    copyFileSync(join(TEMPLATES, 'hooks-failing', 'src', 'app.mjs'), join(ws.samApp, 'src', 'app.mjs'));
    await ctx.deploy();
    const [release] = await deployments(ctx, deploymentGroup(ctx), undefined, 1);
    assert.ok(release?.deploymentId, 'the deploy started a CodeDeploy deployment');
    const id = release.deploymentId;
    // the hook ran (Lambda counted its invocation), and the deployment still waits for its report
    const hookInvoked = () =>
      ctx.clients.cloudWatch
        .send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'CodeDeployHook_preTrafficHook' }], StartTime: new Date(release.createTime!.getTime() - 3_600_000), EndTime: new Date(release.createTime!.getTime() + 3_600_000), Period: 60, Statistics: ['Sum'] }))
        .then((r) => (r.Datapoints ?? []).reduce((n, d) => n + (d.Sum ?? 0), 0));
    await eventually('the hook invoked', hookInvoked, (n) => n >= 1);
    const target = await eventually('BeforeAllowTraffic in progress', () => lambdaTarget(ctx, id), (t) => t?.lifecycleEvents?.some((e) => e.lifecycleEventName === 'BeforeAllowTraffic' && e.status === 'InProgress') === true);
    assert.ok(target);
    // the live view does not wait the hour out: it stops watching a deployment its hook holds, and says so
    const followed = await followDeployment(ctx, { hookPatienceMs: 0 });
    assert.equal(followed?.deploymentId, id);
    assert.equal(followed?.status, 'InProgress');
    assert.equal(followed?.leftWaitingIn, 'BeforeAllowTraffic');
    assert.ok(io.text.includes(`deployment ${id} is still waiting in BeforeAllowTraffic for its hook to report`), io.text);
    // the view sent no requests: it shows no count of answers, not a dash where a figure belongs
    const frames = io.of('live').map((e) => (e.data as { lines: string[] }).lines);
    assert.ok(frames.length, 'the view drew a frame');
    for (const lines of frames) assert.ok(!lines.some((l) => /answers|—/.test(l)), lines.join('\n'));

    const [refused, alias] = await runLiveChecks(failingHookStep.liveChecks, ctx);
    assert.equal(refused!.status, 'not-yet', JSON.stringify(refused));
    assert.equal(refused!.expected, 'Failed with HOOK_EXECUTION_FAILURE');
    assert.equal(refused!.found, `${id} InProgress`);
    assert.match(refused!.hint!, new RegExp(`^deployment ${id} has waited in BeforeAllowTraffic since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z: does your hook call PutLifecycleEventHookExecutionStatus with the DeploymentId and LifecycleEventHookExecutionId it was given\\?`));
    assert.match(refused!.hint!, /A hook that never reports holds the deployment until CodeDeploy gives up/);
    // the alias never moved: no traffic went to the new version while the hook held it
    assert.equal(alias!.status, 'not-yet');
    assert.match(alias!.hint ?? '', /the deployment is still running/);

    const hint = await fromState(failingHookStep.hints[0]).fromState(ctx, new AbortController().signal);
    assert.equal(hint, refused!.hint);
  });

  test('a view that ends before its first sampled answer says none came back before it ended, and its lines fit 80 columns', async () => {
    // the deployment still waits for the hook (the test above); the view sends one request and stops at once
    const before = io.of('live').length;
    const followed = await followDeployment(ctx, { sample: true, hookPatienceMs: 0 });
    assert.equal(followed?.leftWaitingIn, 'BeforeAllowTraffic');
    const frames = io.of('live').slice(before).map((e) => e.data as { lines: string[]; final: boolean });
    const last = frames.at(-1)!;
    assert.ok(last.final, 'the view ended on a last frame');
    assert.ok(last.lines.includes('the view ended before any of its 1 sample request answered'), last.lines.join('\n'));
    assert.ok(!last.lines.some((l) => l.includes('yet')), last.lines.join('\n'));
    // the recording face is 80 columns wide: the configuration has a line of its own
    for (const { lines } of frames) for (const l of lines) assert.ok(l.length < 80, l);
    assert.deepEqual(last.lines.slice(0, 2), ['InProgress · BeforeAllowTraffic', 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute']);
  });

  test('q in the view: the status command it names to look again reads this workspace (--workspace), not ./lab-workspace', async () => {
    // a learner who presses q at the view's first frame, on the same workspace and cloud
    const quitter = new RecordingIoHost({ quitLive: (title) => title.startsWith('deployment') });
    const endpoint = ctx.endpoint!;
    const viewer = new LiveLabContext({ io: quitter, ws, target: { kind: 'local', endpoint }, progress: ProgressStore.load(ws, 'local'), reference: new ReferenceBook([]), ci: true, speed: 1, signal: new AbortController().signal });
    try {
      await assert.rejects(followDeployment(viewer, {}), { name: 'LearnerQuit' });
      const lines = quitter.text.split('\n');
      const at = lines.findIndex((l) => l.startsWith('stopped watching'));
      assert.ok(at >= 0, quitter.text);
      // the command on a line of its own, to paste whole: in the sentence, a terminal's width broke it
      assert.ok(lines[at + 1]?.endsWith(` status --workspace ${ws.root}`) && lines[at + 1]!.startsWith('$ '), quitter.text);
    } finally {
      viewer.destroy();
    }
  });
});

describe('an alarm deployed on Invocations, against a local cloud', () => {
  let dir: string;
  let ws: Workspace;
  let ctx: LiveLabContext;
  const seedInvocations = (samApp: string) => {
    seedStep('hooks-alarm')(samApp);
    const path = join(samApp, 'template.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('      MetricName: Errors\n', '      MetricName: Invocations\n'));
  };
  before(async () => {
    ({ dir, ws, ctx } = await liveWorkspace('sol-mistakes-invocations-', 1, seedInvocations));
  });
  after(async () => {
    ctx?.destroy();
    if (dir) await removeWorkspace(dir);
  });

  test('hooks-errors\' "real Errors" check reads the alarm\'s metric, not only its reason: an alarm on Invocations is said, with the fix; on Errors it goes on to the release', async () => {
    const alarm = errorsAlarmName(ctx);
    assert.ok(alarm, 'the alarm is deployed');
    const check = errorsRollbackStep.liveChecks.find((c) => c.name === 'real Errors raised the alarm during the release, not set-alarm-state')!;
    const [r] = await runLiveChecks([check], ctx);
    assert.equal(r!.status, 'not-yet', JSON.stringify(r));
    const fn = appFunction(ctx).name;
    assert.equal(r!.expected, `${alarm} on AWS/Lambda Errors of ${fn}`);
    assert.equal(r!.found, `${alarm} on AWS/Lambda Invocations (Resource=${fn}:live, FunctionName=${fn})`);
    assert.match(r!.hint!, /^the alarm watches AWS\/Lambda Invocations, not GetInfoFunction's Errors: its "Threshold Crossed" counted that, not the errors of the version that throws\. Invocations counts every request, good or bad: .* In template\.yaml, put it on MetricName: Errors, Namespace: AWS\/Lambda/);
    // the alarm on Errors: the check reads on, to the release (none yet in this workspace)
    seedStep('hooks-alarm')(ws.samApp);
    await ctx.deploy();
    const [again] = await runLiveChecks([check], ctx);
    assert.equal(again!.status, 'not-yet');
    assert.equal(again!.found, 'no new release yet');
  });

  test('hooks-alarm\'s release check does not pass a release stopped by an alarm on Invocations: it names the metric, with the fix', async () => {
    seedInvocations(ws.samApp);
    const app = join(ws.samApp, 'src', 'app.mjs');
    writeFileSync(app, `${readFileSync(app, 'utf8')}// a new version\n`);
    await ctx.deploy();
    const id = ctx.lastDeployments?.[0]?.deploymentId;
    assert.ok(id, 'the deploy started a release');
    const status = () => deployments(ctx, deploymentGroup(ctx), undefined, 10).then((all) => all.find((d) => d.deploymentId === id));
    await eventually(`${id} in progress`, status, (d) => d?.status === 'InProgress');
    // the alarm stops it (forced here: an alarm on Invocations would go off on the release's traffic)
    await ctx.clients.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: errorsAlarmName(ctx)!, StateValue: 'ALARM', StateReason: 'testing the rollback' }));
    const stopped = await eventually(`${id} stopped`, status, (d) => d?.status === 'Stopped');
    assert.equal(stopped?.errorInformation?.code, 'ALARM_ACTIVE');
    const [r] = await runLiveChecks([alarmRollbackStep.liveChecks[0]!], ctx);
    assert.equal(r!.name, 'the alarm stopped the release');
    assert.equal(r!.status, 'not-yet', JSON.stringify(r));
    assert.match(r!.found!, / on AWS\/Lambda Invocations \(/);
    assert.match(r!.hint!, /^the alarm watches AWS\/Lambda Invocations, not GetInfoFunction's Errors: it can stop a release on its own, set-alarm-state or not, and says nothing of a bad version\./);
  });
});

describe('an alarm left in ALARM, against a local cloud', () => {
  let dir: string;
  let ws: Workspace;
  let ctx: LiveLabContext;
  before(async () => {
    // a cloud clock 10,000 times slower than real time: the alarm's next evaluation (which would
    // end a set-alarm-state) is minutes of cloud time, weeks of real time, away
    ({ dir, ws, ctx } = await liveWorkspace('sol-mistakes-alarm-', 0.0001, seedStep('hooks-alarm')));
  });
  after(async () => {
    ctx?.destroy();
    if (dir) await removeWorkspace(dir);
  });

  test('the hooks-errors step will not deploy while the group\'s alarm is in ALARM: the check says why and what to wait for, and so does the first hint', async () => {
    const alarm = errorsAlarmName(ctx);
    assert.ok(alarm, 'the Errors alarm is deployed');
    const checks = errorsRollbackStep.deployChecks ?? [];
    assert.equal(checks.length, 1);
    const [clear] = await runLiveChecks(checks, ctx);
    assert.equal(clear!.status, 'passed', JSON.stringify(clear));

    // left in ALARM: forced by the last step and not evaluated since
    await ctx.clients.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'ALARM', StateReason: 'testing the rollback' }));
    const [r] = await runLiveChecks(checks, ctx);
    assert.equal(r!.status, 'not-yet');
    assert.equal(r!.expected, 'no alarm of the group in ALARM before you deploy');
    assert.equal(r!.found, `${alarm} in ALARM`);
    assert.match(r!.hint!, new RegExp(`^${alarm} is already in ALARM: a new deployment would stop at once \\(CodeDeploy checks the alarms before it starts\\)`));
    assert.match(r!.hint!, /Wait for it, then deploy\.$/);
    assert.match(r!.aws!, /^aws cloudwatch describe-alarms --state-value ALARM --endpoint-url http:\/\/127\.0\.0\.1:\d+$/);
    const hint = await fromState(errorsRollbackStep.hints[0]).fromState(ctx, new AbortController().signal);
    assert.equal(hint, r!.hint);

    // the learner presses d with version 4 saved: the lab shows the check and does not deploy
    copyFileSync(join(TEMPLATES, 'hooks-errors', 'src', 'app.mjs'), join(ws.samApp, 'src', 'app.mjs'));
    const io = new RecordingIoHost({ answers: ['self', 'd', 'q'] });
    const progress = ProgressStore.load(ws, 'local');
    const learner = new LiveLabContext({ io, ws, target: { kind: 'local', endpoint: ctx.endpoint! }, progress, reference: new ReferenceBook([]), ci: false, speed: ctx.speed, signal: new AbortController().signal });
    const at = LAB_STEPS.indexOf(errorsRollbackStep);
    let report;
    try {
      report = await teachStep(errorsRollbackStep, { steps: LAB_STEPS, ctx: learner, progress, reference: new ReferenceBook([]), assisted: false, index: at, total: LAB_STEPS.length });
    } finally {
      learner.destroy();
    }
    assert.equal(report.quit, true);
    assert.ok(io.checks.some((c) => c.status === 'not-yet' && c.hint === r!.hint), io.text);
    assert.ok(io.text.includes('not deployed: the checks above say why'), io.text);
    assert.ok(!io.of('progress').some((e) => e.text.startsWith('deploying')), 'nothing was deployed');
    const [stillNone] = await deployments(ctx, deploymentGroup(ctx), undefined, 1);
    assert.equal(stillNone, undefined, 'no CodeDeploy deployment was started');
  });

  test('"do it for me" and --ci wait for the alarm to leave ALARM before they deploy (bounded), and go at once when it has', async () => {
    const alarm = errorsAlarmName(ctx)!;
    await ctx.clients.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'ALARM', StateReason: 'testing the rollback' }));
    const io = ctx.io as RecordingIoHost;
    const before = io.events.length;
    // a bound of 0.1 s: the alarm stays in ALARM (the clock is slowed), so the wait ends at its bound
    const waited = await untilReadyToDeploy(errorsRollbackStep, ctx, 10, 100);
    assert.equal(waited[0]!.status, 'not-yet');
    const said = io.events.slice(before);
    // the lab's own wait, said once in a line that names the alarm in ALARM (not a check the learner failed)
    const waiting = said.filter((e) => e.kind === 'say' && e.text.startsWith('waiting to deploy until this holds: no alarm of the deployment group is already in ALARM'));
    assert.equal(waiting.length, 1, 'said once');
    assert.ok(waiting[0]!.text.includes(`now: ${alarm} in ALARM`), waiting[0]!.text);
    assert.ok(!said.some((e) => e.kind === 'check'), 'no check shown as failed while the lab waits');
    // the hint stays with the check's result (the report, and the learner's own deploy, show it)
    assert.ok(waited[0]!.hint?.includes('is already in ALARM'), waited[0]!.hint);

    await ctx.clients.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'evaluated' }));
    const at = io.events.length;
    const ready = await untilReadyToDeploy(errorsRollbackStep, ctx, 10, 60_000);
    assert.equal(ready[0]!.status, 'passed');
    assert.equal(io.events.length, at, 'nothing to say when nothing is in ALARM');
  });
});

/** version 4 with the plausible mistake: it returns a 500 answer instead of throwing */
const RETURNS_500 = readFileSync(join(TEMPLATES, 'hooks-errors', 'src', 'app.mjs'), 'utf8').replace(
  /  throw new Error\(\n    `version \$\{APP_VERSION\} is broken: \$\{context\.functionVersion\}`,\n  \);\n/,
  "  return respond(500, { message: 'version 4 is broken' }, context);\n",
);
// the replace must have found version 4's throw (a reformatted template would leave it)
assert.ok(!RETURNS_500.includes('throw new Error('), 'RETURNS_500 still throws');

describe('hooks-errors: a version that returns 500 went through first, against a local cloud', () => {
  let dir: string;
  let ws: Workspace;
  let ctx: LiveLabContext;
  before(async () => {
    // AllAtOnce: a release that is let through ends at once, with no shift to wait for; a cloud
    // clock 10,000 times slower: a forced ALARM holds (no evaluation ends it), so the release that
    // throws is stopped by the alarm before it starts, as a state, never a race
    ({ dir, ws, ctx } = await liveWorkspace('sol-mistakes-500-', 0.0001, (samApp) => {
      const template = readFileSync(join(TEMPLATES, 'hooks-alarm', 'template.yaml'), 'utf8');
      assert.ok(template.includes('Type: Linear10PercentEvery1Minute'));
      writeFileSync(join(samApp, 'template.yaml'), template.replace('Type: Linear10PercentEvery1Minute', 'Type: AllAtOnce'));
      mkdirSync(join(samApp, 'hooks'), { recursive: true });
      copyFileSync(join(TEMPLATES, 'hooks-alarm', 'hooks', 'pre-traffic.mjs'), join(samApp, 'hooks', 'pre-traffic.mjs'));
    }));
  });
  after(async () => {
    ctx?.destroy();
    if (dir) await removeWorkspace(dir);
  });

  /** deploys sam-app/ as it is now; the release it started, once it has ended */
  async function release(app: string) {
    writeFileSync(join(ws.samApp, 'src', 'app.mjs'), app);
    await ctx.deploy();
    const id = ctx.lastDeployments?.[0]?.deploymentId;
    assert.ok(id, 'the deploy started a CodeDeploy deployment');
    const [d] = await eventually(`${id} ended`, () => deployments(ctx, deploymentGroup(ctx), undefined, 5).then((all) => all.filter((x) => x.deploymentId === id)), (all) => ['Succeeded', 'Failed', 'Stopped'].includes(all[0]?.status ?? ''));
    return d!;
  }
  const aliasVersion = async () => (await ctx.clients.lambda.send(new GetAliasCommand({ FunctionName: ctx.deployment().functions.find((f) => f.logicalId === 'GetInfoFunction')!.name, Name: 'live' }))).FunctionVersion;
  const byName = (results: CheckResult[], start: string) => results.find((r) => r.name.startsWith(start))!;

  test('the lab records where "live" was, says why the 500s went through, and will not call the broken version good', async () => {
    const alarm = errorsAlarmName(ctx)!;
    ctx.stepId = errorsRollbackStep.id;
    await errorsRollbackStep.prepare!(ctx);
    const start = await aliasVersion();
    assert.equal(ctx.allFigures()['hooks-errors']?.[LIVE_AT_START], start, 'the step keeps the version "live" served when it began');

    // the first attempt: a version that returns 500 is no error to Lambda, so the release goes through
    const first = await release(RETURNS_500);
    assert.equal(first.status, 'Succeeded');
    const broken = await aliasVersion();
    assert.notEqual(broken, start);
    const [wentThrough] = await runLiveChecks(errorsRollbackStep.liveChecks, ctx);
    assert.equal(wentThrough!.status, 'not-yet');
    assert.equal(wentThrough!.found, `${first.deploymentId} Succeeded`);
    assert.match(wentThrough!.hint!, new RegExp(`^it went through, and "live" now answers HTTP 500 from Lambda version ${broken} \\(app version 4\\): the handler returns that answer rather than throwing\\.`));
    assert.ok(wentThrough!.hint!.includes("Lambda's Errors metric counts only errors the function throws (unhandled), not 5xx answers it returns, so the alarm saw no error: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html"), wentThrough!.hint);
    assert.match(wentThrough!.hint!, /First get "live" back onto a good version: put src\/app\.mjs back to code that answers 200 and deploy/);
    // the first rung of the ladder says the same
    const hint = await fromState(errorsRollbackStep.hints[0]).fromState(ctx, new AbortController().signal);
    assert.equal(hint, wentThrough!.hint);

    // then it throws, and the alarm refuses it: the rollback goes back to the version that answers 500
    await ctx.clients.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'ALARM', StateReason: 'errors' }));
    const second = await release(readFileSync(join(TEMPLATES, 'hooks-errors', 'src', 'app.mjs'), 'utf8'));
    assert.equal(second.status, 'Stopped');
    assert.equal(second.errorInformation?.code, 'ALARM_ACTIVE');
    await eventually('the rollback ended', () => deployments(ctx, deploymentGroup(ctx), undefined, 10), (all) => all.some((d) => d.creator === 'codeDeployRollback' && d.status === 'Succeeded'));
    assert.equal(await aliasVersion(), broken);
    const results = await runLiveChecks(errorsRollbackStep.liveChecks, ctx);
    const refused = byName(results, 'the Errors alarm stopped the bad release');
    assert.equal(refused.status, 'passed');
    assert.equal(refused.found, `${second.deploymentId} Stopped (ALARM_ACTIVE)`);
    // the command beside it shows what it found, not a list of ids
    assert.equal(refused.aws, `aws deploy get-deployment --deployment-id ${second.deploymentId} --query 'deploymentInfo.[status,errorInformation]' --endpoint-url ${ctx.endpoint}`);
    const good = byName(results, 'the alias "live" is back on the last good version alone');
    assert.equal(good.status, 'not-yet', JSON.stringify(good));
    assert.equal(good.expected, `a version that answers 200 (Lambda version ${start} served "live" when this step began)`);
    assert.equal(good.found, `Lambda version ${broken} alone, which answers HTTP 500`);
    assert.match(good.hint!, new RegExp(`^"live" went back to Lambda version ${broken}, and it answers HTTP 500: a release of this step went through with a broken version \\("live" was on Lambda version ${start} when the step began\\)`));
    assert.match(good.hint!, /its Errors metric counts only errors the function throws \(unhandled\)/);
    assert.match(good.hint!, /To get "live" onto a good version: put src\/app\.mjs back to code that answers 200 \(the previous step's\) and deploy; wait until that release Succeeded, then deploy this step's change again\. In the lab, d deploys only a version that throws: press a/);
    // the lab's deploy is blocked while the lab runs (the workspace is in use): quit first, then deploy, then start
    assert.match(good.hint!, /or, to deploy that first release yourself, quit the lab \(q\), then run `[^`]*deploy --workspace \S+`, then `[^`]*start (-- )?--workspace \S+`\./);

    // the way back: good code released (it goes through), then the version that throws again
    await ctx.clients.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'quiet' }));
    const bundled = readFileSync(new URL('../../../sam-app/src/app.mjs', import.meta.url), 'utf8');
    assert.equal((await release(`${bundled}// put back\n`)).status, 'Succeeded');
    const repaired = await aliasVersion();
    await ctx.clients.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'ALARM', StateReason: 'errors' }));
    assert.equal((await release(`${readFileSync(join(TEMPLATES, 'hooks-errors', 'src', 'app.mjs'), 'utf8')}// again\n`)).status, 'Stopped');
    await eventually('the alias back', aliasVersion, (v) => v === repaired);
    const after = byName(await runLiveChecks(errorsRollbackStep.liveChecks, ctx), 'the alias "live" is back on the last good version alone');
    assert.equal(after.status, 'passed', JSON.stringify(after));
    // "good": it answers 200, named with the app version that answered
    assert.match(after.found!, new RegExp(`^Lambda version ${repaired} \\(app version 1\\) alone, answering 200 \\(not Lambda version \\d+, the refused one\\)$`));
  });

  test('the printed get-deployment command runs with the aws CLI and shows the status and the error code', { skip: skipWithoutAws }, async () => {
    const [latest] = await deployments(ctx, deploymentGroup(ctx), undefined, 10).then((all) => all.filter((d) => d.creator !== 'codeDeployRollback'));
    assert.equal(latest?.status, 'Stopped');
    const printed = getDeploymentCommand(ctx, latest.deploymentId!);
    const r = await runWithAwsEnv('sh', ['-c', printed], { env: { AWS_PAGER: '' } });
    assert.equal(r.code, 0, r.stderr);
    const shown = JSON.parse(r.stdout) as [string, { code?: string; message?: string }];
    assert.equal(shown[0], 'Stopped');
    assert.equal(shown[1].code, 'ALARM_ACTIVE');
  });

  test('a version 4 that does not throw went through: the hint says the version it released answered 200, and the alias check does not call it the version a refused release stays on', async () => {
    const alarm = errorsAlarmName(ctx)!;
    ctx.stepId = errorsRollbackStep.id;
    await ctx.clients.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'quiet' }));
    const previous = readFileSync(join(TEMPLATES, 'hooks-failing', 'src', 'app.mjs'), 'utf8');
    // its wait 300 ms, not the lab's 3 s: the checks ask the app and wait for its answers, and
    // none of them is about the wait
    const noThrow = previous.replace('const APP_VERSION = 3;', 'const APP_VERSION = 4;').replace('const WAIT_MS = 3000;', 'const WAIT_MS = 300;');
    assert.match(noThrow, /^const APP_VERSION = 4;$[\s\S]*^const WAIT_MS = 300;$/m);
    const d = await release(`${noThrow}// no throw\n`);
    assert.equal(d.status, 'Succeeded');
    const released = await aliasVersion();
    const results = await runLiveChecks(errorsRollbackStep.liveChecks, ctx);
    const stopped = byName(results, 'the Errors alarm stopped the bad release');
    assert.equal(stopped.status, 'not-yet');
    assert.match(stopped.hint!, new RegExp(`^it went through, and "live" now serves Lambda version ${released} \\(app version 4\\), the version it released, which answers 200: it does not throw, so Lambda counted no Errors and the alarm had nothing to go off on\\. App version 4 throws on every request`));
    assert.doesNotMatch(stopped.hint!, /does it throw\?/);
    const good = byName(results, 'the alias "live" is back on the last good version alone');
    assert.equal(good.status, 'not-yet');
    assert.equal(good.expected, 'a release refused by its alarm, and "live" back on a version that answers 200');
    assert.equal(good.found, `Lambda version ${released} alone, answering 200; ${d.deploymentId} Succeeded and put it on "live": nothing was rolled back`);
  });
});
