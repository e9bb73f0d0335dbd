/**
 * STS (services/sts/): GetCallerIdentity only, the first command many learners run
 * (`aws sts get-caller-identity`). The embedded cloud has one account and no IAM: every caller is
 * the account's root user, whatever credentials signed the call.
 *
 * Spoken in awsQuery (`Action=GetCallerIdentity&Version=2011-06-15`), answered in XML in STS's
 * namespace, as
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html shows. For the
 * root user, `UserId` is the account id and `Arn` is `arn:aws:iam::<account>:root` (the
 * `aws:userid` column of the principal table:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable).
 */
import { operationsOf, type CallContext, type ServiceDefinition } from '../../core/service.js';

export interface CallerIdentity {
  Arn: string;
  UserId: string;
  Account: string;
}

/** the root user of the caller's account (the context's account: the cloud's one) */
export function callerIdentity(ctx: Pick<CallContext, 'accountId'>): CallerIdentity {
  return { Arn: `arn:aws:iam::${ctx.accountId}:root`, UserId: ctx.accountId, Account: ctx.accountId };
}

export function createStsService(): ServiceDefinition {
  return {
    id: 'sts',
    signingName: 'sts',
    protocols: ['awsQuery'],
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    operations: operationsOf<'GetCallerIdentity'>({
      GetCallerIdentity: (_input: unknown, ctx: CallContext) => callerIdentity(ctx),
    }),
  };
}
