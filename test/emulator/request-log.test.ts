/** The request log line (src/emulator/request-log.ts) and the resource a failed call named. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRequest, resourceOf } from '../../src/emulator/request-log.js';
import type { RequestLogEntry } from '../../src/emulator/server.js';

const base: RequestLogEntry = { method: 'POST', path: '/', service: 'lambda', operation: 'Invoke', status: 200, ms: 1.234, requestId: 'r' };
const squash = (s: string) => s.replace(/ +/g, ' ');

test('a service error: operation, resource, status, error code, ms', () => {
  const line = formatRequest({ ...base, status: 404, errorCode: 'ResourceNotFoundException', resource: 'fn:live' });
  assert.equal(squash(line), 'lambda Invoke fn:live 404 ResourceNotFoundException 1.2 ms');
});

test('front door: method and path; a 403 on a stage without the route gets a hint', () => {
  const door = { ...base, service: 'front-door', operation: '-', path: '/execute-api/abc/Prod/getinfo', ms: 1 };
  assert.equal(squash(formatRequest({ ...door, status: 200 })), 'front-door POST /execute-api/abc/Prod/getinfo 200 1.0 ms');
  assert.equal(
    squash(formatRequest({ ...door, method: 'GET', status: 403, errorCode: 'MissingAuthenticationTokenException' })),
    'front-door GET /execute-api/abc/Prod/getinfo 403 MissingAuthenticationTokenException 1.0 ms (no route for GET /getinfo)',
  );
  assert.match(formatRequest({ ...door, status: 403, errorCode: 'ForbiddenException' }), /no such API or stage/);
});

test('on a terminal: an HH:MM:SS prefix and colour', () => {
  const line = formatRequest({ ...base, status: 500 }, { time: true, colour: true });
  assert.match(line, /^\d\d:\d\d:\d\d lambda/);
  assert.ok(line.includes('\u001b[31m500\u001b[39m'));
  assert.doesNotMatch(formatRequest(base), /\u001b|^\d\d:/);
});

test('resourceOf: the identifying members of a call input', () => {
  assert.equal(resourceOf({ FunctionName: 'fn', Qualifier: 'live', Payload: 'x' }), 'fn:live');
  assert.equal(resourceOf({ FunctionName: 'fn', Name: 'live' }), 'fn:live');
  assert.equal(resourceOf({ FunctionName: 'fn' }), 'fn');
  assert.equal(resourceOf({ Bucket: 'b', Key: 'a/b.jpg' }), 'b/a/b.jpg');
  assert.equal(resourceOf({ restApiId: 'abc', stageName: 'Prod' }), 'abc/Prod');
  assert.equal(resourceOf({ Image: {} }), undefined);
  assert.equal(resourceOf(undefined), undefined);
});
