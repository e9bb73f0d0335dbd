/**
 * An emulator serving only API Gateway, with a fake Lambda invoker that records the events it
 * gets and answers with whatever the test queued (or a default 200).
 */
import { ScaledClock, type Clock } from '../../../src/emulator/core/clock.js';
import type { TimerHost } from '../../../src/emulator/core/deadlines.js';
import { ServiceError } from '../../../src/emulator/core/service-error.js';
import { createApiGatewayService, type ApiGatewayService } from '../../../src/emulator/services/apigateway/index.js';
import type { LambdaInvocation, LambdaInvocationResult, LambdaInvoker } from '../../../src/emulator/services/apigateway/invoker.js';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

export type FakeAnswer = LambdaInvocationResult | ServiceError | ((call: LambdaInvocation) => LambdaInvocationResult | Promise<LambdaInvocationResult>);

export class FakeInvoker implements LambdaInvoker {
  /** each call, its event built as the function's thread builds it (from a structured clone of its parts) */
  calls: (Omit<LambdaInvocation, 'event'> & { event: any })[] = [];
  next: FakeAnswer[] = [];
  fallback: FakeAnswer = { payload: JSON.stringify({ statusCode: 200, body: 'ok' }), executedVersion: '1' };

  async invoke(call: LambdaInvocation): Promise<LambdaInvocationResult> {
    const { buildEvent } = (await import(call.event.builder)) as { buildEvent: (parts: unknown) => unknown };
    this.calls.push({ ...call, event: buildEvent(structuredClone(call.event.parts)) });
    const answer = this.next.shift() ?? this.fallback;
    if (answer instanceof ServiceError) throw answer;
    return typeof answer === 'function' ? answer(call) : answer;
  }

  get lastEvent(): any {
    return this.calls[this.calls.length - 1]?.event;
  }
}

export interface ApiGatewayFixture {
  emu: TestEmulator;
  service: ApiGatewayService;
  invoker: FakeInvoker;
  close(): Promise<void>;
}

export async function startApiGateway(
  opts: { throttleStatus?: 500 | 502; random?: () => number; clock?: Clock; timers?: TimerHost } = {},
): Promise<ApiGatewayFixture> {
  const invoker = new FakeInvoker();
  const service = createApiGatewayService(
    { clock: opts.clock ?? new ScaledClock(1), region: 'us-east-1', accountId: '000000000000', throttleStatus: opts.throttleStatus },
    { invoker, random: opts.random, timers: opts.timers },
  );
  const emu = await startTestEmulator({ services: [service.definition], frontDoor: service.frontDoor });
  return { emu, service, invoker, close: () => emu.close() };
}

export const lambdaUri = (fnRef: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnRef}/invocations`;
