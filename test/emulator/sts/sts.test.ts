/**
 * STS GetCallerIdentity as the aws CLI sends it (`aws sts get-caller-identity`: awsQuery, a form
 * POST signed for `sts`), against the wired cloud: the root user of account 000000000000, in the
 * XML of https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html.
 * The raw requests are the CLI's, with a dummy signature (the cloud checks none); the SDK's STS
 * client (a dev dependency, for the tests only) reads the same answer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

let emu: TestEmulator;
before(async () => {
  emu = await startTestEmulator();
});
after(async () => {
  await emu?.close();
});

const stsCall = (body: string) =>
  fetch(emu.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0',
    },
    body,
  });

test('GetCallerIdentity: the account root user, in STS\'s XML', async () => {
  const res = await stsCall('Action=GetCallerIdentity&Version=2011-06-15');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/xml');
  const xml = await res.text();
  assert.match(
    xml,
    /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:root<\/Arn><UserId>000000000000<\/UserId><Account>000000000000<\/Account><\/GetCallerIdentityResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/GetCallerIdentityResponse>$/,
  );
});

test('another STS action: awsQuery\'s InvalidAction, in XML', async () => {
  const res = await stsCall('Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr&RoleSessionName=s');
  assert.equal(res.status, 400);
  const xml = await res.text();
  assert.match(xml, /<Code>InvalidAction<\/Code><Message>The action AssumeRole is not valid for this web service\.<\/Message>/);
});

test('GetCallerIdentity through the SDK\'s STS client (awsQuery, as it and the aws CLI send it): the same identity', async () => {
  const sts = new STSClient(clientConfig(emu.endpoint));
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    assert.deepEqual({ Account: out.Account, Arn: out.Arn, UserId: out.UserId }, { Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root', UserId: '000000000000' });
    assert.match(out.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  } finally {
    sts.destroy();
  }
});
