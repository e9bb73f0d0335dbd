/**
 * Applications, deployment groups and deployment configs: CreateApplication … DeleteDeploymentConfig.
 * Only the Lambda compute platform deploys here; Server and ECS applications can be created and
 * listed (the API accepts them) but their groups cannot be deployed to.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { shown } from '../../core/shown.js';
import { checkTrafficRouting, DEFAULT_LAMBDA_CONFIG_NAME, isPredefinedName, predefinedConfigs } from './configs.js';
import * as e from './errors.js';
import { isAbsent, isStructure } from './input.js';
import type {
  AlarmConfiguration,
  ApplicationRecord,
  AutoRollbackConfiguration,
  AutoRollbackEvent,
  DeploymentConfigRecord,
  DeploymentGroupRecord,
  DeploymentStyle,
  Tag,
  TriggerConfig,
  TriggerEventType,
} from './model.js';
import { isActive } from './model.js';
import type { CodeDeployState } from './state.js';

type Obj = Record<string, unknown>;

const COMPUTE_PLATFORMS = ['Server', 'Lambda', 'ECS'] as const;
const ROLLBACK_EVENTS: readonly AutoRollbackEvent[] = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'];
/** "You can add up to 10 alarms" (CD-UG monitoring-create-alarms) */
const MAX_ALARMS = 10;
/** the model's TriggerEventType */
const TRIGGER_EVENTS: readonly TriggerEventType[] = [
  'DeploymentStart',
  'DeploymentSuccess',
  'DeploymentFailure',
  'DeploymentStop',
  'DeploymentRollback',
  'DeploymentReady',
  'InstanceStart',
  'InstanceSuccess',
  'InstanceFailure',
  'InstanceReady',
];
/** "there is a limit of 10 triggers per deployment group" (CD-UG monitoring-sns-event-notifications-delete-trigger) */
const MAX_TRIGGERS = 10;
/** the model: names 1–100 characters */
const NAME_MAX = 100;

export function checkName(value: unknown, required: () => Error, invalid: (n: string) => Error): string {
  if (value === undefined || value === null || value === '') throw required();
  if (typeof value !== 'string' || value.length > NAME_MAX) throw invalid(shown(value));
  return value;
}

export class Registry {
  private readonly predefined = new Map(predefinedConfigs().map((c) => [c.deploymentConfigName, c]));

  constructor(
    private readonly state: CodeDeployState,
    private readonly clock: Clock,
  ) {}

  // ── applications ──────────────────────────────────────────────────────────────────────────
  createApplication(input: Obj): { applicationId: string } {
    const name = checkName(input.applicationName, e.applicationNameRequired, e.invalidApplicationName);
    const platform = input.computePlatform ?? 'Server';
    if (!COMPUTE_PLATFORMS.includes(platform as never)) throw e.invalidComputePlatform(shown(platform));
    if (this.state.applications.has(name)) throw e.applicationAlreadyExists(name);
    const app: ApplicationRecord = {
      applicationId: randomUUID(),
      applicationName: name,
      computePlatform: platform as ApplicationRecord['computePlatform'],
      createTime: this.clock.now(),
      linkedToGitHub: false,
      tags: checkTags(input.tags),
    };
    this.state.applications.set(name, app);
    this.state.save();
    return { applicationId: app.applicationId };
  }

  application(nameInput: unknown): ApplicationRecord {
    const name = checkName(nameInput, e.applicationNameRequired, e.invalidApplicationName);
    const app = this.state.applications.get(name);
    if (!app) throw e.applicationDoesNotExist(name);
    return app;
  }

  listApplications(): string[] {
    return [...this.state.applications.keys()].sort();
  }

  /** deletes its groups too; its deployments stay readable, as on AWS */
  deleteApplication(nameInput: unknown): void {
    const name = checkName(nameInput, e.applicationNameRequired, e.invalidApplicationName);
    if (!this.state.applications.has(name)) return; // DeleteApplication of a missing application succeeds on AWS [inf]
    this.state.applications.delete(name);
    this.state.groups.delete(name);
    this.state.save();
  }

  // ── deployment groups ─────────────────────────────────────────────────────────────────────
  createDeploymentGroup(input: Obj): { deploymentGroupId: string } {
    const app = this.application(input.applicationName);
    const name = checkName(input.deploymentGroupName, e.deploymentGroupNameRequired, e.invalidDeploymentGroupName);
    const groups = this.state.groupsOf(app.applicationName);
    if (groups.has(name)) throw e.deploymentGroupAlreadyExists(name);
    const group: DeploymentGroupRecord = {
      applicationName: app.applicationName,
      deploymentGroupId: randomUUID(),
      deploymentGroupName: name,
      deploymentConfigName: this.configNameFor(app, input.deploymentConfigName),
      serviceRoleArn: checkRole(input.serviceRoleArn),
      alarmConfiguration: checkAlarms(input.alarmConfiguration),
      autoRollbackConfiguration: checkAutoRollback(input.autoRollbackConfiguration),
      deploymentStyle: checkStyle(app, input.deploymentStyle),
      triggerConfigurations: checkTriggers(input.triggerConfigurations),
      tags: checkTags(input.tags),
    };
    groups.set(name, group);
    this.state.save();
    return { deploymentGroupId: group.deploymentGroupId };
  }

