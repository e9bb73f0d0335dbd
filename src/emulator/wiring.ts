/**
 * The one place where the emulated services are built and introduced to each other
 * (STYLE 4: a service declares the small interface it needs; this file hands it an implementation).
 *
 * To add a service: import its factory and add it to the list in `wireServices`, passing the
 * shared `deps` and whatever interfaces it needs from services built before it.
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
import { createApiGatewayService } from './services/apigateway/index.js';
import { createCodeDeployService } from './services/codedeploy/index.js';
import { lambdaAliasRouter, lambdaHookInvoker, noAlarms } from './adapters/codedeploy.js';

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

  // ── the services, in dependency order ──────────────────────────────────────────────────────
  // S3 (services/s3/index.ts): buckets and objects, spoken in restXml. Its backend is the in-process
  // object reader of Rekognition (images) and Lambda (`codeSource: s3CodeSource(s3.backend)`).
  registerCodec('restXml', restXmlCodec);
  const s3 = createS3Service({ store: deps.store });
  services.push(s3);

  // Rekognition (services/rekognition/index.ts): answers from label files, reads images from S3.
  services.push(createRekognitionService({ images: s3.backend }));

  // Lambda (services/lambda/index.ts): functions, versions, aliases, concurrency; code packages from
  // S3; function code runs in worker threads (runner/). Shutdown: stop event retries, end workers.
  const lambdaRunner = new WorkerPool({ region: deps.region, endpointUrl: deps.endpoint });
  const lambda = createLambdaService({
    store: deps.store,
    runner: lambdaRunner,
    clock: deps.clock,
    region: deps.region,
    accountId: deps.accountId,
    accountConcurrencyLimit: deps.accountConcurrency,
    codeSource: s3CodeSource(s3.backend),
  });
  services.push(lambda.definition);
  labDoors.push(lambda.codeDownload); // GetFunction's Code.Location
  labDoors.push(lambda.concurrencyDoor); // in-flight and peak executions, for benchmarks and checks
  shutdownHooks.push(() => lambdaRunner.shutdown(), () => lambda.close());

  // CloudWatch (services/cloudwatch/index.ts): metrics sink for Lambda, alarm reader for CodeDeploy
  //   const cloudwatch = createCloudWatchService(deps); lambda.setMetricsSink(cloudwatch.metrics) ...
  // CodeDeploy (services/codedeploy/index.ts): Lambda moves the alias and runs the hooks (Event
  // invokes); alarm states come from CloudWatch once it is wired (until then no alarm exists).
  // Building it rolls back any deployment that was in flight when the cloud last stopped.
  const codedeploy = createCodeDeployService({
    store: deps.store,
    clock: deps.clock,
    region: deps.region,
    accountId: deps.accountId,
    aliases: lambdaAliasRouter(lambda),
    hooks: lambdaHookInvoker(lambda),
    alarms: noAlarms,
    log: deps.log,
  });
  services.push(codedeploy.definition);
  shutdownHooks.push(() => codedeploy.close());

  // API Gateway (services/apigateway/index.ts): REST APIs, and the front door for invoke URLs.
  // Its LambdaInvoker is Lambda's in-process invoke; a refused call answers throttleStatus.
  const apigateway = createApiGatewayService(deps, { invoker: lambda.invoker });
  services.push(apigateway.definition);
  // ───────────────────────────────────────────────────────────────────────────────────────────

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
