/**
 * The last step: re-checks what the steps with end checks left behind (against the cloud, not
 * the progress file), lists what was done and which steps were done for the learner, the figures
 * measured, and where to go next.
 */
import { notYet, passed, runLiveChecks, type CheckOutcome, type LiveCheck } from '../lab/check.js';
import type { FigureValue, LabContext } from '../lab/context.js';
import type { Step } from '../lab/step.js';
import { cliCommand } from '../invocation.js';

export const wrapUpChapter = { id: 'wrap-up', title: 'Wrap-up' };

function show(v: FigureValue): string {
  if (v === null) return '—';
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'object') return Object.entries(v).map(([k, n]) => `[${k}] ${n}`).join(', ');
  return String(v);
}

/** a figure said in words: its label, and its value as a learner reads it */
interface Headline {
  key: string;
  label: string;
  value?: (v: FigureValue) => string;
}

const percent = (v: FigureValue) => (typeof v === 'number' ? `${v} %` : show(v));
const weights = (v: FigureValue) => (Array.isArray(v) ? `${v.join(', ')} %` : show(v));
/** `{ "1": 30, "2": 9 }`: `Lambda version 1: 30, Lambda version 2: 9` (the view counts Lambda's versions, not the app's) */
const byVersion = (v: FigureValue) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).map(([k, n]) => `Lambda version ${k}: ${n}`).join(', ') : show(v));
/** `{ "200": 950, "502": 50 }`: `950 × 200, 50 × 502` */
const byStatus = (v: FigureValue) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).map(([k, n]) => `${n} × ${k}`).join(', ') : show(v));
const errorCode: Headline = { key: 'errorCode', label: "CodeDeploy's error code" };

/**
 * The figures a learner is shown at the end, per step: what each lesson came to, in words (the
 * raw keys, `canaryShare 10.28`, are the report's). Every figure is in the report (--report,
 * --json) and in --ci's output, under its key; a learner reads these few.
 */
const HEADLINES: Record<string, readonly Headline[]> = {
  deploy: [
    { key: 'apiUrl', label: 'the URL' },
    { key: 'labels', label: 'labels seen' },
  ],
  'blue-green': [
    { key: 'weightsSeen', label: "the new version's weights seen", value: weights },
    { key: 'answersByVersion', label: 'answers by version', value: byVersion },
  ],
  'hooks-failing': [errorCode],
  'hooks-alarm': [errorCode, { key: 'rollbackDeploymentId', label: 'the rollback deployment' }],
  'hooks-errors': [errorCode, { key: 'failedAnswers', label: 'failed answers by status', value: byStatus }],
  'canary-create': [
    { key: 'requests', label: 'requests sent' },
    { key: 'canaryShare', label: "the canary's share", value: percent },
  ],
  'canary-rollback': [{ key: 'canaryShare', label: "the canary's share", value: percent }],
  'canary-promote': [{ key: 'canaryShare', label: "the canary's share", value: percent }],
  'concurrency-baseline': [{ key: 'statusCounts', label: 'answers by status', value: byStatus }],
  'concurrency-throttled': [
    { key: 'statusCounts', label: 'answers by status', value: byStatus },
    { key: 'peakConcurrency', label: 'most executions at once' },
  ],
};

/** the steps whose result the wrap-up checks once more, said by id: `deploy and blue-green` */
function listed(ids: readonly string[]): string {
  return ids.length <= 1 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}

/**
 * The context an end check runs in: everything of the wrap-up's but `figure`. An end check
 * re-checks what a step left behind; what it finds is no measurement of the wrap-up (it went into
 * the wrap-up's figures and the report as if the wrap-up had a deployment of its own), and a step's
 * own figures are that step's to record.
 */
