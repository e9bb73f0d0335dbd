/**
 * `deploy --target aws` up to the point where it would call sam: there is no AWS account here,
 * so these check the preflight messages the learner sees (the command lines are checked in
 * test/targets/sam-commands.test.ts), plus the option checks.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { runCli } from '../helpers/cli.js';
import { clientConfig as emulatorClientConfig, startTestEmulator } from '../helpers/emulator.js';
import { ACCOUNT, BUCKET, FUNCTION_NAME, OUTPUTS, REGION, RESOURCES, REST_API_ID, STACK_ID, STACK_NAME } from '../targets/sam-stack-fixture.js';

let dir: string;
let bin: string;
let home: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sol-aws-'));
  bin = join(dir, 'bin');
  home = join(dir, 'home');
  mkdirSync(bin);
  mkdirSync(home);
  // a `sam` that would fail the test if it were ever run
  writeFileSync(join(bin, 'sam'), '#!/bin/sh\necho "sam must not run in this test" >&2\nexit 99\n');
  chmodSync(join(bin, 'sam'), 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** No AWS_* variables, an empty HOME, no instance metadata. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) e[k] = v;
  return {
    ...e,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

const ws = () => join(dir, 'ws');

/** Credentials the chain finds (never tried against AWS by the preflight), so the one missing piece a test leaves out is said alone. */
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'not-a-secret' };

test('no sam on PATH: one message with how to install it, exit 3 (the environment), workspace untouched', async () => {
  const r = await runCli(['deploy', '--target', 'aws', '--workspace', ws(), '--region', 'us-east-1'], { env: env({ PATH: join(dir, 'empty'), ...KEYS }) });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /^error: the AWS SAM CLI \(`sam`\) is not on PATH$/m);
  assert.match(r.stderr, /install-sam-cli/);
  assert.ok(!existsSync(ws()));
});

test('no region: one message with how to set one, exit 3', async () => {
  const r = await runCli(['deploy', '--target', 'aws', '--workspace', ws()], { env: env({ PATH: bin, ...KEYS }) });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /^error: no AWS region is set$/m);
  assert.match(r.stderr, /--region/);
});

test('no credentials: one message with how to configure them, exit 3', async () => {
  const r = await runCli(['deploy', '--target', 'aws', '--workspace', ws(), '--region', 'eu-west-1'], { env: env({ PATH: bin }) });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /^error: no AWS credentials found/m);
  assert.match(r.stderr, /aws configure/);
  assert.doesNotMatch(r.stderr, /sam must not run/);
});

test('an unknown profile is named in the message', async () => {
  const r = await runCli(['deploy', '--target', 'aws', '--workspace', ws(), '--region', 'eu-west-1', '--profile', 'workshop'], { env: env({ PATH: bin }) });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /profile "workshop"/);
  assert.match(r.stderr, /aws configure --profile workshop/);
});

