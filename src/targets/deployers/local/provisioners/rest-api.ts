/**
 * AWS::ApiGateway::RestApi (SAM's `AWS::Serverless::Api` or implicit `ServerlessRestApi`): created
 * once, its id kept in the workspace's names. Ref → the REST API id. Its routes and the stage
 * deployment are the Stage's (api-stage.ts), which comes after the functions they invoke.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-restapi.html
 */
import { ensureRestApi } from '../api.js';
import { ignoreNotFound } from '../not-found.js';
import { apiGatewayCommands } from '../../../clients.js';
import type { Provisioner } from '../context.js';

export const restApi: Provisioner = {
  type: 'AWS::ApiGateway::RestApi',
  async apply(r, ctx) {
    const known = ctx.names.get(ctx.stackName, `${r.logicalId}#id`);
    const apiName = r.properties.Name !== undefined ? ctx.resolver.string(r.properties.Name, r.position) : ctx.stackName;
    const made = await ctx.step(`creating REST API ${r.logicalId}`, () => ensureRestApi(ctx.clients.apiGateway, known, apiName));
    ctx.names.set(ctx.stackName, `${r.logicalId}#id`, made.id);
    await ctx.names.save();
    ctx.report.add({ logicalId: r.logicalId, type: r.type, physicalId: made.id, change: made.change });
    return { type: r.type, physicalId: made.id, attributes: {} };
  },
  async remove(r, ctx) {
    await ctx.step(`deleting REST API ${r.physicalId}`, () => ctx.clients.apiGateway.send(new apiGatewayCommands.DeleteRestApiCommand({ restApiId: r.physicalId })).catch(ignoreNotFound));
  },
};

