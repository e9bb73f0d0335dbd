/**
 * The local deployer: applies the workspace's SAM template to the embedded cloud through SDK
 * calls, idempotently, the way CloudFormation + SAM would on AWS.
 *
 * Order, chosen so a failure leaves nothing half-changed for the learner: everything is checked
 * before the first call (template, handler files, code packages); the alias of an existing
 * function moves last, only after every other resource applied, so a failure keeps it on the
 * last good version; `.lab/deploy.json` is written only on success. An interruption (Ctrl-C)
 * takes effect between steps only, so it leaves the same state as a failure: a retry finishes.
 */
import { join } from 'node:path';
import { InterruptedError, LabError } from '../../errors.js';
import { scaffoldWorkspace, type Workspace } from '../../lab/workspace.js';
import { assertHandlerFile, loadTemplate, type SamTemplate, type TemplateValue } from '../../template/index.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, TargetClients } from '../clients.js';
import { readDeployRecord, writeDeployRecord, type ApiRecord, type DeployRecord, type FunctionRecord } from '../deploy-record.js';
import { toLocalUrl } from '../urls.js';
import { zipCodeDir, type CodePackage } from '../zip.js';
import { createAlias, directShift, getAlias, type AliasShift, type AliasShifter } from './local/alias.js';
import { applyApi, ensureRestApi } from './local/api.js';
import { ensureBucket, uploadSamples } from './local/bucket.js';
import { applyFunction, applyReservedConcurrency } from './local/function.js';
import { bucketPhysicalName, functionPhysicalName, NameBook, physicalName, randomSuffix } from './local/names.js';
import type { DeployLog, DeployResult, ResourceChange } from './types.js';

export interface LocalDeployInput {
  workspace: Workspace;
  stackName: string;
  log: DeployLog;
  /** how AutoPublishAlias moves; CodeDeploy's shifter replaces the direct one next milestone */
  shifter?: (fn: { logicalId: string; deploymentPreference?: unknown }) => AliasShifter;
  /** options for a newly started emulator */
  emulator?: { port?: number; speed?: number; throttleStatus?: 500 | 502 };
  /** for messages: paths relative to this folder (default: the process's cwd) */
  cwd?: string;
  /**
   * Ctrl-C: the deploy stops at the next safe point, before a step starts (never between a
   * resource's creation and the record of its name), and throws InterruptedError.
   */
  signal?: AbortSignal;
}

export interface LocalDeployResult extends DeployResult {
  endpoint: string;
  record: DeployRecord;
}

/** The bucket the sample images go to: `ImagesBucket` when there is one, else the first. */
const SAMPLES_BUCKET = 'ImagesBucket';

