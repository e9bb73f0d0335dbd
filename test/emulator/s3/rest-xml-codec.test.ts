import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { matchPath } from '../../../src/emulator/protocols/rest-xml.js';
import { decodeAwsChunked, parseXml, xmlDocument } from '../../../src/emulator/protocols/rest-xml-encoding.js';
import { awsChunkedPut, captured } from './captured-requests.js';
import { s3Harness, wireRequest } from './s3-harness.js';

const byName = (name: string) => {
  const c = captured.find((x) => x.name === name);
  assert.ok(c, `capture ${name}`);
  return c;
};

test('captured SDK and CLI requests route to their operations with their members', async () => {
  const h = s3Harness();
  try {
    const expectations: [string, string, Record<string, unknown>][] = [
      ['SDK PUT /bkt/', 'CreateBucket', { Bucket: 'bkt' }],
      ['SDK PUT /bkt/dir/a%20b.txt?x-id=PutObject', 'PutObject', { Bucket: 'bkt', Key: 'dir/a b.txt', ContentType: 'text/plain' }],
      ['SDK GET /bkt/?list-type=2&prefix=', 'ListObjectsV2', { Bucket: 'bkt', Prefix: '' }],
      ['SDK GET /bkt/a.txt?x-id=GetObject', 'GetObject', { Bucket: 'bkt', Key: 'a.txt' }],
      ['CLI GET /bkt?list-type=2&encoding-type=url', 'ListObjectsV2', { Bucket: 'bkt', EncodingType: 'url' }],
      ['CLI PUT /bkt/a.txt', 'PutObject', { Bucket: 'bkt', Key: 'a.txt' }],
    ];
    for (const [name, op, members] of expectations) {
      const res = await h.send(wireRequest(byName(name)));
      assert.equal(res.call?.operation.name, op, name);
      for (const [k, v] of Object.entries(members)) assert.equal(res.call?.input[k], v, `${name}: ${k}`);
    }
    const cliPut = await h.send(wireRequest(byName('CLI PUT /bkt/a.txt')));
    assert.deepEqual(cliPut.call?.input.Body, Buffer.from(byName('CLI PUT /bkt/a.txt').bodyHex, 'hex'));
  } finally {
    h.close();
  }
});

