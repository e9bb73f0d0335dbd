/**
 * What a step sees of the world: the I/O host, the workspace, the target's SDK clients and the
 * last deployment. Steps never import emulator/; they reach the cloud only through these clients.
 */
import type { IoHost } from '../io/host.js';
import type { TargetClients } from '../targets/clients.js';
import type { DeployRecord } from '../targets/deploy-record.js';
import type { DeployResult } from '../targets/deployers/types.js';
import type { ReferenceBook } from './reference.js';
import type { Workspace } from './workspace.js';

export type FigureValue = string | number | boolean | null | readonly (string | number)[] | Readonly<Record<string, number>>;

export interface LabContext {
  readonly io: IoHost;
  readonly ws: Workspace;
  readonly target: 'local' | 'aws';
  /** "the local cloud at http://127.0.0.1:4566", "AWS (us-east-1)": what a could-not-check names */
  readonly targetName: string;
  /** how to fix an unreachable target, for could-not-check */
  readonly environmentFix: string;
  readonly clients: TargetClients;
  /** --ci: no prompts, every step done for the learner */
  readonly ci: boolean;
  /** the lab is doing the step for the learner (--ci, "do it for me"): a step's follow may act too */
  readonly assisting: boolean;
  /**
   * the lab is bringing an earlier step to its end for a learner who came for a later one (`start
   * --from`, `step <id>`): a measurement is made as short as --ci's (the concurrency baseline)
   */
  readonly catchingUp?: boolean;
  /** the local cloud's timers run this many times faster (1 on aws) */
  readonly speed: number;
  /** the local cloud's endpoint; undefined on aws */
  readonly endpoint?: string;
  /**
   * requests per measurement of the canary chapter when not the lesson's (the split's 5,000, a
   * sample's 500): a test whose cloud draws the split evenly (no chance in it) measures the same
   * shares exactly with fewer
   */
  readonly measureRequests?: { split: number; sample: number };
  /** aborted by the first Ctrl-C: stop at the next safe point, keep what was measured */
  readonly signal: AbortSignal;
  /** the reference changes in templates/ (show me / do it for me of an edit step) */
  readonly reference: ReferenceBook;
  /** the last deployment record (outputs, physical names); a LabError when nothing is deployed */
  deployment(): DeployRecord;
  /** deploy the workspace's sam-app/, as `serverless-ops-lab deploy` does, progress through io */
  deploy(): Promise<DeployResult>;
  /**
   * Waits for the rest of the last deploy(): on aws, deploy() returns once CloudFormation has
   * started the CodeDeploy deployment of the update, while `sam deploy` waits for it to end; this
   * waits for sam, says how the stack update ended (a rollback CodeDeploy asked for is the
   * release's verdict, not an error), and rewrites the deploy record. At once when nothing runs
   * (the local deployer returns as soon as its deployment started, like CloudFormation).
   */
  settleDeploy(): Promise<void>;
  /** when the last deploy() of this run began: a CodeDeploy deployment it started is not older */
  readonly lastDeployAt?: Date;
  /** CodeDeploy deployments the last deploy() started (the deployer says which) */
  readonly lastDeployments?: readonly { deploymentId: string; functionName: string }[];
  /** the ids of the CodeDeploy deployments every deploy() of this run started, oldest first */
  readonly deploymentsThisRun?: readonly string[];
  /** `aws <args>` as the learner would type it for this target (--endpoint-url on local) */
  aws(args: string): string;
  /** keep a measured figure of the running step: in progress, the report and the wrap-up */
  figure(key: string, value: FigureValue): void;
  /**
   * a step's saved progress: done or not, whether it was done for the learner, and when it was
   * last done (kept while the step is done again: the runner marks it started before its prepare)
   */
  stepProgress(stepId: string): { status: 'pending' | 'started' | 'done'; assisted: boolean; hintsShown: number; doneAt?: string };
  /** every step's figures so far (the wrap-up reads them) */
  allFigures(): Readonly<Record<string, Readonly<Record<string, FigureValue>>>>;
  /** a line for the instructor, in the report apart from what the learner reads */
  instructorNote(text: string): void;
  /**
   * the CodeDeploy deployment a live view follows (undefined: none), kept in progress so that a
   * lab stopped under it (the local cloud killed) says on resume how it ended
   */
  following?(deploymentId: string | undefined): void;
  /**
   * local: puts back what the last deploy left and the cloud lost (a function, an alias), from the
   * workspace's deploy record; `repaired` says what was gone and what is back, `cannot` why it
   * could not be (nothing changed then). Undefined: nothing was lost (or aws, which never says).
   */
  repairCloud?(): Promise<{ repaired: string } | { cannot: string } | undefined>;
}

/** What the runner adds: which step figures go to, and the instructor's notes. */
export interface RunnerContext extends LabContext {
  stepId: string;
  assisting: boolean;
  catchingUp?: boolean;
  readonly notes: string[];
}
