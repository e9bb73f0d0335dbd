/**
 * An emulator inside the test process, on a free port, with a fresh temp state dir.
 *
 *   const emu = await startTestEmulator();
 *   const lambda = new LambdaClient(clientConfig(emu.endpoint));
 *   ... finally: await emu.close();   // closes the server, runs shutdown hooks, removes the dir
 *
 * With `services`, serves exactly those (a codec test's fake service); otherwise every wired service.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistedClock, type Clock } from '../../src/emulator/core/clock.js';
import type { ServiceDefinition } from '../../src/emulator/core/service.js';
import { StateStore } from '../../src/emulator/core/store.js';
import type { FrontDoor } from '../../src/emulator/protocols/types.js';
import { createEmulatorServer, type RequestLogEntry } from '../../src/emulator/server.js';
import { wireServices } from '../../src/emulator/wiring.js';

export interface TestEmulatorOptions {
  /** serve only these (no wiring) */
  services?: ServiceDefinition[];
  frontDoor?: FrontDoor;
  /** default: the state dir's persisted clock at `speed`, as the emulator uses */
  clock?: Clock;
  speed?: number;
  accountConcurrency?: number;
  throttleStatus?: 500 | 502;
  /** reuse a state dir (e.g. to test a restart); it is then not removed by close() */
  stateDir?: string;
  /** the store over stateDir (default: a plain StateStore), e.g. one whose disk fails on demand */
  store?: StateStore;
  onRequest?: (entry: RequestLogEntry) => void;
  /** API Gateway's draw of a stage canary's split (default Math.random), e.g. evenDraw() */
  canaryRandom?: () => number;
}

export interface TestEmulator {
  endpoint: string;
  port: number;
  stateDir: string;
  /** what it serves (each service's operations table), for tests that walk every operation */
  services: ServiceDefinition[];
  close(): Promise<void>;
}

export async function startTestEmulator(opts: TestEmulatorOptions = {}): Promise<TestEmulator> {
  const ownDir = opts.stateDir === undefined;
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'sol-emu-'));
  const speed = opts.speed ?? 1;
  let services: ServiceDefinition[] = [];
  const wireWithStore = (store: StateStore, endpoint: string) =>
    wireServices({
      store,
      clock: opts.clock ?? PersistedClock.open(store, speed, (line) => process.stderr.write(`${line}\n`)),
      endpoint,
      speed,
      accountConcurrency: opts.accountConcurrency ?? 1000,
      throttleStatus: opts.throttleStatus ?? 500,
      canaryRandom: opts.canaryRandom,
    });
  try {
    const server = await createEmulatorServer({
      port: 0,
      onRequest: opts.onRequest,
      app: async (endpoint) => {
        const app = opts.services
          ? { services: opts.services, frontDoors: opts.frontDoor ? [opts.frontDoor] : [] }
          : await wireWithStore(opts.store ?? new StateStore(stateDir), endpoint);
        services = app.services;
        return app;
      },
    });

    return {
      endpoint: server.endpoint,
      port: server.port,
      stateDir,
      services,
      async close() {
        try {
          await server.close();
        } finally {
          if (ownDir) rmSync(stateDir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    if (ownDir) rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
}

/** SDK v3 client options for the emulator; one attempt so throttling tests count exactly. */
export function clientConfig(endpoint: string) {
  return {
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
}

/**
 * The Authorization header of a raw request (one the SDK would not send): a SigV4 header whose
 * credential scope names the service, which is all the emulator reads of it (it checks no signature).
 */
export function scopeOnlyAuthorization(signingName: string): string {
  return `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${signingName}/aws4_request, SignedHeaders=host, Signature=00`;
}
