/**
 * Resource-based policies: AddPermission, GetPolicy, RemovePermission. One policy per function and
 * per qualifier (the unqualified function, each version, each alias); a grant on one does not
 * cover another, which is why an API Gateway integration that names an alias or version through a
 * stage variable needs a permission for each ("Use stage variables for a REST API", API Gateway
 * developer guide). Stored and answered as AWS does; the local cloud does not enforce them (it
 * checks no credentials either).
 * https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
 *
 * AWS's answers (LocalStack's AWS-validated snapshots, test_lambda_api: test_permission_exceptions,
 * test_remove_multi_permissions, test_add_lambda_permission_fields): the Statement and the Policy
 * are JSON strings; a principal with a dot is a service, `*` stays `*`, an account id or ARN is an
 * AWS principal; SourceArn → `ArnLike AWS:SourceArn`, SourceAccount → `StringEquals AWS:SourceAccount`.
 */
import { deleteOwn, getOwn, hasOwnKey, setOwn } from '../../core/own-key.js';
import { functionArn, parseFunctionRef } from './arn.js';
import { invalidParameter, resourceConflict, resourceNotFound, validationException } from './errors.js';
import type { FunctionRecord, PolicyStatement } from './model.js';
import { functionNotFound, newRevisionId, type LambdaCore } from './state.js';

const STATEMENT_ID = /^[a-zA-Z0-9-_]+$/;
/** the key of the unqualified function's policy in `FunctionRecord.policies` */
const UNQUALIFIED = '';

export interface AddPermissionInput {
  FunctionName: string;
  Qualifier?: string;
  StatementId?: string;
  Action?: string;
  Principal?: string;
  SourceArn?: string;
  SourceAccount?: string;
}

function principalOf(principal: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(principal)) return { Service: principal };
  throw invalidParameter('The provided principal was invalid. Please check the principal and try again.');
}

/** the record and the policy key a qualifier names; a missing version or alias is AWS's not-found */
function target(core: LambdaCore, functionName: string, qualifier: string | undefined, missing: (arn: string) => Error) {
  const ref = parseFunctionRef(functionName, qualifier);
  const record = core.state.get(ref.name);
  if (!record) throw missing(functionArn(core.scope, ref.name));
  const q = ref.qualifier;
  if (q === '$LATEST') throw invalidParameter('We currently do not support adding policies for $LATEST.');
  if (q !== undefined) {
    if (/^\d+$/.test(q) ? !hasOwnKey(record.versions, q) : !hasOwnKey(record.aliases, q)) {
      throw /^\d+$/.test(q)
        ? functionNotFound(core.scope, ref.name, q)
        : resourceNotFound(`Cannot find alias arn: ${functionArn(core.scope, ref.name, q)}`);
    }
  }
  return { record, key: q ?? UNQUALIFIED, resource: functionArn(core.scope, ref.name, q) };
}

function statementsOf(record: FunctionRecord, key: string): PolicyStatement[] | undefined {
  return getOwn(record.policies, key)?.Statement;
}

export function addPermission(core: LambdaCore, input: AddPermissionInput): { Statement: string } {
  const sid = input.StatementId ?? '';
  if (!STATEMENT_ID.test(sid)) {
    throw validationException([`Value '${sid}' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)`]);
  }
  const { record, key, resource } = target(core, input.FunctionName, input.Qualifier, (arn) => resourceNotFound(`Function not found: ${arn}`));
  const existing = statementsOf(record, key) ?? [];
  if (existing.some((s) => s.Sid === sid)) {
    throw resourceConflict(`The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
  }
  const statement: PolicyStatement = { Sid: sid, Effect: 'Allow', Principal: principalOf(input.Principal ?? ''), Action: input.Action ?? '', Resource: resource };
  const condition: NonNullable<PolicyStatement['Condition']> = {};
  if (input.SourceAccount) condition.StringEquals = { 'AWS:SourceAccount': input.SourceAccount };
  if (input.SourceArn) condition.ArnLike = { 'AWS:SourceArn': input.SourceArn };
  if (Object.keys(condition).length) statement.Condition = condition;
  record.policies ??= {};
  setOwn(record.policies, key, { Statement: [...existing, statement], RevisionId: newRevisionId() });
  core.state.save();
  return { Statement: JSON.stringify(statement) };
}

export function getPolicy(core: LambdaCore, functionName: string, qualifier?: string): { Policy: string; RevisionId: string } {
  const notThere = () => resourceNotFound('The resource you requested does not exist.');
  const { record, key } = target(core, functionName, qualifier, notThere);
  const policy = getOwn(record.policies, key);
  if (!policy?.Statement.length) throw notThere();
  return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.Statement }), RevisionId: policy.RevisionId };
}

export function removePermission(core: LambdaCore, functionName: string, statementId: string, qualifier?: string): void {
  const { record, key } = target(core, functionName, qualifier, (arn) => resourceNotFound(`No policy found for: ${arn}`));
  const policy = getOwn(record.policies, key);
  if (!policy?.Statement.length) throw resourceNotFound('No policy is associated with the given resource.');
  const kept = policy.Statement.filter((s) => s.Sid !== statementId);
  if (kept.length === policy.Statement.length) throw resourceNotFound(`Statement ${statementId} is not found in resource policy.`);
  if (kept.length) setOwn(record.policies!, key, { Statement: kept, RevisionId: newRevisionId() });
  else deleteOwn(record.policies!, key);
  core.state.save();
}
