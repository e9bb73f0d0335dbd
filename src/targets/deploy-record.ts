/**
 * `<workspace>/.lab/deploy.json`: the last successful deployment. Written once, atomically, at
 * the end of a deploy that succeeded; `status` and the lab steps read it to find the endpoint,
 * the outputs and the physical ids.
 */
import { readJsonFile, writeJsonAtomic, type Workspace } from '../lab/workspace.js';
import { ExitCode, LabError } from '../errors.js';

export interface FunctionRecord {
  logicalId: string;
  name: string;
  arn: string;
  /** base64 SHA-256 of the deployed package, as Lambda reports CodeSha256 */
  codeSha256: string;
  /** the version the alias points at after the deploy */
  version?: string;
  alias?: string;
  aliasArn?: string;
  /**
   * ReservedConcurrentExecutions as the deployed template declared it, null when it declared
   * none (absent in records of older versions, and for the aws target). The next deploy removes
   * the reservation only when this was a number: CloudFormation leaves undeclared properties alone.
   */
  declaredReservedConcurrency?: number | null;
  /** the CodeDeploy deployment this deploy started to move the alias, if any */
  deploymentId?: string;
  /** the deployment group that shifts this function's alias (SAM DeploymentPreference) */
  deploymentGroupName?: string;
  /**
   * local: $LATEST's configuration as deployed, with the package kept in `.lab/deployed/`, so a
   * function the cloud lost is re-created as it was (deployers/local/restore.ts); absent in
   * records of older versions and for the aws target
   */
  configuration?: RecordedConfiguration;
}

export interface RecordedConfiguration {
  role: string;
  runtime: string;
  handler: string;
  timeout: number;
  memorySize: number;
  description: string;
  environment: Record<string, string>;
  architectures: string[];
}

export interface ApiRecord {
  logicalId: string;
  restApiId: string;
  stage: string;
  /** hash of the routes and their integrations; a different hash means a new API deployment */
  shapeHash: string;
  deploymentId?: string;
}

/**
 * A resource the deploy applied, with what a later deploy needs to remove it once the template no
 * longer has it (deployers/local/removal.ts).
 */
export interface RecordedResource {
  /** the CloudFormation type: which provisioner removes it */
  type: string;
  /** what Ref returns */
  physicalId: string;
  /** what it lives in: a deployment group's CodeDeploy application, a stage's REST API id */
  within?: string;
  /** DeletionPolicy Retain (or RetainExceptOnCreate): left in the cloud when it leaves the template */
  retain?: true;
}

export interface DeployRecord {
  schema: 1;
  target: 'local' | 'aws';
  /** local: the embedded cloud's endpoint */
  endpoint?: string;
  region: string;
  stackName: string;
  profile?: string;
  deployedAt: string;
  outputs: Record<string, string>;
  /** logical id → physical id (function name, bucket name, API id…) */
  physicalIds: Record<string, string>;
  /**
   * local: logical id → what each resource is, in the order the deploy applied them (a resource
   * after those it refers to). Absent in records of older versions: their resources are kept when
   * the template drops them, and named in a warning.
   */
  resources?: Record<string, RecordedResource>;
  functions: FunctionRecord[];
  apis: ApiRecord[];
  /** the stack's CodeDeploy application, when a function has a DeploymentPreference */
  codeDeployApplication?: string;
  /** the CloudWatch alarms the stack declares */
  alarms?: string[];
}

export function readDeployRecord(ws: Workspace): DeployRecord | undefined {
  const rec = readJsonFile<DeployRecord>(ws.deployRecord);
  if (rec && rec.schema !== 1) {
    throw new LabError(`${ws.deployRecord} was written by another version of serverless-ops-lab`, ExitCode.environment, 'deploy again to rewrite it');
  }
  return rec;
}

/**
 * A local record read against the cloud as it runs now: a cloud started again (emulator stop and
 * start, a crash, 4566 taken by another) may listen on another port than the deploy's, and the
 * recorded URLs (ApiUrl and the rest) follow it; the record itself is rewritten by the next deploy.
 */
export function followEndpoint(rec: DeployRecord, endpoint: string | undefined): DeployRecord {
  if (rec.target !== 'local' || !endpoint || !rec.endpoint || rec.endpoint === endpoint) return rec;
  const was = rec.endpoint;
  return { ...rec, endpoint, outputs: Object.fromEntries(Object.entries(rec.outputs).map(([k, v]) => [k, v.split(was).join(endpoint)])) };
}

export async function writeDeployRecord(ws: Workspace, rec: DeployRecord): Promise<void> {
  await writeJsonAtomic(ws.deployRecord, rec);
}

/**
 * After a CodeDeploy deployment failed and rolled back, the stack is back where it was: the
 * record says the alias is on the old version again.
 */
export async function recordRollback(ws: Workspace, functionName: string, version: string): Promise<void> {
  const rec = readDeployRecord(ws);
  if (!rec) return;
  const fn = rec.functions.find((f) => f.name === functionName);
  if (!fn || fn.version === version) return;
  fn.version = version;
  await writeDeployRecord(ws, rec);
}
