/**
 * Names and ids are user input: `constructor`, `__proto__`, `toString` ... must be looked up as
 * records like any other name (core/own-key.ts), never found on Object.prototype. A lookup of one
 * that was never stored answers the service's own not-found; one that is stored is found again,
 * also after a restart.
 *
 * The walk over every operation of every wired service is what keeps the whole class fixed: a new
 * service or operation is covered by it without being named here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetDeploymentCommand,
  GetMethodCommand,
  GetResourceCommand,
  GetRestApiCommand,
  GetStageCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateAliasCommand, GetAliasCommand, GetFunctionCommand, InvokeCommand, LambdaClient, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { DetectLabelsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { clientConfig, scopeOnlyAuthorization, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { createFn, handlers } from './lambda/harness.js';

import { SDK_CLIENTS } from './fuzz/clients.js';

export const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype'];

/** the top-level string members of an SDK input schema (see fuzz/sdk-inputs.ts for the encoding) */
function stringMembers(schema: unknown): string[] {
  const s = typeof schema === 'function' ? schema() : schema;
  if (!Array.isArray(s) || !Array.isArray(s[4])) return [];
  return (s[4] as string[]).filter((_, i) => {
    const m = (s[5] as unknown[])[i];
    return m === 0 || (Array.isArray(m) && m.length === 2 && m[0] === 0);
  });
}

async function failure(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to fail');
}

/** a request that names its service only by its SigV4 credential scope, as every SDK request does */
function signedHeaders(signingName: string): Record<string, string> {
  return { authorization: scopeOnlyAuthorization(signingName) };
}

