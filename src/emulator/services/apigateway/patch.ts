/**
 * UpdateStage's patch operations (JSON-Patch-like, RFC 6902 ops with string values):
 * https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateStage-Patch
 * Canary ones follow "Update a canary release" / "Promote a canary release" in the API Gateway
 * developer guide: replace /canarySettings/percentTraffic, copy /canarySettings/deploymentId →
 * /deploymentId, copy /canarySettings/stageVariableOverrides → /variables, remove /canarySettings.
 * The guide's examples also write `/canary/...`; that spelling is accepted as an alias.
 */
import { assignOwn, deleteOwn, setOwn } from '../../core/own-key.js';
import { badRequest } from './errors.js';
import type { CanarySettingsRecord, StageRecord } from './model.js';

export interface PatchOperation {
  op?: string;
  path?: string;
  value?: string;
  from?: string;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** JSON pointer segments, unescaped (`~1` → `/`, `~0` → `~`) */
function pointer(path: string): string[] {
  const parts = path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] === 'canary') parts[0] = 'canarySettings';
  return parts;
}

function parseBool(value: string | undefined, path: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`Invalid value '${value ?? ''}' for ${path}: expected 'true' or 'false'`);
}

function parsePercent(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) {
    throw badRequest(`Invalid value '${value ?? ''}' for percentTraffic: must be a number between 0.0 and 100.0`);
  }
  return n;
}

function invalidPath(op: string, path: string): Error {
  return badRequest(`Invalid patch path '${path}' specified for op '${op}'`);
}

/**
 * Applies `ops` to a copy of `stage` and returns it; the caller persists it. `deploymentExists`
 * checks ids that end up in /deploymentId or /canarySettings/deploymentId.
 */
export function applyStagePatch(
  current: StageRecord,
  ops: PatchOperation[],
  deploymentExists: (id: string) => boolean,
): StageRecord {
  const stage: StageRecord = structuredClone(current);
  const ensureCanary = (): CanarySettingsRecord =>
    (stage.canarySettings ??= {
      percentTraffic: 0,
      deploymentId: stage.deploymentId,
      stageVariableOverrides: {},
      useStageCache: false,
    });

  for (const raw of ops) {
    const op = raw.op ?? '';
    const path = raw.path ?? '';
    if (!OPS.has(op)) throw badRequest(`Invalid patch operation specified. Must be one of: [add, remove, replace, move, copy, test]`);
    if (!path.startsWith('/')) throw invalidPath(op, path);
    const [head, key, sub, ...rest] = pointer(path);

    if (op === 'copy') {
      const from = pointer(raw.from ?? '');
      if (head === 'deploymentId' && key === undefined && from.join('/') === 'canarySettings/deploymentId') {
        const id = stage.canarySettings?.deploymentId;
        if (!id) throw badRequest('Stage has no canary deployment to promote');
        stage.deploymentId = id;
      } else if (head === 'variables' && key === undefined && from.join('/') === 'canarySettings/stageVariableOverrides') {
        assignOwn(stage.variables, stage.canarySettings?.stageVariableOverrides);
      } else {
        throw invalidPath(op, path);
      }
      continue;
    }
    if (op === 'test' || op === 'move') throw invalidPath(op, path);
    const removing = op === 'remove';

    switch (head) {
      case 'deploymentId':
        if (removing || key !== undefined) throw invalidPath(op, path);
        if (!raw.value || !deploymentExists(raw.value)) throw badRequest(`Invalid deployment identifier specified`);
        stage.deploymentId = raw.value;
        break;
      case 'description':
        if (removing) delete stage.description;
        else stage.description = raw.value ?? '';
        break;
      case 'tracingEnabled':
        stage.tracingEnabled = parseBool(raw.value, path);
        break;
      case 'cacheClusterEnabled':
        stage.cacheClusterEnabled = parseBool(raw.value, path);
        break;
      case 'variables':
        if (!key || sub !== undefined) throw invalidPath(op, path);
        if (removing) deleteOwn(stage.variables, key);
        else setOwn(stage.variables, key, raw.value ?? '');
        break;
      case 'canarySettings':
        if (key === undefined) {
          if (!removing) throw invalidPath(op, path);
          delete stage.canarySettings;
          break;
        }
        patchCanary(ensureCanary(), op, path, key, sub, rest, raw.value, deploymentExists);
        break;
      default:
        throw invalidPath(op, path);
    }
  }
  return stage;
}

function patchCanary(
  canary: CanarySettingsRecord,
  op: string,
  path: string,
  key: string,
  sub: string | undefined,
  rest: string[],
  value: string | undefined,
  deploymentExists: (id: string) => boolean,
): void {
  const removing = op === 'remove';
  if (rest.length > 0) throw invalidPath(op, path);
  switch (key) {
    case 'percentTraffic':
      canary.percentTraffic = removing ? 0 : parsePercent(value);
      return;
    case 'useStageCache':
      canary.useStageCache = removing ? false : parseBool(value, path);
      return;
    case 'deploymentId':
      if (removing || !value || !deploymentExists(value)) throw badRequest('Invalid deployment identifier specified');
      canary.deploymentId = value;
      return;
    // the guide's own example misspells it "stageVariableOverides"; take both
    case 'stageVariableOverrides':
    case 'stageVariableOverides':
      if (sub === undefined) {
        if (removing) canary.stageVariableOverrides = {};
        else throw invalidPath(op, path);
      } else if (removing) {
        deleteOwn(canary.stageVariableOverrides, sub);
      } else {
        setOwn(canary.stageVariableOverrides, sub, value ?? '');
      }
      return;
    default:
      throw invalidPath(op, path);
  }
}
