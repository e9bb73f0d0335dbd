/**
 * The interactive flow, through the recording face of the I/O host: scripted answers and real
 * file edits in a temporary sam-app/ (the watcher sees them), a fake cloud whose state follows
 * what was deployed. No terminal, no inquirer mocks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingIoHost, WAIT, CTRL_C, type Answer } from '../../src/io/recording.js';
import { notYet, passed } from '../../src/lab/check.js';
import type { RunnerContext } from '../../src/lab/context.js';
import { ProgressStore } from '../../src/lab/progress.js';
import { ReferenceBook } from '../../src/lab/reference.js';
import type { Step } from '../../src/lab/step.js';
import { teachStep } from '../../src/lab/teach.js';
import { runLab } from '../../src/lab/runner.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { InterruptedError, LearnerQuit } from '../../src/errors.js';
import { editSolve } from '../../src/steps/shared/solve.js';
import { fakeContext } from '../helpers/lab-context.js';
import { baselineStep, throttledStep } from '../../src/steps/concurrency.js';

const V1 = 'Globals:\n  Function:\n    Timeout: 10\nResources: {}\n';

function setup(answers: Answer[], ioOpts: { quitLive?: (title: string) => boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'sol-teach-'));
  const bundled = join(root, 'bundled');
  const templates = join(root, 'templates');
  mkdirSync(bundled);
  mkdirSync(join(templates, 'demo'), { recursive: true });
  writeFileSync(join(bundled, 'template.yaml'), V1);
  writeFileSync(join(templates, 'demo', 'template.yaml'), V1.replace('Resources: {}', 'Resources: {}\n# DeploymentPreference: Linear10PercentEvery1Minute'));
  const ws = workspacePaths(join(root, 'ws'));
  mkdirSync(ws.samApp, { recursive: true });
  writeFileSync(ws.template, V1);
  const io = new RecordingIoHost({ answers, ...ioOpts });
  const progress = ProgressStore.load(ws, 'local');
  const reference = new ReferenceBook([{ stepId: 'demo', files: ['template.yaml'] }], { templates, bundled });
  // the fake cloud holds what was deployed last
  const cloud = { deployed: V1 };
  const base = fakeContext({ io, ws, reference, ci: false });
  const ctx = Object.assign(base, {
    stepId: '',
    notes: [] as string[],
    async deploy() {
      cloud.deployed = readFileSync(ws.template, 'utf8');
      base.deploys++;
      return { target: 'local' as const, outputs: {}, changes: [], warnings: [] };
    },
  }) as RunnerContext & { deploys: number };
  const step: Step = {
    id: 'demo',
    chapter: { id: 'demo', title: 'Demo', section: '4.1' },
    title: 'shift traffic',
    explain: ['why it matters'],
    goal: 'the preference is deployed',
    action: { kind: 'edit', file: 'template.yaml' },
    staticChecks: [
      {
        name: 'Timeout above 3 s',
        file: 'template.yaml',
        run: (files) => {
          const t = Number(/Timeout: (\d+)/.exec(files.read('template.yaml') ?? '')?.[1]);
          return t > 3 ? passed(`${t} s`) : notYet('more than 3', String(t), 'version 2 waits 3 s: at Timeout 3 every call times out');
        },
      },
    ],
    liveChecks: [
      { name: 'the preference is deployed', aws: (c) => c.aws('deploy list-deployments'), run: async () => (cloud.deployed.includes('DeploymentPreference') ? passed('yes') : notYet('DeploymentPreference', 'none')) },
    ],
    hints: [{ fromState: async () => (cloud.deployed === V1 ? 'the cloud still runs the first template: did you deploy (d)?' : undefined) }, 'first hint', 'second hint'],
    docs: [{ title: 'SAM DeploymentPreference', url: 'https://docs.aws.amazon.com/serverless-application-model/' }],
    solve: editSolve('demo'),
  };
  const opts = { steps: [step], ctx, progress, reference, assisted: false, index: 0, total: 1 };
  return { root, ws, io, ctx, progress, step, opts, cloud, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

test('the learner edits the file: a save runs the static checks (Timeout: 3 fails with its hint), d deploys, the live check passes; the reference is shown for comparison', async (t) => {
  let ws!: ReturnType<typeof workspacePaths>;
  const edit = (text: string): Answer => () => {
    writeFileSync(ws.template, text);
    return WAIT;
  };
  const s = setup([
    'self',
    edit(V1.replace('Timeout: 10', 'Timeout: 3')),
    edit(V1.replace('Timeout: 10', 'Timeout: 30').replace('Resources: {}', 'Resources: {}\n# DeploymentPreference: Linear10PercentEvery1Minute  # mine')),
    'd',
    'n',
  ]);
  ws = s.ws;
  t.after(s.cleanup);
  const report = await teachStep(s.step, s.opts);
  assert.equal(report.outcome, 'passed');
  assert.equal(report.assisted, false);
  assert.equal(s.ctx.deploys, 1);
  const checks = s.io.checks;
  const timeout3 = checks.find((c) => c.name === 'Timeout above 3 s' && c.status === 'not-yet');
  assert.deepEqual([timeout3?.expected, timeout3?.found, timeout3?.hint], ['more than 3', '3', 'version 2 waits 3 s: at Timeout 3 every call times out']);
  assert.ok(checks.some((c) => c.name === 'Timeout above 3 s' && c.status === 'passed'));
  assert.ok(s.io.text.includes('the files look right: d deploys them'));
  assert.ok(s.io.text.includes('step done ✓'));
  // the learner's version differs from the reference: shown after the pass, for comparison
  assert.ok(s.io.of('diff').some((d) => d.text.includes('# mine')));
  assert.equal(s.progress.step('demo').status, 'done');
  assert.equal(s.io.of('footer').length >= 1, true);
  assert.equal(s.io.unanswered, 0);
});

test('the help ladder: state-aware hint, numbered hints, docs, a nudge after three failed checks, the diff, then do it for me (assisted)', async (t) => {
  const s = setup(['self', 'r', 'h', 'h', 'h', 'r', 'r', 's', 'a', 'n']);
  t.after(s.cleanup);
  const report = await teachStep(s.step, s.opts);
  assert.equal(report.outcome, 'passed');
  assert.equal(report.assisted, true);
  const said = s.io.of('say').map((e) => e.text);
  assert.ok(said.includes('hint (from what the cloud shows now): the cloud still runs the first template: did you deploy (d)?'));
  assert.ok(said.includes('hint 1 of 2: first hint'));
  assert.ok(said.includes('hint 2 of 2: second hint'));
  assert.ok(s.io.of('link').some((l) => l.text.startsWith('SAM DeploymentPreference')));
  assert.equal(said.filter((l) => l.startsWith('stuck?')).length, 1, 'the nudge is said once');
  assert.ok(s.io.of('diff').some((d) => d.text.includes('+# DeploymentPreference: Linear10PercentEvery1Minute')));
  const p = s.progress.step('demo');
  assert.deepEqual([p.status, p.assisted, p.hintsShown, p.attempts], ['done', true, 2, 3]);
  assert.ok(readFileSync(s.ws.template, 'utf8').includes('DeploymentPreference'));
});

test('a step begun before the lab stopped whose change has finished since is done at once, without asking again', async (t) => {
  const s = setup(['n']);
  t.after(s.cleanup);
  // the learner deployed, then pressed Ctrl-C while the release was still going; it finished meanwhile
  s.progress.update('demo', (p) => {
    p.status = 'started';
  });
  s.cloud.deployed = V1.replace('Resources: {}', 'Resources: {}\n# DeploymentPreference: Linear10PercentEvery1Minute');
  const report = await teachStep(s.step, s.opts);
  assert.equal(report.outcome, 'passed');
  assert.equal(s.io.of('choose').length, 0, 'no "how do you want to make this change?"');
  assert.ok(s.io.text.includes('the change you began before the lab stopped has finished'));
  assert.equal(s.progress.step('demo').status, 'done');
  assert.equal(s.ctx.deploys, 0);
  assert.equal(s.io.unanswered, 0);
});

test('after `reset STEP`, r on a step whose file is back at its start does not pass on the cloud from before the reset: it says so, and a makes the change again', async (t) => {
  const s = setup(['self', 'r', 'a', 'n']);
  t.after(s.cleanup);
  // the cloud still holds the step's change; reset put template.yaml back to the step's start
  s.cloud.deployed = V1.replace('Resources: {}', 'Resources: {}\n# DeploymentPreference: Linear10PercentEvery1Minute');
  const report = await teachStep(s.step, s.opts);
  assert.equal(report.outcome, 'passed');
  assert.ok(s.io.text.includes("the cloud passes these checks from before, but sam-app/template.yaml is back at this step's start (as reset left it): the steps after this one deploy these files, so make the change and press d"), s.io.text);
  assert.equal(report.assisted, true, 'done by a, not by r');
  assert.equal(s.ctx.deploys, 1);
  assert.match(readFileSync(s.ws.template, 'utf8'), /# DeploymentPreference/);
  assert.equal(s.io.unanswered, 0);
});

test('a step begun before the lab stopped whose checks do not pass yet is taught as usual', async (t) => {
  const s = setup(['apply', 'n']);
  t.after(s.cleanup);
  s.progress.update('demo', (p) => {
    p.status = 'started';
  });
  const report = await teachStep(s.step, s.opts);
  assert.equal(report.outcome, 'passed');
  assert.equal(s.io.of('choose').length, 1);
  assert.equal(s.ctx.deploys, 1);
});

test('a change already in the files when the watch starts (Ctrl-C in "do it for me"\'s deploy, then start again): the static checks run once at once, and the lab says d deploys it', async (t) => {
  const s = setup(['self', 'd', 'n']);
  t.after(s.cleanup);
  // "do it for me" wrote the files, then Ctrl-C stopped its deploy: the cloud still runs V1
  s.progress.update('demo', (p) => {
    p.status = 'started';
  });
  writeFileSync(s.ws.template, V1.replace('Resources: {}', 'Resources: {}\n# DeploymentPreference: Linear10PercentEvery1Minute'));
  const report = await teachStep(s.step, s.opts);
  assert.equal(report.outcome, 'passed');
  const events = s.io.events.map((e) => `${e.kind}: ${e.text}`);
  const found = events.indexOf('say: your files already hold this change (the checks above pass): d deploys it');
  const firstKey = events.findIndex((e) => e.startsWith('key: '));
  assert.ok(found >= 0 && found < firstKey, events.join('\n'));
  assert.ok(events.slice(0, found).some((e) => e.startsWith('check: ')), 'the checks that pass are shown above it');
  assert.equal(events[firstKey], 'key: d deploys your change to sam-app/template.yaml (saves are checked at once)');
  assert.equal(s.ctx.deploys, 1);
  assert.equal(s.io.unanswered, 0);
});

test('the watch starting on files at the step\'s start says nothing of a change and shows no checks before the first save', async (t) => {
  const s = setup(['self', 'q']);
  t.after(s.cleanup);
  await teachStep(s.step, s.opts);
  assert.equal(s.io.checks.length, 0);
  assert.ok(!s.io.text.includes('already hold'));
  assert.ok(s.io.of('key').some((k) => k.text.startsWith('waiting for your change to sam-app/template.yaml')));
});

test('--assisted makes "do it for me" the default choice', async (t) => {
  const s = setup(['apply', 'n']);
  t.after(s.cleanup);
  const report = await teachStep(s.step, { ...s.opts, assisted: true });
  assert.equal((s.io.of('choose')[0]!.data as { def: string }).def, 'apply');
  assert.equal(report.assisted, true);
});

test('--assisted: a passed check is shown without its aws command (the report keeps it); a failing one always with it', async (t) => {
  const s = setup(['apply', 'n']);
  t.after(s.cleanup);
  const report = await teachStep(s.step, { ...s.opts, assisted: true });
  assert.equal(report.outcome, 'passed');
  assert.deepEqual(s.io.checks.map((c) => [c.status, c.aws]), [['passed', undefined]]);
  assert.equal(report.after[0]!.aws, 'aws deploy list-deployments --endpoint-url http://127.0.0.1:1');

  const f = setup(['apply', 'q']);
  t.after(f.cleanup);
  const failing: Step = { ...f.step, liveChecks: [{ ...f.step.liveChecks[0]!, run: async () => notYet('DeploymentPreference', 'none') }] };
  await teachStep(failing, { ...f.opts, steps: [failing], assisted: true });
  const [shown] = f.io.checks;
  assert.equal(shown!.status, 'not-yet');
  assert.equal(shown!.aws, 'aws deploy list-deployments --endpoint-url http://127.0.0.1:1');
  assert.match(f.io.text, /\$ aws deploy list-deployments/);
});

test('--assisted: a step the lab runs (x) runs at once, without waiting for the key, and is recorded as assisted', async (t) => {
  const s = setup(['n']);
  t.after(s.cleanup);
  let runs = 0;
  const run = loadTestStep(s.step, () => runs, { show: async () => ({ command: 'loadtest' }), apply: async () => void runs++ });
  const report = await teachStep(run, { ...s.opts, steps: [run], assisted: true });
  assert.equal(report.outcome, 'passed');
  assert.equal(runs, 1);
  assert.deepEqual(s.io.of('key').map((k) => k.text), ['next?'], 'the only key asked for is "next?"');
  assert.ok(!s.io.text.includes('Press x'), s.io.text);
  assert.equal(s.progress.step('demo').assisted, true);
  assert.equal(s.io.unanswered, 0);

  // without --assisted the learner presses x
  const l = setup(['x', 'n']);
  t.after(l.cleanup);
  runs = 0;
  const own = await teachStep(run, { ...l.opts, steps: [run] });
  assert.equal(own.outcome, 'passed');
  assert.equal(runs, 1);
  assert.ok(l.io.text.includes('Press x and the lab will run the load test.'));
  assert.equal(l.progress.step('demo').assisted, false);
});

test('Ctrl-C while the lab waits for the change: interrupted, the step stays started in the saved progress', async (t) => {
  const s = setup(['self', CTRL_C]);
  t.after(s.cleanup);
  await assert.rejects(teachStep(s.step, s.opts), InterruptedError);
  const saved = ProgressStore.load(s.ws, 'local').step('demo');
  assert.equal(saved.status, 'started');
});

test('q quits by choice: the step report says so and nothing is lost', async (t) => {
  const s = setup(['self', 'q']);
  t.after(s.cleanup);
  const report = await teachStep(s.step, s.opts);
  assert.equal(report.quit, true);
  assert.equal(s.progress.step('demo').status, 'started');
});

test('q at "How do you want to make this change?" quits the lab as q at any prompt: the step stops, progress kept', async (t) => {
  const s = setup(['quit']);
  t.after(s.cleanup);
  const report = await teachStep(s.step, s.opts);
  assert.equal(report.outcome, 'interrupted');
  assert.equal(report.quit, true);
  assert.equal(s.ctx.deploys, 0);
  assert.equal(s.progress.step('demo').status, 'started');
  const menu = s.io.of('choose')[0]!;
  assert.match(JSON.stringify(menu.data), /"key":"q"/, 'the menu names q');
});

test('q in a live view that offers it (the deployment view: LearnerQuit) stops the step as q at a prompt does, not as a failure', async (t) => {
  const s = setup([], { quitLive: (title) => title.startsWith('deployment') });
  t.after(s.cleanup);
  s.step.action = { kind: 'run', label: 'deploy' } as never;
  s.step.solve = {
    show: async () => ({}),
    apply: async (ctx: { io: RecordingIoHost }) => {
      const live = ctx.io.live('deployment d-TEST', 0, { quit: 'stop following' });
      live.update(['InProgress']);
      if (live.quit.aborted) {
        live.done();
        throw new LearnerQuit();
      }
      live.done();
    },
  } as never;
  const report = await teachStep(s.step, { ...s.opts, assisted: true });
  assert.equal(report.outcome, 'interrupted');
  assert.equal(report.quit, true);
  assert.doesNotMatch(s.io.text, /stopped by the learner/, 'not warned as the learner\'s error');
});

test('`step <id>` runs that step on its own: its prompt offers no next step, Enter ends the run and names how to go on; under `start` Enter goes on', async (t) => {
  const s = setup([]);
  t.after(s.cleanup);
  const ran: string[] = [];
  const runStep = (id: string): Step => ({
    ...s.step,
    id,
    title: `run ${id}`,
    action: { kind: 'run', label: `run ${id}` },
    staticChecks: [],
    liveChecks: [{ name: `${id} ran`, aws: () => 'serverless-ops-lab loadtest', run: async () => (ran.includes(id) ? passed('ran') : notYet('a run', 'none')) }],
    solve: { show: async () => ({ command: id }), apply: async () => void ran.push(id) },
  });
  const steps = [runStep('first'), runStep('second')];
  const lab = (io: RecordingIoHost, only: boolean) =>
    runLab({ steps, ctx: Object.assign(s.ctx, { io }), progress: s.progress, reference: s.opts.reference, assisted: false, version: 'test', workspace: s.ws.root, from: 'first', only });

  // `step first`: x, then Enter (the default) at the prompt after the pass
  const one = new RecordingIoHost({ answers: ['x', 'n'] });
  const report = await lab(one, true);
  assert.deepEqual(report.steps.map((r) => [r.id, r.outcome, r.quit]), [['first', 'passed', undefined]]);
  assert.deepEqual(ran, ['first'], 'Enter ended the run: the second step was not taught');
  const keys = one.of('key');
  assert.deepEqual(keys.map((k) => k.text), ['press x', 'end?'], one.text);
  assert.ok(!JSON.stringify(keys).includes('next step'), 'the prompt does not offer a next step');
  assert.ok(!one.text.includes('Enter for the next step'), one.text);
  assert.match(one.text, /Enter to end here\. The next step, second: `[^`]*step second --workspace [^`]*`, or `[^`]*start (?:-- )?--workspace [^`]*` to go on from it/);
  assert.equal(one.unanswered, 0);

  // `start` from the first: Enter at "next?" goes on to the second, whose prompt (the run's last) ends it
  ran.length = 0;
  s.progress.update('first', (p) => void (p.status = 'pending'));
  const all = new RecordingIoHost({ answers: ['x', 'n', 'x', 'n'] });
  const whole = await runLab({ steps, ctx: Object.assign(s.ctx, { io: all }), progress: s.progress, reference: s.opts.reference, assisted: false, version: 'test', workspace: s.ws.root });
  assert.deepEqual(whole.steps.map((r) => r.outcome), ['passed', 'passed']);
  assert.deepEqual(ran, ['first', 'second']);
  assert.deepEqual(all.of('key').map((k) => k.text), ['press x', 'next?', 'press x', 'end?']);
  assert.ok(!all.text.includes('The next step,'), 'the lab\'s last step has no step after it');
  assert.equal(all.unanswered, 0);
});

test('a step\'s afterPass runs once it has passed, after the comparison with the reference (which reads the learner\'s files as they were), and not while it does not pass', async (t) => {
  const s = setup(['self', 'r', 'a', 'n']);
  t.after(s.cleanup);
  const order: string[] = [];
  s.step.afterPass = async (ctx) => {
    order.push(`afterPass ${s.progress.step('demo').status}`);
    ctx.io.say('after the pass');
  };
  const report = await teachStep(s.step, s.opts);
  assert.equal(report.outcome, 'passed');
  assert.deepEqual(order, ['afterPass done'], 'once, after the pass; the failed r before it ran nothing');
  const said = s.io.of('say').map((e) => e.text);
  assert.ok(said.indexOf('after the pass') > said.findIndex((l) => l.startsWith('step done ✓')));
});

/**
 * A step whose action runs once (its id goes into `ran`, then `onRun`), whose one live check passes
 * once it has run; `words`: its verb, the verb's past (the check's name and finding) and what the
 * check expects, e.g. ['measure', 'measured', 'a measurement']
 */
