import type { Clock } from '../../core/clock.js';
import type { StateStore } from '../../core/store.js';
import type { ExecutionEnvironments } from './runner/types.js';
import * as aliases from './aliases.js';
import * as policy from './policy.js';
import type { ArnScope } from './arn.js';
import { CodePackages } from './code.js';
import { ConcurrencyController, MIN_UNRESERVED } from './concurrency.js';
import { invalidParameter, validationException } from './errors.js';
import { EventQueue } from './events.js';
import * as functions from './functions.js';
import {
  ASYNC_PAYLOAD_LIMIT,
  checkInvokeInput,
  invokeSync,
  resolveTarget,
  SYNC_PAYLOAD_LIMIT,
  type InvokeInput,
  type InvokeOutput,
  type PayloadLimits,
} from './invoke.js';
import type { CodeSource, LambdaMetricsSink } from './model.js';
import { functionRef, LambdaState, requireFunction, type LambdaCore } from './state.js';
import { Violations } from './validation.js';

/**
 * The Lambda backend: state and typed methods named after the operations of API 2015-03-31. It
 * never sees HTTP; handlers.ts reads the wire input and calls it, and other services call it
 * in-process (API Gateway through `invokeFunction`).
 *
 * Known limits (the emulator's, not AWS's):
 * - one account and Region (deps.accountId / deps.region); ARNs naming another are read by name;
 * - Zip packages and Node.js runtimes only; no layers, VPC, SnapStart, code signing, function URLs;
 * - GetFunction's Code.Location is a path on the emulator's port (code-location.ts), not presigned S3;
 * - Event invocations: see events.ts (throttles retried with backoff, function errors retried twice);
 * - changes apply at once: the answer to CreateFunction says Pending and to an update InProgress,
 *   as AWS's do, and every later read says Active / Successful (functions.ts).
 */
export interface LambdaDeps {
  store: StateStore;
  runner: ExecutionEnvironments;
  /** the cloud's clock: LastModified, metric timestamps, event retry delays */
  clock: Clock;
  region: string;
  accountId: string;
  /** account concurrency limit, default 1000 */
  accountConcurrencyLimit?: number;
  /** unreserved concurrency that may never be reserved, default 100 (new accounts: 10 or 50) */
  minUnreservedConcurrency?: number;
  /** where Code.S3Bucket / S3Key are read from (S3) */
  codeSource: CodeSource;
  /** where the AWS/Lambda metrics of real invocations go (CloudWatch) */
  metrics: LambdaMetricsSink;
  /** random source for alias weighted routing, default Math.random */
  random?: () => number;
  payloadLimits?: Partial<PayloadLimits>;
  /** seconds in the Retry-After header of a throttled Invoke, default 1 */
  retryAfterSeconds?: number;
}

export class LambdaBackend {
  readonly core: LambdaCore;
  readonly events: EventQueue;
  private readonly limits: PayloadLimits;
  private readonly retryAfterSeconds: number;

  constructor(deps: LambdaDeps) {
    const scope: ArnScope = { region: deps.region, accountId: deps.accountId };
    const state = new LambdaState(deps.store);
    this.core = {
      scope,
      state,
      code: new CodePackages(deps.store),
      concurrency: new ConcurrencyController(
        deps.accountConcurrencyLimit ?? 1000,
        () => state.reservations(),
        deps.minUnreservedConcurrency ?? MIN_UNRESERVED,
      ),
      runner: deps.runner,
      clock: deps.clock,
      codeSource: deps.codeSource,
      metrics: deps.metrics,
      random: deps.random ?? Math.random,
    };
    this.events = new EventQueue(this.core);
    this.limits = { sync: deps.payloadLimits?.sync ?? SYNC_PAYLOAD_LIMIT, async: deps.payloadLimits?.async ?? ASYNC_PAYLOAD_LIMIT };
    this.retryAfterSeconds = deps.retryAfterSeconds ?? 1;
  }

  createFunction(input: functions.CreateFunctionInput) {
    return functions.createFunction(this.core, input);
  }
  getFunction(functionName: string, qualifier?: string, endpoint = '') {
    return functions.getFunction(this.core, functionName, qualifier, endpoint);
  }
  getFunctionConfiguration(functionName: string, qualifier?: string) {
    return functions.configurationFor(this.core, functionName, qualifier);
  }
  updateFunctionCode(input: functions.UpdateFunctionCodeInput) {
    return functions.updateFunctionCode(this.core, input);
  }
  updateFunctionConfiguration(input: functions.UpdateFunctionConfigurationInput) {
    return functions.updateFunctionConfiguration(this.core, input);
  }
  deleteFunction(functionName: string, qualifier?: string) {
    return functions.deleteFunction(this.core, functionName, qualifier);
  }
  listFunctions(marker?: string, maxItems?: number, functionVersion?: string) {
    return functions.listFunctions(this.core, marker, maxItems, functionVersion);
  }
  publishVersion(input: functions.PublishVersionInput) {
    return functions.publishVersion(this.core, input);
  }
  listVersionsByFunction(functionName: string, marker?: string, maxItems?: number) {
    return functions.listVersionsByFunction(this.core, functionName, marker, maxItems);
  }