test('start --target aws (and --ci) with no sam, or no credentials: the tools are checked first, exit 3, and nothing is made: no workspace, no copy of the app', async () => {
  const cases = [
    [{ PATH: join(dir, 'empty'), ...KEYS }, /^(\S+ )?error: the AWS SAM CLI \(`sam`\) is not on PATH$/m],
    [{ PATH: bin }, /^(\S+ )?error: no AWS credentials found/m],
  ] as const;
  for (const [extra, said] of cases) {
    for (const ci of [[], ['--ci']]) {
      const w = join(dir, 'start-ws');
      const r = await runCli(['start', ...ci, '--target', 'aws', '--workspace', w, '--region', 'us-east-1'], { env: env(extra) });
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.match(r.stderr, said);
      assert.doesNotMatch(r.stdout + r.stderr, /copied the lab's app/);
      assert.ok(!existsSync(w), 'no workspace made');
    }
  }
});

test('option checks: --profile/--region are for aws, stack names as CloudFormation allows (exit 2)', async () => {
  const a = await runCli(['deploy', '--workspace', ws(), '--region', 'us-east-1'], { env: env({ PATH: bin }) });
  assert.equal(a.code, 2);
  assert.match(a.stderr, /--profile and --region are for --target aws/);
  const b = await runCli(['deploy', '--target', 'aws', '--workspace', ws(), '--stack-name', '1bad_name'], { env: env({ PATH: bin }) });
  assert.equal(b.code, 2);
  assert.match(b.stderr, /invalid --stack-name/);
  const c = await runCli(['deploy', '--target', 'gcp', '--workspace', ws()], { env: env({ PATH: bin }) });
  assert.equal(c.code, 2);
  assert.ok(!existsSync(ws()));
});

test('the whole aws flow with a stand-in sam and CloudFormation: sam build, sam deploy in sam-app/, outputs read back', async () => {
  const { createServer } = await import('node:http');
  const { readFileSync } = await import('node:fs');
  const log = join(dir, 'sam-calls.log');
  const fakeBin = join(dir, 'fakebin');
  mkdirSync(fakeBin, { recursive: true });
  writeFileSync(join(fakeBin, 'sam'), `#!/bin/sh\necho "$PWD|$*" >> '${log}'\necho "sam says: $1 done"\n`);
  chmodSync(join(fakeBin, 'sam'), 0o755);
  const ns = 'xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const action = new URLSearchParams(body).get('Action');
      res.setHeader('content-type', 'text/xml');
      if (action === 'DescribeStacks') {
        res.end(
          `<DescribeStacksResponse ${ns}><DescribeStacksResult><Stacks><member><StackName>ServerlessOps-stack</StackName><StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/ServerlessOps-stack/1</StackId><CreationTime>2024-01-01T00:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs><member><OutputKey>ApiUrl</OutputKey><OutputValue>https://abc123.execute-api.eu-west-1.amazonaws.com/Prod/getinfo</OutputValue></member><member><OutputKey>FunctionName</OutputKey><OutputValue>ServerlessOps-stack-GetInfoFunction-ABC</OutputValue></member></Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>`,
        );
      } else if (action === 'DescribeStackResources') {
        res.end(
          `<DescribeStackResourcesResponse ${ns}><DescribeStackResourcesResult><StackResources><member><StackName>ServerlessOps-stack</StackName><LogicalResourceId>GetInfoFunction</LogicalResourceId><PhysicalResourceId>ServerlessOps-stack-GetInfoFunction-ABC</PhysicalResourceId><ResourceType>AWS::Lambda::Function</ResourceType><Timestamp>2024-01-01T00:00:00Z</Timestamp><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member></StackResources></DescribeStackResourcesResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></DescribeStackResourcesResponse>`,
        );
      } else {
        res.statusCode = 400;
        res.end(`<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${action}</Message></Error></ErrorResponse>`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const workspace = join(dir, 'aws-ws');
  // a profile with static keys, so --profile resolves as it would on a learner's machine
  writeFileSync(join(home, 'credentials'), '[lab]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n');
  try {
    rmSync(log, { force: true });
    const r = await runCli(['deploy', '--target', 'aws', '--workspace', workspace, '--region', 'eu-west-1', '--profile', 'lab'], {
      env: env({ PATH: fakeBin, AWS_ENDPOINT_URL_CLOUDFORMATION: `http://127.0.0.1:${port}` }),
    });
    assert.equal(r.code, 0, r.stderr);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const samApp = join(workspace, 'sam-app');
    assert.deepEqual(calls, [
      `${samApp}|build`,
      `${samApp}|deploy --stack-name ServerlessOps-stack --capabilities CAPABILITY_IAM --resolve-s3 --no-confirm-changeset --no-fail-on-empty-changeset --region eu-west-1 --profile lab`,
    ]);
    // sam's output is streamed (to stderr, keeping stdout for the outputs)
    assert.match(r.stderr, /sam says: build done/);
    assert.match(r.stderr, /sam says: deploy done/);
    assert.match(r.stdout, /^ApiUrl: https:\/\/abc123\.execute-api\.eu-west-1\.amazonaws\.com\/Prod\/getinfo$/m);
    const rec = JSON.parse(readFileSync(join(workspace, '.lab', 'deploy.json'), 'utf8'));
    assert.equal(rec.target, 'aws');
    assert.equal(rec.region, 'eu-west-1');
    assert.equal(rec.functions[0].name, 'ServerlessOps-stack-GetInfoFunction-ABC');
    // a stack without the ImagesBucket output: said, and the deploy still succeeds
    assert.match(r.stderr, /the stack has no ImagesBucket output: the sample images were not uploaded/);
  } finally {
    rmSync(join(home, 'credentials'), { force: true });
    await new Promise((r) => server.close(r));
  }
});

/** A stand-in CloudFormation (Query protocol) answering DescribeStacks and DescribeStackResources from the fixture. */
async function fakeCloudFormation(): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const ns = 'xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"';
  const el = (name: string, v: unknown) => (v === undefined ? '' : `<${name}>${v instanceof Date ? v.toISOString() : String(v)}</${name}>`);
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const action = new URLSearchParams(body).get('Action');
      res.setHeader('content-type', 'text/xml');
      if (action === 'DescribeStacks') {
        const outputs = OUTPUTS.map((o) => `<member>${el('OutputKey', o.OutputKey)}${el('OutputValue', o.OutputValue)}</member>`).join('');
        res.end(`<DescribeStacksResponse ${ns}><DescribeStacksResult><Stacks><member>${el('StackName', STACK_NAME)}${el('StackId', STACK_ID)}<CreationTime>2026-12-01T00:00:00Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus><Outputs>${outputs}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>`);
      } else if (action === 'DescribeStackResources') {
        const members = RESOURCES.map((r) => `<member>${['StackName', 'StackId', 'LogicalResourceId', 'PhysicalResourceId', 'ResourceType', 'Timestamp', 'ResourceStatus'].map((k) => el(k, r[k as keyof typeof r])).join('')}</member>`).join('');
        res.end(`<DescribeStackResourcesResponse ${ns}><DescribeStackResourcesResult><StackResources>${members}</StackResources></DescribeStackResourcesResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></DescribeStackResourcesResponse>`);
      } else {
        res.statusCode = 400;
        res.end(`<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${action}</Message></Error></ErrorResponse>`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('after sam deploy: the record from the stack resources (API, function ARN, CodeDeploy, alarms) and the samples in the ImagesBucket output', async (t) => {
  const fakeBin = join(dir, 'fakebin-ok');
  mkdirSync(fakeBin, { recursive: true });
  writeFileSync(join(fakeBin, 'sam'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(fakeBin, 'sam'), 0o755);
  const cfn = await fakeCloudFormation();
  t.after(() => cfn.close());
  // S3 is the embedded cloud's: the upload is checked by listing what arrived
  const emu = await startTestEmulator();
  t.after(() => emu.close());
  const s3 = new S3Client({ ...emulatorClientConfig(emu.endpoint), forcePathStyle: true });
  t.after(() => s3.destroy());
  const workspace = join(dir, 'aws-ws-samples');
  const run = () =>
    runCli(['deploy', '--target', 'aws', '--workspace', workspace, '--region', REGION], {
      env: env({ PATH: fakeBin, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_ENDPOINT_URL_CLOUDFORMATION: cfn.url, AWS_ENDPOINT_URL_S3: emu.endpoint }),
    });

  // the bucket is not there: the stack is deployed (record written), the upload failure is said with its fix
  const failed = await run();
  assert.equal(failed.code, 1, failed.stderr);
  assert.match(failed.stderr, new RegExp(`^error: the stack is deployed, but uploading the sample images to s3://${BUCKET} failed: NoSuchBucket`, 'm'));
  assert.match(failed.stderr, new RegExp(`deploy again, or upload them yourself: aws s3 cp \\S+/sam-app/samples s3://${BUCKET}/ --recursive --region ${REGION}`));
  assert.doesNotMatch(failed.stderr, /this is a bug/);
  assert.ok(existsSync(join(workspace, '.lab', 'deploy.json')));

  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const r = await run();
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`uploading the sample images to s3://${BUCKET}\\n8 of 8 sample files uploaded`));
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  assert.deepEqual((listed.Contents ?? []).map((o) => o.Key).sort(), readdirSync(join(workspace, 'sam-app', 'samples')).filter((f) => /\.(jpg|json)$/.test(f)).sort());
  assert.ok(listed.Contents?.some((o) => o.Key === 'someguy.jpg'));

  const rec = JSON.parse(readFileSync(join(workspace, '.lab', 'deploy.json'), 'utf8'));
  assert.deepEqual(rec.apis, [{ logicalId: 'ServerlessRestApi', restApiId: REST_API_ID, stage: 'Prod', shapeHash: '', deploymentId: 'x9y8z7' }]);
  const fn = rec.functions.find((f: { logicalId: string }) => f.logicalId === 'GetInfoFunction');
  assert.equal(fn.arn, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${FUNCTION_NAME}`);
  assert.equal(fn.deploymentGroupName, 'ServerlessOps-stack-GetInfoFunctionDeploymentGroup-ZxCvBn987654');
  assert.equal(rec.codeDeployApplication, 'ServerlessOps-stack-ServerlessDeploymentApplication-AsDfGh246810');
  assert.equal(rec.alarms.length, 1);

  // again: nothing to upload, said so
  const again = await run();
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /the 8 sample files are already there/);
});
