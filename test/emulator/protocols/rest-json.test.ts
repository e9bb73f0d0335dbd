/** restJson1 and awsJson codec details on hand-made requests. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../src/emulator/core/service-error.js';
import type { ServiceDefinition } from '../../../src/emulator/core/service.js';
import { awsJson10Codec } from '../../../src/emulator/protocols/aws-json.js';
import { restJsonCodec } from '../../../src/emulator/protocols/rest-json.js';
import type { WireRequest } from '../../../src/emulator/protocols/types.js';
import { cloudwatchFake } from './fixtures.js';

const service: ServiceDefinition = {
  id: 'demo',
  signingName: 'demo',
  protocols: ['restJson1'],
  operations: [
    { name: 'GetThing', http: { method: 'GET', path: '/things/{Id}', query: { tag: 'Tags', limit: 'Limit' }, headers: { 'x-demo-mode': 'Mode' } }, handle: () => ({}) },
    { name: 'ListThings', http: { method: 'GET', path: '/things' }, handle: () => ({}) },
    { name: 'GetVersions', http: { method: 'GET', path: '/things/{Id}?versions' }, handle: () => ({}) },
    { name: 'GetFile', http: { method: 'GET', path: '/files/{Bucket}/{Key+}' }, handle: () => ({}) },
    { name: 'GetFileMeta', http: { method: 'GET', path: '/files/{Bucket}/{Key+}/meta' }, handle: () => ({}) },
    {
      name: 'Delete',
      http: { method: 'DELETE', path: '/things/{Id}', status: 204 },
      handle: () => ({}),
    },
    {
      name: 'Download',
      http: { method: 'GET', path: '/blobs/{Id}', responsePayload: 'Body', responseHeaders: { ContentType: 'Content-Type', Modified: 'Last-Modified' } },
      handle: () => ({}),
    },
  ],
};

function req(method: string, url: string, headers: Record<string, string> = {}, body = ''): WireRequest {
  const u = new URL(url, 'http://127.0.0.1');
  return { method, path: u.pathname, query: u.searchParams, headers, body: Buffer.from(body) };
}

test('labels are percent-decoded; query and header members are taken out; repeated keys give a list', () => {
  const call = restJsonCodec.parse(req('GET', '/things/a%3Ab%20c?tag=x&tag=y&limit=5', { 'x-demo-mode': 'fast' }), service);
  assert.equal(call.operation.name, 'GetThing');
  assert.deepEqual(call.input, { Id: 'a:b c', Tags: ['x', 'y'], Limit: '5', Mode: 'fast' });
});

test('a query key in the template picks the more specific route', () => {
  assert.equal(restJsonCodec.parse(req('GET', '/things/1?versions'), service).operation.name, 'GetVersions');
  assert.equal(restJsonCodec.parse(req('GET', '/things/1'), service).operation.name, 'GetThing');
  assert.equal(restJsonCodec.parse(req('GET', '/things'), service).operation.name, 'ListThings');
});

test('a greedy label takes the rest of the path, leaving what the template still needs', () => {
  assert.deepEqual(restJsonCodec.parse(req('GET', '/files/b/dir/a%20b.txt'), service).input, { Bucket: 'b', Key: 'dir/a b.txt' });
  const meta = restJsonCodec.parse(req('GET', '/files/b/dir/x/meta'), service);
  assert.equal(meta.operation.name, 'GetFileMeta');
  assert.deepEqual(meta.input, { Bucket: 'b', Key: 'dir/x' });
});

test('no route, or a route without this method: 404 UnknownOperationException', () => {
  assert.throws(() => restJsonCodec.parse(req('GET', '/nothing'), service), (e: ServiceError) => e.code === 'UnknownOperationException' && e.status === 404);
  assert.throws(() => restJsonCodec.parse(req('PATCH', '/things/1'), service), (e: ServiceError) => e.status === 404);
});

test('serialize: modelled status, 204 has no body, Dates are epoch seconds, Buffers base64', () => {
  const get = restJsonCodec.parse(req('GET', '/things/1'), service);
  const ok = restJsonCodec.serialize(get, { When: new Date(1700000000500), Data: Buffer.from('hi'), Skip: undefined }, service, 'rid');
  assert.equal(ok.status, 200);
  assert.equal(ok.headers['Content-Type'], 'application/json');
  assert.equal(ok.headers['x-amzn-RequestId'], 'rid');
  assert.deepEqual(JSON.parse(String(ok.body)), { When: 1700000000.5, Data: 'aGk=' });
  const del = restJsonCodec.serialize(restJsonCodec.parse(req('DELETE', '/things/1'), service), {}, service, 'rid');
  assert.equal(del.status, 204);
  assert.equal(del.body, '');
});

test('serialize: a response payload member is the raw body; header members become headers', () => {
  const call = restJsonCodec.parse(req('GET', '/blobs/1'), service);
  const out = restJsonCodec.serialize(call, { Body: Buffer.from([1, 2, 3]), ContentType: 'image/png', Modified: new Date(0) }, service, 'r');
  assert.deepEqual(out.body, Buffer.from([1, 2, 3]));
  assert.equal(out.headers['Content-Type'], 'image/png');
  assert.equal(out.headers['Last-Modified'], 'Thu, 01 Jan 1970 00:00:00 GMT');
});

test('restJson1 error: status, x-amzn-ErrorType, message and fields, extra headers', () => {
  const err = new ServiceError('TooManyRequestsException', 'Rate Exceeded.', 429, { Reason: 'R', Type: 'User' }, { 'Retry-After': '1' });
  const res = restJsonCodec.serializeError(err, service, 'rid');
  assert.equal(res.status, 429);
  assert.equal(res.headers['x-amzn-ErrorType'], 'TooManyRequestsException');
  assert.equal(res.headers['Retry-After'], '1');
  assert.deepEqual(JSON.parse(String(res.body)), { Reason: 'R', Type: 'User', message: 'Rate Exceeded.' });
  const withMessage = restJsonCodec.serializeError(new ServiceError('X', 'm', 400, { Message: 'M' }), service, 'rid');
  assert.deepEqual(JSON.parse(String(withMessage.body)), { Message: 'M' });
});

test('awsJson query-compatible error: namespaced __type, x-amzn-query-error, status from the model', () => {
  const res = awsJson10Codec.serializeError(new ServiceError('ResourceNotFound', 'Alarm nope does not exist'), cloudwatchFake, 'rid');
  assert.equal(res.status, 404);
  assert.equal(res.headers['x-amzn-query-error'], 'ResourceNotFound;Sender');
  assert.deepEqual(JSON.parse(String(res.body)), { __type: 'com.amazonaws.cloudwatch#ResourceNotFound', message: 'Alarm nope does not exist' });
  const fault = awsJson10Codec.serializeError(new ServiceError('InternalServiceFault', 'oops', 500), cloudwatchFake, 'rid');
  assert.equal(fault.headers['x-amzn-query-error'], 'InternalServiceError;Receiver');
});
