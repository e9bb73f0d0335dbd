import { test } from 'node:test';
import assert from 'node:assert/strict';
import { couldNotCheck, notYet, passed, runLiveChecks, type LiveCheck } from '../../src/lab/check.js';
import { solveStep } from '../../src/lab/solver.js';
import { commandSolve } from '../../src/steps/shared/solve.js';
import type { Step } from '../../src/lab/step.js';
import { InterruptedError } from '../../src/errors.js';
import { fakeContext } from '../helpers/lab-context.js';

const check = (name: string, run: LiveCheck['run'], timeoutMs?: number): LiveCheck => ({ name, aws: (ctx) => ctx.aws(`lambda get-alias --name ${name}`), run, timeoutMs });

test('every check runs whatever the first says; a throw or a timeout is "could not check", never the learner\'s mistake', async () => {
  const ctx = fakeContext();
  const results = await runLiveChecks(
    [
      check('a', async () => notYet('25', 'none')),
      check('b', async () => passed('version 2')),
      check('c', async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      }),
      check('d', () => new Promise(() => undefined), 50),
      check('e', async () => {
        throw Object.assign(new Error('boom'), { name: 'ServiceException' });
      }),
    ],
    ctx,
  );
  assert.deepEqual(results.map((r) => r.status), ['not-yet', 'passed', 'could-not-check', 'could-not-check', 'could-not-check']);
  assert.equal(results[0]!.expected, '25');
  assert.equal(results[0]!.aws, 'aws lambda get-alias --name a --endpoint-url http://127.0.0.1:1');
  assert.match(results[2]!.what!, /reach the local cloud at http:\/\/127.0.0.1:1 \(ECONNREFUSED\)/);
  assert.equal(results[2]!.fix, ctx.environmentFix);
  assert.match(results[3]!.what!, /get an answer within 0.05 s/);
  assert.match(results[4]!.what!, /ServiceException: boom/);
  assert.match(results[4]!.fix!, /doctor/);
});

test('Ctrl-C during a check ends the run of checks (it is not a check result)', async () => {
  const stop = new AbortController();
  const ctx = fakeContext({ signal: stop.signal });
  const run = runLiveChecks([check('slow', () => new Promise(() => undefined))], ctx);
  stop.abort(new InterruptedError());
  await assert.rejects(run, InterruptedError);
});

function step(over: Partial<Step> & { state: { done: boolean } }): Step {
  const { state, ...rest } = over;
  return {
    id: 'demo',
    chapter: { id: 'demo', title: 'Demo' },
    title: 'make it so',
    explain: ['why'],
    goal: 'it is so',
    action: { kind: 'edit', file: 'template.yaml' },
    staticChecks: [],
    liveChecks: [check('it is so', async () => (state.done ? passed('so') : notYet('so', 'not so')))],
    hints: [],
    docs: [],
    solve: { show: async () => ({ diff: '' }), apply: async () => void (state.done = true) },
    settleMs: 200,
    ...rest,
  };
}

test('the solver path: checks fail before, the change is applied and deployed, checks pass after', async () => {
  const ctx = fakeContext();
  const state = { done: false };
  const r = await solveStep(step({ state }), ctx, { pollMs: 5 });
  assert.equal(r.outcome, 'passed');
  assert.equal(r.preCheckFailedAsExpected, true);
  assert.equal(r.before[0]!.status, 'not-yet');
  assert.equal(r.after[0]!.status, 'passed');
  assert.equal(ctx.deploys, 1);
});

test('the solver path tells the checks before the change before it makes the change (a log in the order things happened)', async () => {
  const ctx = fakeContext();
  const state = { done: false };
  const said: string[] = [];
  const opts: Parameters<typeof solveStep>[2] & { onBefore?: unknown } = {
    pollMs: 5,
    onBefore: (before: { status: string }[], alreadyDone: boolean) => said.push(`before: ${before.map((r) => r.status).join(',')} alreadyDone=${alreadyDone} deploys=${ctx.deploys}`),
  };
  const solve = { show: async () => ({}), apply: async () => void (said.push('apply'), (state.done = true)) };
  const r = await solveStep(step({ state, solve }), ctx, opts);
  assert.equal(r.outcome, 'passed');
  assert.deepEqual(said, ['before: not-yet alreadyDone=false deploys=0', 'apply']);
  // done already (a step begun before an interruption): said as such, nothing applied
  const again: string[] = [];
  await solveStep(step({ state: { done: true } }), fakeContext(), { pollMs: 5, mayBeDone: true, onBefore: (_b: unknown, done: boolean) => again.push(`alreadyDone=${done}`) } as Parameters<typeof solveStep>[2]);
  assert.deepEqual(again, ['alreadyDone=true']);
});

