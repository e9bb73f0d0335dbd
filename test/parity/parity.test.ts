/**
 * Our answers beside AWS's recorded ones, through the real SDK clients: one subtest per
 * (operation, input), each naming where AWS's answer comes from (case.ts). A case that differs
 * fails with what differs; the closing line says how many cases there are and the share that match.
 */
import { after, before, describe, it } from 'node:test';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { clientConfig, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { compare, type Clients, type ParityCase } from './case.js';
import { lambdaCases } from './lambda-cases.js';
import { apiGatewayCases } from './apigateway-cases.js';
import { s3Cases } from './s3-cases.js';

const services: Array<[string, ParityCase[]]> = [
  ['Lambda', lambdaCases],
  ['API Gateway', apiGatewayCases],
  ['S3', s3Cases],
];

let emu: TestEmulator;
let clients: Clients;
const tally = new Map<string, { cases: number; match: number }>();

before(async () => {
  emu = await startTestEmulator();
  const config = clientConfig(emu.endpoint);
  clients = {
    lambda: new LambdaClient(config),
    apigw: new APIGatewayClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    endpoint: emu.endpoint,
  };
});

after(async () => {
  clients?.lambda.destroy();
  clients?.apigw.destroy();
  clients?.s3.destroy();
  await emu?.close();
  let cases = 0;
  let match = 0;
  const parts: string[] = [];
  for (const [service, t] of tally) {
    cases += t.cases;
    match += t.match;
    parts.push(`${service} ${t.match}/${t.cases}`);
  }
  const share = cases ? ((100 * match) / cases).toFixed(1) : '0';
  console.log(`parity with AWS's recorded answers: ${cases} cases, ${match} match (${share} %): ${parts.join(', ')}`);
});

for (const [service, cases] of services) {
  describe(`${service}: answers as AWS gives them`, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const t = tally.get(service) ?? { cases: 0, match: 0 };
        tally.set(service, t);
        t.cases++;
        const diffs = await compare(c, clients);
        if (diffs.length) throw new Error(`differs from AWS (${c.source}): ${diffs.join('; ')}`);
        t.match++;
      });
    }
  });
}
