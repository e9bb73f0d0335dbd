/**
 * The one place where the emulated services are built and introduced to each other
 * (STYLE 4: a service declares the small interface it needs; this file hands it an implementation).
 *
 * Services are built in dependency order (S3, STS, Rekognition, CloudWatch → Lambda → CodeDeploy →
 * API Gateway); each gets what it needs from those built before it as required constructor
 * arguments: no setters, no defaults. To add a service: build it after what it needs, before what
 * needs it.
 */
import type { Clock } from './core/clock.js';
import type { ServiceDefinition } from './core/service.js';
import type { StateStore } from './core/store.js';
import type { FrontDoor } from './protocols/types.js';
import type { EmulatorApp } from './server.js';
import { registerCodec } from './protocols/codecs.js';
import { restXmlCodec } from './protocols/rest-xml.js';
import { createS3Service, s3CodeSource } from './services/s3/index.js';
import { createLambdaService } from './services/lambda/index.js';
import { WorkerPool } from './services/lambda/runner/index.js';
import { createRekognitionService } from './services/rekognition/index.js';
import { createApiGatewayService, PROXY_EVENT_BUILDER } from './services/apigateway/index.js';
import { createCodeDeployService } from './services/codedeploy/index.js';
import { cloudWatchAlarmReader, lambdaAliasRouter, lambdaHookInvoker } from './adapters/codedeploy.js';
import { createCloudWatchService } from './services/cloudwatch/index.js';
import { createStsService } from './services/sts/index.js';
import { ClockDoor } from './clock-door.js';

export interface WiringOptions {
  store: StateStore;
  clock: Clock;
  /** the endpoint clients use, e.g. `http://127.0.0.1:4566` (functions get it as AWS_ENDPOINT_URL) */
  endpoint: string;
  /** how much faster cloud timers run (also in `clock.speed`) */
  speed: number;
  /** Lambda's account concurrency limit (AWS default 1000) */
  accountConcurrency: number;
  /** what API Gateway answers when Lambda throttles an invocation (AWS today: 500; the workshop saw 502) */
  throttleStatus: 500 | 502;
  region?: string;
  accountId?: string;
  /** for services' own diagnostics (the emulator's stderr / log file) */
  log?: (line: string) => void;
  /**
   * [0, 1), API Gateway's draw of a stage canary's split (default Math.random); a test passes an
   * even, deterministic one to measure a split exactly with few requests
   */
  canaryRandom?: () => number;
}

/** What every service factory receives. */
export interface ServiceDeps {
  store: StateStore;
  clock: Clock;
  endpoint: string;
  region: string;
  accountId: string;
  speed: number;
  accountConcurrency: number;
  throttleStatus: 500 | 502;
  log: (line: string) => void;
}

export async function wireServices(options: WiringOptions): Promise<EmulatorApp> {
  const deps: ServiceDeps = {
    store: options.store,
    clock: options.clock,
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '000000000000',
    speed: options.speed,
    accountConcurrency: options.accountConcurrency,
    throttleStatus: options.throttleStatus,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
  const services: ServiceDefinition[] = [];
  /** run in reverse order of creation on shutdown: end workers, flush state */
  const shutdownHooks: (() => void | Promise<void>)[] = [];
  /** lab paths served beside the AWS APIs (asked after API Gateway's invoke URLs) */
  const labDoors: FrontDoor[] = [];

  // ── the services, in dependency order: each gets what it needs from those built before it ─────
  // S3 (services/s3/): buckets and objects, spoken in restXml. Its backend is the in-process object
  // reader of Rekognition (images) and Lambda (code packages).
  registerCodec('restXml', restXmlCodec);
  const s3 = createS3Service({ store: deps.store, now: () => deps.clock.now() });
  services.push(s3);

  // STS (services/sts/): GetCallerIdentity, the account's root user; needs no other service.
  services.push(createStsService());

  // Rekognition (services/rekognition/): answers from label files, reads images from S3.
  services.push(createRekognitionService({ images: s3.backend }));

  // CloudWatch (services/cloudwatch/): metric data and alarms on the cloud's clock. It needs no
  // other service; Lambda publishes into it, CodeDeploy reads its alarms.
  const cloudwatch = createCloudWatchService({
    store: deps.store,
    clock: deps.clock,
    region: deps.region,
    accountId: deps.accountId,
    log: deps.log,
  });
  services.push(cloudwatch.definition);
  shutdownHooks.push(() => cloudwatch.close());
  labDoors.push(new ClockDoor(deps.clock)); // GET /_lab/clock: cloud time and speed

  // Lambda (services/lambda/): functions, versions, aliases, concurrency; code packages from S3,
  // metrics to CloudWatch; function code runs in worker threads (runner/).
  // the runtime SDK's compiled code is kept in the state dir: later cold starts, this run or the next, reuse it
  // API Gateway hands its proxy event over as parts, built in the function's thread: its builder
  // loads in every environment's init
  const lambdaRunner = new WorkerPool({
    region: deps.region,
    endpointUrl: deps.endpoint,
    compileCacheDir: deps.store.blobPath('lambda/compile-cache'),
    eventBuilders: [PROXY_EVENT_BUILDER],
  });
  const lambda = createLambdaService({
    store: deps.store,
    runner: lambdaRunner,
    clock: deps.clock,
    region: deps.region,
    accountId: deps.accountId,
    accountConcurrencyLimit: deps.accountConcurrency,
    codeSource: s3CodeSource(s3.backend),
    metrics: cloudwatch.lambdaMetrics,
  });
  services.push(lambda.definition);
  labDoors.push(lambda.codeDownload); // GetFunction's Code.Location
  labDoors.push(lambda.concurrencyDoor); // in-flight and peak executions, for benchmarks and checks
  // shutdown runs in reverse: Lambda stops its event retries, then the workers end
  shutdownHooks.push(() => lambdaRunner.shutdown(), () => lambda.close());

  // CodeDeploy (services/codedeploy/): Lambda moves the alias and runs the hooks (Event invokes);
  // CloudWatch answers the group's alarm states. Building it rolls back any deployment that was in
  // flight when the cloud last stopped.
  const codedeploy = createCodeDeployService({
    store: deps.store,
    clock: deps.clock,
    region: deps.region,
    accountId: deps.accountId,
    aliases: lambdaAliasRouter(lambda),
    hooks: lambdaHookInvoker(lambda),
    alarms: cloudWatchAlarmReader(cloudwatch.backend),
    log: deps.log,
  });
  services.push(codedeploy.definition);
  shutdownHooks.push(() => codedeploy.close());

  // API Gateway (services/apigateway/): REST APIs, and the front door for invoke URLs. Its
  // LambdaInvoker is Lambda's in-process invoke; a refused call answers throttleStatus.
  const apigateway = createApiGatewayService(deps, { invoker: lambda.invoker, random: options.canaryRandom });
  services.push(apigateway.definition);
  // ─────────────────────────────────────────────────────────────────────────────────────────────

  return {
    services,
    frontDoors: [apigateway.frontDoor, ...labDoors],
    async shutdown() {
      for (const hook of shutdownHooks.reverse()) {
        try {
          await hook();
        } catch (err) {
          deps.log(`emulator: a shutdown hook failed: ${(err as Error)?.message ?? String(err)}`);
        }
      }
    },
  };
}