  createAlias(input: aliases.AliasInput) {
    return aliases.createAlias(this.core, input);
  }
  getAlias(functionName: string, name: string) {
    return aliases.getAlias(this.core, functionName, name);
  }
  updateAlias(input: aliases.AliasInput) {
    return aliases.updateAlias(this.core, input);
  }
  addPermission(input: policy.AddPermissionInput) {
    return policy.addPermission(this.core, input);
  }
  getPolicy(functionName: string, qualifier?: string) {
    return policy.getPolicy(this.core, functionName, qualifier);
  }
  removePermission(functionName: string, statementId: string, qualifier?: string) {
    return policy.removePermission(this.core, functionName, statementId, qualifier);
  }

  deleteAlias(functionName: string, name: string) {
    return aliases.deleteAlias(this.core, functionName, name);
  }
  listAliases(functionName: string, functionVersion?: string, marker?: string, maxItems?: number) {
    return aliases.listAliases(this.core, functionName, functionVersion, marker, maxItems);
  }

  /**
   * RequestResponse → 200 with the result; Event → 202, queued; DryRun → 204 after validation.
   * Everything up to the admission is synchronous (see concurrency.ts). `answer` reshapes the
   * output in the same continuation (an in-process caller's own shape, without a promise hop).
   */
  invoke(input: InvokeInput & { requestId?: string; payloadIsJson?: boolean }): Promise<InvokeOutput>;
  invoke<T>(input: InvokeInput & { requestId?: string; payloadIsJson?: boolean }, answer: (out: InvokeOutput) => T): Promise<T>;
  invoke<T>(input: InvokeInput & { requestId?: string; payloadIsJson?: boolean }, answer?: (out: InvokeOutput) => T): Promise<T | InvokeOutput> {
    try {
      const checked = checkInvokeInput(input, this.limits, input.payloadIsJson === true);
      const target = resolveTarget(this.core, input.FunctionName, input.Qualifier);
      const payload = checked.payload;
      const shape: (out: InvokeOutput) => T | InvokeOutput = answer ?? asIs;
      if (checked.type === 'DryRun') return Promise.resolve(shape({ StatusCode: 204 }));
      if (checked.type === 'Event') {
        this.events.enqueue(target, payload, checked.clientContext);
        return Promise.resolve(shape({ StatusCode: 202 }));
      }
      return invokeSync(
        this.core,
        target,
        { requestId: input.requestId, payload, tail: checked.tail, clientContext: checked.clientContext },
        this.retryAfterSeconds,
        shape,
      );
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html
   * Reserved concurrency applies to the function as a whole: all versions and aliases.
   */
  putFunctionConcurrency(functionName: string, reserved: number | undefined) {
    const record = this.unqualified(functionName, '$LATEST');
    if (reserved === undefined || reserved === null) {
      throw validationException(["Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null"]);
    }
    new Violations().range(reserved, 'reservedConcurrentExecutions', 0).throwIfAny();
    if (!Number.isInteger(reserved)) throw invalidParameter('ReservedConcurrentExecutions must be an integer.');
    this.core.concurrency.checkReservation(record.latest.FunctionName, reserved);
    record.reservedConcurrency = reserved;
    this.core.state.save();
    return { ReservedConcurrentExecutions: reserved };
  }
  getFunctionConcurrency(functionName: string) {
    const record = this.unqualified(functionName);
    return record.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: record.reservedConcurrency };
  }
  deleteFunctionConcurrency(functionName: string): void {
    const record = this.unqualified(functionName);
    delete record.reservedConcurrency;
    this.core.state.save();
  }

  /** https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html */
  getAccountSettings() {
    const records = this.core.state.records();
    const codeSizes = new Map<string, number>();
    for (const r of records) {
      codeSizes.set(r.latest.CodeSha256, r.latest.CodeSize);
      for (const v of Object.values(r.versions)) codeSizes.set(v.CodeSha256, v.CodeSize);
    }
    return {
      AccountLimit: {
        TotalCodeSize: 80_530_636_800,
        CodeSizeUnzipped: 262_144_000,
        CodeSizeZipped: 52_428_800,
        ConcurrentExecutions: this.core.concurrency.accountLimit,
        UnreservedConcurrentExecutions: this.core.concurrency.unreservedLimit(),
      },
      AccountUsage: {
        TotalCodeSize: [...codeSizes.values()].reduce((a, b) => a + b, 0),
        FunctionCount: records.length,
      },
    };
  }

  /** the most in-flight executions of a function seen at once (all versions and aliases together) */
  peakConcurrency(functionName: string): number {
    return this.core.concurrency.peakOf(functionName);
  }
  /** the most in-flight executions of the whole account seen at once */
  peakConcurrencyTotal(): number {
    return this.core.concurrency.peakTotal();
  }
  inFlight(functionName?: string): number {
    return functionName === undefined ? this.core.concurrency.inFlightTotal() : this.core.concurrency.inFlightOf(functionName);
  }
  resetPeakConcurrency(functionName?: string): void {
    this.core.concurrency.resetPeaks(functionName);
  }

  /** stop retrying queued events; the runner is shut down by its owner */
  close(): void {
    this.events.close();
  }

  /**
   * Reserved concurrency belongs to the function: a qualified name is refused, and a function that
   * does not exist is named as PutFunctionConcurrency names it (its $LATEST) or as
   * GetFunctionConcurrency does (no qualifier), in AWS's words (test_function_concurrency_exceptions,
   * test_ops_on_nonexisting_fn in LocalStack's AWS-validated snapshots).
   */
  private unqualified(functionName: string, shownQualifier?: string) {
    const ref = functionRef(this.core, functionName);
    if (ref.qualifier !== undefined) {
      throw invalidParameter(
        'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
      );
    }
    return requireFunction(this.core, ref.name, shownQualifier);
  }
}

const asIs = <T>(out: T): T => out;
