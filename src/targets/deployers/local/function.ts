/**
 * One AWS::Serverless::Function, applied through the Lambda API the way CloudFormation and SAM
 * would: $LATEST's code and configuration updated only when they differ, a version published
 * only when $LATEST differs from the newest published version
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html), reserved
 * concurrency put or deleted. Publishing is the Version's (`publishIfChanged`), moving the alias
 * an AliasShifter's (see alias.ts).
 */
import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaSdk } from '../../clients.js';
import { LabError } from '../../../errors.js';
import type { RecordedConfiguration } from '../../deploy-record.js';
import type { CodePackage } from '../../zip.js';
import type { ChangeKind } from '../types.js';
import { isNotFound } from './not-found.js';

/** a function as the template wants it: the configuration a deploy records (deploy-record.ts), its name and code */
export interface DesiredFunction extends RecordedConfiguration {
  name: string;
  code: CodePackage;
}

/** The configuration fields the deployer owns, in a comparable form. */
function configOf(c: FunctionConfiguration | DesiredFunction): Record<string, unknown> {
  if ('code' in c) {
    return { runtime: c.runtime, handler: c.handler, timeout: c.timeout, memorySize: c.memorySize, description: c.description, environment: sortKeys(c.environment) };
  }
  return {
    runtime: c.Runtime,
    handler: c.Handler,
    timeout: c.Timeout,
    memorySize: c.MemorySize,
    description: c.Description ?? '',
    environment: sortKeys(c.Environment?.Variables ?? {}),
  };
}