export async function deployLocal(input: LocalDeployInput): Promise<LocalDeployResult> {
  const { workspace: ws, stackName, log } = input;
  const changes: ResourceChange[] = [];
  const warnings: string[] = [];
  const warn = (w: string) => {
    warnings.push(w);
    log.warn(w);
  };

  // 1. Everything that can be checked without the cloud, before changing anything.
  const unchanged = (what: string) => {
    if (input.signal?.aborted) throw new InterruptedError(`deploy interrupted ${what}, before anything in the embedded cloud changed: run deploy again`);
  };
  unchanged('at the start');
  const { copied } = await scaffoldWorkspace(ws);
  if (copied) log.info(`copied the lab app into ${ws.samApp}`);
  unchanged('while reading the template');
  const template = await loadTemplate(ws.template, { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID, stackName });
  for (const fn of template.functions) await assertHandlerFile(fn, input.cwd);
  for (const u of template.unsupported) warn(`${u.logicalId} (${u.type}) is not emulated by the local cloud: skipped`);
  const packages = new Map<string, CodePackage>();
  for (const fn of template.functions) packages.set(fn.logicalId, await zipCodeDir(fn.codeDir));

  const previous = readDeployRecord(ws);
  unchanged('while packaging the code');
  const { ensureEmulator } = await import('../../emulator/daemon.js');
  const { DEFAULT_PORT } = await import('../../emulator/config.js');
  // While the emulator starts, Ctrl-C waits: ensureEmulator then releases its start lock itself.
  const emu = await ensureEmulator({ stateDir: ws.stateDir, ...input.emulator });
  log.info(`embedded cloud ${emu.reused ? 'running' : 'started'} at ${emu.endpoint} (pid ${emu.pid})`);
  // A learner following `--endpoint-url http://127.0.0.1:4566` must hear that it is elsewhere.
  if (input.emulator?.port === undefined && emu.port !== DEFAULT_PORT) {
    if (!emu.reused) warn(`port ${DEFAULT_PORT} is in use; the embedded cloud listens on ${emu.port}: use --endpoint-url ${emu.endpoint}`);
    else log.info(`(the embedded cloud is on port ${emu.port}, not ${DEFAULT_PORT}: use --endpoint-url ${emu.endpoint})`);
  }

  const clients = new TargetClients({ kind: 'local', endpoint: emu.endpoint });
  const names = new NameBook(ws.names);
  let phase = 'naming resources';
  const step = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    phase = what;
    if (input.signal?.aborted) throw new Interrupt();
    return fn();
  };
  const aliasesBefore: string[] = [];
  try {
    // 2. Physical names, stable from one run to the next.
    const ids: Record<string, string> = {};
    const strict = strictResolver(template, ids);
    for (const fn of template.functions) {
      ids[fn.logicalId] = fn.functionName !== undefined ? asString(template.evaluate(fn.functionName, strict)) : names.allocate(stackName, fn.logicalId, () => functionPhysicalName(stackName, fn.logicalId));
    }
    for (const b of template.buckets) {
      ids[b.logicalId] = b.bucketName !== undefined ? asString(template.evaluate(b.bucketName, strict)) : names.allocate(stackName, b.logicalId, () => bucketPhysicalName(stackName, b.logicalId));
    }
    for (const a of template.alarms) {
      const given = a.properties.AlarmName;
      ids[a.logicalId] = given !== undefined ? asString(template.evaluate(given, strict)) : names.allocate(stackName, a.logicalId, () => physicalName(stackName, a.logicalId, randomSuffix(), 255));
    }
    for (const api of template.apis) ids[api.stageLogicalId] = api.stageName;
    await names.save();

    // 3. Buckets and the sample images.
    const samplesBucket = template.buckets.find((b) => b.logicalId === SAMPLES_BUCKET) ?? template.buckets[0];
    for (const b of template.buckets) {
      const name = ids[b.logicalId];
      const change = await step(`creating bucket ${name}`, () => ensureBucket(clients.s3, name));
      let detail: string | undefined;
      if (b === samplesBucket) {
        const up = await step(`uploading the sample images to ${name}`, () => uploadSamples(clients.s3, name, join(template.dir, 'samples')));
        if (up.uploaded.length) detail = `${up.uploaded.length} of ${up.total} sample files uploaded`;
      }
      changes.push({ logicalId: b.logicalId, type: 'AWS::S3::Bucket', physicalId: name, change: change === 'unchanged' && detail ? 'updated' : change, detail });
    }

    // 4. REST APIs exist before functions, so environment variables may refer to their ids.
    const apiChanges = new Map<string, ResourceChange['change']>();
    for (const api of template.apis) {
      const known = names.get(stackName, `${api.logicalId}#id`);
      const apiName = api.name !== undefined ? asString(template.evaluate(api.name, strict)) : stackName;
      const r = await step(`creating REST API ${api.logicalId}`, () => ensureRestApi(clients.apiGateway, known, apiName));
      ids[api.logicalId] = r.id;
      names.set(stackName, `${api.logicalId}#id`, r.id);
      await names.save();
      apiChanges.set(api.logicalId, r.change);
    }

    // 5. Functions: code, configuration, version, concurrency; new aliases.
    const fnRecords: FunctionRecord[] = [];
    const shifts: (AliasShift & { logicalId: string; shifter: AliasShifter })[] = [];
    const aliasArns: Record<string, string> = {};
    const versionOf: Record<string, { version: string; arn: string }> = {};
    for (const fn of template.functions) {
      const name = ids[fn.logicalId];
      const environment: Record<string, string> = {};
      for (const [k, v] of Object.entries(fn.environment)) environment[k] = asString(template.evaluate(v, strict));
      const code = packages.get(fn.logicalId)!;
      const applied = await step(`deploying function ${name}`, () =>
        applyFunction(clients.lambda, {
          name,
          role: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${stackName}-${fn.logicalId}Role`,
          runtime: fn.runtime,
          handler: fn.handler,
          timeout: fn.timeout,
          memorySize: fn.memorySize,
          description: fn.description ?? '',
          environment,
          architectures: fn.architectures,
          code,
        }),
      );
      versionOf[fn.logicalId] = { version: applied.version, arn: `${applied.arn}:${applied.version}` };
      const declared = fn.reservedConcurrentExecutions;
      const rc = await step(`setting reserved concurrency of ${name}`, () =>
        applyReservedConcurrency(clients.lambda, name, {
          declared,
          declaredBefore: previous?.functions.find((f) => f.logicalId === fn.logicalId && f.name === name)?.declaredReservedConcurrency,
          created: applied.change === 'created',
        }),
      );
      const detail = [
        applied.details.length ? `${applied.details.join(' and ')} changed` : '',
        applied.published ? `published version ${applied.version}` : `version ${applied.version} (no new version)`,
        rc.detail ?? '',
      ].filter(Boolean).join('; ');
      const change = applied.change === 'unchanged' && rc.change !== 'unchanged' ? 'updated' : applied.change;
      changes.push({ logicalId: fn.logicalId, type: 'AWS::Lambda::Function', physicalId: name, change, detail });

      const rec: FunctionRecord = { logicalId: fn.logicalId, name, arn: applied.arn, codeSha256: code.sha256, version: applied.version, declaredReservedConcurrency: declared ?? null };
      if (fn.autoPublishAlias) {
        const alias = fn.autoPublishAlias;
        const aliasArn = `${applied.arn}:${alias}`;
        aliasArns[fn.logicalId] = aliasArn;
        Object.assign(rec, { alias, aliasArn });
        const existing = await step(`reading alias ${name}:${alias}`, () => getAlias(clients.lambda, name, alias));
        const aliasId = fn.aliasLogicalId ?? `${fn.logicalId}Alias${alias}`;
        if (!existing) {
          // No earlier version to protect: the alias is created now, so the API can point at it.
          await step(`creating alias ${name}:${alias}`, () => createAlias(clients.lambda, name, alias, applied.version));
          changes.push({ logicalId: aliasId, type: 'AWS::Lambda::Alias', physicalId: aliasArn, change: 'created', detail: `on version ${applied.version}` });
        } else if (existing.FunctionVersion !== applied.version) {
          aliasesBefore.push(`${name}:${alias} still on version ${existing.FunctionVersion}`);
          const shifter = input.shifter?.(fn) ?? directShift;
          if (!input.shifter && fn.deploymentPreference?.enabled) {
            warn(`${fn.logicalId}: DeploymentPreference ${fn.deploymentPreference.type} is not emulated yet (CodeDeploy comes next): the alias moves at once`);
          }
          shifts.push({ logicalId: aliasId, functionName: name, alias, from: existing.FunctionVersion!, to: applied.version, shifter });
        } else {
          changes.push({ logicalId: aliasId, type: 'AWS::Lambda::Alias', physicalId: aliasArn, change: 'unchanged', detail: `on version ${applied.version}` });
        }
      }
      fnRecords.push(rec);
    }

    // 6. Routes and stage deployments.
    const apiRecords: ApiRecord[] = [];
    for (const api of template.apis) {
      const restApiId = ids[api.logicalId];
      const variables: Record<string, string> = {};
      for (const [k, v] of Object.entries(api.variables)) variables[k] = asString(template.evaluate(v, strict));
      const routes = api.routes.map((r) => ({ path: r.path, method: r.method, targetArn: aliasArns[r.functionLogicalId] ?? fnRecords.find((f) => f.logicalId === r.functionLogicalId)!.arn }));
      const prev = previous?.apis.find((a) => a.logicalId === api.logicalId && a.restApiId === restApiId);
      const r = await step(`deploying REST API ${restApiId} to stage ${api.stageName}`, () =>
        applyApi(clients.apiGateway, restApiId, { name: stackName, stage: api.stageName, variables, routes, region: LOCAL_REGION }, prev?.shapeHash),
      );
      const created = apiChanges.get(api.logicalId) === 'created';
      changes.push({
        logicalId: api.logicalId,
        type: 'AWS::ApiGateway::RestApi',
        physicalId: restApiId,
        change: created ? 'created' : r.change,
        detail: r.deploymentId ? `stage ${api.stageName} deployed (${r.deploymentId})` : `stage ${api.stageName}`,
      });
      apiRecords.push({ logicalId: api.logicalId, restApiId, stage: api.stageName, shapeHash: r.hash, deploymentId: r.deploymentId ?? prev?.deploymentId });
    }

    // 7. Alarms wait for the CloudWatch emulation.
    for (const a of template.alarms) {
      changes.push({ logicalId: a.logicalId, type: 'AWS::CloudWatch::Alarm', physicalId: ids[a.logicalId], change: 'skipped', detail: 'not yet emulated by the local cloud' });
    }

    // 8. Last: move the aliases of functions that have a new version.
    for (const s of shifts) {
      const how = await step(`moving alias ${s.functionName}:${s.alias} to version ${s.to}`, () => s.shifter.shift(clients.lambda, s));
      changes.push({ logicalId: s.logicalId, type: 'AWS::Lambda::Alias', physicalId: `${s.functionName}:${s.alias}`, change: 'updated', detail: `${how} from version ${s.from} to ${s.to}` });
    }
    aliasesBefore.length = 0;

    // 9. Outputs, with AWS invoke URLs turned into the local front door.
    phase = 'evaluating the outputs';
    const resolver = outputResolver(template, ids, aliasArns, versionOf);
    const apiIds = new Set(apiRecords.map((a) => a.restApiId));
    const outputs: Record<string, string> = {};
    for (const o of template.outputs) outputs[o.name] = toLocalUrl(asString(template.evaluate(o.value, resolver)), emu.endpoint, apiIds);

    const record: DeployRecord = {
      schema: 1,
      target: 'local',
      endpoint: emu.endpoint,
      region: LOCAL_REGION,
      stackName,
      deployedAt: new Date().toISOString(),
      outputs,
      physicalIds: { ...ids },
      functions: fnRecords,
      apis: apiRecords,
    };
    phase = `writing ${ws.deployRecord}`;
    await writeDeployRecord(ws, record);
    return { target: 'local', endpoint: emu.endpoint, outputs, changes, warnings, record };
  } catch (err) {
    throw deployFailure(err, phase, aliasesBefore);
  } finally {
    await names.save().catch(() => undefined);
    clients.destroy();
  }
}

/** Thrown by a step that did not start because of Ctrl-C; deployFailure words it. */
class Interrupt extends Error {}

function deployFailure(err: unknown, phase: string, aliasesKept: string[]): LabError {
  if (err instanceof Interrupt) {
    const kept = aliasesKept.length ? `; ${aliasesKept.join(', ')}` : '';
    return new InterruptedError(`deploy interrupted before ${phase}: run deploy again to finish (nothing is left half-changed${kept})`);
  }
  const e = err as Error & { name?: string };
  const why = err instanceof LabError ? e.message : `${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e?.message ?? String(err)}`;
  const kept = aliasesKept.length ? ` ${aliasesKept.join(', ')};` : '';
  return new LabError(`deploy failed while ${phase}: ${why}`, undefined, `nothing was recorded:${kept} fix the cause and run deploy again (it picks up where it stopped)`);
}

function asString(v: TemplateValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Before functions exist: refs to names, buckets, APIs and stages only. */
function strictResolver(template: SamTemplate, ids: Record<string, string>) {
  return {
    ref(id: string): string {
      if (id in ids) return ids[id];
      throw new LabError(`${template.file}: a value refers to ${id}, which is not known at this point of a local deploy`);
    },
    getAtt(id: string, attr: string): string {
      return bucketAtt(ids, template, id, attr) ?? functionAtt(ids, template, id, attr) ?? unresolved(template, id, attr);
    },
  };
}

function outputResolver(template: SamTemplate, ids: Record<string, string>, aliasArns: Record<string, string>, versions: Record<string, { version: string; arn: string }>) {
  const fnByAlias = new Map(template.functions.map((f) => [f.aliasLogicalId ?? `${f.logicalId}Alias${f.autoPublishAlias}`, f.logicalId]));
  const fnByVersion = new Map(template.functions.map((f) => [f.versionLogicalId, f.logicalId]));
  return {
    ref(id: string): string {
      if (id in ids) return ids[id];
      const a = fnByAlias.get(id);
      if (a && aliasArns[a]) return aliasArns[a];
      const v = fnByVersion.get(id);
      if (v && versions[v]) return versions[v].arn;
      throw new LabError(`${template.file}: an output refers to ${id}, which the local cloud does not create`);
    },
    getAtt(id: string, attr: string): string {
      const v = fnByVersion.get(id);
      if (v && versions[v] && attr === 'Version') return versions[v].version;
      return bucketAtt(ids, template, id, attr) ?? functionAtt(ids, template, id, attr) ?? unresolved(template, id, attr);
    },
  };
}

function bucketAtt(ids: Record<string, string>, t: SamTemplate, id: string, attr: string): string | undefined {
  if (!t.buckets.some((b) => b.logicalId === id)) return undefined;
  const name = ids[id];
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html#aws-resource-s3-bucket-return-values
  switch (attr) {
    case 'Arn':
      return `arn:aws:s3:::${name}`;
    case 'DomainName':
      return `${name}.s3.amazonaws.com`;
    case 'RegionalDomainName':
      return `${name}.s3.${LOCAL_REGION}.amazonaws.com`;
    default:
      return undefined;
  }
}

function functionAtt(ids: Record<string, string>, t: SamTemplate, id: string, attr: string): string | undefined {
  if (attr !== 'Arn' || !t.functions.some((f) => f.logicalId === id)) return undefined;
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${ids[id]}`;
}

function unresolved(t: SamTemplate, id: string, attr: string): never {
  throw new LabError(`${t.file}: !GetAtt ${id}.${attr} is not supported by the local deployer`);
}
