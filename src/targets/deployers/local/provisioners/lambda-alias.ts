/**
 * AWS::Lambda::Alias. A new alias is created on its version at once (first deploy: nothing to
 * shift from). An alias that must move to a new version moves last, after every other resource
 * applied, so a failure or Ctrl-C keeps it on the last good version: directly, or, with SAM's
 * `CodeDeployLambdaAliasUpdate` update policy, through a CodeDeploy deployment as CloudFormation
 * does (codedeploy-cloudwatch-sam.md §B.1). Ref → the alias ARN.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-alias.html
 */
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../../../clients.js';
import { codeDeployShift, createAlias, directShift, getAlias, type AliasShifter } from '../alias.js';
import { refTarget, type Provisioner } from '../context.js';
import { lambdaCommands } from '../../../clients.js';
import { ignoreNotFound } from '../not-found.js';

export const lambdaAlias: Provisioner = {
  type: 'AWS::Lambda::Alias',
  async apply(r, ctx) {
    const p = r.properties;
    const alias = ctx.resolver.string(p.Name, r.position);
    const fnName = ctx.resolver.string(p.FunctionName, r.position);
    const version = ctx.resolver.string(p.FunctionVersion, r.position);
    const fnId = refTarget(p.FunctionName);
    const fnArn = (fnId && ctx.resolver.get(fnId)?.attributes.Arn) || `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${fnName}`;
    const aliasArn = `${fnArn}:${alias}`;
    const rec = fnId ? ctx.record.functions.get(fnId) : undefined;
    if (rec) Object.assign(rec, { alias, aliasArn, version });

    const existing = await ctx.step(`reading alias ${fnName}:${alias}`, () => getAlias(ctx.clients.lambda, fnName, alias));
    if (!existing) {
      // UpdatePolicy applies to updates only: a created alias points at its version directly (§A.4).
      await ctx.step(`creating alias ${fnName}:${alias}`, () => createAlias(ctx.clients.lambda, fnName, alias, version));
      ctx.report.add({ logicalId: r.logicalId, type: r.type, physicalId: aliasArn, change: 'created', detail: `on Lambda version ${version}` });
    } else if (existing.FunctionVersion !== version) {
      const from = existing.FunctionVersion!;
      const spec = ctx.template.functions.find((f) => f.logicalId === fnId);
      const policy = r.updatePolicy?.CodeDeployLambdaAliasUpdate;
      let shifter: AliasShifter = directShift;
      if (ctx.shifter) shifter = ctx.shifter({ logicalId: fnId ?? r.logicalId, deploymentPreference: spec?.deploymentPreference });
      else if (policy !== undefined) {
        const u = ctx.resolver.evaluate(policy, r.position) as Record<string, string | undefined>;
        shifter = codeDeployShift(ctx.clients.codeDeploy, ctx.clients.target, {
          applicationName: String(u.ApplicationName),
          deploymentGroupName: String(u.DeploymentGroupName),
          beforeAllowTrafficHook: u.BeforeAllowTrafficHook,
          afterAllowTrafficHook: u.AfterAllowTrafficHook,
        }, (d) => {
          ctx.deployments.push(d);
          if (rec) rec.deploymentId = d.deploymentId;
        });
      }
      const s = { functionName: fnName, alias, from, to: version };
      ctx.defer({
        what: `${shifter.describe?.(s) ?? 'moving alias'} ${fnName}:${alias} to Lambda version ${version}`,
        kept: `${fnName}:${alias} still on Lambda version ${from}`,
        run: async () => {
          const how = await shifter.shift(ctx.clients.lambda, s);
          ctx.report.add({ logicalId: r.logicalId, type: r.type, physicalId: `${fnName}:${alias}`, change: 'updated', detail: `${how} from Lambda version ${from} to ${version}` });
        },
      });
    } else {
      const recreated = ctx.restored.has(`${fnName}:${alias}`);
      ctx.report.add({ logicalId: r.logicalId, type: r.type, physicalId: aliasArn, change: recreated ? 'created' : 'unchanged', detail: `${recreated ? 're-created ' : ''}on Lambda version ${version}` });
    }
    return { type: r.type, physicalId: aliasArn, attributes: { AliasArn: aliasArn } };
  },
  async remove(r, ctx) {
    const [, , , , , , name, alias] = r.physicalId.split(':');
    if (!name || !alias) return;
    await ctx.step(`deleting alias ${name}:${alias}`, () => ctx.clients.lambda.send(new lambdaCommands.DeleteAliasCommand({ FunctionName: name, Name: alias })).catch(ignoreNotFound));
  },
};
