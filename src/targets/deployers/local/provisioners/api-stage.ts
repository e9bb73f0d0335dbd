/**
 * AWS::ApiGateway::Stage of a SAM API: the routes (one AWS_PROXY integration per Api event, on the
 * function's alias when it has one) and a deployment to the stage when they changed. It stands for
 * SAM's Deployment + Stage pair. Ref → the stage name.
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-api.html
 */
import { TemplateError } from '../../../../template/index.js';
import { LOCAL_REGION } from '../../../clients.js';
import { applyApi } from '../api.js';
import type { Provisioner } from '../context.js';
import { apiGatewayCommands } from '../../../clients.js';
import { ignoreNotFound } from '../not-found.js';

export const apiStage: Provisioner = {
  type: 'AWS::ApiGateway::Stage',
  async apply(r, ctx) {
    const api = r.from?.api;
    if (!api) throw new TemplateError(`${r.logicalId}: AWS::ApiGateway::Stage is deployed from an AWS::Serverless::Api (or Api events) in the local cloud`, r.position);
    const restApiId = ctx.resolver.string(r.properties.RestApiId, r.position);
    const stage = ctx.resolver.string(r.properties.StageName, r.position);
    const variables: Record<string, string> = {};
    for (const [k, v] of Object.entries(api.variables)) variables[k] = ctx.resolver.string(v, r.position);
    const routes = api.routes.map((route) => {
      const fn = ctx.template.functions.find((f) => f.logicalId === route.functionLogicalId);
      const alias = fn?.aliasLogicalId ? ctx.resolver.get(fn.aliasLogicalId) : undefined;
      const targetArn = alias?.physicalId ?? ctx.resolver.get(route.functionLogicalId)!.attributes.Arn;
      return { path: route.path, method: route.method, targetArn };
    });
    const prev = ctx.previous?.apis.find((a) => a.logicalId === api.logicalId && a.restApiId === restApiId);
    const applied = await ctx.step(`deploying REST API ${restApiId} to stage ${stage}`, () =>
      applyApi(ctx.clients.apiGateway, restApiId, { name: ctx.stackName, stage, variables, routes, region: LOCAL_REGION }, prev?.shapeHash),
    );
    ctx.report.amend(api.logicalId, applied.change, [[0, applied.deploymentId ? `stage ${stage} deployed (${applied.deploymentId})` : `stage ${stage}`]], {
      logicalId: api.logicalId,
      type: 'AWS::ApiGateway::RestApi',
      physicalId: restApiId,
    });
    ctx.record.apis.set(api.logicalId, { logicalId: api.logicalId, restApiId, stage, shapeHash: applied.hash, deploymentId: applied.deploymentId ?? prev?.deploymentId });
    return { type: r.type, physicalId: stage, attributes: {}, within: restApiId };
  },
  async remove(r, ctx) {
    if (!r.within) return;
    await ctx.step(`deleting stage ${r.physicalId} of REST API ${r.within}`, () =>
      ctx.clients.apiGateway.send(new apiGatewayCommands.DeleteStageCommand({ restApiId: r.within!, stageName: r.physicalId })).catch(ignoreNotFound),
    );
  },
};
