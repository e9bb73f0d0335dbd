/**
 * The last step: re-checks what the steps with end checks left behind (against the cloud, not
 * the progress file), lists what was done and which steps were done for the learner, the figures
 * measured, and where to go next.
 */
import { notYet, passed, runLiveChecks, type CheckOutcome, type LiveCheck } from '../lab/check.js';
import type { FigureValue, LabContext } from '../lab/context.js';
import type { Step } from '../lab/step.js';
import { cliCommand } from '../invocation.js';
import { labCommand } from '../lab/outside.js';
import { fitted } from '../io/format.js';
import { NO_VERSION } from '../targets/version-split.js';
import { probeNote } from './canary/split.js';
import { LIVE_AT_START, OWN_THROWS } from './hooks-alarms.js';
import { isCounts, unansweredInWords } from './shared/words.js';

export const wrapUpChapter = { id: 'wrap-up', title: 'Wrap-up' };

function show(v: FigureValue): string {
  if (v === null) return '—';
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'object') return Object.entries(v).map(([k, n]) => `[${k}] ${n}`).join(', ');
  return String(v);
}

/** a figure said in words: its label, and its value as a learner reads it */
interface Words {
  label: string;
  value?: (v: FigureValue) => string;
}

const percent = (v: FigureValue) => (typeof v === 'number' ? `${v} %` : show(v));
const weights = (v: FigureValue) => (Array.isArray(v) ? `${v.join(', ')} %` : show(v));
const lambdaVersion = (v: FigureValue) => (typeof v === 'string' || typeof v === 'number' ? `Lambda version ${v}` : show(v));
const seconds = (v: FigureValue) => (typeof v === 'number' ? `${(v / 1000).toFixed(1)} s` : show(v));
const yesNo = (v: FigureValue) => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : show(v));
const orNone = (v: FigureValue) => (Array.isArray(v) && v.length === 0 ? 'none' : show(v));
/** `{ "1": 30, "2": 9 }`: `Lambda version 1: 30, Lambda version 2: 9` (the view counts Lambda's versions, not the app's) */
const byVersion = (v: FigureValue) => (isCounts(v) ? Object.entries(v).map(([k, n]) => (k === NO_VERSION ? `no version named: ${n}` : `Lambda version ${k}: ${n}`)).join(', ') : show(v));
/** `{ "200": 950, "502": 50 }`: `950 × 200, 50 × 502` */
const byStatus = (v: FigureValue) => (isCounts(v) ? Object.entries(v).map(([k, n]) => `${n} × ${k}`).join(', ') : show(v));
/** a canary measurement's: its 400s are the app's answer to the measurement's own body {} (canary/split.ts) */
const probeStatus = (v: FigureValue) => (isCounts(v) ? Object.entries(v).map(([k, n]) => `${n} × ${k}${probeNote(k)}`).join(', ') : show(v));
/** deploy's `{ status: 200, ms: 803 }`: `200 in 803 ms` */
const answer = (v: FigureValue) => (isCounts(v) && typeof v.status === 'number' ? `${v.status}${typeof v.ms === 'number' ? ` in ${v.ms} ms` : ''}` : show(v));
/** the stage's variables, kept as JSON: `lambdaAlias = live` */
const variables = (v: FigureValue) => {
  if (typeof v !== 'string') return show(v);
  try {
    const vars = JSON.parse(v) as Record<string, unknown>;
    const said = Object.entries(vars).map(([k, x]) => `${k} = ${String(x)}`);
    return said.length ? said.join(', ') : 'none';
  } catch {
    return v;
  }
};

/**
 * Every figure the steps keep, in words (the raw keys, `canaryShare 10.28`, are the report's:
 * --report, --json). The interactive wrap-up shows a step's HEADLINES; --ci shows every figure a
 * step kept, in the same words (it said `firstAnswer [status] 200, [ms] 803`). A figure kept as the
 * step began says "at start": the canary steps keep the stage as they found it, and
 * canary-promote's `stageVariables {"lambdaAlias":"live"}` read as if its promotion had not happened.
 */