describe('prototype names as ids', () => {
  let emu: TestEmulator;
  const cfg = () => clientConfig(emu.endpoint);
  before(async () => {
    emu = await startTestEmulator();
  });
  after(async () => {
    await emu.close();
  });

  test('every REST operation of every service, each label a prototype name: no 5xx, a service error code', async () => {
    let tried = 0;
    for (const service of emu.services) {
      for (const op of service.operations) {
        if (!op.http) continue;
        for (const key of PROTOTYPE_KEYS) {
          const path = op.http.path
            .split('?')[0]
            .replace(/\{[^}]+\}/g, encodeURIComponent(key));
          const query = new URLSearchParams(op.http.queryMatch ?? {});
          for (const member of Object.keys(op.http.query ?? {})) query.set(member, key);
          const res = await fetch(`${emu.endpoint}${path}${query.size ? `?${query}` : ''}`, {
            method: op.http.method,
            headers: { ...signedHeaders(service.signingName), 'content-type': 'application/json' },
            body: op.http.method === 'GET' || op.http.method === 'HEAD' ? undefined : '{}',
          });
          const text = await res.text();
          tried++;
          assert.ok(res.status < 500, `${service.id} ${op.name} with '${key}': ${res.status} ${text}`);
          if (res.status >= 400 && op.http.method !== 'HEAD') {
            const code = res.headers.get('x-amzn-errortype') ?? /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? JSON.parse(text || '{}').__type;
            assert.ok(code && code !== 'InternalFailure', `${service.id} ${op.name} with '${key}': no service error code in ${text}`);
          }
        }
      }
    }
    console.log(`# prototype names: ${tried} requests over every REST operation`);
    assert.ok(tried > 100);
  });

  test('every operation of every service through its SDK client, each string member a prototype name', async () => {
    let tried = 0;
    for (const service of emu.services) {
      const spec = SDK_CLIENTS[service.signingName];
      assert.ok(spec, `no SDK client named for '${service.signingName}' (test/emulator/fuzz/clients.ts)`);
      const sdk = (await import(spec.module)) as Record<string, any>;
      // a logger of its own: the S3 client warns on the console of each upload whose body it
      // cannot measure ('Are you using a Stream of unknown length …'), three lines in npm test's
      // output for a test about the cloud's answers
      const quiet = { debug() {}, info() {}, warn() {}, error() {} };
      const client = new sdk[spec.client]({ ...cfg(), ...spec.config, logger: quiet });
      try {
        for (const op of service.operations) {
          const Command = sdk[`${op.name}Command`];
          if (!Command) continue;
          const members = stringMembers(new Command({}).schema?.[4]);
          if (!members.length) continue;
          for (const key of ['constructor', '__proto__', 'toString']) {
            const input = Object.fromEntries(members.map((m) => [m, key]));
            tried++;
            const e = await client.send(new Command(input)).then(() => undefined, (err: any) => err);
            const status = e?.$metadata?.httpStatusCode;
            if (e && status === undefined) continue; // the client would not send it (e.g. a required member of another type)
            assert.ok(!e || status < 500 || (service.id === 's3' && status === 501), `${service.id} ${op.name} with '${key}': ${status} ${e?.name}: ${e?.message}`);
          }
        }
      } finally {
        client.destroy();
      }
    }
    console.log(`# prototype names: ${tried} SDK calls over every operation with string members`);
    assert.ok(tried > 100);
  });

  test('Lambda: a function, an alias and a qualifier named after Object.prototype', async () => {
    const lambda = new LambdaClient(cfg());
    try {
      for (const key of PROTOTYPE_KEYS) {
        const e = await failure(lambda.send(new GetFunctionCommand({ FunctionName: key })));
        assert.equal(e.name, 'ResourceNotFoundException', key);
      }
      await createFn(lambda, 'holder', handlers.version);
      for (const key of ['constructor', '__proto__', 'toString']) {
        const e = await failure(lambda.send(new GetAliasCommand({ FunctionName: 'holder', Name: key })));
        assert.equal(e.name, 'ResourceNotFoundException', key);
        const inv = await failure(lambda.send(new InvokeCommand({ FunctionName: 'holder', Qualifier: key })));
        assert.equal(inv.name, 'ResourceNotFoundException', key);
      }
      await createFn(lambda, '__proto__', handlers.version);
      await createFn(lambda, 'constructor', handlers.version);
      await lambda.send(new PublishVersionCommand({ FunctionName: '__proto__' }));
      await lambda.send(new CreateAliasCommand({ FunctionName: '__proto__', Name: '__proto__', FunctionVersion: '1' }));
      assert.equal((await lambda.send(new GetFunctionCommand({ FunctionName: '__proto__' }))).Configuration?.FunctionName, '__proto__');
      assert.equal((await lambda.send(new GetAliasCommand({ FunctionName: '__proto__', Name: '__proto__' }))).FunctionVersion, '1');
      const out = await lambda.send(new InvokeCommand({ FunctionName: '__proto__:__proto__' }));
      assert.equal(out.ExecutedVersion, '1');
    } finally {
      lambda.destroy();
    }
  });

  test('API Gateway: API, resource, method, deployment and stage ids', async () => {
    const apigw = new APIGatewayClient(cfg());
    try {
      for (const key of PROTOTYPE_KEYS) {
        assert.equal((await failure(apigw.send(new GetRestApiCommand({ restApiId: key })))).name, 'NotFoundException', key);
      }
      const api = await apigw.send(new CreateRestApiCommand({ name: 'protos' }));
      const restApiId = api.id!;
      const root = api.rootResourceId!;
      for (const key of PROTOTYPE_KEYS) {
        for (const call of [
          new GetResourceCommand({ restApiId, resourceId: key }),
          new GetMethodCommand({ restApiId, resourceId: root, httpMethod: key }),
          new GetDeploymentCommand({ restApiId, deploymentId: key }),
          new GetStageCommand({ restApiId, stageName: key }),
        ]) {
          const e = await failure(apigw.send(call as any));
          assert.ok(e.name === 'NotFoundException' || e.name === 'BadRequestException', `${call.constructor.name} ${key}: ${e.name}`);
          assert.ok(e.$metadata.httpStatusCode < 500);
        }
      }
      await apigw.send(new PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
      await apigw.send(new PutIntegrationCommand({ restApiId, resourceId: root, httpMethod: 'GET', type: 'MOCK' }));
      await apigw.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: 'constructor' }));
      await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: '__proto__', variables: { ['__proto__']: 'kept', toString: 'too' } }));
      await apigw.send(new UpdateStageCommand({ restApiId, stageName: '__proto__', patchOperations: [{ op: 'replace', path: '/variables/constructor', value: 'v' }] }));
      const stage = await apigw.send(new GetStageCommand({ restApiId, stageName: '__proto__' }));
      assert.deepEqual({ ...stage.variables }, { ['__proto__']: 'kept', toString: 'too', constructor: 'v' });
      // the front door: a stage that is not there is AWS's 403, one that is serves
      for (const key of PROTOTYPE_KEYS) {
        const res = await fetch(`${emu.endpoint}/restapis/${restApiId}/${key === '__proto__' ? 'toString' : key}/_user_request_/`);
        await res.text();
        assert.equal(res.status, 403, key);
        const missingApi = await fetch(`${emu.endpoint}/restapis/${encodeURIComponent(key)}/prod/_user_request_/?${key}=1`);
        await missingApi.text();
        assert.equal(missingApi.status, 403, key);
      }
      const served = await fetch(`${emu.endpoint}/restapis/${restApiId}/__proto__/_user_request_/?constructor=1&toString=2&__proto__=3`);
      await served.text();
      assert.equal(served.status, 200);
    } finally {
      apigw.destroy();
    }
  });

  test('S3 and Rekognition: buckets and keys', async () => {
    const s3 = new S3Client({ ...cfg(), forcePathStyle: true });
    const rekognition = new RekognitionClient(cfg());
    try {
      assert.equal((await failure(s3.send(new HeadBucketCommand({ Bucket: 'constructor' })))).$metadata.httpStatusCode, 404);
      await s3.send(new CreateBucketCommand({ Bucket: 'protos' }));
      for (const key of PROTOTYPE_KEYS) {
        assert.equal((await failure(s3.send(new GetObjectCommand({ Bucket: 'protos', Key: key })))).name, 'NoSuchKey', key);
        const e = await failure(rekognition.send(new DetectLabelsCommand({ Image: { S3Object: { Bucket: 'protos', Name: key } } })));
        assert.equal(e.name, 'InvalidS3ObjectException', key);
      }
      await s3.send(new PutObjectCommand({ Bucket: 'protos', Key: '__proto__', Body: 'stored' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'protos', Key: '__proto__' }));
      assert.equal(await got.Body?.transformToString(), 'stored');
    } finally {
      s3.destroy();
      rekognition.destroy();
    }
  });
});