/** a step the lab runs (x): a load test whose one check passes once `runs()` is above 0 */
function loadTestStep(base: Step, runs: () => number, solve: Step['solve']): Step {
  return {
    ...base,
    action: { kind: 'run', label: 'run the load test' },
    staticChecks: [],
    liveChecks: [{ name: 'the load test ran', aws: () => 'serverless-ops-lab loadtest', run: async () => (runs() ? passed(`${runs()} run`) : notYet('a run', 'none')) }],
    solve,
  };
}

function runOnceStep(base: Step, ran: string[], id: string, onRun: () => void, [verb, done, expected]: [string, string, string]): Step {
  return {
    ...base,
    id,
    title: `${verb} ${id}`,
    action: { kind: 'run', label: `${verb} ${id}` },
    staticChecks: [],
    liveChecks: [{ name: `${id} ${done}`, aws: () => 'serverless-ops-lab loadtest', run: async () => (ran.includes(id) ? passed(done) : notYet(expected, 'none')) }],
    solve: { show: async () => ({ command: id }), apply: async () => void (ran.push(id), onRun()) },
  };
}

test('Ctrl-C while a step measures (the checks still pass on what it measured): the step is saved as done and the lab stops there, with no "next?" and no next step\'s intro; --ci stops there too', async (t) => {
  for (const ci of [false, true]) {
    const s = setup([]);
    t.after(s.cleanup);
    const ctrlC = new AbortController();
    const ran: string[] = [];
    const measureStep = (id: string, onRun: () => void) => runOnceStep(s.step, ran, id, onRun, ['measure', 'measured', 'a measurement']);
    // the learner's Ctrl-C lands while the first step's run measures; the run stops at its safe point with what it has
    const steps = [measureStep('canary', () => ctrlC.abort(new InterruptedError())), measureStep('next', () => undefined)];
    const io = new RecordingIoHost({ answers: ci ? [] : ['x'] });
    const ctx = Object.assign(s.ctx, { io, signal: ctrlC.signal, ci });
    const report = await runLab({ steps, ctx, progress: s.progress, reference: s.opts.reference, assisted: false, version: 'test', workspace: s.ws.root });
    assert.equal(report.outcome, 'interrupted', io.text);
    // taught, the checks after the run pass and the pass is saved; --ci's solver stops before its checks (resume measures again)
    assert.deepEqual(report.steps.map((r) => [r.id, r.outcome]), [['canary', ci ? 'interrupted' : 'passed']]);
    assert.equal(ProgressStore.load(s.ws, 'local').step('canary').status, ci ? 'started' : 'done', 'progress saved');
    assert.equal(ProgressStore.load(s.ws, 'local').step('next').status, 'pending');
    assert.deepEqual(ran, ['canary']);
    assert.ok(!io.of('heading').some((h) => h.text.includes('measure next')), `no intro of the next step (ci ${ci}):\n${io.text}`);
    if (!ci) {
      assert.deepEqual(io.of('key').map((k) => k.text), ['press x'], 'no "next?" after the Ctrl-C');
      assert.match(io.text, /step done ✓ \(saved\); stopping, as Ctrl-C asked/);
    }
  }
});

