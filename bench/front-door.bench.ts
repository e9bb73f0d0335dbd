/**
 * API Gateway front door (issue 3): requests per second and p50/p99 through
 * `/execute-api/{api}/{stage}/noop` to a no-op Lambda function (worker threads, the real
 * pipeline), beside a bare node http server calling the same handler in-process, both in child
 * processes, 50 connections each. Goal: front door ≥ 0.5x of the bare server.
 */
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { frontDoorUrl } from '../src/emulator/services/apigateway/url.js';
import { CONNECTIONS, NOOP_HANDLER, createFunction, line, measure, sdkConfig, startBareServer, startEmulator } from './harness.js';

const SECONDS = 3;

/** POST /noop on stage prod of a new REST API, proxied to `functionName` */
export async function deployProxyApi(endpoint: string, functionName: string): Promise<string> {
  const apigw = new APIGatewayClient(sdkConfig(endpoint));
  try {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'bench' }));
    const res = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'noop' }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'POST', authorizationType: 'NONE' }));
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId: res.id,
        httpMethod: 'POST',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${functionName}/invocations`,
      }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    return frontDoorUrl(endpoint, api.id!, 'prod', '/noop');
  } finally {
    apigw.destroy();
  }
}

export async function run(): Promise<void> {
  const bare = await startBareServer();
  const emu = await startEmulator();
  try {
    await createFunction(emu.url, 'noop', NOOP_HANDLER);
    const url = await deployProxyApi(emu.url, 'noop');
    await measure({ url: bare.url, seconds: 1 });
    await measure({ url, seconds: 1 }); // warm: start workers, JIT
    console.log(`${CONNECTIONS} connections, ${SECONDS} s each, POST, keep-alive (servers in child processes)`);
    const base = await measure({ url: bare.url, seconds: SECONDS });
    console.log(line('bare http server + handler', base));
    const front = await measure({ url, seconds: SECONDS });
    console.log(line('front door → no-op Lambda', front, base));
    console.log('goal: front door ≥ 0.50x of the bare server');
  } finally {
    await bare.stop();
    await emu.stop();
  }
}
