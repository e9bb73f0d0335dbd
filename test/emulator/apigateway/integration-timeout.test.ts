import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { ApiGatewayBackend } from '../../../src/emulator/services/apigateway/backend.js';
import { frontDoorUrl } from '../../../src/emulator/services/apigateway/index.js';
import type { LambdaInvocationResult } from '../../../src/emulator/services/apigateway/invoker.js';
import { ManualTimers } from '../lambda-runner/fixtures.js';
import { lambdaUri, startApiGateway, type ApiGatewayFixture } from './fixture.js';

const OK: LambdaInvocationResult = { payload: JSON.stringify({ statusCode: 200, body: 'late' }), executedVersion: '1' };

/** GET /slow with the default integration timeout, GET /quick with timeoutInMillis 50 */
function buildApi(b: ApiGatewayBackend): string {
  const api = b.createRestApi({ name: 'timeouts' });
  for (const [part, timeoutInMillis] of [['slow', undefined], ['quick', 50]] as const) {
    const id = b.createResource(api.id, api.rootResourceId, part).id;
    b.putMethod(api.id, id, 'GET', { authorizationType: 'NONE' });
    b.putIntegration(api.id, id, 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri('app'), timeoutInMillis });
  }
  b.createDeployment(api.id, { stageName: 'prod' });
  return api.id;
}

describe('API Gateway front door: the integration timeout', () => {
  const timers = new ManualTimers();
  let fx: ApiGatewayFixture;
  let url: (path: string) => string;
  before(async () => {
    fx = await startApiGateway({ timers });
    const apiId = buildApi(fx.service.backend);
    url = (path) => frontDoorUrl(fx.emu.endpoint, apiId, 'prod', path);
  });
  after(() => fx.close());

  /** a function that answers only when the test says so; the request is sent and has reached it */
  async function held(path: string) {
    let answer!: (r: LambdaInvocationResult) => void;
    fx.invoker.calls = [];
    fx.invoker.next = [() => new Promise<LambdaInvocationResult>((resolve) => (answer = resolve))];
    const response = fetch(url(path));
    while (fx.invoker.calls.length === 0) await sleep(5);
    return { response, answer: (r: LambdaInvocationResult) => answer(r) };
  }

  for (const [path, ms] of [['/slow', 29_000], ['/quick', 50]] as const) {
    it(`answers 504 Endpoint request timed out once ${path}'s integration has run ${ms} ms`, async () => {
      const { response, answer } = await held(path);
      try {
        assert.equal(timers.armed?.ms, ms, 'the integration has a timeout');
        timers.fireAt(timers.time + ms);
        const res = await response;
        assert.equal(res.status, 504);
        assert.deepEqual(await res.json(), { message: 'Endpoint request timed out' });
        assert.ok(res.headers.get('x-amzn-requestid'));
      } finally {
        answer(OK); // the function ends later: its answer goes nowhere
        await response.catch(() => undefined);
      }
    });
  }

  it("answers with the function's answer when it comes first", async () => {
    const { response, answer } = await held('/slow');
    answer(OK);
    const res = await response;
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'late');
    assert.equal(timers.armed?.ms, 29_000, 'the timer stays armed, its deadline cancelled');
    timers.fireAt(timers.time + 29_000); // fires nothing
  });
});
