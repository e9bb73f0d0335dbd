import { randomUUID } from 'node:crypto';
import { deleteOwn, getOwn, setOwn } from '../../core/own-key.js';
import type { Clock } from '../../core/clock.js';
import { StateDocument, type StateStore } from '../../core/store.js';
import type { ExecutionEnvironments } from './runner/types.js';
import { functionArn, parseFunctionRef, type ArnScope, type FunctionRef } from './arn.js';
import type { CodePackages } from './code.js';
import type { ConcurrencyController } from './concurrency.js';
import { resourceNotFound } from './errors.js';
import type { CodeSource, FunctionConfiguration, FunctionRecord, LambdaMetricsSink, LambdaStateDocument } from './model.js';

const STATE_KEY = 'lambda';

/** Everything the operation modules share; built once by the backend. */
export interface LambdaCore {
  scope: ArnScope;
  state: LambdaState;
  code: CodePackages;
  concurrency: ConcurrencyController;
  runner: ExecutionEnvironments;
  clock: Clock;
  codeSource: CodeSource;
  metrics: LambdaMetricsSink;
  random: () => number;
}

/** The functions of one account and Region, persisted as one document written atomically after each change. */
export class LambdaState {
  private readonly document: StateDocument<LambdaStateDocument>;
  /** reservations() as last built; every change of a record is followed by set, delete or save */
  private reserved: ReadonlyMap<string, number> | undefined;

  constructor(store: StateStore) {
    this.document = new StateDocument<LambdaStateDocument>(store, STATE_KEY, {
      load: (saved) => ((saved as LambdaStateDocument | undefined)?.format === 1 ? (saved as LambdaStateDocument) : { format: 1, functions: {} }),
      save: (doc) => doc,
    });
  }

  private get doc(): LambdaStateDocument {
    return this.document.value;
  }

  /**
   * Stores the changed records before the call answers; when they cannot be stored, every record is
   * back as it was last stored and StateWriteError is thrown (the service answers ServiceException).
   */
  save(): void {
    try {
      this.document.commit();
    } finally {
      this.reserved = undefined;
    }
  }

  get(name: string): FunctionRecord | undefined {
    return getOwn(this.doc.functions, name);
  }

  set(name: string, record: FunctionRecord): void {
    this.reserved = undefined;
    setOwn(this.doc.functions, name, record);
  }

  delete(name: string): void {
    this.reserved = undefined;
    deleteOwn(this.doc.functions, name);
  }

  names(): string[] {
    return Object.keys(this.doc.functions).sort();
  }

  records(): FunctionRecord[] {
    return this.names().map((n) => this.doc.functions[n]);
  }

  /** function name → reserved concurrency; read on every Invoke's admission, so built once per change */
  reservations(): ReadonlyMap<string, number> {
    if (this.reserved) return this.reserved;
    const map = new Map<string, number>();
    for (const [name, f] of Object.entries(this.doc.functions)) {
      if (f.reservedConcurrency !== undefined) map.set(name, f.reservedConcurrency);
    }
    return (this.reserved = map);
  }

  /** every CodeSha256 still in use, for the code store's clean-up */
  referencedCode(): Set<string> {
    const shas = new Set<string>();
    for (const f of Object.values(this.doc.functions)) {
      shas.add(f.latest.CodeSha256);
      for (const v of Object.values(f.versions)) shas.add(v.CodeSha256);
    }
    return shas;
  }
}

/** AWS's text: `Function not found: arn:aws:lambda:us-east-1:000000000000:function:fn[:qualifier]` */
export function functionNotFound(scope: ArnScope, name: string, qualifier?: string) {
  return resourceNotFound(`Function not found: ${functionArn(scope, name, qualifier)}`);
}

/**
 * The function a request names. `shownQualifier` is what AWS's not-found text adds to the ARN: it
 * differs by operation (GetFunction names the qualifier asked for, PutFunctionConcurrency
 * `$LATEST`, CreateAlias the version; DeleteFunction none), as LocalStack's AWS-validated snapshots
 * recorded them (test_lambda_api.snapshot.json).
 */
export function requireFunction(core: LambdaCore, name: string, shownQualifier?: string): FunctionRecord {
  const record = core.state.get(name);
  if (!record) throw functionNotFound(core.scope, name, shownQualifier);
  return record;
}

/**
 * A FunctionName (and Qualifier) parsed, and refused when its ARN names another Region, with
 * AWS's text (test_get_function_wrong_region in LocalStack's AWS-validated snapshots).
 */
export function functionRef(core: LambdaCore, ...args: Parameters<typeof parseFunctionRef>): FunctionRef {
  return inRegion(core, parseFunctionRef(...args));
}

/** a reference to a function of another Region is not found here */
export function inRegion(core: LambdaCore, ref: FunctionRef): FunctionRef {
  if (ref.region !== undefined && ref.region !== core.scope.region) {
    throw resourceNotFound(`Functions from '${ref.region}' are not reachable in this region ('${core.scope.region}')`);
  }
  return ref;
}

/**
 * The configuration a qualifier names: none or `$LATEST` → $LATEST, a number → that version,
 * anything else → the alias's main version (routing is the invoker's business).
 */
export function resolveConfig(core: LambdaCore, record: FunctionRecord, qualifier?: string): FunctionConfiguration {
  const name = record.latest.FunctionName;
  if (!qualifier || qualifier === '$LATEST') return record.latest;
  if (/^\d+$/.test(qualifier)) {
    const version = getOwn(record.versions, qualifier);
    if (!version) throw functionNotFound(core.scope, name, qualifier);
    return version;
  }
  const alias = getOwn(record.aliases, qualifier);
  if (!alias) throw functionNotFound(core.scope, name, qualifier);
  return resolveConfig(core, record, alias.FunctionVersion);
}

/** `2024-01-02T03:04:05.000+0000`, the format of LastModified */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export const newRevisionId = (): string => randomUUID();

/** the highest published version number still present, or undefined */
export function lastPublished(record: FunctionRecord): FunctionConfiguration | undefined {
  const numbers = Object.keys(record.versions).map(Number).sort((a, b) => b - a);
  return numbers.length ? record.versions[String(numbers[0])] : undefined;
}