test('records named __proto__ and constructor survive a restart', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sol-protos-'));
  try {
    const first = await startTestEmulator({ stateDir });
    const c1 = new LambdaClient(clientConfig(first.endpoint));
    const g1 = new APIGatewayClient(clientConfig(first.endpoint));
    let restApiId: string;
    try {
      await createFn(c1, '__proto__', handlers.version);
      await c1.send(new PublishVersionCommand({ FunctionName: '__proto__' }));
      await c1.send(new CreateAliasCommand({ FunctionName: '__proto__', Name: 'constructor', FunctionVersion: '1' }));
      const api = await g1.send(new CreateRestApiCommand({ name: 'protos' }));
      restApiId = api.id!;
      await g1.send(new PutMethodCommand({ restApiId, resourceId: api.rootResourceId!, httpMethod: 'GET', authorizationType: 'NONE' }));
      await g1.send(new PutIntegrationCommand({ restApiId, resourceId: api.rootResourceId!, httpMethod: 'GET', type: 'MOCK' }));
      await g1.send(new CreateDeploymentCommand({ restApiId, stageName: '__proto__' }));
    } finally {
      c1.destroy();
      g1.destroy();
      await first.close();
    }
    const second = await startTestEmulator({ stateDir });
    const c2 = new LambdaClient(clientConfig(second.endpoint));
    const g2 = new APIGatewayClient(clientConfig(second.endpoint));
    try {
      assert.equal((await c2.send(new GetAliasCommand({ FunctionName: '__proto__', Name: 'constructor' }))).FunctionVersion, '1');
      assert.equal((await g2.send(new GetStageCommand({ restApiId, stageName: '__proto__' }))).stageName, '__proto__');
    } finally {
      c2.destroy();
      g2.destroy();
      await second.close();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});
