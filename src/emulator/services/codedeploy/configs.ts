/**
 * Deployment configurations for the Lambda compute platform: the nine predefined
 * `CodeDeployDefault.Lambda*` ones and those made with CreateDeploymentConfig.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
 * (wire-protocols.md §12.4 lists each one's trafficRoutingConfig).
 */
import { shown } from '../../core/shown.js';
import type { DeploymentConfigRecord, TrafficRoutingConfig } from './model.js';
import { invalidTrafficRoutingConfiguration } from './errors.js';
import { isAbsent, isStructure } from './input.js';

export const PREDEFINED_PREFIX = 'CodeDeployDefault.';

/**
 * What a rollback deployment runs with: the ECS sibling showed `CodeDeployDefault.ECSAllAtOnce`,
 * so Lambda presumably uses this one [inf: shared/aws §C.5].
 */
export const ROLLBACK_CONFIG_NAME = 'CodeDeployDefault.LambdaAllAtOnce';

/**
 * A Lambda group created without a config: the model's documented fallback is
 * `CodeDeployDefault.OneAtATime`, a Server config, so this [inf] choice follows wire-protocols §12.4.
 */
export const DEFAULT_LAMBDA_CONFIG_NAME = 'CodeDeployDefault.LambdaAllAtOnce';

const canary = (minutes: number): TrafficRoutingConfig => ({
  type: 'TimeBasedCanary',
  timeBasedCanary: { canaryPercentage: 10, canaryInterval: minutes },
});
const linear = (minutes: number): TrafficRoutingConfig => ({
  type: 'TimeBasedLinear',
  timeBasedLinear: { linearPercentage: 10, linearInterval: minutes },
});

/** name → routing; note `Every1Minute` is singular for Lambda (ECS writes `Every1Minutes`) */
const PREDEFINED: ReadonlyMap<string, TrafficRoutingConfig> = new Map([
  ['CodeDeployDefault.LambdaCanary10Percent5Minutes', canary(5)],
  ['CodeDeployDefault.LambdaCanary10Percent10Minutes', canary(10)],
  ['CodeDeployDefault.LambdaCanary10Percent15Minutes', canary(15)],
  ['CodeDeployDefault.LambdaCanary10Percent30Minutes', canary(30)],
  ['CodeDeployDefault.LambdaLinear10PercentEvery1Minute', linear(1)],
  ['CodeDeployDefault.LambdaLinear10PercentEvery2Minutes', linear(2)],
  ['CodeDeployDefault.LambdaLinear10PercentEvery3Minutes', linear(3)],
  ['CodeDeployDefault.LambdaLinear10PercentEvery10Minutes', linear(10)],
  ['CodeDeployDefault.LambdaAllAtOnce', { type: 'AllAtOnce' }],
]);

/**
 * The predefined configs as records. AWS's ids and creation times for them were never observed
 * (wire-protocols §12.4): stable made-up values, the same on every start.
 */
export function predefinedConfigs(): DeploymentConfigRecord[] {
  let n = 0;
  return [...PREDEFINED].map(([name, routing]) => ({
    deploymentConfigId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    deploymentConfigName: name,
    computePlatform: 'Lambda' as const,
    trafficRoutingConfig: routing,
    createTime: Date.UTC(2017, 10, 28),
  }));
}

export function isPredefinedName(name: string): boolean {
  return name.startsWith(PREDEFINED_PREFIX);
}

/**
 * The largest interval: the model types canaryInterval and linearInterval as Integer, a 32-bit
 * signed int (Java's Integer.MAX_VALUE); no smaller maximum is documented [inf].
 */
const MAX_INTERVAL = 2 ** 31 - 1;

/**
 * A custom config's routing, checked as CreateDeploymentConfig does: percentages 1–99 (the
 * model: "The percentage of traffic to shift in the first increment"), intervals whole minutes
 * from 1 to MAX_INTERVAL. The exact texts of InvalidTrafficRoutingConfigurationException are not
 * published [inf].
 */
export function checkTrafficRouting(value: unknown): TrafficRoutingConfig {
  if (isAbsent(value)) return { type: 'AllAtOnce' };
  if (!isStructure(value)) throw invalidTrafficRoutingConfiguration('The traffic routing configuration must be a structure.');
  const type = value.type ?? 'AllAtOnce';
  const part = (key: string, fields: [string, string]) => {
    const body = value[key];
    if (!isStructure(body)) {
      throw invalidTrafficRoutingConfiguration(`A ${shown(type)} traffic routing configuration needs ${key}.`);
    }
    const [percentage, interval] = fields.map((f) => body[f]);
    if (typeof percentage !== 'number' || !Number.isInteger(percentage) || percentage < 1 || percentage > 99) {
      throw invalidTrafficRoutingConfiguration(`${key}.${fields[0]} must be a whole number from 1 to 99.`);
    }
    if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1 || interval > MAX_INTERVAL) {
      throw invalidTrafficRoutingConfiguration(`${key}.${fields[1]} must be a whole number of minutes from 1 to ${MAX_INTERVAL}.`);
    }
    return [percentage, interval] as const;
  };
  switch (type) {
    case 'AllAtOnce':
      return { type: 'AllAtOnce' };
    case 'TimeBasedCanary': {
      const [canaryPercentage, canaryInterval] = part('timeBasedCanary', ['canaryPercentage', 'canaryInterval']);
      return { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage, canaryInterval } };
    }
    case 'TimeBasedLinear': {
      const [linearPercentage, linearInterval] = part('timeBasedLinear', ['linearPercentage', 'linearInterval']);
      return { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage, linearInterval } };
    }
    default:
      throw invalidTrafficRoutingConfiguration(
        `Value '${shown(type)}' at 'trafficRoutingConfig.type' failed to satisfy constraint: Member must satisfy enum value set: [AllAtOnce, TimeBasedCanary, TimeBasedLinear]`,
      );
  }
}
