import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { bucketPhysicalName, functionPhysicalName, NameBook } from '../../src/targets/deployers/local/names.js';
import { apiShapeHash, lambdaIntegrationUri } from '../../src/targets/deployers/local/api.js';
import { toLocalUrl } from '../../src/targets/urls.js';
import { frontDoorUrl } from '../../src/emulator/front-door-url.js';
import { zipCodeDir } from '../../src/targets/zip.js';

test('function names look like SAM’s and fit Lambda’s 64 characters', () => {
  assert.equal(functionPhysicalName('ServerlessOps-stack', 'GetInfoFunction', 'ABCDEFGHIJKL'), 'ServerlessOps-stack-GetInfoFunction-ABCDEFGHIJKL');
  const long = functionPhysicalName('s'.repeat(80), 'F'.repeat(80));
  assert.equal(long.length, 64);
  assert.match(long, /^s+-F+-[A-Z0-9]{12}$/);
});

test('bucket names are lower case and fit S3’s 63 characters', () => {
  assert.equal(bucketPhysicalName('ServerlessOps-stack', 'ImagesBucket', 'ABCDEFGHIJKL'), 'serverlessops-stack-imagesbucket-abcdefghijkl');
  const long = bucketPhysicalName('My_Stack'.repeat(10), 'ImagesBucket');
  assert.ok(long.length <= 63);
  assert.match(long, /^[a-z0-9-]+$/);
});

test('the name book keeps a name across runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-names-'));
  try {
    const file = join(dir, 'names.json');
    const a = new NameBook(file);
    const n1 = a.allocate('stack', 'Fn', () => functionPhysicalName('stack', 'Fn'));
    await a.save();
    const b = new NameBook(file);
    assert.equal(b.allocate('stack', 'Fn', () => 'other'), n1);
    assert.equal(b.get('other-stack', 'Fn'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('zips are deterministic: same files → same CodeSha256, whatever the mtimes and creation order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sol-zip-'));
  try {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    mkdirSync(join(a, 'lib'), { recursive: true });
    mkdirSync(join(b, 'lib'), { recursive: true });
    writeFileSync(join(a, 'app.mjs'), 'export const handler = 1;');
    writeFileSync(join(a, 'lib', 'x.mjs'), 'x');
    writeFileSync(join(b, 'lib', 'x.mjs'), 'x'); // other order
    writeFileSync(join(b, 'app.mjs'), 'export const handler = 1;');
    utimesSync(join(b, 'app.mjs'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const za = await zipCodeDir(a);
    const zb = await zipCodeDir(b);
    assert.equal(za.sha256, zb.sha256);
    assert.equal(za.files, 2);
    assert.deepEqual(Object.keys(unzipSync(za.zip)), ['app.mjs', 'lib/x.mjs']);
    writeFileSync(join(b, 'app.mjs'), 'export const handler = 2;');
    assert.notEqual((await zipCodeDir(b)).sha256, za.sha256);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('AWS invoke URLs of our APIs become local front-door URLs; others are kept', () => {
  const ep = 'http://127.0.0.1:4566';
  const ids = new Set(['abc123defg']);
  assert.equal(toLocalUrl('https://abc123defg.execute-api.us-east-1.amazonaws.com/Prod/getinfo', ep, ids), 'http://127.0.0.1:4566/execute-api/abc123defg/Prod/getinfo');
  assert.equal(toLocalUrl('https://abc123defg.execute-api.us-east-1.amazonaws.com/Prod/', ep, ids), 'http://127.0.0.1:4566/execute-api/abc123defg/Prod/');
  assert.equal(toLocalUrl('https://abc123defg.execute-api.us-east-1.amazonaws.com/Prod/a/b?x=1', ep, ids), 'http://127.0.0.1:4566/execute-api/abc123defg/Prod/a/b?x=1');
  assert.equal(toLocalUrl('https://zzz.execute-api.us-east-1.amazonaws.com/Prod/getinfo', ep, ids), 'https://zzz.execute-api.us-east-1.amazonaws.com/Prod/getinfo');
  assert.equal(toLocalUrl('my-bucket', ep, ids), 'my-bucket');
  assert.equal(frontDoorUrl(`${ep}/`, 'id', 'Prod', '/x'), 'http://127.0.0.1:4566/execute-api/id/Prod/x');
});

test('integration URI and API shape hash', () => {
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:f:live';
  assert.equal(lambdaIntegrationUri('us-east-1', arn), `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`);
  const d = { name: 'n', stage: 'Prod', variables: {}, region: 'us-east-1', routes: [{ path: '/getinfo', method: 'POST', targetArn: arn }] };
  assert.equal(apiShapeHash(d), apiShapeHash({ ...d, routes: [...d.routes] }));
  assert.notEqual(apiShapeHash(d), apiShapeHash({ ...d, routes: [{ ...d.routes[0], method: 'GET' }] }));
});