export const FIGURE_WORDS: Readonly<Record<string, Words>> = {
  // deploy
  apiUrl: { label: 'the URL' },
  aliasVersion: { label: 'the alias "live"', value: lambdaVersion },
  firstAnswer: { label: 'the first answer', value: answer },
  labels: { label: 'labels seen' },
  appVersion: { label: 'app version' },
  // blue-green and the hooks
  deploymentId: { label: 'the deployment' },
  status: { label: "the deployment's status" },
  weightsSeen: { label: "the new version's weights seen", value: weights },
  answersByVersion: { label: 'answers by version', value: byVersion },
  shiftMs: { label: 'the shift took', value: seconds },
  [LIVE_AT_START]: { label: '"live" at start', value: lambdaVersion },
  errorCode: { label: "CodeDeploy's error code" },
  rollbackDeploymentId: { label: 'the rollback deployment' },
  [OWN_THROWS]: { label: 'throws in your app.mjs as it passed', value: orNone },
  failedAnswers: { label: 'failed answers by status', value: byStatus },
  // the canary
  stageDeployment: { label: 'stage deployment at start' },
  stageVariables: { label: 'stage variables at start', value: variables },
  canaryDeployment: { label: 'the canary it began with' },
  version: { label: 'the canary', value: lambdaVersion },
  liveVersion: { label: '"live" as the canary was made', value: lambdaVersion },
  requests: { label: 'requests sent' },
  noVersionNamed: { label: 'answers naming no version' },
  unanswered: { label: 'requests without an answer', value: (v) => (isCounts(v) ? unansweredInWords(v) : show(v)) },
  byVersion: { label: 'answers by version', value: byVersion },
  byStatus: { label: 'answers by status', value: probeStatus },
  canaryShare: { label: "the canary's share", value: percent },
  // concurrency
  concurrency: { label: 'connections at once' },
  statusCounts: { label: 'answers by status', value: byStatus },
  durationMs: { label: 'the load test took', value: seconds },
  stoppedEarly: { label: 'stopped early', value: yesNo },
  localPeak: { label: 'most at once, local count' },
  reserved: { label: 'reserved concurrency' },
  peakConcurrency: { label: 'most executions at once' },
};

/**
 * A step's figures that are marks for its own checks, not measurements, which --ci leaves out as
 * well: the measurement window (concurrency's, for CloudWatch) and the canary steps' "begun since
 * it was done" mark. They stay in the report.
 */
export const UNSAID_FIGURES: ReadonlySet<string> = new Set(['window', 'begunAfter']);

/** The figures a learner is shown at the end, per step: what each lesson came to, a few keys of FIGURE_WORDS. */
const HEADLINES: Record<string, readonly string[]> = {
  deploy: ['apiUrl', 'labels'],
  'blue-green': ['weightsSeen', 'answersByVersion'],
  'hooks-failing': ['errorCode'],
  'hooks-alarm': ['errorCode', 'rollbackDeploymentId'],
  'hooks-errors': ['errorCode', 'failedAnswers'],
  'canary-create': ['requests', 'canaryShare'],
  'canary-rollback': ['canaryShare'],
  'canary-promote': ['canaryShare'],
  'concurrency-baseline': ['statusCounts'],
  'concurrency-throttled': ['statusCounts', 'peakConcurrency'],
};

/**
 * A step's figures in words: its headlines, or under --ci every figure it kept (a figure without
 * words, a new one, under its key, as before).
 */
export function figuresInWords(stepId: string, mine: Readonly<Record<string, FigureValue>>, every: boolean): [string, string][] {
  const keys = every ? Object.keys(mine).filter((k) => !UNSAID_FIGURES.has(k)) : (HEADLINES[stepId] ?? []).filter((k) => k in mine);
  return keys.map((k) => {
    const w = FIGURE_WORDS[k];
    return w ? [w.label, (w.value ?? show)(mine[k]!)] : [k, show(mine[k]!)];
  });
}

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

/** the summary's lines, at most this wide on any face (a terminal's narrower width wins) */
const SUMMARY_WIDTH = 80;

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
      // fitted at 80 columns whatever the face: the plain one (--ci) wraps nothing, and thirteen
      // ids made one line of 237; a continuation under a two-column indent
      if (ids.length) for (const l of fitted(`${status} (${ids.length}): ${ids.join(', ')}`, Math.min(ctx.io.width, SUMMARY_WIDTH), '  ')) ctx.io.say(l);
    }
    if (earlier.every((s) => how(s.id) === 'done by you')) ctx.io.say(`every one of the ${earlier.length} steps done by you ✓`);
    for (const s of earlier) {
      // --ci: every figure the step kept, in the same words
      const f = figuresInWords(s.id, figures[s.id] ?? {}, ctx.ci);
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
        run: async (ctx) => (ctx.allFigures()['wrap-up']?.summarizedAt ? passed() : notYet('the summary', ctx.ci ? 'not yet' : 'not yet: press x')),
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
        // the local cloud only on the local target: on AWS there is none to stop
        `Your workspace stays. \`${labCommand(['reset'], { workspace: ctx.ws.root, target: ctx.target })}\` starts over${ctx.target === 'local' ? `; \`${cliCommand(['emulator', 'stop', '--workspace', ctx.ws.root])}\` stops the local cloud` : ''}.`,
      ]);
    },
  };
}
