/**
 * One comparison of our answer with AWS's: an operation and its input, sent through the real SDK
 * client, against what AWS answered to the same call (status, error code, message, and the shape:
 * the members of the answer). Where AWS's answer comes from is named with each case: a LocalStack
 * snapshot recorded against real AWS (`tests/aws/services/<svc>/<file>.snapshot.json`, marked
 * AWS-validated) or an AWS API reference page.
 */
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';

export interface Clients {
  lambda: LambdaClient;
  apigw: APIGatewayClient;
  s3: S3Client;
  endpoint: string;
}

export type Expected =
  | {
      status: number;
      /** the answer's top-level members, exactly (the SDK's $metadata aside) */
      keys?: string[];
      /** members whose values AWS fixes */
      values?: Record<string, unknown>;
      /** a further check of the answer; returns what differs, or undefined */
      check?: (out: any) => string | undefined;
    }
  | { status: number; code: string; message: string | RegExp };

export interface ParityCase {
  /** `Operation: what the input is` */
  name: string;
  /** where AWS's answer was recorded */
  source: string;
  call: (c: Clients) => Promise<unknown>;
  expect: Expected;
}

/** How an answer differs from AWS's; empty when it matches. */
export async function compare(c: ParityCase, clients: Clients): Promise<string[]> {
  let out: any;
  try {
    out = await c.call(clients);
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (!('code' in c.expect)) return [`failed with ${status} ${e.name}: ${e.message}`];
    const diffs: string[] = [];
    if (status !== c.expect.status) diffs.push(`status ${status}, AWS ${c.expect.status}`);
    if (e.name !== c.expect.code) diffs.push(`code ${e.name}, AWS ${c.expect.code}`);
    const m = c.expect.message;
    if (typeof m === 'string' ? e.message !== m : !m.test(e.message)) diffs.push(`message "${e.message}", AWS "${String(m)}"`);
    return diffs;
  }
  const status = out?.$metadata?.httpStatusCode;
  if ('code' in c.expect) return [`answered ${status}, AWS ${c.expect.status} ${c.expect.code}`];
  const diffs: string[] = [];
  if (status !== c.expect.status) diffs.push(`status ${status}, AWS ${c.expect.status}`);
  if (c.expect.keys) {
    const ours = Object.keys(out ?? {}).filter((k) => k !== '$metadata' && out[k] !== undefined).sort();
    const aws = [...c.expect.keys].sort();
    const missing = aws.filter((k) => !ours.includes(k));
    const extra = ours.filter((k) => !aws.includes(k));
    if (missing.length) diffs.push(`missing ${missing.join(', ')}`);
    if (extra.length) diffs.push(`not in AWS's answer: ${extra.join(', ')}`);
  }
  for (const [k, v] of Object.entries(c.expect.values ?? {})) {
    if (JSON.stringify(out?.[k]) !== JSON.stringify(v)) diffs.push(`${k} ${JSON.stringify(out?.[k])}, AWS ${JSON.stringify(v)}`);
  }
  const more = c.expect.check?.(out);
  if (more) diffs.push(more);
  return diffs;
}
