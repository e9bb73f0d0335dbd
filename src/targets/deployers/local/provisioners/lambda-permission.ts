/**
 * AWS::Lambda::Permission: recorded, not created. The local cloud does not check resource-based
 * policies: API Gateway may invoke any function (README: what it does not protect).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-permission.html
 */
import type { Provisioner } from '../context.js';

export const lambdaPermission: Provisioner = {
  type: 'AWS::Lambda::Permission',
  async apply(r, ctx) {
    const props = ctx.resolver.evaluate(r.properties, r.position) as Record<string, unknown>;
    return { type: r.type, physicalId: `${String(props.FunctionName)}/${r.logicalId}`, attributes: {} };
  },
  // nothing was created: dropping it from the record is its removal
  async remove() {},
};