  group(applicationName: unknown, groupName: unknown): { app: ApplicationRecord; group: DeploymentGroupRecord } {
    const app = this.application(applicationName);
    const name = checkName(groupName, e.deploymentGroupNameRequired, e.invalidDeploymentGroupName);
    const group = this.state.groupsOf(app.applicationName).get(name);
    if (!group) throw e.deploymentGroupDoesNotExist(name);
    return { app, group };
  }

  updateDeploymentGroup(input: Obj): void {
    const { app, group } = this.group(input.applicationName, input.currentDeploymentGroupName);
    const groups = this.state.groupsOf(app.applicationName);
    const next: DeploymentGroupRecord = { ...group };
    if (!isAbsent(input.newDeploymentGroupName) && input.newDeploymentGroupName !== group.deploymentGroupName) {
      const newName = checkName(input.newDeploymentGroupName, e.deploymentGroupNameRequired, e.invalidDeploymentGroupName);
      if (groups.has(newName)) throw e.deploymentGroupAlreadyExists(newName);
      next.deploymentGroupName = newName;
    }
    if (!isAbsent(input.deploymentConfigName)) next.deploymentConfigName = this.configNameFor(app, input.deploymentConfigName);
    if (!isAbsent(input.serviceRoleArn)) next.serviceRoleArn = checkRole(input.serviceRoleArn);
    if (!isAbsent(input.alarmConfiguration)) next.alarmConfiguration = checkAlarms(input.alarmConfiguration);
    if (!isAbsent(input.autoRollbackConfiguration)) next.autoRollbackConfiguration = checkAutoRollback(input.autoRollbackConfiguration);
    if (!isAbsent(input.deploymentStyle)) next.deploymentStyle = checkStyle(app, input.deploymentStyle);
    if (!isAbsent(input.triggerConfigurations)) next.triggerConfigurations = checkTriggers(input.triggerConfigurations);
    groups.delete(group.deploymentGroupName);
    groups.set(next.deploymentGroupName, next);
    this.state.save();
  }

  listDeploymentGroups(applicationName: unknown): { applicationName: string; names: string[] } {
    const app = this.application(applicationName);
    return { applicationName: app.applicationName, names: [...this.state.groupsOf(app.applicationName).keys()].sort() };
  }

  deleteDeploymentGroup(applicationName: unknown, groupName: unknown): void {
    const app = this.application(applicationName);
    const name = checkName(groupName, e.deploymentGroupNameRequired, e.invalidDeploymentGroupName);
    // deleting a group that does not exist succeeds [inf: the model lists no DeploymentGroupDoesNotExistException here]
    if (this.state.groupsOf(app.applicationName).delete(name)) this.state.save();
  }

  // ── deployment configs ────────────────────────────────────────────────────────────────────
  config(nameInput: unknown): DeploymentConfigRecord {
    const name = checkName(nameInput, e.deploymentConfigNameRequired, (n) => e.invalidDeploymentConfigName(`The deployment configuration name ${n} was specified in an invalid format.`));
    const config = this.predefined.get(name) ?? this.state.configs.get(name);
    if (!config) throw e.deploymentConfigDoesNotExist(name);
    return config;
  }

  /** the predefined Lambda configs and the custom ones, sorted by name */
  listDeploymentConfigs(): string[] {
    return [...this.predefined.keys(), ...this.state.configs.keys()].sort();
  }

  createDeploymentConfig(input: Obj): { deploymentConfigId: string } {
    const name = checkName(input.deploymentConfigName, e.deploymentConfigNameRequired, (n) =>
      e.invalidDeploymentConfigName(`The deployment configuration name ${n} was specified in an invalid format.`),
    );
    if (this.predefined.has(name) || this.state.configs.has(name) || isPredefinedName(name)) throw e.deploymentConfigAlreadyExists(name);
    const platform = input.computePlatform ?? 'Server';
    if (!COMPUTE_PLATFORMS.includes(platform as never)) throw e.invalidComputePlatform(shown(platform));
    if (platform !== 'Lambda') {
      throw e.invalidInput('InvalidComputePlatformException', `Local CodeDeploy makes deployment configurations for the Lambda compute platform only, not ${shown(platform)}.`);
    }
    const config: DeploymentConfigRecord = {
      deploymentConfigId: randomUUID(),
      deploymentConfigName: name,
      computePlatform: 'Lambda',
      trafficRoutingConfig: checkTrafficRouting(input.trafficRoutingConfig),
      createTime: this.clock.now(),
    };
    this.state.configs.set(name, config);
    this.state.save();
    return { deploymentConfigId: config.deploymentConfigId };
  }

