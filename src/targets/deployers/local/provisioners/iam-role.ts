/**
 * AWS::IAM::Role: recorded, not created. The local cloud does not enforce IAM (README: what it does
 * not protect), so a role is a name and an ARN that functions and deployment groups point at.
 * Ref → the role name; GetAtt Arn, RoleId.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html
 */
import { createHash } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from '../../../clients.js';
import { physicalName, randomSuffix } from '../names.js';
import type { Provisioner } from '../context.js';

export const iamRole: Provisioner = {
  type: 'AWS::IAM::Role',
  async apply(r, ctx) {
    // evaluated so a bad reference fails here, at the role, as it would on AWS
    const props = ctx.resolver.evaluate(r.properties, r.position) as Record<string, unknown>;
    const path = typeof props.Path === 'string' ? props.Path : '/';
    const name = typeof props.RoleName === 'string' ? props.RoleName : ctx.names.allocate(ctx.stackName, r.logicalId, () => physicalName(ctx.stackName, r.logicalId, randomSuffix(), 64));
    await ctx.names.save();
    const roleId = `AROA${createHash('sha256').update(name).digest('hex').slice(0, 17).toUpperCase()}`;
    return { type: r.type, physicalId: name, attributes: { Arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role${path}${name}`, RoleId: roleId } };
  },
  // nothing was created: dropping it from the record is its removal
  async remove() {},
};
