/**
 * The cloud the canary steps start from, as the lab's deploy leaves it: a function whose answer
 * names the version that served it (a refused request at once, as the bundled app does), its alias
 * `live`, an API with POST /getinfo calling `live` on stage Prod, and the deploy record; plus a
 * LabContext whose figures are kept per step.
 */
import { strToU8, zipSync } from 'fflate';
import { CreateAliasCommand, CreateFunctionCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetStageCommand, PutIntegrationCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway';
import { frontDoorUrl } from '../../src/emulator/front-door-url.js';
import type { FigureValue, LabContext, RunnerContext } from '../../src/lab/context.js';
import { RecordingIoHost, type Answer } from '../../src/io/recording.js';
import type { CheckView } from '../../src/io/host.js';
import type { ProgressStore } from '../../src/lab/progress.js';
import { solveStep } from '../../src/lab/solver.js';
import { teachStep } from '../../src/lab/teach.js';
import { canarySteps } from '../../src/steps/canary.js';
import { TargetClients } from '../../src/targets/clients.js';
import type { DeployRecord } from '../../src/targets/deploy-record.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { evenDraw, EVEN_SPLIT_ENV } from '../../src/emulator/core/even-draw.js';
import { fakeContext } from '../helpers/lab-context.js';
import { ensureEmulator, stopEmulator } from '../../src/emulator/daemon.js';
import { workspacePaths } from '../../src/lab/workspace.js';
import { writeDeployRecord } from '../../src/targets/deploy-record.js';

const V2 = `exports.handler = async (event, context) => ({
  statusCode: 400,
  headers: { 'Content-Type': 'application/json', 'X-App-Version': '2', 'X-Function-Version': context.functionVersion },
  body: JSON.stringify({ message: 'bad request', ServedBy: { AppVersion: 2, FunctionVersion: context.functionVersion } }),
});`;

export interface CanaryCloud {
  emu: TestEmulator;
  clients: TargetClients;
  record: DeployRecord;
  figures: Record<string, Record<string, FigureValue>>;
  /**
   * the requests the steps' measurements send here (LabContext.measureRequests): fewer than the
   * lesson's on a cloud whose canary split is even (evenDraw: the fixture's own and the workspace
   * clouds); undefined (the lesson's 5,000 and 500) on a cloud the test started, whose split is
   * Math.random's
   */
  measureRequests?: { split: number; sample: number };
  /** a context in which `stepId` is the running step */
  contextFor(stepId: string): LabContext;
  close(): Promise<void>;
}

/**
 * How the deploy made the API. `alias`: the function's alias, the one the integration calls (the
 * bundled app's `live` by default). `readsVariable`: the deployed integration calls the function
 * through ${stageVariables.lambdaAlias} and the stage sets it to the alias, as a learner's template
 * made after templates/canary/template-after.yaml deploys it.
 */
export interface CanaryCloudShape {
  alias?: string;
  readsVariable?: boolean;
}

/**
 * A cloud that draws its canary split evenly measures it over 500 requests and samples 100: the
 * split is evenDraw's, so 500 requests (a multiple of its period) through a 10 % canary are exactly 50 on
 * it, which the step's check (10 % within 2 points) passes every time, as it passes 5,000 drawn by
 * Math.random all but about once in 400,000 runs. A sample's check is 0 % or 100 %, which any count
 * shows. The lesson's own count, with Math.random, is measured by canary-lesson.test and start --ci.
 */
export const EVEN_MEASURE_REQUESTS = { split: 500, sample: 100 } as const;

/**
 * `start`: the cloud to build it in (default: an emulator in the test process whose canary split
 * is even), closed by close(). `evenSplit`: that cloud draws its split evenly, and the steps
 * measure it with EVEN_MEASURE_REQUESTS (default: when the cloud is the fixture's own)
 */
export async function startCanaryCloud(start?: () => Promise<TestEmulator>, shape: CanaryCloudShape = {}, evenSplit = start === undefined): Promise<CanaryCloud> {
  const alias = shape.alias ?? 'live';
  const measureRequests = evenSplit ? EVEN_MEASURE_REQUESTS : undefined;
  const emu = await (start ?? (() => startTestEmulator({ canaryRandom: evenDraw() })))();
  const clients = new TargetClients({ kind: 'local', endpoint: emu.endpoint });
  try {
    const fn = await clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'lab-GetInfoFunction',
        Runtime: 'nodejs22.x',
        Role: 'arn:aws:iam::000000000000:role/lambda-role',
        Handler: 'app.handler',
        Timeout: 10,
        Code: { ZipFile: Buffer.from(zipSync({ 'app.js': strToU8(V2) })) },
      }),
    );
    const v = await clients.lambda.send(new PublishVersionCommand({ FunctionName: 'lab-GetInfoFunction' }));
    await clients.lambda.send(new CreateAliasCommand({ FunctionName: 'lab-GetInfoFunction', Name: alias, FunctionVersion: v.Version }));
    const apigw = clients.apiGateway;
    const api = await apigw.send(new CreateRestApiCommand({ name: 'lab' }));
    const res = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'getinfo' }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'POST', authorizationType: 'NONE' }));
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId: res.id,
        httpMethod: 'POST',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn.FunctionArn}:${shape.readsVariable ? '${stageVariables.lambdaAlias}' : alias}/invocations`,
      }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'Prod', variables: shape.readsVariable ? { lambdaAlias: alias } : undefined }));
    const record: DeployRecord = {
      schema: 1,
      target: 'local',
      endpoint: emu.endpoint,
      region: 'us-east-1',
      stackName: 'lab',
      deployedAt: new Date().toISOString(),
      outputs: { ApiUrl: frontDoorUrl(emu.endpoint, api.id!, 'Prod', '/getinfo') },
      physicalIds: {},
      functions: [{ logicalId: 'GetInfoFunction', name: 'lab-GetInfoFunction', arn: fn.FunctionArn!, codeSha256: '', version: v.Version, alias }],
      apis: [{ logicalId: 'ServerlessRestApi', restApiId: api.id!, stage: 'Prod', shapeHash: '' }],
    };
    const figures: Record<string, Record<string, FigureValue>> = {};
    return {
      emu,
      clients,
      record,
      figures,
      measureRequests,
      contextFor(stepId) {
        const mine: Record<string, FigureValue> = (figures[stepId] ??= {});
        return fakeContext({
          measureRequests,
          clients,
          endpoint: emu.endpoint,
          deployment: () => record,
          aws: (args: string) => `aws ${args} --endpoint-url ${emu.endpoint}`,
          figure: (key: string, value: FigureValue) => void (mine[key] = value),
          allFigures: () => figures,
        });
      },
      async close() {
        clients.destroy();
        await emu.close();
      },
    };
  } catch (err) {
    clients.destroy();
    await emu.close();
    throw err;
  }
}

/**
 * Teaches canary step `id` as the runner does, to a learner answering `answers`, with `progress`
 * kept across calls (a quit, then `start` again): what the lab said, checked and reported.
 */
export async function teachCanaryStep(cloud: CanaryCloud, progress: ProgressStore, id: string, answers: Answer[]) {
  const io = new RecordingIoHost({ answers });
  const base = fakeContext({
    io,
    measureRequests: cloud.measureRequests,
    clients: cloud.clients,
    endpoint: cloud.emu.endpoint,
    ci: false,
    assisting: false,
    deployment: () => cloud.record,
    aws: (args: string) => `aws ${args} --endpoint-url ${cloud.emu.endpoint}`,
    allFigures: () => cloud.figures,
    stepProgress: (sid: string) => progress.step(sid),
  });
  const ctx = Object.assign(base, {
    stepId: id,
    notes: [] as string[],
    figure: (key: string, value: FigureValue) => void ((cloud.figures[ctx.stepId] ??= {})[key] = value),
  }) as unknown as RunnerContext;
  const step = canarySteps.find((s) => s.id === id)!;
  const report = await teachStep(step, { steps: canarySteps, ctx, progress, reference: ctx.reference, assisted: false, index: 0, total: canarySteps.length });
  const checks = io.of('check').map((e) => e.data as CheckView);
  return { io, ctx, report, checks };
}

/**
 * the workspace's own cloud (a daemon, as deploy starts it, which reset finds by the workspace) with
 * the deploy record naming the stage's deployment. It draws its canary split evenly (EVEN_SPLIT_ENV
 * is set in this process, so that a cloud a command of the test starts again does too, until close)
 */
export async function workspaceCanaryCloud(dir: string, shape: CanaryCloudShape = {}) {
  const ws = workspacePaths(dir);
  const cloud = await startCanaryCloud(
    async () => {
      process.env[EVEN_SPLIT_ENV] = '1';
      try {
        const emu = await ensureEmulator({ stateDir: ws.stateDir });
        return {
          endpoint: emu.endpoint,
          port: emu.port,
          stateDir: ws.stateDir,
          services: [],
          close: async () => {
            try {
              await stopEmulator(ws.stateDir);
            } finally {
              delete process.env[EVEN_SPLIT_ENV];
            }
          },
        };
      } catch (err) {
        delete process.env[EVEN_SPLIT_ENV];
        throw err;
      }
    },
    shape,
    true,
  );
  try {
    const api = cloud.record.apis[0]!;
    const deployed = (await cloud.clients.apiGateway.send(new GetStageCommand({ restApiId: api.restApiId, stageName: api.stage }))).deploymentId!;
    const record = { ...cloud.record, apis: [{ ...api, deploymentId: deployed }] };
    await writeDeployRecord(ws, record);
    return { cloud, api, deployed, record };
  } catch (err) {
    await cloud.close();
    throw err;
  }
}


/** The canary steps `ids` solved in order by the lab's own change (each must pass), and recorded done in `progress`. */
export async function solveCanarySteps(ids: readonly string[], contextFor: (id: string) => LabContext, progress: ProgressStore): Promise<void> {
  for (const id of ids) {
    const r = await solveStep(canarySteps.find((s) => s.id === id)!, contextFor(id), { pollMs: 50 });
    if (r.outcome !== 'passed') throw new Error(`${id} did not pass: ${r.instructorMessage ?? r.learnerMessage}`);
    progress.update(id, (s) => {
      s.status = 'done';
      s.doneAt = new Date().toISOString();
    });
  }
}
