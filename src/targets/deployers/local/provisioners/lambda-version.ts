/**
 * AWS::Lambda::Version: a version published when $LATEST differs from the newest one (SAM
 * publishes on a code change: the version's logical id carries the code hash). Ref → the version
 * ARN; GetAtt Version. DeletionPolicy Retain as SAM sets it: old versions stay.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-version.html
 */
import { publishIfChanged } from '../function.js';
import { refTarget, type Provisioner } from '../context.js';
import { lambdaCommands } from '../../../clients.js';
import { ignoreNotFound } from '../not-found.js';

export const lambdaVersion: Provisioner = {
  type: 'AWS::Lambda::Version',
  async apply(r, ctx) {
    const name = ctx.resolver.string(r.properties.FunctionName, r.position);
    const v = await ctx.step(`publishing a version of ${name}`, () => publishIfChanged(ctx.clients.lambda, name));
    const fnId = refTarget(r.properties.FunctionName);
    const rec = fnId ? ctx.record.functions.get(fnId) : undefined;
    if (rec) rec.version = v.version;
    // the same code as an older version is still a new version (publishIfChanged says why)
    const detail = v.published ? `published Lambda version ${v.version}${v.sameAs ? ` (the same as Lambda version ${v.sameAs}: Lambda compares with its newest version only)` : ''}` : `Lambda version ${v.version} (no new version)`;
    // read as part of the function's row
    ctx.report.amend(fnId ?? r.logicalId, undefined, [[1, detail]], { logicalId: r.logicalId, type: r.type, physicalId: v.arn });
    return { type: r.type, physicalId: v.arn, attributes: { Version: v.version } };
  },
  // only when a template set DeletionPolicy Delete: SAM's versions are retained
  async remove(r, ctx) {
    const [, , , , , , name, version] = r.physicalId.split(':');
    if (!name || !version) return;
    await ctx.step(`deleting Lambda version ${version} of ${name}`, () => ctx.clients.lambda.send(new lambdaCommands.DeleteFunctionCommand({ FunctionName: name, Qualifier: version })).catch(ignoreNotFound));
  },
};
