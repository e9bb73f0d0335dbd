/**
 * AWS::Lambda::Function, as SAM generates it from AWS::Serverless::Function: $LATEST's code (the
 * packaged CodeUri folder) and configuration, and ReservedConcurrentExecutions as CloudFormation
 * manages it. Ref → the function name; GetAtt Arn.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html
 */
import { TemplateError } from '../../../../template/index.js';
import { applyFunction, applyReservedConcurrency } from '../function.js';
import { functionPhysicalName } from '../names.js';
import type { Provisioner } from '../context.js';
import { lambdaCommands } from '../../../clients.js';
import { ignoreNotFound } from '../not-found.js';

export const lambdaFunction: Provisioner = {
  type: 'AWS::Lambda::Function',
  async apply(r, ctx) {
    const spec = r.from?.function;
    const code = ctx.packages.get(r.logicalId);
    if (!spec || !code) throw new TemplateError(`${r.logicalId}: AWS::Lambda::Function is deployed from an AWS::Serverless::Function (CodeUri) in the local cloud`, r.position);
    const p = r.properties;
    const name = p.FunctionName !== undefined ? ctx.resolver.string(p.FunctionName, r.position) : ctx.names.allocate(ctx.stackName, r.logicalId, () => functionPhysicalName(ctx.stackName, r.logicalId));
    await ctx.names.save();
    const environment: Record<string, string> = {};
    for (const [k, v] of Object.entries(spec.environment)) environment[k] = ctx.resolver.string(v, r.position);
    const role = ctx.resolver.string(p.Role, r.position);
    const configuration = {
      role,
      runtime: spec.runtime,
      handler: spec.handler,
      timeout: spec.timeout,
      memorySize: spec.memorySize,
      description: spec.description ?? '',
      environment,
      architectures: spec.architectures,
    };
    const applied = await ctx.step(`deploying function ${name}`, () => applyFunction(ctx.clients.lambda, { name, ...configuration, code }));
    const declared = spec.reservedConcurrentExecutions;
    const before = ctx.previous?.functions.find((f) => f.logicalId === r.logicalId && f.name === name)?.declaredReservedConcurrency;
    const rc = await ctx.step(`setting reserved concurrency of ${name}`, () =>
      applyReservedConcurrency(ctx.clients.lambda, name, { declared, declaredBefore: before, created: applied.change === 'created' }),
    );
    const recreated = ctx.restored.has(name);
    const previousSha = ctx.previous?.functions.find((f) => f.logicalId === r.logicalId && f.name === name)?.codeSha256;
    const change = recreated ? 'created' : applied.change === 'unchanged' && rc.change !== 'unchanged' ? 'updated' : applied.change;
    // slots: 0 what changed, 1 the version (added by the Version), 2 reserved concurrency
    ctx.report.add({ logicalId: r.logicalId, type: r.type, physicalId: name, change }, [
      [0, recreated ? 're-created as the last deploy left it' : ''],
      [0, changedWhat(applied.details, previousSha === code.sha256)],
      [2, rc.detail ?? ''],
    ]);
    ctx.record.functions.set(r.logicalId, { logicalId: r.logicalId, name, arn: applied.arn, codeSha256: code.sha256, declaredReservedConcurrency: declared ?? null, configuration });
    return { type: r.type, physicalId: name, attributes: { Arn: applied.arn } };
  },
  // DeleteFunction without a qualifier deletes its versions and aliases too
  async remove(r, ctx) {
    await ctx.step(`deleting function ${r.physicalId}`, () => ctx.clients.lambda.send(new lambdaCommands.DeleteFunctionCommand({ FunctionName: r.physicalId })).catch(ignoreNotFound));
  },
};

/**
 * What the deploy changed in the function, in the report's words. Code the last deploy released
 * that $LATEST no longer held (the canary chapter updates $LATEST outside any deploy) was put back,
 * not changed by the learner: said so, not "code changed".
 */
function changedWhat(details: string[], sameCodeAsLastDeploy: boolean): string {
  if (!details.length) return '';
  if (!sameCodeAsLastDeploy || !details.includes('code')) return `${details.join(' and ')} changed`;
  const rest = details.filter((d) => d !== 'code');
  return `$LATEST put back on the last deploy's code${rest.length ? `; ${rest.join(' and ')} changed` : ''}`;
}