test('Ctrl-C while the lab catches up on an earlier step (start --from) stops the lab: interrupted (130), not "step X did not pass" (1)', async (t) => {
  const s = setup([]);
  t.after(s.cleanup);
  const ctrlC = new AbortController();
  const ran: string[] = [];
  const runStep = (id: string, onRun: () => void) => runOnceStep(s.step, ran, id, onRun, ['run', 'ran', 'a run']);
  const steps = [runStep('earlier', () => ctrlC.abort(new InterruptedError())), runStep('chosen', () => undefined)];
  const io = new RecordingIoHost({ answers: [] });
  const ctx = Object.assign(s.ctx, { io, signal: ctrlC.signal });
  const report = await runLab({ steps, ctx, progress: s.progress, reference: s.opts.reference, assisted: false, version: 'test', workspace: s.ws.root, from: 'chosen' });
  assert.equal(report.outcome, 'interrupted', io.text);
  assert.deepEqual(ran, ['earlier']);
  assert.equal(s.progress.step('earlier').status, 'started', 'progress saved: the step goes on at the next start');
});

test('Ctrl-C in a catch-up whose run stops with InterruptedError (a load test) says where it stopped, and leaves how to go on to the command: one resume message, not two', async (t) => {
  const s = setup([]);
  t.after(s.cleanup);
  const ctrlC = new AbortController();
  const ran: string[] = [];
  const runStep = (id: string, onRun: () => void) => runOnceStep(s.step, ran, id, onRun, ['run', 'ran', 'a run']);
  const steps = [
    runStep('earlier', () => {
      ctrlC.abort(new InterruptedError());
      throw new InterruptedError('load test stopped after 183 requests');
    }),
    runStep('chosen', () => undefined),
  ];
  const io = new RecordingIoHost({ answers: [] });
  const ctx = Object.assign(s.ctx, { io, signal: ctrlC.signal, ci: false });
  const report = await runLab({ steps, ctx, progress: s.progress, reference: s.opts.reference, assisted: false, version: 'test', workspace: s.ws.root, from: 'chosen' });
  assert.equal(report.outcome, 'interrupted', io.text);
  assert.match(io.text, /stopped in earlier, as Ctrl-C asked/);
  // start.ts says "progress saved; this goes on from here" with the command: the runner says no other
  assert.doesNotMatch(io.text, /progress is saved|run start again/);
});

test('do it for me (a) in a step the lab runs: the command it runs is shown once, by the run itself (concurrency-baseline printed its loadtest twice)', async (t) => {
  const s = setup(['a', 'n']);
  t.after(s.cleanup);
  let runs = 0;
  // as loadAndKeep: the chart prints the load test it runs
  const run = loadTestStep(s.step, () => runs, {
    show: async () => ({ command: 'serverless-ops-lab loadtest -n 1000 -c 50' }),
    apply: async (ctx) => void (runs++, ctx.io.command('serverless-ops-lab loadtest -n 1000 -c 50')),
    showsCommand: true,
  });
  const report = await teachStep(run, { ...s.opts, steps: [run] });
  assert.equal(report.outcome, 'passed');
  assert.equal(runs, 1);
  assert.match(s.io.text, /doing it for you:/);
  assert.equal(s.io.of('command').filter((c) => c.text.includes('loadtest -n 1000 -c 50')).length, 1, s.io.text);
  assert.equal(s.progress.step('demo').assisted, true);
  // the two load steps are such steps
  for (const step of [baselineStep, throttledStep]) assert.equal(step.solve.showsCommand, true, step.id);
});