test('the solver path prints a command step\'s commands once, before it makes the change (the --ci log is a record)', async () => {
  // the canary's steps printed none; a reservation's (commandSolve) printed its own in apply, so
  // "do it for me", which prints what show gives, printed it twice
  const ctx = fakeContext();
  const state = { done: false };
  const order: string[] = [];
  const solve = commandSolve(
    (c) => c.aws('apigateway update-stage --rest-api-id a1 --stage-name Prod'),
    async () => void (order.push('apply'), (state.done = true)),
  );
  const r = await solveStep(step({ state, action: { kind: 'command', command: () => '' }, solve }), ctx, { pollMs: 5, onBefore: () => order.push('checks') });
  assert.equal(r.outcome, 'passed');
  const printed = ctx.io.of('command');
  assert.equal(printed.length, 1, JSON.stringify(printed));
  assert.match(printed[0]!.text, /^\$ aws apigateway update-stage --rest-api-id a1 --stage-name Prod/);
  assert.deepEqual(order, ['checks', 'apply']);
  // "do it for me" prints show's command itself: apply alone prints nothing
  const alone = fakeContext();
  await solve.apply(alone);
  assert.equal(alone.io.of('command').length, 0);
});

test('the solver path calls a check that passes before the change a lab defect', async () => {
  const r = await solveStep(step({ state: { done: true } }), fakeContext(), { pollMs: 5 });
  assert.equal(r.outcome, 'failed');
  assert.equal(r.preCheckFailedAsExpected, false);
  assert.match(r.instructorMessage!, /lab defect: every check of demo passes before its change/);
});

test('a step begun before an interruption whose checks pass now is done, with nothing applied again', async () => {
  // Ctrl-C while CodeDeploy shifted: the deployment finished in the cloud while the lab was stopped
  const ctx = fakeContext();
  const r = await solveStep(step({ state: { done: true } }), ctx, { pollMs: 5, mayBeDone: true });
  assert.equal(r.outcome, 'passed');
  assert.equal(r.alreadyDone, true);
  assert.equal(ctx.deploys, 0);
  assert.equal(r.instructorMessage, undefined);
});

test('the solver path: a reference change that does not pass is reported with expected and found, after bounded polling', async () => {
  const state = { done: false };
  const r = await solveStep(step({ state, solve: { show: async () => ({}), apply: async () => undefined } }), fakeContext(), { pollMs: 5 });
  assert.equal(r.outcome, 'failed');
  assert.match(r.instructorMessage!, /it is so: expected so, found not so/);
});

test('the solver path: a reference change that does not pass from the learner\'s own starting point says what to do, and blames no one; from the lab\'s own, a lab defect', async () => {
  const noop = { show: async () => ({}), apply: async () => undefined };
  const theirs = await solveStep(step({ state: { done: false }, solve: noop }), fakeContext(), { pollMs: 5, mayBeDone: true });
  assert.equal(theirs.outcome, 'failed');
  assert.doesNotMatch(theirs.learnerMessage, /lab defect/);
  assert.match(theirs.learnerMessage, /made on your files and cloud as they were, did not pass its checks: the checks above say what differs, and their hints what to do/);
  const ours = await solveStep(step({ state: { done: false }, solve: noop }), fakeContext(), { pollMs: 5 });
  assert.match(ours.learnerMessage, /a lab defect, please report it/);
});

test('the solver path: an unreachable cloud before the change is "could not check", and nothing is applied', async () => {
  const state = { done: false };
  const r = await solveStep(step({ state, liveChecks: [check('x', async () => couldNotCheck('reach it', 'start it'))] }), fakeContext(), { pollMs: 5 });
  assert.equal(r.outcome, 'could-not-check');
  assert.equal(state.done, false);
});

test('the solver path: a local cloud that refuses connections after the change ends the polling at once (could not check), rather than polling it for settleMs', async () => {
  // the cloud was there for the checks before the change, and stopped under the deploy (`emulator stop`)
  const state = { done: false, after: 0 };
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const gone = check('it is so', async () => {
    if (!state.done) return notYet('so', 'not so');
    state.after++;
    throw refused();
  });
  const r = await solveStep(step({ state, liveChecks: [gone], settleMs: 60_000 }), fakeContext(), { pollMs: 5 });
  assert.equal(r.outcome, 'could-not-check');
  assert.match(r.after[0]!.what!, /ECONNREFUSED/);
  assert.equal(state.after, 1, 'asked once, not again and again for 60 s');
  // on AWS a refused connection is the network's: polled as before (here until a short settleMs)
  const aws = { done: false, after: 0 };
  const polled = check('it is so', async () => {
    if (!aws.done) return notYet('so', 'not so');
    aws.after++;
    throw refused();
  });
  const r2 = await solveStep(step({ state: aws, liveChecks: [polled], settleMs: 100 }), fakeContext({ target: 'aws' }), { pollMs: 5 });
  assert.equal(r2.outcome, 'could-not-check');
  assert.ok(aws.after > 1, `polled ${aws.after} times`);
});
