/**
 * Step 1 · deploy: the learner's copy of the app goes to the cloud as version 1, behind an API.
 * Every later step changes how a new version reaches that same URL.
 */
import { notYet, passed, type LiveCheck } from '../lab/check.js';
import type { Step } from '../lab/step.js';
import { APP_ALIAS, appFunction, askApp, curlCommand, functionName, whenDeployed } from './shared/app.js';
import { cliCommand } from '../invocation.js';
import { labCommand } from '../lab/outside.js';
import { whyTheApiFailed } from './shared/function-failure.js';
import { lambdaCommands } from '../targets/clients.js';

const { GetAliasCommand } = lambdaCommands;

export const deployChapter = { id: 'deploy', title: 'Deploy app version 1' };

const aliasExists: LiveCheck = {
  name: `the alias "${APP_ALIAS}" points at a published version`,
  aws: (ctx) => ctx.aws(`lambda get-alias --function-name ${functionName(ctx)} --name ${APP_ALIAS}`),
  run: (ctx, signal) =>
    whenDeployed(async () => {
      const fn = appFunction(ctx);
      try {
        const a = await ctx.clients.lambda.send(new GetAliasCommand({ FunctionName: fn.name, Name: APP_ALIAS }), { abortSignal: signal });
        if (!a.FunctionVersion || a.FunctionVersion === '$LATEST') return notYet('a published version (1, 2, …)', String(a.FunctionVersion));
        ctx.figure('aliasVersion', a.FunctionVersion);
        return passed(`Lambda version ${a.FunctionVersion}`);
      } catch (err) {
        if ((err as Error).name === 'ResourceNotFoundException') return notYet(`alias ${APP_ALIAS} of ${fn.name}`, 'no such alias or function');
        throw err;
      }
    }),
};

const answers: LiveCheck = {
  name: 'POST /getinfo answers 200 with the labels of a sample image',
  aws: (ctx) => curlCommand(ctx),
  run: (ctx, signal) =>
    whenDeployed(async () => {
      const a = await askApp(ctx, signal);
      if (a.status !== 200) {
        const off = notYet('HTTP 200', `HTTP ${a.status}: ${JSON.stringify(a.body).slice(0, 200)}`, await whyTheApiFailed(ctx, signal, a.status, a.ms));
        // a 5xx: the API and the function are there, and fail (the resume does not deploy again for it)
        return a.status >= 500 && off.status === 'not-yet' ? { ...off, serverError: a.status } : off;
      }
      if (!a.labels.length) return notYet('a list of labels', 'no labels in the answer');
      ctx.figure('firstAnswer', { status: a.status, ms: a.ms });
      ctx.figure('labels', a.labels.slice(0, 5));
      ctx.figure('appVersion', a.appVersion ?? null);
      return passed(`${a.labels.slice(0, 3).join(', ')} — app version ${a.appVersion ?? '?'}, Lambda version ${a.functionVersion ?? '?'}, ${a.ms} ms`);
    }),
};

export const deployStep: Step = {
  id: 'deploy',
  chapter: deployChapter,
  title: 'deploy the app and call it',
  explain: [
    "The app: API Gateway's POST /getinfo calls a Lambda function that asks Rekognition what an S3 image shows; its code is in sam-app/.",
    'The deploy publishes app version 1 (src/app.mjs) as a Lambda version behind the alias "live", which the API calls: a release moves the alias, and the URL stays.',
  ],
  goal: 'the app is deployed and answers a real request',
  action: { kind: 'run', label: 'deploy sam-app/ and send one request' },
  notes: ['A Lambda version is immutable: code and configuration frozen together. Aliases are pointers that can move, and can split traffic between two versions.'],
  staticChecks: [],
  liveChecks: [aliasExists, answers],
  endChecks: [answers],
  hints: [
    'The lab deploys for you in this step: press x. If the deploy or the request fails, the check names the error and the file and line to fix.',
    `Outside the lab the same deploy is \`${cliCommand(['deploy', '--workspace'])} <workspace>\` (locally) or \`sam build && sam deploy\` (on AWS).`,
  ],
  docs: [
    { title: 'Lambda aliases', url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html' },
    { title: 'SAM AutoPublishAlias', url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-autopublishalias' },
  ],
  solve: {
    show: async (ctx) => ({ command: labCommand(['deploy'], { workspace: ctx.ws.root, target: ctx.target }) }),
    apply: async (ctx) => {
      await ctx.deploy();
      // the whole deploy, a CodeDeploy shift included (aws: sam deploy waits for it)
      await ctx.settleDeploy();
    },
  },
  async follow(ctx) {
    const url = ctx.deployment().outputs.ApiUrl;
    if (url) ctx.io.link('ApiUrl', url);
    ctx.figure('apiUrl', url ?? null);
    ctx.io.say('Try it yourself:');
    ctx.io.command(curlCommand(ctx));
  },
};