function withoutFigures(ctx: LabContext): LabContext {
  return new Proxy(ctx, {
    get(target, key) {
      if (key === 'figure') return () => undefined;
      const v: unknown = Reflect.get(target, key, target);
      // bound to the context itself: its methods read private fields
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

export function wrapUpStep(earlier: readonly Step[]): Step {
  const rechecked = earlier.filter((s) => s.endChecks?.length).map((s) => s.id);
  const endChecks = earlier.flatMap((s) =>
    (s.endChecks ?? []).map((c): LiveCheck => ({ ...c, name: `${s.id}: ${c.name}`, run: (ctx, signal) => c.run(withoutFigures(ctx), signal) })),
  );
  // What the follow found, by check name, each taken once by the live check that comes right after
  // it (x and --ci run the live checks once the follow is done): an end check runs once a pass,
  // where it ran in the follow (for its count) and again in the verify. A later r, a resume's
  // re-check or --ci's polling finds none left and asks the cloud again.
  let fresh = new Map<string, CheckOutcome>();
  const recording = endChecks.map((c): LiveCheck => ({
    ...c,
    run: async (ctx, signal) => {
      const outcome = await c.run(ctx, signal);
      fresh.set(c.name, outcome);
      return outcome;
    },
  }));
  const verified = endChecks.map((c): LiveCheck => ({
    ...c,
    run: (ctx, signal) => {
      const outcome = fresh.get(c.name);
      if (!outcome) return c.run(ctx, signal);
      fresh.delete(c.name);
      return Promise.resolve(outcome);
    },
  }));
  const summary = (ctx: LabContext) => {
    const figures = ctx.allFigures();
    ctx.figure('summarizedAt', new Date().toISOString());
    // a line per way a step was done, each step by its id (what `step` and `reset` take): a
    // learner reads three lines, not a table of thirteen that mostly say the same
    const how = (id: string) => {
      const p = ctx.stepProgress(id);
      return p.status !== 'done' ? 'not done' : p.assisted ? 'done for you' : 'done by you';
    };
    for (const status of ['done by you', 'done for you', 'not done']) {
      const ids = earlier.filter((s) => how(s.id) === status).map((s) => {
        const hints = ctx.stepProgress(s.id).hintsShown;
        return hints ? `${s.id} (${hints} hint${hints > 1 ? 's' : ''})` : s.id;
      });
      if (ids.length) ctx.io.say(`${status} (${ids.length}): ${ids.join(', ')}`);
    }
    if (earlier.every((s) => how(s.id) === 'done by you')) ctx.io.say(`every one of the ${earlier.length} steps done by you ✓`);
    for (const s of earlier) {
      const mine = figures[s.id] ?? {};
      // --ci: every figure, under its key, as the report has it
      const f: [string, string][] = ctx.ci
        ? Object.entries(mine).filter(([k]) => k !== 'window').map(([k, v]) => [k, show(v)])
        : (HEADLINES[s.id] ?? []).filter((h) => h.key in mine).map((h) => [h.label, (h.value ?? show)(mine[h.key]!)]);
      if (f.length) ctx.io.figures(s.id, f);
    }
  };
  return {
    id: 'wrap-up',
    chapter: wrapUpChapter,
    title: 'what you built, and what next',
    explain: [
      `The lab sums up what you did and checks once more, against the cloud, what ${listed(rechecked)} left behind. You practised how releases reach users safely: gradual shifts, hooks, alarms that roll back, canaries, and limits that keep one function from starving the rest.`,
    ],
    goal: `the summary, and what ${listed(rechecked)} left behind still holds`,
    action: { kind: 'run', label: 'sum up what you did' },
    staticChecks: [],
    readOnly: true,
    liveChecks: [
      {
        name: 'the summary was written',
        aws: (ctx) => cliCommand(['list', '--workspace', ctx.ws.root]),
        run: async (ctx) => (ctx.allFigures()['wrap-up']?.summarizedAt ? passed() : notYet('the summary', 'not yet: press x')),
      },
      ...verified,
    ],
    hints: [`Press x: the lab prints the summary and checks once more what ${listed(rechecked)} left behind.`],
    docs: [
      { title: 'Safe deployments with SAM', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html' },
      { title: 'CodeDeploy for Lambda', url: 'https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-steps-lambda.html' },
      { title: 'Lambda concurrency', url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html' },
    ],
    solve: {
      show: async (ctx) => ({ command: cliCommand(['list', '--workspace', ctx.ws.root]) }),
      apply: async (ctx) => summary(ctx),
    },
    async follow(ctx) {
      fresh = new Map();
      const results = await runLiveChecks(recording, ctx);
      const broken = results.filter((r) => r.status !== 'passed');
      ctx.figure('endChecks', { passed: results.length - broken.length, total: results.length });
      // after the canary chapter the stage calls the version its stage variable names: a later
      // deploy moves the alias live, not the stage, and says so (commands/deploy-stage.ts)
      const canaryDone = earlier.some((s) => s.chapter.id === 'canary' && ctx.stepProgress(s.id).status === 'done');
      ctx.io.explain([
        'Next: CodeDeploy shifts ECS services too; API Gateway canaries suit changes of the API itself; provisioned concurrency removes cold starts.',
        ...(canaryDone
          ? [
              "Since the canary chapter, the API's Prod stage calls the Lambda version its stage variable lambdaAlias names, not the alias live. A later deploy moves live, not the stage: it warns that requests to the API do not reach the release, and prints the update-stage command that points the stage at live again.",
            ]
          : []),
        `Your workspace stays. \`${cliCommand(['reset', '--workspace', ctx.ws.root])}\` starts over; \`${cliCommand(['emulator', 'stop', '--workspace', ctx.ws.root])}\` stops the local cloud.`,
      ]);
    },
  };
}
