/**
 * UpdateStage's patch operations (JSON-Patch-like, RFC 6902 ops with string values):
 * https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateStage-Patch
 * Operations apply in order to a copy of the stage; the first refused one refuses the whole call.
 * The canary paths are in canary-patch.ts.
 *
 * AWS's answers (LocalStack's AWS-validated snapshots, test_apigateway_common/_canary):
 * - an op outside the enum is a ValidationException naming each one
 *   (`updateStageInput.patchOperations.N.member.op`), before anything is applied;
 * - a path UpdateStage does not know: "Invalid method setting path: {path}. Must be one of: […]".
 */
import { setOwn, deleteOwn } from '../../core/own-key.js';
import { ServiceError } from '../../core/service-error.js';
import { applyCanaryPatch, isCanaryPath } from './canary-patch.js';
import { badRequest } from './errors.js';
import type { StageRecord } from './model.js';
import { invalidStagePath, pointer } from './patch-paths.js';

export interface PatchOperation {
  op?: string;
  path?: string;
  value?: string;
  from?: string;
}

const OPS = ['add', 'remove', 'move', 'test', 'replace', 'copy'];

function parseBool(value: string | undefined, path: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`Invalid value '${value ?? ''}' for ${path}: expected 'true' or 'false'`);
}

function checkOps(ops: PatchOperation[]): void {
  const wrong = ops.flatMap((o, i) => (OPS.includes(o.op ?? '') ? [] : [[i + 1, o.op ?? 'null'] as const]));
  if (wrong.length === 0) return;
  const each = wrong.map(
    ([n, op]) => `Value '${op}' at 'updateStageInput.patchOperations.${n}.member.op' failed to satisfy constraint: Member must satisfy enum value set: [${OPS.join(', ')}]`,
  );
  const count = wrong.length === 1 ? '1 validation error detected' : `${wrong.length} validation errors detected`;
  throw new ServiceError('ValidationException', `${count}: ${each.join('; ')}`, 400);
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
  checkOps(ops);
  const stage: StageRecord = structuredClone(current);
  for (const raw of ops) {
    const op = raw.op!;
    const path = raw.path ?? '';
    if (op === 'copy' || isCanaryPath(path)) {
      applyCanaryPatch(stage, { op, path, value: raw.value, from: raw.from }, deploymentExists);
      continue;
    }
    if (!path.startsWith('/')) throw invalidStagePath(path);
    const [head, key, sub] = pointer(path);
    const removing = op === 'remove';
    if (op === 'test' || op === 'move') throw invalidStagePath(path);

    switch (head) {
      case 'deploymentId':
        if (removing || key !== undefined) throw invalidStagePath(path);
        if (!raw.value || !deploymentExists(raw.value)) throw badRequest(`Invalid deployment identifier specified`);
        stage.deploymentId = raw.value;
        break;
      case 'description':
        if (key !== undefined) throw invalidStagePath(path);
        if (removing) delete stage.description;
        else stage.description = raw.value ?? '';
        break;
      case 'tracingEnabled':
        if (key !== undefined) throw invalidStagePath(path);
        stage.tracingEnabled = parseBool(raw.value, path);
        break;
      case 'cacheClusterEnabled':
        if (key !== undefined) throw invalidStagePath(path);
        stage.cacheClusterEnabled = parseBool(raw.value, path);
        break;
      case 'variables':
        if (!key || sub !== undefined) throw invalidStagePath(path);
        if (removing) deleteOwn(stage.variables, key);
        else setOwn(stage.variables, key, raw.value ?? '');
        break;
      default:
        throw invalidStagePath(path);
    }
  }
  return stage;
}
