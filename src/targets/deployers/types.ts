/** What a deployer reports while it works; the command (or a lab step's UI) decides how to show it. */
export interface DeployLog {
  /** progress: what is being done */
  info(line: string): void;
  /** something the learner should know, the deploy goes on */
  warn(line: string): void;
}

/**
 * `deleted`: removed from the template, so from the cloud; `retained`: removed from the template,
 * left in the cloud (DeletionPolicy Retain, or a bucket S3 would not delete).
 */
export type ChangeKind = 'created' | 'updated' | 'unchanged' | 'skipped' | 'deleted' | 'retained';

/** One line of "what changed", per resource. */
export interface ResourceChange {
  logicalId: string;
  type: string;
  physicalId?: string;
  change: ChangeKind;
  /** e.g. "code changed", "version 3", "not yet emulated" */
  detail?: string;
}

/** A CodeDeploy deployment a deploy started to move a function's alias from one version to another. */
export interface AliasDeployment {
  deploymentId: string;
  functionName: string;
  alias: string;
  /** the versions the Lambda target names ('?' before CodeDeploy lists it, on aws) */
  from: string;
  to: string;
  /** local: started by an earlier deploy, still shifting to the same version */
  joined?: boolean;
}

export interface DeployResult {
  target: 'local' | 'aws';
  /** local: the embedded cloud's URL, for `aws --endpoint-url` and SDK clients */
  endpoint?: string;
  outputs: Record<string, string>;
  changes: ResourceChange[];
  /** warnings already reported through the log (unsupported resources…) */
  warnings: string[];
  /** CodeDeploy deployments started to move aliases (CloudFormation's CodeDeployLambdaAliasUpdate) */
  deployments?: AliasDeployment[];
  /**
   * aws: the stack update rolled back because CodeDeploy stopped or failed its deployment (an
   * alarm, a hook): the release's verdict, not a template error. The record is the rolled-back stack's.
   */
  rolledBack?: StackRollback;
}

/** A stack update CloudFormation rolled back after its CodeDeploy deployment ended Stopped or Failed. */
export interface StackRollback {
  /** UPDATE_ROLLBACK_COMPLETE, as DescribeStacks says it */
  stackStatus: string;
  deploymentId: string;
  /** Stopped | Failed */
  status: string;
  errorCode?: string;
  /** CloudFormation's reason on the alias (`<id> failed. <message>`), else built the same way */
  reason: string;
  rollbackDeploymentId?: string;
}

export const silentLog: DeployLog = { info() {}, warn() {} };
