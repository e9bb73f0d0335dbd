/**
 * The wrap-up, on a fake CodeDeploy and a real progress file: the blue-green line names the
 * blue-green step's own deployment, not a later release that went through, and the end checks
 * record nothing (neither into the wrap-up's figures nor over a step's); the counts line counts
 * every step done, in this session or an earlier one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetDeploymentsCommand, ListDeploymentsCommand, type DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { runLiveChecks } from '../../src/lab/check.js';
import type { FigureValue, RunnerContext } from '../../src/lab/context.js';
import { progressPath, ProgressStore, type LabProgress } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import { runLab } from '../../src/lab/runner.js';
import { explainOf, type Step } from '../../src/lab/step.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import type { TargetClients } from '../../src/targets/clients.js';
import type { DeployRecord } from '../../src/targets/deploy-record.js';
import { blueGreenStep, shiftSucceeded } from '../../src/steps/blue-green.js';
import { LAB_STEPS } from '../../src/steps/index.js';
import { FIGURE_WORDS, UNSAID_FIGURES, wrapUpStep } from '../../src/steps/wrap-up.js';
import { LIVE_AT_START, OWN_THROWS } from '../../src/steps/hooks-alarms.js';
import { findPackageRoot } from '../../src/package-root.js';
import { fakeContext } from '../helpers/lab-context.js';

const LINEAR = 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute';

/** newest last: blue-green's shift, the refused hook release, a later good release that went through */
const HISTORY: DeploymentInfo[] = [
  { deploymentId: 'd-BLUEGREEN', status: 'Succeeded', deploymentConfigName: LINEAR, creator: 'user', createTime: new Date('2026-01-01T10:00:00Z') },
  { deploymentId: 'd-HOOKFAILS', status: 'Failed', deploymentConfigName: LINEAR, creator: 'user', createTime: new Date('2026-01-01T10:10:00Z') },
  { deploymentId: 'd-GOODAGAIN', status: 'Succeeded', deploymentConfigName: LINEAR, creator: 'user', createTime: new Date('2026-01-01T10:20:00Z') },
];

const RECORD = {
  physicalIds: { ServerlessDeploymentApplication: 'app', GetInfoFunctionDeploymentGroup: 'group' },
  functions: [{ logicalId: 'GetInfoFunction', name: 'fn', arn: 'arn:aws:lambda:us-east-1:000000000000:function:fn', codeSha256: '', alias: 'live' }],
} as unknown as DeployRecord;

/** CodeDeploy as the checks read it: list-deployments and batch-get-deployments over HISTORY */
const codeDeploy = {
  send: async (cmd: unknown) => {
    if (cmd instanceof ListDeploymentsCommand) return { deployments: HISTORY.map((d) => d.deploymentId) };
    if (cmd instanceof BatchGetDeploymentsCommand) return { deploymentsInfo: HISTORY.filter((d) => cmd.input.deploymentIds?.includes(d.deploymentId!)) };
    throw new Error(`not faked: ${(cmd as object).constructor.name}`);
  },
};

/** a context whose figures go to `figures[stepId]`, as the live context's go to progress */
function contextAt(stepId: string, figures: Record<string, Record<string, FigureValue>>) {
  const ctx: ReturnType<typeof fakeContext> & { stepId?: string } = fakeContext({
    clients: { codeDeploy } as unknown as TargetClients,
    deployment: () => RECORD,
    allFigures: () => figures,
    figure: (key: string, value: FigureValue) => void ((figures[ctx.stepId!] ??= {})[key] = value),
  });
  return Object.assign(ctx, { stepId });
}

test("the wrap-up's blue-green line names the blue-green step's deployment, not a later release that went through; the end checks record no figure", async () => {
  const figures: Record<string, Record<string, FigureValue>> = { 'blue-green': { deploymentId: 'd-BLUEGREEN', status: 'Succeeded' } };
  const wrapUp = wrapUpStep([blueGreenStep]);
  const endChecks = wrapUp.liveChecks.filter((c) => c.name.startsWith('blue-green: '));
  assert.equal(endChecks.length, 1);
  const [line] = await runLiveChecks(endChecks, contextAt('wrap-up', figures));
  assert.equal(line!.status, 'passed');
  assert.match(line!.found ?? '', /^d-BLUEGREEN Succeeded$/);
  assert.match(line!.aws ?? '', /--deployment-id d-BLUEGREEN /);
  assert.equal(figures['blue-green']!.deploymentId, 'd-BLUEGREEN');
  assert.deepEqual(Object.keys(figures['wrap-up'] ?? {}), [], 'a re-check is no figure of the wrap-up');
});

