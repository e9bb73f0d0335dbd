/**
 * UpdateStage's canary operations, as AWS answers them (LocalStack's AWS-validated snapshots,
 * test_apigateway_canary; the developer guide's "Update a canary release", "Promote a canary
 * release" and "Turn off a canary release"):
 *
 * - `replace /canarySettings/{percentTraffic|useStageCache|deploymentId}` and
 *   `replace /canarySettings/stageVariableOverrides/{name}`; on a stage without a canary, the first
 *   such replace creates one on the stage's own deployment at 0 %. A canary deployment that does
 *   not exist: "Deployment id does not exist".
 * - `add` on any canary path is refused: "Invalid add operation with path: {path}".
 * - `remove /canarySettings` turns the canary off (the answer has no canarySettings);
 *   `remove /canarySettings/stageVariableOverrides/{name}` drops one override; any other remove
 *   under it: "Cannot remove method setting canarySettings/… because there is no method setting
 *   for this method ".
 * - any other canary path: "Invalid method setting path: …".
 * - promotion: `copy` from /canarySettings/deploymentId to /deploymentId and from
 *   /canarySettings/stageVariableOverrides to /variables (merged over them); no other copy exists
 *   ("Invalid copy operation with path: …"); without a canary: "Promotion not available. Canary
 *   does not exist." Promotion keeps the canary; turning it off is a separate remove.
 *
 * The guide's examples also write `/canary/…` and misspell `stageVariableOverides`; both are taken.
 */
import { assignOwn, deleteOwn, setOwn } from '../../core/own-key.js';
import { canaryDeploymentMissing, checkPercentTraffic } from './canary.js';
import { badRequest } from './errors.js';
import type { CanarySettingsRecord, StageRecord } from './model.js';
import { invalidStagePath, pointer } from './patch-paths.js';

export interface CanaryPatch {
  op: string;
  path: string;
  value?: string;
  from?: string;
}

const OVERRIDES = new Set(['stageVariableOverrides', 'stageVariableOverides']);

/** `/canarySettings…` or the guide's `/canary…` */
export function isCanaryPath(path: string): boolean {
  const head = pointer(path)[0];
  return path.startsWith('/') && (head === 'canarySettings' || head === 'canary');
}

function parsePercent(value: string | undefined): number {
  const n = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw badRequest(`Invalid value '${value ?? ''}' for percentTraffic: must be a number between 0.0 and 100.0`);
  return checkPercentTraffic(n);
}

function parseBool(value: string | undefined, path: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`Invalid value '${value ?? ''}' for ${path}: expected 'true' or 'false'`);
}

function ensureCanary(stage: StageRecord): CanarySettingsRecord {
  return (stage.canarySettings ??= { percentTraffic: 0, deploymentId: stage.deploymentId, stageVariableOverrides: {}, useStageCache: false });
}

function copy(stage: StageRecord, path: string, from: string): void {
  const target = pointer(path).join('/');
  const source = pointer(from).map((p, i) => (i === 0 && p === 'canary' ? 'canarySettings' : p));
  const promotesDeployment = target === 'deploymentId' && source.join('/') === 'canarySettings/deploymentId';
  const promotesVariables = target === 'variables' && source.length === 2 && source[0] === 'canarySettings' && OVERRIDES.has(source[1]);
  if (!promotesDeployment && !promotesVariables) {
    throw badRequest(
      `Invalid copy operation with path: ${path} and from ${from}. Valid copy:path are [/deploymentId, /variables] and valid copy:from are [/canarySettings/deploymentId, /canarySettings/stageVariableOverrides]`,
    );
  }
  const canary = stage.canarySettings;
  if (!canary) throw badRequest('Promotion not available. Canary does not exist.');
  if (promotesDeployment) stage.deploymentId = canary.deploymentId ?? stage.deploymentId;
  else assignOwn(stage.variables, canary.stageVariableOverrides);
}

export function applyCanaryPatch(stage: StageRecord, p: CanaryPatch, deploymentExists: (id: string) => boolean): void {
  if (p.op === 'copy') return copy(stage, p.path, p.from ?? '');
  const [, key, sub, ...rest] = pointer(p.path);
  if (p.op === 'add' && key !== undefined) throw badRequest(`Invalid add operation with path: ${p.path}`);

  if (p.op === 'remove') {
    if (key === undefined) {
      delete stage.canarySettings;
    } else if (OVERRIDES.has(key) && sub !== undefined && rest.length === 0) {
      if (stage.canarySettings) deleteOwn(stage.canarySettings.stageVariableOverrides, sub);
    } else {
      throw badRequest(`Cannot remove method setting ${p.path.slice(1)} because there is no method setting for this method `);
    }
    return;
  }
  if (p.op !== 'replace' || key === undefined || rest.length > 0) throw invalidStagePath(p.path);

  switch (key) {
    case 'percentTraffic':
      if (sub !== undefined) throw invalidStagePath(p.path);
      ensureCanary(stage).percentTraffic = parsePercent(p.value);
      return;
    case 'useStageCache':
      if (sub !== undefined) throw invalidStagePath(p.path);
      ensureCanary(stage).useStageCache = parseBool(p.value, p.path);
      return;
    case 'deploymentId':
      if (sub !== undefined) throw invalidStagePath(p.path);
      if (!p.value || !deploymentExists(p.value)) throw canaryDeploymentMissing();
      ensureCanary(stage).deploymentId = p.value;
      return;
    default:
      if (!OVERRIDES.has(key) || sub === undefined) throw invalidStagePath(p.path);
      setOwn(ensureCanary(stage).stageVariableOverrides, sub, p.value ?? '');
  }
}
