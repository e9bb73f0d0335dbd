import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compiledDeployment } from '../../../src/emulator/services/apigateway/router.js';
import type { DeploymentRecord, MethodRecord, ResourceRecord } from '../../../src/emulator/services/apigateway/model.js';

const method = (httpMethod: string): MethodRecord => ({ httpMethod, authorizationType: 'NONE', apiKeyRequired: false }) as MethodRecord;
const resource = (id: string, path: string, verbs: string[]): ResourceRecord => ({
  id,
  path,
  resourceMethods: Object.fromEntries(verbs.map((v) => [v, method(v)])),
});

function deployment(): DeploymentRecord {
  return {
    id: 'd1',
    createdDate: 0,
    snapshot: {
      binaryMediaTypes: [],
      resources: [resource('r0', '/', ['GET']), resource('r1', '/items', ['GET']), resource('r2', '/items/{id}', ['ANY']), resource('r3', '/{proxy+}', ['ANY'])],
    },
  };
}

describe('matchPath: the route of a path as sent, the last one remembered', () => {
  it('answers as match does, whatever came before, and each path gets its own parameters', () => {
    const compiled = compiledDeployment(deployment());
    const asked: [string, string, string | undefined, Record<string, string> | null][] = [
      ['/items/7', 'GET', 'r2', { id: '7' }],
      ['/items/7', 'GET', 'r2', { id: '7' }],
      ['/items/8', 'GET', 'r2', { id: '8' }],
      ['/items/7', 'DELETE', 'r2', { id: '7' }],
      ['/items', 'GET', 'r1', null],
      ['/items', 'POST', 'r3', { proxy: 'items' }],
      ['/items', 'POST', 'r3', { proxy: 'items' }],
      ['/', 'POST', undefined, null],
      ['/', 'POST', undefined, null],
      ['/', 'GET', 'r0', null],
      ['/a/b/c/', 'PUT', 'r3', { proxy: 'a/b/c' }],
    ];
    for (const [path, verb, id, params] of asked) {
      const found = compiled.matchPath(path, verb);
      assert.equal(found?.target.resource.id, id, `${verb} ${path}`);
      if (found) assert.deepEqual(found.pathParameters, params, `${verb} ${path}`);
      const fresh = compiled.match(path.split('/').filter(Boolean), verb);
      assert.equal(fresh?.target.resource.id, id, `match agrees on ${verb} ${path}`);
    }
  });

  it('hands out an answer nobody can change for the next request of the same path', () => {
    const compiled = compiledDeployment(deployment());
    const first = compiled.matchPath('/items/9', 'GET')!;
    assert.throws(() => {
      (first.pathParameters as Record<string, string>).id = 'changed';
    }, TypeError);
    assert.deepEqual(compiled.matchPath('/items/9', 'GET')!.pathParameters, { id: '9' });
  });
});

describe('path parameters named as Object.prototype members', () => {
  // `{__proto__}` is a valid path part (CreateResource: [a-zA-Z0-9._-] in braces); assigning it
  // would set the parameters' prototype and drop the value from the event
  it('a {__proto__} or {__proto__+} parameter is an own member holding its value', () => {
    const d = deployment();
    d.snapshot.resources.push(resource('r4', '/p/{__proto__}', ['GET']), resource('r5', '/g/{constructor}/{__proto__+}', ['GET']));
    const compiled = compiledDeployment(d);
    const one = compiled.matchPath('/p/7', 'GET')!;
    assert.equal(one.target.resource.id, 'r4');
    assert.equal(Object.getPrototypeOf(one.pathParameters), Object.prototype);
    assert.equal(JSON.stringify(one.pathParameters), '{"__proto__":"7"}');
    const greedy = compiled.match(['g', 'c', 'a', 'b'], 'GET')!;
    assert.equal(greedy.target.resource.id, 'r5');
    assert.equal(JSON.stringify(greedy.pathParameters), '{"constructor":"c","__proto__":"a/b"}');
  });
});
