/** The awsQuery and RPC v2 CBOR codecs on their own, with a fake query-compatible service (no CloudWatch). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode, diagnose, encode } from 'cbor2';
import { ServiceError } from '../../../src/emulator/core/service-error.js';
import type { ServiceDefinition } from '../../../src/emulator/core/service.js';
import { detectService } from '../../../src/emulator/protocols/detect.js';
import { parseQueryForm, queryCodec } from '../../../src/emulator/protocols/query.js';
import { rpcv2CborCodec } from '../../../src/emulator/protocols/rpcv2-cbor.js';
import type { WireRequest } from '../../../src/emulator/protocols/types.js';

const service: ServiceDefinition = {
  id: 'fake',
  signingName: 'fake',
  protocols: ['awsJson1_0', 'rpcv2Cbor', 'awsQuery'],
  targetPrefix: 'FakeService20200101',
  namespace: 'com.amazonaws.fake',
  xmlNamespace: 'http://fake.amazonaws.com/doc/2020-01-01/',
  queryCompatible: { NotThere: { code: 'ResourceNotFound', status: 404 } },
  operations: [{ name: 'DoThing', handle: (i) => i }],
};

const request = (over: Partial<WireRequest>): WireRequest => ({ method: 'POST', path: '/', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0), ...over });

test('query: lists, maps, structures and empty lists from the form; __proto__ is just a name', () => {
  const form = new URLSearchParams(
    'Action=DoThing&Version=2020-01-01&Names.member.2=b&Names.member.1=a&Empty=&Dims.member.1.Name=n&Dims.member.1.Value=v&Tags.entry.1.key=k&Tags.entry.1.value=x&__proto__.polluted=1',
  );
  const input = parseQueryForm(form);
  assert.deepEqual(input.Names, ['a', 'b']);
  assert.equal(input.Empty, '');
  assert.deepEqual(input.Dims, [{ Name: 'n', Value: 'v' }]);
  assert.deepEqual(input.Tags, { k: 'x' });
  assert.ok(Object.hasOwn(input, '__proto__'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('query: answers in XML inside <OpResult>, errors with the query code, fault and status', () => {
  const call = queryCodec.parse(request({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from('Action=DoThing&Version=2020-01-01&A=1') }), service);
  assert.equal(call.operation.name, 'DoThing');
  const ok = queryCodec.serialize(call, { Items: [{ At: new Date(0), N: 1.5 }], Flag: true }, service, 'rid');
  assert.equal(
    ok.body,
    '<DoThingResponse xmlns="http://fake.amazonaws.com/doc/2020-01-01/"><DoThingResult><Items><member><At>1970-01-01T00:00:00.000Z</At><N>1.5</N></member></Items><Flag>true</Flag></DoThingResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></DoThingResponse>',
  );
  const err = queryCodec.serializeError(new ServiceError('NotThere', 'a < b'), service, 'rid');
  assert.equal(err.status, 404);
  assert.match(String(err.body), /<Error><Type>Sender<\/Type><Code>ResourceNotFound<\/Code><Message>a &lt; b<\/Message><\/Error><RequestId>rid<\/RequestId>/);
  assert.throws(() => queryCodec.parse(request({ body: Buffer.from('Action=Nope') }), service), { code: 'InvalidAction' });
});

test('cbor: operation from the path, tag-1 timestamps in and out, status 200 exactly, namespaced errors', async () => {
  // cbor2 is loaded on the codec's first use: ready() loads it, then says nothing more is to wait for
  await rpcv2CborCodec.ready!();
  assert.equal(rpcv2CborCodec.ready!(), undefined);
  const body = Buffer.from(encode({ At: new Date(1_700_000_000_500), Blob: new Uint8Array([1, 2]) }));
  const call = rpcv2CborCodec.parse(request({ path: '/service/FakeService20200101/operation/DoThing', headers: { 'smithy-protocol': 'rpc-v2-cbor' }, body }), service);
  assert.equal(call.operation.name, 'DoThing');
  assert.equal((call.input.At as Date).getTime(), 1_700_000_000_500);
  const ok = rpcv2CborCodec.serialize(call, { At: new Date(1_700_000_000_500), Gone: undefined, Buf: Buffer.from('hi') }, service, 'rid');
  assert.equal(ok.status, 200);
  assert.equal(ok.headers['smithy-protocol'], 'rpc-v2-cbor');
  const back = decode(ok.body as Buffer) as Record<string, unknown>;
  assert.equal((back.At as Date).getTime(), 1_700_000_000_500);
  assert.equal(Object.hasOwn(back, 'Gone'), false);
  assert.deepEqual([...(back.Buf as Uint8Array)], [104, 105]);
  const err = rpcv2CborCodec.serializeError(new ServiceError('NotThere', 'gone'), service, 'rid');
  assert.equal(err.status, 404);
  assert.equal(err.headers['x-amzn-query-error'], 'ResourceNotFound;Sender');
  assert.deepEqual(decode(err.body as Buffer), { __type: 'com.amazonaws.fake#NotThere', message: 'gone' });
  assert.throws(() => rpcv2CborCodec.parse(request({ path: '/service/Other/operation/DoThing', body }), service), { code: 'UnknownOperationException' });
  // a label that is not valid percent-encoding names nothing (decodeURIComponent threw: a 500)
  for (const path of ['/service/%ZZ/operation/DoThing', '/service/FakeService20200101/operation/Do%ZZ']) {
    assert.throws(() => rpcv2CborCodec.parse(request({ path, body }), service), { code: 'UnknownOperationException' }, path);
  }
  assert.throws(() => rpcv2CborCodec.parse(request({ path: '/service/FakeService20200101/operation/DoThing', body: Buffer.from([0xff]) }), service), { code: 'SerializationException' });
});

test('cbor: a member the model types as double is a float64 (major type 7, fb), whole or not, in a list or a map of doubles too; integers stay integers', async () => {
  await rpcv2CborCodec.ready!();
  const call = rpcv2CborCodec.parse(request({ path: '/service/FakeService20200101/operation/DoThing', body: Buffer.from(encode({})) }), service);
  const output = { Alarm: { Threshold: 0, EvaluationPeriods: 1, Period: 60, Name: 'Sum' }, Points: [{ Sum: 7, Average: 1.75, ExtendedStatistics: { p99: 3 } }], Values: [7, 0.5], Count: 2 };
  const doubles = { ...service, doubleMembers: new Set(['Threshold', 'Sum', 'Average', 'ExtendedStatistics', 'Values']) };
  const body = rpcv2CborCodec.serialize(call, output, doubles, 'rid').body as Buffer;
  // the bytes: Threshold's value is fb 0000000000000000 (float64 0.0), EvaluationPeriods' is 01 (an integer)
  // a key as CBOR writes it (a text string under 24 bytes: 0x60 + its length, then its bytes)
  const after = (key: string) => body.subarray(body.indexOf(Buffer.concat([Buffer.from([0x60 + key.length]), Buffer.from(key)])) + 1 + key.length);
  assert.equal(after('Threshold').subarray(0, 9).toString('hex'), 'fb0000000000000000');
  assert.equal(after('EvaluationPeriods')[0], 0x01);
  assert.equal(after('Period')[0] >> 5, 0, 'Period: major type 0, an unsigned integer');
  assert.equal(
    diagnose(body),
    '{"Alarm": {"Threshold": 0.0_3, "EvaluationPeriods": 1, "Period": 60, "Name": "Sum"}, "Points": [{"Sum": 7.0_3, "Average": 1.75_3, "ExtendedStatistics": {"p99": 3.0_3}}], "Values": [7.0_3, 0.5_3], "Count": 2}',
  );
  // decoded, the same numbers
  assert.deepEqual(decode(body), output);
  // a service that lists none: cbor2's shortest forms, as before
  assert.equal(diagnose(rpcv2CborCodec.serialize(call, { Threshold: 0 }, service, 'rid').body as Buffer), '{"Threshold": 0}');
});

test('json: a member the model types as double keeps its fraction when whole (0.0), in a list or a map of doubles too; integers and other services as JSON.stringify writes them', async () => {
  const { jsonText } = await import('../../../src/emulator/protocols/json-values.js');
  const output = { Alarm: { Threshold: 0, EvaluationPeriods: 1, Period: 60, Name: 'Sum', Gone: undefined }, Points: [{ Sum: 7, Average: 1.75, ExtendedStatistics: { p99: 3 } }], Values: [7, -2, 0.5, 1e21, null], Count: 2 };
  const doubles = new Set(['Threshold', 'Sum', 'Average', 'ExtendedStatistics', 'Values']);
  const text = jsonText(output, doubles);
  assert.equal(text, '{"Alarm":{"Threshold":0.0,"EvaluationPeriods":1,"Period":60,"Name":"Sum"},"Points":[{"Sum":7.0,"Average":1.75,"ExtendedStatistics":{"p99":3.0}}],"Values":[7.0,-2.0,0.5,1e+21,null],"Count":2}');
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(output)));
  assert.equal(jsonText(output), JSON.stringify(output));
  assert.equal(jsonText(output, new Set()), JSON.stringify(output));
});

test('query: a form is a form whatever the case of its media type (RFC 9110 8.3.1), and only a POST', () => {
  const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/fake/aws4_request, SignedHeaders=host, Signature=x' };
  const body = Buffer.from('Action=DoThing&Version=2020-01-01');
  for (const type of ['application/x-www-form-urlencoded; charset=utf-8', 'Application/X-WWW-Form-Urlencoded']) {
    assert.equal(detectService(request({ headers: { ...signed, 'content-type': type }, body }), [service])?.protocol, 'awsQuery', type);
  }
  // a form that is not a POST is not awsQuery: the service's first protocol
  assert.equal(detectService(request({ method: 'GET', headers: { ...signed, 'content-type': 'application/x-www-form-urlencoded' }, body }), [service])?.protocol, 'awsJson1_0');
});