test('the captured sequence answers what the clients parsed (wire doc 7.3)', async () => {
  const h = s3Harness(() => Date.UTC(2024, 0, 2, 3, 4, 5, 678));
  try {
    const create = await h.send(wireRequest(byName('SDK PUT /bkt/')));
    assert.equal(create.status, 200);
    assert.equal(create.headers.location, '/bkt');
    assert.ok(create.headers['x-amz-request-id'] && create.headers['x-amz-id-2']);

    const put = await h.send(wireRequest({ method: 'PUT', url: '/bkt/a.txt?x-id=PutObject', headers: { 'content-type': 'text/plain' }, body: 'hello' }));
    assert.equal(put.status, 200);
    assert.equal(put.headers.etag, '"5d41402abc4b2a76b9719d911017c592"');

    const list = await h.send(wireRequest(byName('SDK GET /bkt/?list-type=2&prefix=')));
    assert.equal(list.headers['content-type'], 'application/xml');
    assert.match(list.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
    assert.match(list.text, /<Contents><Key>a.txt<\/Key><LastModified>2024-01-02T03:04:05.000Z<\/LastModified><ETag>&quot;5d41402abc4b2a76b9719d911017c592&quot;<\/ETag><Size>5<\/Size><StorageClass>STANDARD<\/StorageClass><\/Contents>/);
    assert.match(list.text, /<KeyCount>1<\/KeyCount><IsTruncated>false<\/IsTruncated>/);

    const get = await h.send(wireRequest(byName('SDK GET /bkt/a.txt?x-id=GetObject')));
    assert.equal(get.status, 200);
    assert.equal(get.text, 'hello');
    assert.equal(get.headers['content-type'], 'text/plain');
    assert.equal(get.headers['content-length'], '5');
    assert.equal(get.headers['last-modified'], 'Tue, 02 Jan 2024 03:04:05 GMT');
    assert.equal(get.headers.etag, '"5d41402abc4b2a76b9719d911017c592"');
    assert.equal(get.headers['x-amz-checksum-crc32'], undefined, 'no checksum sent, so none to get wrong');
  } finally {
    h.close();
  }
});

test('aws-chunked PutObject body is decoded to x-amz-decoded-content-length bytes', async () => {
  const h = s3Harness();
  try {
    await h.send(wireRequest({ method: 'PUT', url: '/bkt' }));
    const put = await h.send(wireRequest(awsChunkedPut));
    assert.equal(put.status, 200, put.text);
    const get = await h.send(wireRequest({ method: 'GET', url: '/bkt/stream.txt' }));
    assert.equal(get.text, 'hello stream');
    // a body the server already decoded is left alone
    const again = wireRequest(awsChunkedPut);
    again.body = Buffer.from('hello stream');
    assert.deepEqual((await h.send(again)).call?.input.Body, Buffer.from('hello stream'));
    // a broken encoding is the client's fault
    const broken = wireRequest(awsChunkedPut);
    broken.body = Buffer.from('zz\r\nhello');
    const res = await h.send(broken);
    assert.equal(res.status, 400);
    assert.match(res.text, /<Code>IncompleteBody<\/Code>/);
  } finally {
    h.close();
  }
});

test('ListObjectsV2 with encoding-type=url encodes keys and says so (botocore decodes only then)', async () => {
  const h = s3Harness();
  try {
    await h.send(wireRequest({ method: 'PUT', url: '/bkt' }));
    await h.send(wireRequest(byName('SDK PUT /bkt/dir/a%20b.txt?x-id=PutObject')));
    await h.send(wireRequest({ method: 'PUT', url: '/bkt/c%2Bd.txt', body: 'x' }));
    const list = await h.send(wireRequest(byName('CLI GET /bkt?list-type=2&encoding-type=url')));
    assert.match(list.text, /<Key>c%2Bd.txt<\/Key>/);
    assert.match(list.text, /<Key>dir\/a%20b.txt<\/Key>/);
    assert.match(list.text, /<EncodingType>url<\/EncodingType>/);
    const plain = await h.send(wireRequest(byName('SDK GET /bkt/?list-type=2&prefix=')));
    assert.match(plain.text, /<Key>dir\/a b.txt<\/Key>/);
    assert.doesNotMatch(plain.text, /EncodingType/);
  } finally {
    h.close();
  }
});

test('virtual-host addressing: Host <bucket>.localhost:<port>', async () => {
  const h = s3Harness();
  try {
    await h.send(wireRequest({ method: 'PUT', url: '/', headers: { host: 'vbkt.localhost:4599' } }));
    await h.send(wireRequest({ method: 'PUT', url: '/k.txt?x-id=PutObject', headers: { host: 'vbkt.localhost:4599' }, body: 'v' }));
    const get = await h.send(wireRequest({ method: 'GET', url: '/vbkt/k.txt' }));
    assert.equal(get.text, 'v');
    const list = await h.send(wireRequest({ method: 'GET', url: '/?list-type=2', headers: { host: 'vbkt.localhost' } }));
    assert.equal(list.call?.input.Bucket, 'vbkt');
  } finally {
    h.close();
  }
});

test('unemulated sub-resources and methods never reach object writes', async () => {
  const h = s3Harness();
  try {
    await h.send(wireRequest({ method: 'PUT', url: '/bkt' }));
    await h.send(wireRequest({ method: 'PUT', url: '/bkt/a.txt', body: 'keep me' }));
    const tagging = await h.send(wireRequest({ method: 'PUT', url: '/bkt/a.txt?tagging', body: '<Tagging/>' }));
    assert.equal(tagging.status, 501);
    assert.match(tagging.text, /<Code>NotImplemented<\/Code>/);
    const post = await h.send(wireRequest({ method: 'POST', url: '/bkt/a.txt' }));
    assert.equal(post.status, 405);
    assert.match(post.text, /<Code>MethodNotAllowed<\/Code>/);
    assert.equal((await h.send(wireRequest({ method: 'GET', url: '/bkt/a.txt' }))).text, 'keep me');
    // presigned-URL parameters are not sub-resources
    const presigned = await h.send(wireRequest({ method: 'GET', url: '/bkt/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2Fb%2Fus-east-1%2Fs3%2Faws4_request' }));
    assert.equal(presigned.text, 'keep me');
  } finally {
    h.close();
  }
});

test('errors are XML <Error> with Code, Message, RequestId, HostId; HEAD errors have no body', async () => {
  const h = s3Harness();
  try {
    const res = await h.send(wireRequest(byName('SDK GET /bkt/a.txt?x-id=GetObject')));
    assert.equal(res.status, 404);
    const doc = parseXml(res.text);
    assert.equal(doc.root, 'Error');
    assert.deepEqual(doc.value, {
      Code: 'NoSuchBucket',
      Message: 'The specified bucket does not exist',
      BucketName: 'bkt',
      RequestId: 'req-1',
      HostId: res.headers['x-amz-id-2'],
    });
    await h.send(wireRequest({ method: 'PUT', url: '/bkt' }));
    const key = await h.send(wireRequest({ method: 'GET', url: '/bkt/nope.txt' }));
    assert.match(key.text, /<Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>nope.txt<\/Key>/);
    const head = await h.send(wireRequest({ method: 'HEAD', url: '/bkt/nope.txt' }));
    assert.equal(head.status, 404);
    assert.equal(head.body, '');
    const badUri = await h.send(wireRequest({ method: 'GET', url: '/bkt/%E0%A4%A' }));
    assert.equal(badUri.status, 400);
    assert.match(badUri.text, /<Code>InvalidURI<\/Code>/);
    const badXml = await h.send(wireRequest({ method: 'PUT', url: '/bkt2', body: '<CreateBucketConfiguration><LocationConstraint>' }));
    assert.equal(badXml.status, 400);
    assert.match(badXml.text, /<Code>MalformedXML<\/Code>/);
  } finally {
    h.close();
  }
});

test('keys with ../ stay inside the state dir, and /bkt equals /bkt/', async () => {
  const h = s3Harness();
  try {
    await h.send(wireRequest({ method: 'PUT', url: '/bkt/' }));
    for (const url of ['/bkt/..%2F..%2F..%2Fescape.txt', '/bkt/../../escape2.txt', '/bkt/%2E%2E/%2E%2E/escape3']) {
      const put = await h.send(wireRequest({ method: 'PUT', url, body: 'x' }));
      assert.equal(put.status, 200, url);
    }
    const list = await h.send(wireRequest({ method: 'GET', url: '/bkt?list-type=2' }));
    assert.match(list.text, /<Key>..\/..\/..\/escape.txt<\/Key>/);
    assert.match(list.text, /<Key>..\/..\/escape2.txt<\/Key>/);
    assert.equal(readdirSync(h.dir).join(','), 'state', 'nothing written beside the state dir');
    const files = walk(join(h.dir, 'state'));
    assert.ok(files.every((f) => !f.includes('escape')), files.join(','));
    assert.ok(!existsSync(join(h.dir, '..', 'escape.txt')));
  } finally {
    h.close();
  }
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)));
}

