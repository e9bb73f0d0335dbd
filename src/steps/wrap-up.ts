/**
 * The last step: re-checks what every step left behind (its end checks, against the cloud, not
 * the progress file), lists what was done and which steps were done for the learner, the figures
 * measured, and where to go next.
 */
import { notYet, passed, runLiveChecks, type LiveCheck } from '../lab/check.js';
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

/**
 * The figures a learner is shown at the end, per step: what each lesson came to. Every figure is
 * in the report (--report, --json) and in --ci's output; a learner reads these few.
 */
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
  const endChecks = earlier.flatMap((s) =>
    (s.endChecks ?? []).map((c): LiveCheck => ({ ...c, name: `${s.id}: ${c.name}`, run: (ctx, signal) => c.run(withoutFigures(ctx), signal) })),
  );
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
      const headlines = ctx.ci ? undefined : (HEADLINES[s.id] ?? []);
      const f = Object.entries(figures[s.id] ?? {}).filter(([k]) => k !== 'window' && (!headlines || headlines.includes(k)));
      if (f.length) ctx.io.figures(s.id, f.map(([k, v]) => [k, show(v)]));
    }
  };
  return {
    id: 'wrap-up',
    chapter: wrapUpChapter,
    title: 'what you built, and what next',
    explain: [
      "Every step's result is checked once more against the cloud. You practised how releases reach users safely: gradual shifts, hooks, alarms that roll back, canaries, and limits that keep one function from starving the rest.",
    ],
    goal: "every step's result still holds",
    action: { kind: 'run', label: 'sum up the lab' },
    staticChecks: [],
    readOnly: true,
    liveChecks: [
      {
        name: 'the summary was written',
        aws: (ctx) => cliCommand(['list', '--workspace', ctx.ws.root]),
        run: async (ctx) => (ctx.allFigures()['wrap-up']?.summarizedAt ? passed() : notYet('the summary', 'not yet: press x')),
      },
      ...endChecks,
    ],
    hints: ['Press x: the lab re-checks every step and prints the summary.'],
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
      const results = await runLiveChecks(endChecks, ctx);
      const broken = results.filter((r) => r.status !== 'passed');
      ctx.figure('endChecks', { passed: results.length - broken.length, total: results.length });
      ctx.io.explain([
        'Next: CodeDeploy shifts ECS services too; API Gateway canaries suit changes of the API itself; provisioned concurrency removes cold starts.',
        `Your workspace stays. \`${cliCommand(['reset', '--workspace', ctx.ws.root])}\` starts over; \`${cliCommand(['emulator', 'stop', '--workspace', ctx.ws.root])}\` stops the local cloud.`,
      ]);
    },
  };
}