test("blue-green's check, re-run as that step (a resume), keeps the deployment it recorded while that one still stands", async () => {
  const figures: Record<string, Record<string, FigureValue>> = { 'blue-green': { deploymentId: 'd-BLUEGREEN' } };
  const [r] = await runLiveChecks([shiftSucceeded], contextAt('blue-green', figures));
  assert.equal(r!.status, 'passed');
  assert.equal(figures['blue-green']!.deploymentId, 'd-BLUEGREEN');
  // nothing recorded yet (a progress file from before the figure was kept): the newest shift, as before
  const none: Record<string, Record<string, FigureValue>> = {};
  const [n] = await runLiveChecks([shiftSucceeded], contextAt('blue-green', none));
  assert.match(n!.found ?? '', /^d-GOODAGAIN/);
  assert.equal(none['blue-green']!.deploymentId, 'd-GOODAGAIN');
});

test('the counts line counts every step done, the ones of an earlier session too (1-6 yesterday, 7-13 today)', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sol-wrapup-sessions-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ws = workspacePaths(root);
  const chapters = LAB_STEPS.filter((s) => s.id !== 'wrap-up');
  // yesterday's progress.json: the first six done by the learner (one with two hints), as a session
  // that ended there wrote it
  const yesterday: LabProgress = { schema: 1, target: 'local', startedAt: '2026-01-01T09:00:00.000Z', updatedAt: '2026-01-01T10:00:00.000Z', steps: {} };
  chapters.slice(0, 6).forEach((s, i) => {
    yesterday.steps[s.id] = { status: 'done', assisted: false, attempts: 1, hintsShown: i === 1 ? 2 : 0, figures: {}, doneAt: '2026-01-01T10:00:00.000Z' };
  });
  mkdirSync(ws.labDir, { recursive: true });
  writeFileSync(progressPath(ws), JSON.stringify(yesterday));
  // today: the same lab, its steps 7-13 done in this session (checks that pass once applied), then the wrap-up
  const done = new Set<string>();
  const today: Step[] = chapters.map((s) => ({
    ...s,
    prepare: undefined,
    follow: undefined,
    endChecks: [],
    staticChecks: [],
    action: { kind: 'run' as const, label: s.id },
    liveChecks: [{ name: `${s.id} holds`, aws: () => `aws ${s.id}`, run: async () => (done.has(s.id) ? { status: 'passed' as const } : { status: 'not-yet' as const, expected: 'done', found: 'no' }) }],
    solve: { show: async () => ({ command: s.id }), apply: async () => void done.add(s.id) },
    settleMs: 0,
  }));
  const steps = [...today, wrapUpStep(today)];
  const progress = ProgressStore.load(ws, 'local');
  const ctx = Object.assign(
    fakeContext({
      ws,
      ci: true,
      stepProgress: (id: string) => progress.step(id),
      allFigures: () => progress.allFigures(),
    }),
    { stepId: '', assisting: true },
  );
  Object.assign(ctx, { figure: (key: string, value: FigureValue) => void progress.update(ctx.stepId, (p) => void (p.figures[key] = value)) });
  // the six done yesterday are in the cloud still: the resume's re-check of the sixth passes
  for (const s of chapters.slice(0, 6)) done.add(s.id);
  const report = await runLab({ steps, ctx: ctx as unknown as RunnerContext, progress, reference: new ReferenceBook([]), assisted: false, version: 'test', workspace: root });
  assert.equal(report.outcome, 'passed', JSON.stringify(report.steps.map((r) => [r.id, r.instructorMessage])));
  assert.deepEqual(report.steps.map((r) => r.id), [...chapters.slice(6).map((s) => s.id), 'wrap-up'], 'this session ran 7-13 and the wrap-up');
  const said = ctx.io.of('say').map((e) => e.text);
  // every summary line fits 80 columns, under --ci too (the plain face wraps nothing): a line per way
  // a step was done, its continuations under two spaces
  const summary = said.filter((l, i) => /^(done by you|done for you|not done) \(/.test(l) || (l.startsWith('  ') && /^(done by you|done for you|not done) \(/.test(said.slice(0, i).filter((x) => !x.startsWith('  ')).at(-1) ?? '')));
  for (const l of summary) assert.ok(l.length <= 80, `${l.length}: ${l}`);
  const whole = summary.reduce<string[]>((out, l) => (l.startsWith('  ') ? [...out.slice(0, -1), `${out.at(-1)} ${l.trim()}`] : [...out, l]), []);
  const ids = (from: number, to?: number) => chapters.slice(from, to).map((s) => s.id);
  const byYou = ids(0, 6).map((id, i) => (i === 1 ? `${id} (2 hints)` : id));
  assert.ok(whole.includes(`done by you (6): ${byYou.join(', ')}`), said.join('\n'));
  assert.ok(whole.includes(`done for you (7): ${ids(6).join(', ')}`), said.join('\n'));
  assert.ok(summary.length > whole.length, `the 7 ids of "done for you" take more than a line at 80 columns:\n${summary.join('\n')}`);
  assert.ok(!said.some((l) => l.startsWith('not done')), said.join('\n'));
});

test("the wrap-up's command names the workspace, as every command the lab prints does (list without it reads ./lab-workspace)", async () => {
  const ws = workspacePaths('/tmp/some where/ws');
  const ctx = fakeContext({ ws });
  const step = wrapUpStep(LAB_STEPS);
  const check = step.liveChecks.find((c) => c.name === 'the summary was written')!;
  const shown = await step.solve!.show!(ctx);
  for (const command of [check.aws!(ctx), shown.command!]) {
    assert.match(command, /\blist --workspace '\/tmp\/some where\/ws'$/, command);
  }
});

test('the summary not written yet: "press x" on a terminal, no key under --ci (it said "not yet: press x" in the --ci log)', async () => {
  const check = wrapUpStep(LAB_STEPS).liveChecks.find((c) => c.name === 'the summary was written')!;
  const found = async (ci: boolean) => {
    const r = await check.run(fakeContext({ ci }), new AbortController().signal);
    return r.status === 'not-yet' ? r.found : r.status;
  };
  assert.equal(await found(false), 'not yet: press x');
  assert.equal(await found(true), 'not yet');
});

test('the wrap-up says its figures in words (no raw keys, the share with its %), checks what it says it checks, and names the stage variable after the canary chapter', async () => {
  const figures: Record<string, Record<string, FigureValue>> = {
    deploy: { apiUrl: 'http://127.0.0.1:4566/restapis/abc/Prod/_user_request_/getinfo', labels: ['Cat', 'Pet'] },
    'blue-green': { answersByVersion: { '1': 30, '2': 9 } },
    'hooks-alarm': { errorCode: 'ALARM_ACTIVE', rollbackDeploymentId: 'd-ROLLBACK' },
    'canary-create': { requests: 200, canaryShare: 10.28 },
    'concurrency-throttled': { statusCounts: { '200': 950, '502': 50 }, peakConcurrency: 25 },
  };
  const step = wrapUpStep(LAB_STEPS.filter((s) => s.id !== 'wrap-up'));
  const checked = step.liveChecks.filter((c) => c.name !== 'the summary was written').map((c) => c.name.split(':')[0]);
  // it names the steps it re-checks, and only those (it said "every step's result is checked once more")
  const rechecked = [...new Set(checked)];
  assert.ok(rechecked.length > 1 && rechecked.length < 13, rechecked.join(', '));
  const explained = explainOf(step, fakeContext({ ci: false }));
  const said = [...explained, step.goal, ...step.hints.filter((h): h is string => typeof h === 'string')].join('\n');
  assert.doesNotMatch(said, /every step/i);
  for (const id of rechecked) assert.match(explained[0]!, new RegExp(`\\b${id}\\b`));
  const ctx = fakeContext({ ci: false, allFigures: () => figures, stepProgress: (id: string) => ({ status: 'done' as const, assisted: false, hintsShown: 0 }), figure: () => undefined });
  await step.solve.apply(ctx);
  const shown = ctx.io.of('figures').map((e) => e.text).join('\n');
  for (const raw of ['apiUrl', 'errorCode', 'rollbackDeploymentId', 'canaryShare', 'statusCounts', 'peakConcurrency']) assert.doesNotMatch(shown, new RegExp(raw), shown);
  assert.match(shown, /the canary's share +10\.28 %/, shown);
  assert.match(shown, /answers by status +950 × 200, 50 × 502/, shown);
  assert.match(shown, /the rollback deployment +d-ROLLBACK/, shown);
  assert.match(shown, /answers by version +Lambda version 1: 30, Lambda version 2: 9/, shown);
  // the canary chapter done: the closing words say the stage calls lambdaAlias's version, and a deploy moves live only
  await step.follow!(ctx);
  const closing = ctx.io.of('explain').map((e) => e.text).join('\n');
  assert.match(closing, /stage variable lambdaAlias/);
  assert.match(closing, /moves live, not the stage/);
  assert.match(closing, /reset --workspace \S+` starts over; `.* emulator stop --workspace \S+` stops the local cloud\.$/);
  assert.equal(step.action.kind === 'run' && step.action.label, 'sum up what you did');
  // on AWS there is no local cloud to stop: its closing names reset alone, with --target aws
  const onAws = fakeContext({ ci: false, target: 'aws', allFigures: () => figures, stepProgress: () => ({ status: 'done' as const, assisted: false, hintsShown: 0 }), figure: () => undefined });
  await step.follow!(onAws);
  const awsClosing = onAws.io.of('explain').map((e) => e.text).join('\n');
  assert.match(awsClosing, /reset --target aws --workspace \S+` starts over\.$/);
  assert.doesNotMatch(awsClosing, /emulator/);
});

test("x on the wrap-up runs each end check once: the follow's finding is the verify's, its count still recorded; a later re-check asks the cloud again", async () => {
  let calls = 0;
  const earlier: Step = {
    ...blueGreenStep,
    id: 'earlier',
    endChecks: [{ name: 'still there', aws: () => 'aws still-there', run: async () => (calls++, { status: 'passed' as const, found: `call ${calls}` }) }],
  };
  const figures: Record<string, Record<string, FigureValue>> = { 'wrap-up': { summarizedAt: '2026-01-01T10:00:00.000Z' } };
  const step = wrapUpStep([earlier]);
  const ctx = contextAt('wrap-up', figures);
  // as x does it (teach.ts runAction, then the checks; --ci's solver the same): follow, then the live checks
  await step.follow!(ctx);
  const results = await runLiveChecks(step.liveChecks, ctx);
  assert.equal(calls, 1, 'the end check ran in the follow and again in the verify');
  assert.deepEqual(figures['wrap-up']!.endChecks, { passed: 1, total: 1 });
  const line = results.find((r) => r.name === 'earlier: still there')!;
  assert.equal(line.status, 'passed');
  assert.equal(line.found, 'call 1', "the verify shows what the follow found");
  assert.equal(line.aws, 'aws still-there');
  assert.ok(ctx.io.of('explain').some((e) => /reset --workspace/.test(e.text)), 'the closing words are still said');
  // r, a resume's re-check, --ci's polling: nothing kept from the follow, the cloud is asked again
  const again = await runLiveChecks(step.liveChecks, ctx);
  assert.equal(calls, 2);
  assert.equal(again.find((r) => r.name === 'earlier: still there')!.found, 'call 2');
});

/** the figures of a real `start --ci` (session 18's walk), as progress kept them */
const CI_FIGURES: Record<string, Record<string, FigureValue>> = {
  deploy: { apiUrl: 'http://127.0.0.1:42957/execute-api/fs7gkb8bgo/Prod/getinfo', aliasVersion: '1', firstAnswer: { status: 200, ms: 803 }, labels: ['Person', 'Face'], appVersion: 1 },
  'blue-green': { deploymentId: 'd-K6JNOCME6', status: 'Succeeded', weightsSeen: [10, 20, 100], answersByVersion: { '1': 54, '2': 48 }, shiftMs: 22963 },
  'hooks-alarm': { liveVersionAtStart: '2', status: 'Stopped', weightsSeen: [0, 10, 0], errorCode: 'ALARM_ACTIVE', deploymentId: 'd-DPZ1A7NM4', rollbackDeploymentId: 'd-X2YP0VHEK', appThrowsAtPass: [] },
  'hooks-errors': { errorCode: 'ALARM_ACTIVE', failedAnswers: { '502': 7 } },
  'canary-promote': { stageDeployment: 'rtt7nud9po', stageVariables: '{"lambdaAlias":"live"}', canaryDeployment: '3qrxuny151', begunAfter: null, requests: 500, noVersionNamed: 0, byVersion: { '5': 500 }, byStatus: { '400': 500 }, canaryShare: 100 },
  'canary-create': { version: '5', liveVersion: '2' },
  'concurrency-throttled': { requests: 90, concurrency: 30, statusCounts: { '200': 75, '500': 15 }, durationMs: 10992, stoppedEarly: false, localPeak: 25, peakConcurrency: 25, window: ['2026-01-01T10:00:00.000Z', '2026-01-01T10:00:11.000Z'] },
  'concurrency-reserve': { reserved: 25 },
};

test("--ci's wrap-up says every figure in words, as the interactive one does (it said `firstAnswer [status] 200, [ms] 803`, `stageVariables {\"lambdaAlias\":\"live\"}`, `byStatus [400] 5000`)", async () => {
  const step = wrapUpStep(LAB_STEPS.filter((s) => s.id !== 'wrap-up'));
  const ctx = fakeContext({ ci: true, allFigures: () => CI_FIGURES, stepProgress: () => ({ status: 'done' as const, assisted: true, hintsShown: 0 }), figure: () => undefined });
  await step.solve.apply(ctx);
  const shown = ctx.io.of('figures').map((e) => e.text).join('\n');
  // no key of the report (the camelCase ones: labels, status, version are words too), no JSON, no [key] value
  for (const key of Object.values(CI_FIGURES).flatMap((f) => Object.keys(f)).filter((k) => /[A-Z]/.test(k) || k === 'window')) assert.doesNotMatch(shown, new RegExp(`\\b${key}\\b`), `${key}:\n${shown}`);
  assert.doesNotMatch(shown.replaceAll("the check's body {}", ''), /[[{]/, shown);
  assert.match(shown, /the first answer +200 in 803 ms/, shown);
  assert.match(shown, /the shift took +23\.0 s/, shown);
  assert.match(shown, /stage variables at start +lambdaAlias = live/, shown);
  assert.match(shown, /answers by status +500 × 400 \(the app refusing the check's body/, shown);
  assert.match(shown, /answers by status +75 × 200, 15 × 500/, shown);
  assert.match(shown, /throws in your app\.mjs as it passed +none/, shown);
  assert.match(shown, /stopped early +no/, shown);
  assert.match(shown, /the load test took +11\.0 s/, shown);
  // what the interactive wrap-up shows, said the same way in --ci
  assert.match(shown, /the canary's share +100 %/, shown);
  assert.match(shown, /answers by version +Lambda version 1: 54, Lambda version 2: 48/, shown);
});

test('every figure a step keeps has its words in the wrap-up (a new one would reach --ci under its raw key)', () => {
  const root = findPackageRoot()!;
  const dir = join(root, 'src', 'steps');
  const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(dir, f), 'utf8'));
  const keys = new Set(sources.flatMap((src) => [...src.matchAll(/\.figure\('(\w+)'/g)].map((m) => m[1]!)));
  keys.add(LIVE_AT_START).add(OWN_THROWS);
  assert.ok(keys.size > 20, [...keys].join(', '));
  // the wrap-up's own (summarizedAt, endChecks) are not shown: it is no earlier step
  const missing = [...keys].filter((k) => !(k in FIGURE_WORDS) && !UNSAID_FIGURES.has(k) && !['summarizedAt', 'endChecks'].includes(k));
  assert.deepEqual(missing, []);
});