/** the configuration members CreateFunction and UpdateFunctionConfiguration share (a deploy's, and restore.ts's from the record) */
export function apiConfiguration(name: string, c: RecordedConfiguration) {
  return {
    FunctionName: name,
    Role: c.role,
    Runtime: c.runtime as never,
    Handler: c.handler,
    Timeout: c.timeout,
    MemorySize: c.memorySize,
    Description: c.description,
    Environment: { Variables: c.environment },
  };
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface FunctionApplied {
  arn: string;
  change: ChangeKind;
  /** what changed on $LATEST */
  details: string[];
}

/** $LATEST's code and configuration, created or updated when they differ; no version published. */
export async function applyFunction(lambda: LambdaClient, d: DesiredFunction): Promise<FunctionApplied> {
  let current: FunctionConfiguration | undefined;
  try {
    current = (await lambda.send(new (lambdaSdk().GetFunctionCommand)({ FunctionName: d.name }))).Configuration;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }

  const details: string[] = [];
  let change: ChangeKind = 'unchanged';
  if (!current) {
    await lambda.send(
      new (lambdaSdk().CreateFunctionCommand)({
        ...apiConfiguration(d.name, d),
        Architectures: d.architectures as never,
        Code: { ZipFile: d.code.zip },
        Publish: false,
      }),
    );
    change = 'created';
  } else {
    if (current.CodeSha256 !== d.code.sha256) {
      await lambda.send(new (lambdaSdk().UpdateFunctionCodeCommand)({ FunctionName: d.name, ZipFile: d.code.zip, Publish: false }));
      await waitUntilUpdated(lambda, d.name);
      details.push('code');
      change = 'updated';
    }
    if (!same(configOf(current), configOf(d))) {
      await lambda.send(new (lambdaSdk().UpdateFunctionConfigurationCommand)(apiConfiguration(d.name, d)));
      details.push('configuration');
      change = 'updated';
    }
  }
  const latest = await waitUntilUpdated(lambda, d.name);
  return { arn: latest.FunctionArn!, change, details };
}

/**
 * How the Description of the canary chapter's version ends (steps/canary/lesson.ts publishes it):
 * a version published outside any deploy, which stays after a reset (a version is immutable and
 * stays until deleted, on AWS too). The deploy (publishIfChanged) and blue-green's newest released
 * version leave it out by this.
 */
export const CANARY_DESCRIPTION_TAIL = 'released as an API Gateway canary';

/**
 * Publishes only when $LATEST differs from the newest version: unchanged code and configuration
 * publish nothing, and a deploy that failed after updating $LATEST publishes on the retry.
 * Lambda compares with the newest version only ("Lambda doesn't publish a version if the
 * function's configuration and code haven't changed since the last version", PublishVersion,
 * https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html): code put back as an
 * older version had it is published again, as a new version. `sameAs` names that older version,
 * for the deploy to say (after the lab, the code put back after hooks-errors is version 3's).
 *
 * The canary chapter's version (its Description ends with CANARY_DESCRIPTION_TAIL) is published
 * outside any deploy, and is not what a deploy compares with: SAM publishes a version when the
 * function's code or configuration changed since the stack's last one, and CloudFormation never
 * sees a version published by hand. Compared with it, a deploy that changed nothing after the
 * chapter (or after a reset into it) published the last deploy's code again as a new version and
 * started a CodeDeploy deployment of the same code (10 cloud minutes with Linear10PercentEvery1Minute).
 */
export async function publishIfChanged(lambda: LambdaClient, name: string): Promise<{ version: string; published: boolean; arn: string; sameAs?: string }> {
  const latest = await waitUntilUpdated(lambda, name);
  const versions = await numberedVersions(lambda, name);
  const newest = versions.find((v) => !v.Description?.endsWith(CANARY_DESCRIPTION_TAIL));
  // (A version's Description may be overridden at publish time, so it is not compared.)
  const runtimeConfig = (c: FunctionConfiguration) => ({ ...configOf(c), description: undefined });
  const sameAsLatest = (v: FunctionConfiguration) => v.CodeSha256 === latest.CodeSha256 && same(runtimeConfig(v), runtimeConfig(latest));
  if (newest && sameAsLatest(newest)) {
    return { version: newest.Version!, published: false, arn: newest.FunctionArn ?? `${latest.FunctionArn}:${newest.Version}` };
  }
  const v = await lambda.send(new (lambdaSdk().PublishVersionCommand)({ FunctionName: name, CodeSha256: latest.CodeSha256 }));
  // Lambda answers its newest version when nothing changed since it: the canary's, when $LATEST is its code
  if (v.Version === versions[0]?.Version) return { version: v.Version!, published: false, arn: v.FunctionArn ?? `${latest.FunctionArn}:${v.Version}` };
  const sameAs = versions.find(sameAsLatest)?.Version;
  return { version: v.Version!, published: true, arn: v.FunctionArn ?? `${latest.FunctionArn}:${v.Version}`, ...(sameAs ? { sameAs } : {}) };
}

/** Waits out `State: Pending` / `LastUpdateStatus: InProgress` (real Lambda applies updates asynchronously). */
export async function waitUntilUpdated(lambda: LambdaClient, name: string, timeoutMs = 60_000): Promise<FunctionConfiguration> {
  const until = Date.now() + timeoutMs;
  let delay = 50;
  for (;;) {
    const c = await lambda.send(new (lambdaSdk().GetFunctionConfigurationCommand)({ FunctionName: name }));
    if (c.State === 'Failed' || c.LastUpdateStatus === 'Failed') {
      throw new LabError(`function ${name} failed to update: ${c.StateReason ?? c.LastUpdateStatusReason ?? 'no reason given'}`);
    }
    if (c.State !== 'Pending' && c.LastUpdateStatus !== 'InProgress') return c;
    if (Date.now() > until) throw new LabError(`function ${name} is still updating after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
}

export async function listVersions(lambda: LambdaClient, name: string): Promise<FunctionConfiguration[]> {
  const out: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new (lambdaSdk().ListVersionsByFunctionCommand)({ FunctionName: name, Marker: marker }));
    out.push(...(page.Versions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return out;
}

/** the published versions, newest first */
async function numberedVersions(lambda: LambdaClient, name: string): Promise<FunctionConfiguration[]> {
  const published = (await listVersions(lambda, name)).filter((v) => v.Version && /^\d+$/.test(v.Version));
  return published.sort((a, b) => Number(b.Version) - Number(a.Version));
}

export interface ReservedConcurrencyInput {
  /** ReservedConcurrentExecutions in the template now; undefined when it declares none */
  declared: number | undefined;
  /** what the last successful deploy's template declared: null none, undefined unknown (no record) */
  declaredBefore: number | null | undefined;
  /** the function was created by this deploy */
  created: boolean;
}

export interface ReservedConcurrencyApplied {
  change: ChangeKind;
  /** for the function's row, e.g. `reserved concurrency 25 → removed`; undefined when nothing to say */
  detail?: string;
}

/**
 * Reserved concurrency the way CloudFormation updates a property: it acts only on what the
 * template says and how that differs from the last template it applied. Set when the function
 * is created or the declared value changed; deleted when the last template declared it and this
 * one does not; otherwise a value set outside the template (`aws lambda put-function-concurrency`)
 * is left alone. An update with a property removed resets it to its default, which for
 * ReservedConcurrentExecutions means no reservation:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-function.html#cfn-lambda-function-reservedconcurrentexecutions
 */
export async function applyReservedConcurrency(lambda: LambdaClient, name: string, rc: ReservedConcurrencyInput): Promise<ReservedConcurrencyApplied> {
  const cur = (await lambda.send(new (lambdaSdk().GetFunctionConcurrencyCommand)({ FunctionName: name }))).ReservedConcurrentExecutions;
  const shown = (n: number | undefined) => (n === undefined ? 'none' : String(n));
  if (rc.declared !== undefined) {
    if (cur === rc.declared) return { change: 'unchanged' };
    if (rc.created || rc.declared !== rc.declaredBefore) {
      await lambda.send(new (lambdaSdk().PutFunctionConcurrencyCommand)({ FunctionName: name, ReservedConcurrentExecutions: rc.declared }));
      return { change: 'updated', detail: `reserved concurrency ${shown(cur)} → ${rc.declared}` };
    }
    return { change: 'unchanged', detail: `reserved concurrency ${shown(cur)} kept (the template's ${rc.declared} did not change)` };
  }
  if (cur === undefined) return { change: 'unchanged' };
  if (typeof rc.declaredBefore === 'number') {
    await lambda.send(new (lambdaSdk().DeleteFunctionConcurrencyCommand)({ FunctionName: name }));
    return { change: 'updated', detail: `reserved concurrency ${cur} → removed` };
  }
  return { change: 'unchanged', detail: `reserved concurrency ${cur} kept (set outside the template)` };
}
