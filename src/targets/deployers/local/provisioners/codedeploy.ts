/**
 * AWS::CodeDeploy::Application and AWS::CodeDeploy::DeploymentGroup, as SAM's DeploymentPreference
 * generates them (codedeploy-cloudwatch-sam.md §A.1): names as CloudFormation makes them
 * (`<stack>-<LogicalId>-<suffix>`, §A.3) unless the template gives one; the group created, or
 * updated when its configuration, alarms or rollback settings differ. Ref → the name.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-codedeploy-deploymentgroup.html
 */
import type { DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import { isNotFound } from '../bucket.js';
import { physicalName, randomSuffix } from '../names.js';
import type { Provisioner } from '../context.js';
import { codeDeployCommands } from '../../../clients.js';
import { activeDeployment, conflictingDeployment } from '../alias.js';

const { CreateApplicationCommand, CreateDeploymentGroupCommand, DeleteApplicationCommand, DeleteDeploymentGroupCommand, GetApplicationCommand, GetDeploymentGroupCommand, UpdateDeploymentGroupCommand } =
  codeDeployCommands;

const ignoreMissing = (err: unknown) => {
  if (!missing(err)) throw err;
};

type Props = Record<string, unknown>;

/** CodeDeploy answers a missing application or group with its own exception names. */
function missing(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'ApplicationDoesNotExistException' || name === 'DeploymentGroupDoesNotExistException' || isNotFound(err);
}

export const codeDeployApplication: Provisioner = {
  type: 'AWS::CodeDeploy::Application',
  async apply(r, ctx) {
    const props = ctx.resolver.evaluate(r.properties, r.position) as Props;
    const name = typeof props.ApplicationName === 'string' ? props.ApplicationName : ctx.names.allocate(ctx.stackName, r.logicalId, () => physicalName(ctx.stackName, r.logicalId, randomSuffix(), 100));
    await ctx.names.save();
    const exists = await ctx.step(`reading CodeDeploy application ${name}`, async () => {
      try {
        await ctx.clients.codeDeploy.send(new GetApplicationCommand({ applicationName: name }));
        return true;
      } catch (err) {
        if (missing(err)) return false;
        throw err;
      }
    });
    if (!exists) {
      await ctx.step(`creating CodeDeploy application ${name}`, () =>
        ctx.clients.codeDeploy.send(new CreateApplicationCommand({ applicationName: name, computePlatform: (props.ComputePlatform as never) ?? 'Server' })),
      );
    }
    ctx.report.add({ logicalId: r.logicalId, type: r.type, physicalId: name, change: exists ? 'unchanged' : 'created' });
    ctx.record.codeDeploy.applicationName = name;
    return { type: r.type, physicalId: name, attributes: {} };
  },
  async remove(r, ctx) {
    await ctx.step(`deleting CodeDeploy application ${r.physicalId}`, () => ctx.clients.codeDeploy.send(new DeleteApplicationCommand({ applicationName: r.physicalId })).catch(ignoreMissing));
  },
};

export interface DesiredGroup {
  deploymentConfigName?: string;
  serviceRoleArn: string;
  autoRollbackConfiguration?: { enabled: boolean; events: string[] };
  alarmConfiguration?: { enabled: boolean; alarms: { name: string }[]; ignorePollAlarmFailure?: boolean };
  deploymentStyle?: { deploymentType: string; deploymentOption: string };
}

/** CloudFormation's PascalCase properties → the API's camelCase members. */
export function desiredGroup(p: Props): DesiredGroup {
  const g: DesiredGroup = { serviceRoleArn: String(p.ServiceRoleArn) };
  if (p.DeploymentConfigName !== undefined) g.deploymentConfigName = String(p.DeploymentConfigName);
  const rb = p.AutoRollbackConfiguration as Props | undefined;
  if (rb) g.autoRollbackConfiguration = { enabled: rb.Enabled === true || rb.Enabled === 'true', events: ((rb.Events as unknown[]) ?? []).map(String) };
  const al = p.AlarmConfiguration as Props | undefined;
  if (al) {
    g.alarmConfiguration = { enabled: al.Enabled === true || al.Enabled === 'true', alarms: ((al.Alarms as Props[]) ?? []).map((a) => ({ name: String(a.Name) })) };
    if (al.IgnorePollAlarmFailure !== undefined) g.alarmConfiguration.ignorePollAlarmFailure = al.IgnorePollAlarmFailure === true || al.IgnorePollAlarmFailure === 'true';
  }
  const st = p.DeploymentStyle as Props | undefined;
  if (st) g.deploymentStyle = { deploymentType: String(st.DeploymentType), deploymentOption: String(st.DeploymentOption) };
  return g;
}

function groupMatches(cur: DeploymentGroupInfo, want: DesiredGroup): boolean {
  const alarms = (a: { name?: string }[] | undefined) => JSON.stringify((a ?? []).map((x) => x.name).sort());
  return (
    (want.deploymentConfigName === undefined || cur.deploymentConfigName === want.deploymentConfigName) &&
    cur.serviceRoleArn === want.serviceRoleArn &&
    (cur.autoRollbackConfiguration?.enabled ?? false) === (want.autoRollbackConfiguration?.enabled ?? false) &&
    JSON.stringify([...(cur.autoRollbackConfiguration?.events ?? [])].sort()) === JSON.stringify([...(want.autoRollbackConfiguration?.events ?? [])].sort()) &&
    (cur.alarmConfiguration?.enabled ?? false) === (want.alarmConfiguration?.enabled ?? false) &&
    alarms(cur.alarmConfiguration?.alarms) === alarms(want.alarmConfiguration?.alarms)
  );
}

export const codeDeployDeploymentGroup: Provisioner = {
  type: 'AWS::CodeDeploy::DeploymentGroup',
  async apply(r, ctx) {
    const props = ctx.resolver.evaluate(r.properties, r.position) as Props;
    const app = String(props.ApplicationName);
    const name = typeof props.DeploymentGroupName === 'string' ? props.DeploymentGroupName : ctx.names.allocate(ctx.stackName, r.logicalId, () => physicalName(ctx.stackName, r.logicalId, randomSuffix(), 100));
    await ctx.names.save();
    const want = desiredGroup(props);
    // An update with a property removed resets it: no alarms means alarm checking off.
    const alarmConfiguration = want.alarmConfiguration ?? { enabled: false, alarms: [] };
    const current = await ctx.step(`reading deployment group ${name}`, async () => {
      try {
        return (await ctx.clients.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: name }))).deploymentGroupInfo;
      } catch (err) {
        if (missing(err)) return undefined;
        throw err;
      }
    });
    let change: 'created' | 'updated' | 'unchanged' = 'unchanged';
    if (!current) {
      await ctx.step(`creating deployment group ${name}`, () =>
        ctx.clients.codeDeploy.send(new CreateDeploymentGroupCommand({ applicationName: app, deploymentGroupName: name, ...want, alarmConfiguration } as never)),
      );
      change = 'created';
    } else if (!groupMatches(current, { ...want, alarmConfiguration })) {
      await ctx.step(`updating deployment group ${name}`, () =>
        ctx.clients.codeDeploy.send(new UpdateDeploymentGroupCommand({ applicationName: app, currentDeploymentGroupName: name, ...want, alarmConfiguration } as never)),
      );
      change = 'updated';
    }
    const alarms = alarmConfiguration.alarms.map((a) => a.name);
    ctx.report.add({
      logicalId: r.logicalId,
      type: r.type,
      physicalId: name,
      change,
      detail: `${want.deploymentConfigName ?? 'CodeDeployDefault.LambdaAllAtOnce'}${alarms.length ? `; alarms ${alarms.join(', ')}` : ''}`,
    });
    // the function whose alias this group shifts: SAM names it <Function>DeploymentGroup
    const fnId = r.logicalId.endsWith('DeploymentGroup') ? r.logicalId.slice(0, -'DeploymentGroup'.length) : undefined;
    if (fnId) ctx.record.codeDeploy.deploymentGroups[fnId] = name;
    return { type: r.type, physicalId: name, attributes: {}, within: app };
  },
  async remove(r, ctx) {
    if (!r.within) return;
    // Not while one of its deployments shifts: on AWS the stack is still updating until it ends
    // (the template's change is refused), and deleting the group here would leave the alias
    // between two versions. The deploy fails before the group goes; the next one removes it.
    const group = { applicationName: r.within, deploymentGroupName: r.physicalId };
    await ctx.step(`deleting deployment group ${r.physicalId}`, async () => {
      const active = await activeDeployment(ctx.clients.codeDeploy, group).catch(ignoreMissing);
      if (active) throw conflictingDeployment(active.id, r.physicalId, ctx.clients.target);
      await ctx.clients.codeDeploy.send(new DeleteDeploymentGroupCommand(group)).catch(ignoreMissing);
    });
  },
};