test('matchPath: labels, greedy labels, trailing slash', () => {
  assert.deepEqual(matchPath('/', '/'), {});
  assert.equal(matchPath('/', '/bkt'), undefined);
  assert.deepEqual(matchPath('/{Bucket}', '/bkt'), { Bucket: 'bkt' });
  assert.deepEqual(matchPath('/{Bucket}', '/bkt/'), { Bucket: 'bkt' });
  assert.equal(matchPath('/{Bucket}/{Key+}', '/bkt/'), undefined);
  assert.deepEqual(matchPath('/{Bucket}/{Key+}', '/bkt/a/b//c/'), { Bucket: 'bkt', Key: 'a/b//c/' });
  assert.deepEqual(matchPath('/{Bucket}/{Key+}', '/bkt/a+b%2Bc%20d'), { Bucket: 'bkt', Key: 'a+b+c d' });
  assert.equal(matchPath('/{Bucket}', '/bkt/key'), undefined);
});

test('XML in and out, and aws-chunked with chunk signatures', () => {
  assert.deepEqual(
    parseXml('<?xml version="1.0"?><CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>'),
    { root: 'CreateBucketConfiguration', value: { LocationConstraint: 'eu-west-1' } },
  );
  assert.deepEqual(parseXml('<a><b>1</b><b>2 &amp; &#65;</b><c/><__proto__>x</__proto__></a>').value, { b: ['1', '2 & A'], c: '', ['__proto__']: 'x' });
  assert.throws(() => parseXml('<!DOCTYPE x [<!ENTITY e "boom">]><a>&e;</a>'), SyntaxError);
  assert.throws(() => parseXml('<a><b></a>'), SyntaxError);
  assert.equal(
    xmlDocument('R', { A: 'x<y', L: [{ K: 1 }, { K: 2 }], W: { Item: [] }, U: undefined, D: new Date(Date.UTC(2024, 0, 2)) }),
    '<?xml version="1.0" encoding="UTF-8"?>\n<R><A>x&lt;y</A><L><K>1</K></L><L><K>2</K></L><W></W><D>2024-01-02T00:00:00.000Z</D></R>',
  );
  const signed = Buffer.from('5;chunk-signature=abc\r\nhello\r\n0;chunk-signature=def\r\n\r\n');
  assert.equal(decodeAwsChunked(signed).data.toString(), 'hello');
  const trailer = decodeAwsChunked(Buffer.from(awsChunkedPut.bodyHex, 'hex'));
  assert.equal(trailer.data.toString(), 'hello stream');
  assert.equal(trailer.trailers['x-amz-checksum-crc32'], 'gtnkmQ==');
});