  deleteDeploymentConfig(nameInput: unknown): void {
    const name = checkName(nameInput, e.deploymentConfigNameRequired, (n) => e.invalidDeploymentConfigName(`The deployment configuration name ${n} was specified in an invalid format.`));
    if (this.predefined.has(name) || isPredefinedName(name)) {
      throw e.invalidDeploymentConfigName('You cannot delete a predefined deployment configuration.');
    }
    if (!this.state.configs.has(name)) throw e.deploymentConfigDoesNotExist(name);
    const inUse =
      [...this.state.groups.values()].some((m) => [...m.values()].some((g) => g.deploymentConfigName === name)) ||
      [...this.state.deployments.values()].some((d) => isActive(d) && d.deploymentConfigName === name);
    if (inUse) throw e.deploymentConfigInUse(name);
    this.state.configs.delete(name);
    this.state.save();
  }

  /** a group's config: given, existing, and of the application's compute platform */
  private configNameFor(app: ApplicationRecord, value: unknown): string {
    if (value === undefined || value === null || value === '') return app.computePlatform === 'Lambda' ? DEFAULT_LAMBDA_CONFIG_NAME : 'CodeDeployDefault.OneAtATime';
    const config = this.config(value);
    if (app.computePlatform === 'Lambda' && config.computePlatform !== 'Lambda') {
      throw e.invalidDeploymentConfigName(`The deployment configuration ${config.deploymentConfigName} is not for the Lambda compute platform.`);
    }
    return config.deploymentConfigName;
  }
}

function checkRole(value: unknown): string {
  if (value === undefined || value === null || value === '') throw e.roleRequired();
  if (typeof value !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(value)) throw e.invalidRole(shown(value));
  return value;
}

function checkAlarms(value: unknown): AlarmConfiguration {
  if (isAbsent(value)) return { enabled: false, ignorePollAlarmFailure: false, alarms: [] };
  if (!isStructure(value)) throw e.invalidAlarmConfig(`The alarm configuration must be a structure, not ${shown(value)}.`);
  const alarms = isAbsent(value.alarms) ? [] : value.alarms;
  if (!Array.isArray(alarms)) throw e.invalidAlarmConfig(`The alarm configuration's alarms must be a list, not ${shown(alarms)}.`);
  if (alarms.length > MAX_ALARMS) throw e.invalidAlarmConfig(`The alarm configuration can have at most ${MAX_ALARMS} alarms.`);
  const names = alarms.map((a) => (isStructure(a) ? a.name : undefined));
  if (names.some((n) => typeof n !== 'string' || n === '')) throw e.invalidAlarmConfig('Each alarm of the alarm configuration must have a name.');
  if (new Set(names).size !== names.length) throw e.invalidAlarmConfig('The alarm configuration names the same alarm twice.');
  const enabled = flag(value.enabled, 'enabled', e.invalidAlarmConfig);
  if (enabled && names.length === 0) throw e.invalidAlarmConfig('An enabled alarm configuration must name at least one alarm.');
  const ignorePollAlarmFailure = flag(value.ignorePollAlarmFailure, 'ignorePollAlarmFailure', e.invalidAlarmConfig);
  return { enabled, ignorePollAlarmFailure, alarms: (names as string[]).map((name) => ({ name })) };
}

/** a Boolean member: absent is false */
function flag(value: unknown, member: string, invalid: (message: string) => Error): boolean {
  if (isAbsent(value)) return false;
  if (typeof value !== 'boolean') throw invalid(`${member} must be true or false, not ${shown(value)}.`);
  return value;
}

/**
 * A deployment group's autoRollbackConfiguration, and CreateDeployment's override of it.
 * InvalidAutoRollbackConfigException: "The automatic rollback configuration was specified in an
 * invalid format. For example, automatic rollback is enabled, but an invalid triggering event type
 * or no event types were listed." (API reference)
 */
export function checkAutoRollback(value: unknown): AutoRollbackConfiguration {
  if (isAbsent(value)) return { enabled: false, events: [] };
  if (!isStructure(value)) throw e.invalidAutoRollbackConfig(`The auto rollback configuration must be a structure, not ${shown(value)}.`);
  const events = isAbsent(value.events) ? [] : value.events;
  if (!Array.isArray(events)) throw e.invalidAutoRollbackConfig(`The auto rollback configuration's events must be a list, not ${shown(events)}.`);
  for (const ev of events) {
    if (!ROLLBACK_EVENTS.includes(ev as AutoRollbackEvent)) {
      throw e.invalidAutoRollbackConfig(`Value '${shown(ev)}' is not a valid auto rollback event; valid values are ${ROLLBACK_EVENTS.join(', ')}.`);
    }
  }
  const enabled = flag(value.enabled, 'enabled', e.invalidAutoRollbackConfig);
  if (enabled && events.length === 0) throw e.invalidAutoRollbackConfig('An enabled auto rollback configuration must name at least one event.');
  return { enabled, events: [...new Set(events as AutoRollbackEvent[])] };
}

