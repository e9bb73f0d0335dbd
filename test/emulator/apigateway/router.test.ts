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
