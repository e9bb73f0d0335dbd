import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TimerHost } from '../../../src/emulator/core/deadlines.js';
import type { FunctionRunConfig, InvokeRequest } from '../../../src/emulator/services/lambda/runner/types.js';
import { provideRuntimeModules } from '../../../src/emulator/services/lambda/runner/index.js';

/** A temp folder of function code packages; `cleanup()` removes it. */
export class CodeDirs {
  readonly root = mkdtempSync(path.join(tmpdir(), 'lambda-runner-test-'));
  private n = 0;

  constructor() {
    // as the Lambda service does for its code packages: the SDK a Lambda runtime provides
    provideRuntimeModules(this.root);
  }

  /** Write `files` (relative path → content) into a new code folder and return its path. */
  write(files: Record<string, string>): string {
    const dir = path.join(this.root, `fn${++this.n}`);
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

let seq = 0;
export function fnConfig(codeDir: string, over: Partial<FunctionRunConfig> = {}): FunctionRunConfig {
  const functionName = over.functionName ?? `fn-${++seq}`;
  return {
    functionName,
    version: '$LATEST',
    functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    codeDir,
    codeSha256: 'sha-' + codeDir,
    timeoutSeconds: 3,
    memorySizeMB: 128,
    environment: {},
    ...over,
  };
}

export function request(config: FunctionRunConfig, event: unknown = {}, over: Partial<InvokeRequest> = {}): InvokeRequest {
  return {
    requestId: randomUUID(),
    payload: Buffer.from(JSON.stringify(event)),
    invokedFunctionArn: config.functionArn,
    tail: false,
    ...over,
  };
}

/** an invocation's payload: the runtime's JSON text, or bytes */
export function json(payload: Buffer | string): any {
  return JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
}

/** A manual clock and timer: the test decides when the timer fires and what time it is then. */
export class ManualTimers implements TimerHost {
  time = 1000.25;
  armed: { ms: number; fire: () => void } | undefined;
  now(): number {
    return this.time;
  }
  arm(ms: number, fire: () => void): () => void {
    const entry = { ms, fire };
    this.armed = entry;
    return () => {
      if (this.armed === entry) this.armed = undefined;
    };
  }
  /** fire the armed timer at clock time `at` */
  fireAt(at: number): void {
    this.time = at;
    const armed = this.armed!;
    this.armed = undefined;
    armed.fire();
  }
}
