/** Service detection and the JSON codecs on every request the real SDK and aws CLI sent (captures/). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codecFor } from '../../../src/emulator/protocols/codecs.js';
import { detectService } from '../../../src/emulator/protocols/detect.js';
import { allFakes, loadCaptures, toWireRequest, type Capture } from './fixtures.js';

const captures = loadCaptures();
const serviceBySigningName: Record<string, string> = {
  monitoring: 'cloudwatch',
  lambda: 'lambda',
  codedeploy: 'codedeploy',
  apigateway: 'apigateway',
  rekognition: 'rekognition',
  s3: 's3',
};

function label(c: Capture): string {
  return `${c.file} ${c.method} ${c.url} ${c.classified.op ?? ''}`;
}

test('the captures are there', () => {
  assert.ok(captures.length >= 50, `only ${captures.length} captures`);
});

test('every captured request is routed to its service and protocol', () => {
  for (const c of captures) {
    const detected = detectService(toWireRequest(c), allFakes);
    assert.ok(detected, label(c));
    assert.equal(detected.service.id, serviceBySigningName[c.classified.scope!.service], label(c));
    const expected =
      c.classified.proto === 'rpcv2cbor' ? 'rpcv2Cbor'
      : c.classified.proto === 'json' ? (c.classified.jsonVersion === '1.0' ? 'awsJson1_0' : 'awsJson1_1')
      : detected.service.id === 's3' ? 'restXml' : 'restJson1';
    assert.equal(detected.protocol, expected, label(c));
  }
});

test('unsigned requests are routed by X-Amz-Target, the CBOR path, or the REST path', () => {
  for (const c of captures) {
    const req = toWireRequest(c);
    delete req.headers.authorization;
    const detected = detectService(req, allFakes);
    assert.equal(detected?.service.id, serviceBySigningName[c.classified.scope!.service], label(c));
  }
});

test('the awsJson codecs parse every captured JSON request', () => {
  for (const c of captures.filter((c) => c.classified.proto === 'json')) {
    const req = toWireRequest(c);
    // the capture log stored the gzipped PutMetricData body as text; the server gunzips real ones
    if (req.headers['content-encoding'] === 'gzip') continue;
    const detected = detectService(req, allFakes)!;
    const call = codecFor(detected.protocol)!.parse(req, detected.service);
    assert.equal(call.operation.name, c.classified.op, label(c));
    assert.deepEqual(call.input, JSON.parse(req.body.toString()), label(c));
  }
});

test('the restJson1 codec parses every captured Lambda and API Gateway request', () => {
  const expectations: Record<string, [string, Record<string, unknown>]> = {
    'GET /2016-08-19/account-settings': ['GetAccountSettings', {}],
    'GET /2015-03-31/functions/fn/configuration?Qualifier=live': ['GetFunctionConfiguration', { FunctionName: 'fn', Qualifier: 'live' }],
    'PUT /2017-10-31/functions/fn/concurrency': ['PutFunctionConcurrency', { FunctionName: 'fn', ReservedConcurrentExecutions: 5 }],
    'PUT /2015-03-31/functions/fn/aliases/live': ['UpdateAlias', { FunctionName: 'fn', Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } }],
    'GET /2015-03-31/functions/fn/versions?MaxItems=50': ['ListVersionsByFunction', { FunctionName: 'fn', MaxItems: '50' }],
    'GET /2019-09-30/functions/fn/concurrency': ['GetFunctionConcurrency', { FunctionName: 'fn' }],
    'DELETE /2017-10-31/functions/fn/concurrency': ['DeleteFunctionConcurrency', { FunctionName: 'fn' }],
    'GET /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Afn%3Alive': [
      'GetFunction',
      { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:fn:live' },
    ],
    'GET /restapis?limit=25': ['GetRestApis', { limit: '25' }],
    'GET /restapis': ['GetRestApis', {}],
    'GET /restapis/abc/stages/prod': ['GetStage', { restApiId: 'abc', stageName: 'prod' }],
  };
  let checked = 0;
  for (const c of captures.filter((c) => c.classified.proto === 'rest')) {
    const req = toWireRequest(c);
    const detected = detectService(req, allFakes)!;
    if (detected.protocol !== 'restJson1') continue;
    const call = codecFor('restJson1')!.parse(req, detected.service);
    const expected = expectations[`${c.method} ${c.url}`];
    if (expected) {
      assert.equal(call.operation.name, expected[0], label(c));
      assert.deepEqual(call.input, expected[1], label(c));
      checked++;
    }
    if (call.operation.name === 'Invoke') {
      assert.deepEqual(call.input.Payload, Buffer.from('{"a":1}'), label(c));
      assert.equal(call.input.FunctionName, 'fn');
      // the CLI sends no Content-Type and no invocation type: RequestResponse by default
      if (c.url.includes('Qualifier')) assert.equal(call.input.Qualifier, 'live');
    }
  }
  assert.ok(checked >= 11, `checked ${checked}`);
});