/**
 * TriggerConfigList: a list of TriggerConfig structures (triggerName, triggerTargetArn: strings;
 * triggerEvents: a list of TriggerEventType), at most MAX_TRIGGERS of them. Stored as the model's
 * members only.
 */
function checkTriggers(value: unknown): TriggerConfig[] {
  if (isAbsent(value)) return [];
  if (!Array.isArray(value)) throw e.invalidTriggerConfig(`triggerConfigurations must be a list of trigger structures, not ${shown(value)}.`);
  if (value.length > MAX_TRIGGERS) throw e.triggerTargetsLimitExceeded(MAX_TRIGGERS);
  return value.map((t, i) => {
    const at = `triggerConfigurations[${i}]`;
    if (!isStructure(t)) throw e.invalidTriggerConfig(`${at} must be a structure, not ${shown(t)}.`);
    const trigger: TriggerConfig = {};
    for (const member of ['triggerName', 'triggerTargetArn'] as const) {
      const v = t[member];
      if (isAbsent(v)) continue;
      if (typeof v !== 'string') throw e.invalidTriggerConfig(`${at}.${member} must be a string, not ${shown(v)}.`);
      trigger[member] = v;
    }
    if (!isAbsent(t.triggerEvents)) {
      const events = t.triggerEvents;
      if (!Array.isArray(events)) throw e.invalidTriggerConfig(`${at}.triggerEvents must be a list, not ${shown(events)}.`);
      for (const ev of events) {
        if (!TRIGGER_EVENTS.includes(ev as TriggerEventType)) {
          throw e.invalidTriggerConfig(`Value '${shown(ev)}' at '${at}.triggerEvents' is not a valid trigger event; valid values are ${TRIGGER_EVENTS.join(', ')}.`);
        }
      }
      trigger.triggerEvents = events as TriggerEventType[];
    }
    return trigger;
  });
}

/** TagList: a list of Tag structures, Key and Value strings; a tag without a Key is no tag [inf] */
function checkTags(value: unknown): Tag[] {
  if (isAbsent(value)) return [];
  if (!Array.isArray(value)) throw e.invalidTag(`tags must be a list of {Key, Value} structures, not ${shown(value)}.`);
  return value.map((t, i) => {
    if (!isStructure(t)) throw e.invalidTag(`tags[${i}] must be a structure, not ${shown(t)}.`);
    if (typeof t.Key !== 'string' || t.Key === '') throw e.invalidTag(`tags[${i}].Key must be a non-empty string, not ${shown(t.Key)}.`);
    if (isAbsent(t.Value)) return { Key: t.Key };
    if (typeof t.Value !== 'string') throw e.invalidTag(`tags[${i}].Value must be a string, not ${shown(t.Value)}.`);
    return { Key: t.Key, Value: t.Value };
  });
}

/** Lambda deployments are blue/green with traffic control, whatever else is asked (AWS's only choice for Lambda). */
function checkStyle(app: ApplicationRecord, value: unknown): DeploymentStyle {
  const lambda: DeploymentStyle = { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' };
  if (isAbsent(value)) return app.computePlatform === 'Lambda' ? lambda : { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' };
  if (!isStructure(value)) throw e.invalidDeploymentStyle(`The deployment style must be a structure, not ${shown(value)}.`);
  const type = value.deploymentType ?? 'IN_PLACE';
  const option = value.deploymentOption ?? 'WITHOUT_TRAFFIC_CONTROL';
  if (type !== 'IN_PLACE' && type !== 'BLUE_GREEN') throw e.invalidDeploymentStyle(`Value '${shown(type)}' at 'deploymentStyle.deploymentType' is not valid.`);
  if (option !== 'WITH_TRAFFIC_CONTROL' && option !== 'WITHOUT_TRAFFIC_CONTROL') {
    throw e.invalidDeploymentStyle(`Value '${shown(option)}' at 'deploymentStyle.deploymentOption' is not valid.`);
  }
  if (app.computePlatform === 'Lambda' && (type !== 'BLUE_GREEN' || option !== 'WITH_TRAFFIC_CONTROL')) {
    throw e.invalidDeploymentStyle('A Lambda deployment group must use deploymentType BLUE_GREEN with deploymentOption WITH_TRAFFIC_CONTROL.');
  }
  return { deploymentType: type, deploymentOption: option };
}
