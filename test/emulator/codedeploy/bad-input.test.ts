/**
 * Bad input on the wire: every one is a 400 with CodeDeploy's own error type, never a 500, and
 * nothing of it is stored. Raw requests, as a probe sends them (the SDK would refuse most of these
 * before sending).
 *
 * `{"toString":1}` is valid JSON whose `toString` is not a function: `String()` of it throws, so a
 * message built with String() from the bad value was a 500 InternalFailure.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodeDeployClient, GetDeploymentCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { ManualClock } from '../../../src/emulator/core/clock.js';
import { clientConfig, scopeOnlyAuthorization, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

const TARGET_PREFIX = 'CodeDeploy_20141006';
const ROLE = 'arn:aws:iam::000000000000:role/CodeDeployServiceRole';
const POISON = { toString: 1 };
const APPSPEC = JSON.stringify({
  version: 0.0,
  Resources: [{ fn: { Type: 'AWS::Lambda::Function', Properties: { Name: 'fn', Alias: 'live', CurrentVersion: '1', TargetVersion: '2' } } }],
});
const REVISION = { revisionType: 'AppSpecContent', appSpecContent: { content: APPSPEC } };

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

let emu: TestEmulator;
/** a deployment of app/dg, for the operations that look one up before reading the bad member */
let deploymentId: string;

async function call(operation: string, input: unknown): Promise<Answer> {
  const res = await fetch(emu.endpoint + '/', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `${TARGET_PREFIX}.${operation}`,
      authorization: scopeOnlyAuthorization('codedeploy'),
    },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function ok(operation: string, input: unknown): Promise<Record<string, unknown>> {
  const a = await call(operation, input);
  assert.equal(a.status, 200, `${operation}: ${JSON.stringify(a.body)}`);
  return a.body;
}

async function refused(operation: string, input: unknown, type: string): Promise<Answer> {
  const a = await call(operation, input);
  assert.deepEqual({ status: a.status, type: a.body.__type }, { status: 400, type }, `${operation} ${JSON.stringify(input)}: ${JSON.stringify(a.body)}`);
  assert.equal(typeof a.body.message, 'string');
  return a;
}

before(async () => {
  // a clock that never moves: the one deployment made here stays as it was created
  emu = await startTestEmulator({ clock: new ManualClock(Date.now()) });
  await ok('CreateApplication', { applicationName: 'app', computePlatform: 'Lambda' });
  await ok('CreateDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'dg', serviceRoleArn: ROLE });
  deploymentId = (await ok('CreateDeployment', { applicationName: 'app', deploymentGroupName: 'dg', revision: REVISION })).deploymentId as string;
});

after(async () => {
  await emu.close();
});

describe('a value whose toString is not a function is a 400, in every operation', () => {
  const P = POISON;
  const cases: [operation: string, input: () => Record<string, unknown>, type: string][] = [
    ['CreateApplication', () => ({ applicationName: P, computePlatform: 'Lambda' }), 'InvalidApplicationNameException'],
    ['CreateApplication', () => ({ applicationName: 'new-app', computePlatform: P }), 'InvalidComputePlatformException'],
    ['CreateApplication', () => ({ applicationName: 'new-app', computePlatform: [P] }), 'InvalidComputePlatformException'],
    ['GetApplication', () => ({ applicationName: P }), 'InvalidApplicationNameException'],
    ['BatchGetApplications', () => ({ applicationNames: [P] }), 'InvalidApplicationNameException'],
    ['ListApplications', () => ({ nextToken: P }), 'InvalidNextTokenException'],
    ['DeleteApplication', () => ({ applicationName: P }), 'InvalidApplicationNameException'],

    ['CreateDeploymentGroup', () => ({ applicationName: 'app', deploymentGroupName: P, serviceRoleArn: ROLE }), 'InvalidDeploymentGroupNameException'],
    ['CreateDeploymentGroup', () => ({ applicationName: 'app', deploymentGroupName: 'new-dg', serviceRoleArn: P }), 'InvalidRoleException'],
    ['CreateDeploymentGroup', () => ({ applicationName: 'app', deploymentGroupName: 'new-dg', serviceRoleArn: ROLE, deploymentConfigName: P }), 'InvalidDeploymentConfigNameException'],
    [
      'CreateDeploymentGroup',
      () => ({ applicationName: 'app', deploymentGroupName: 'new-dg', serviceRoleArn: ROLE, autoRollbackConfiguration: { enabled: true, events: [P] } }),
      'InvalidAutoRollbackConfigException',
    ],
    [
      'CreateDeploymentGroup',
      () => ({ applicationName: 'app', deploymentGroupName: 'new-dg', serviceRoleArn: ROLE, deploymentStyle: { deploymentType: P } }),
      'InvalidDeploymentStyleException',
    ],
    [
      'CreateDeploymentGroup',
      () => ({ applicationName: 'app', deploymentGroupName: 'new-dg', serviceRoleArn: ROLE, deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: [P] } }),
      'InvalidDeploymentStyleException',
    ],
    ['GetDeploymentGroup', () => ({ applicationName: 'app', deploymentGroupName: P }), 'InvalidDeploymentGroupNameException'],
    ['UpdateDeploymentGroup', () => ({ applicationName: 'app', currentDeploymentGroupName: 'dg', newDeploymentGroupName: P }), 'InvalidDeploymentGroupNameException'],
    ['UpdateDeploymentGroup', () => ({ applicationName: 'app', currentDeploymentGroupName: 'dg', serviceRoleArn: P }), 'InvalidRoleException'],
    ['ListDeploymentGroups', () => ({ applicationName: P }), 'InvalidApplicationNameException'],
    ['ListDeploymentGroups', () => ({ applicationName: 'app', nextToken: P }), 'InvalidNextTokenException'],
    ['DeleteDeploymentGroup', () => ({ applicationName: 'app', deploymentGroupName: P }), 'InvalidDeploymentGroupNameException'],

    ['GetDeploymentConfig', () => ({ deploymentConfigName: P }), 'InvalidDeploymentConfigNameException'],
    ['ListDeploymentConfigs', () => ({ nextToken: P }), 'InvalidNextTokenException'],
    ['CreateDeploymentConfig', () => ({ deploymentConfigName: P, computePlatform: 'Lambda' }), 'InvalidDeploymentConfigNameException'],
    ['CreateDeploymentConfig', () => ({ deploymentConfigName: 'new-config', computePlatform: P }), 'InvalidComputePlatformException'],
    [
      'CreateDeploymentConfig',
      () => ({ deploymentConfigName: 'new-config', computePlatform: 'Lambda', trafficRoutingConfig: { type: P } }),
      'InvalidTrafficRoutingConfigurationException',
    ],
    [
      'CreateDeploymentConfig',
      () => ({ deploymentConfigName: 'new-config', computePlatform: 'Lambda', trafficRoutingConfig: { type: [P], timeBasedCanary: 5 } }),
      'InvalidTrafficRoutingConfigurationException',
    ],
    ['DeleteDeploymentConfig', () => ({ deploymentConfigName: P }), 'InvalidDeploymentConfigNameException'],

    ['CreateDeployment', () => ({ applicationName: 'app', deploymentGroupName: P, revision: REVISION }), 'InvalidDeploymentGroupNameException'],
    ['CreateDeployment', () => ({ applicationName: 'app', deploymentGroupName: 'dg', revision: REVISION, deploymentConfigName: P }), 'InvalidDeploymentConfigNameException'],
    ['GetDeployment', () => ({ deploymentId: P }), 'InvalidDeploymentIdException'],
    ['BatchGetDeployments', () => ({ deploymentIds: [P] }), 'InvalidDeploymentIdException'],
    ['ListDeployments', () => ({ applicationName: P, deploymentGroupName: 'dg' }), 'InvalidApplicationNameException'],
    ['ListDeployments', () => ({ includeOnlyStatuses: [P] }), 'InvalidDeploymentStatusException'],
    ['ListDeployments', () => ({ includeOnlyStatuses: P }), 'InvalidDeploymentStatusException'],
    ['ListDeployments', () => ({ createTimeRange: { start: P } }), 'InvalidTimeRangeException'],
    ['ListDeployments', () => ({ createTimeRange: { end: [P] } }), 'InvalidTimeRangeException'],
    ['ListDeployments', () => ({ createTimeRange: [P] }), 'InvalidTimeRangeException'],
    ['ListDeployments', () => ({ nextToken: P }), 'InvalidNextTokenException'],
    ['StopDeployment', () => ({ deploymentId: P }), 'InvalidDeploymentIdException'],
    ['ListDeploymentTargets', () => ({ deploymentId: P }), 'InvalidDeploymentIdException'],
    ['BatchGetDeploymentTargets', () => ({ deploymentId: P, targetIds: ['fn:live'] }), 'InvalidDeploymentIdException'],
    ['BatchGetDeploymentTargets', () => ({ deploymentId, targetIds: [P] }), 'DeploymentTargetDoesNotExistException'],
    ['GetDeploymentTarget', () => ({ deploymentId, targetId: P }), 'DeploymentTargetDoesNotExistException'],
    ['PutLifecycleEventHookExecutionStatus', () => ({ deploymentId, lifecycleEventHookExecutionId: 'x', status: P }), 'InvalidLifecycleEventHookExecutionStatusException'],
    [
      'PutLifecycleEventHookExecutionStatus',
      () => ({ deploymentId, lifecycleEventHookExecutionId: P, status: 'Succeeded' }),
      'InvalidLifecycleEventHookExecutionIdException',
    ],
  ];

  test('the cases cover every operation the service serves', () => {
    const served = emu.services.find((s) => s.targetPrefix === TARGET_PREFIX)!.operations.map((o) => o.name);
    assert.deepEqual([...new Set(cases.map(([op]) => op))].sort(), [...served].sort());
  });

  for (const [operation, input, type] of cases) {
    test(`${operation} ${JSON.stringify(input())} → ${type}`, async () => {
      await refused(operation, input(), type);
    });
  }

  test('the message shows the bad value as its JSON text', async () => {
    const a = await refused('GetApplication', { applicationName: POISON }, 'InvalidApplicationNameException');
    assert.equal(a.body.message, 'The application name {"toString":1} was specified in an invalid format.');
  });

  test('nothing was created by any of them', async () => {
    assert.deepEqual((await ok('ListApplications', {})).applications, ['app']);
    assert.deepEqual((await ok('ListDeploymentGroups', { applicationName: 'app' })).deploymentGroups, ['dg']);
    assert.ok(!((await ok('ListDeploymentConfigs', {})).deploymentConfigsList as string[]).includes('new-config'));
    assert.deepEqual((await ok('ListDeployments', {})).deployments, [deploymentId]);
    const group = (await ok('GetDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'dg' })).deploymentGroupInfo as Record<string, unknown>;
    assert.equal(group.serviceRoleArn, ROLE);
  });
});

describe('StopDeployment with an autoRollbackEnabled that is not a boolean', () => {
  // the awsJson protocol refuses a member of the wrong JSON type before the operation runs
  // (protocols/json-values.ts: booleanFrom), even before it looks the deployment up (this file's
  // deployment has failed: its function does not exist)
  const cases: [value: unknown, message: string][] = [
    ['false', 'Unexpected token received from parser'],
    [0, 'NUMBER_VALUE cannot be converted to Boolean'],
    [0.5, 'DECIMAL_VALUE cannot be converted to Boolean'],
    [[true], 'Unrecognized collection type class java.lang.Boolean'],
    [{ enabled: true }, 'Start of structure or map found where not expected'],
  ];

  test('through the SDK: a SerializationException, and the deployment is as it was', async () => {
    const cd = new CodeDeployClient(clientConfig(emu.endpoint));
    try {
      const before = (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
      for (const [value, message] of cases) {
        await assert.rejects(
          cd.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: value as boolean })),
          (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
            assert.deepEqual([err.name, err.message, err.$metadata?.httpStatusCode], ['SerializationException', message, 400], JSON.stringify(value));
            return true;
          },
        );
      }
      assert.deepEqual((await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo, before);
    } finally {
      cd.destroy();
    }
  });

  test('the type is checked before the deployment is looked up', async () => {
    await refused('StopDeployment', { deploymentId: 'd-NOSUCHONE', autoRollbackEnabled: 'true' }, 'SerializationException');
  });
});

describe('triggerConfigurations must be a list of TriggerConfig structures', () => {
  const bad: unknown[] = [
    [null, 5, 'x', { triggerName: { a: 1 } }],
    [null],
    [5],
    ['x'],
    [[]],
    [{ triggerName: { a: 1 } }],
    [{ triggerName: 't', triggerTargetArn: 5 }],
    [{ triggerName: 't', triggerEvents: 'DeploymentFailure' }],
    [{ triggerName: 't', triggerEvents: ['DeploymentFailure', 7] }],
    [{ triggerName: 't', triggerEvents: ['NoSuchEvent'] }],
    'x',
    5,
    { triggerName: 't' },
  ];

  for (const triggerConfigurations of bad) {
    test(`CreateDeploymentGroup ${JSON.stringify(triggerConfigurations)} → InvalidTriggerConfigException, no group`, async () => {
      await refused('CreateDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'trig', serviceRoleArn: ROLE, triggerConfigurations }, 'InvalidTriggerConfigException');
      await refused('GetDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'trig' }, 'DeploymentGroupDoesNotExistException');
    });
  }

  test('UpdateDeploymentGroup with a bad list changes nothing; a good one is stored as the model has it', async () => {
    const trigger = { triggerName: 't1', triggerTargetArn: 'arn:aws:sns:us-east-1:000000000000:topic', triggerEvents: ['DeploymentFailure'] };
    await ok('CreateDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'trig-ok', serviceRoleArn: ROLE, triggerConfigurations: [trigger] });
    const triggersOf = async () =>
      ((await ok('GetDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'trig-ok' })).deploymentGroupInfo as Record<string, unknown>).triggerConfigurations;
    assert.deepEqual(await triggersOf(), [trigger]);
    for (const triggerConfigurations of bad) {
      await refused('UpdateDeploymentGroup', { applicationName: 'app', currentDeploymentGroupName: 'trig-ok', triggerConfigurations }, 'InvalidTriggerConfigException');
    }
    assert.deepEqual(await triggersOf(), [trigger]);
    // members that are not the model's are not kept
    await ok('UpdateDeploymentGroup', { applicationName: 'app', currentDeploymentGroupName: 'trig-ok', triggerConfigurations: [{ ...trigger, extra: { a: 1 } }] });
    assert.deepEqual(await triggersOf(), [trigger]);
    await ok('DeleteDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'trig-ok' });
  });

  test('more than 10 triggers → TriggerTargetsLimitExceededException', async () => {
    const triggerConfigurations = Array.from({ length: 11 }, (_, i) => ({ triggerName: `t${i}` }));
    await refused('CreateDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'trig', serviceRoleArn: ROLE, triggerConfigurations }, 'TriggerTargetsLimitExceededException');
  });
});

describe('tags must be a list of {Key, Value} structures', () => {
  const bad: unknown[] = ['x', 5, {}, [null], [1], ['x'], [[]], [{}], [{ Key: 1 }], [{ Key: '' }], [{ Key: POISON }], [{ Key: 'k', Value: 5 }], [{ Key: 'k', Value: { a: 1 } }]];

  for (const tags of bad) {
    test(`CreateApplication / CreateDeploymentGroup tags ${JSON.stringify(tags)} → InvalidTagException, nothing created`, async () => {
      await refused('CreateApplication', { applicationName: 'tagged', computePlatform: 'Lambda', tags }, 'InvalidTagException');
      await refused('GetApplication', { applicationName: 'tagged' }, 'ApplicationDoesNotExistException');
      await refused('CreateDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'tagged', serviceRoleArn: ROLE, tags }, 'InvalidTagException');
      await refused('GetDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'tagged' }, 'DeploymentGroupDoesNotExistException');
    });
  }

  test('good tags are stored with the model\'s members only', async () => {
    await ok('CreateApplication', { applicationName: 'tagged-ok', computePlatform: 'Lambda', tags: [{ Key: 'a', Value: 'b' }, { Key: 'c', extra: 1 }] });
    const doc = JSON.parse(readFileSync(join(emu.stateDir, 'codedeploy.json'), 'utf8')) as unknown;
    const text = JSON.stringify(doc);
    assert.ok(text.includes('"tags":[{"Key":"a","Value":"b"},{"Key":"c"}]'), text);
    await ok('DeleteApplication', { applicationName: 'tagged-ok' });
  });
});

describe('CreateDeployment checks its autoRollbackConfiguration as a group\'s is checked', () => {
  const bad: unknown[] = [
    'x',
    5,
    [],
    true,
    { enabled: 'yes', events: ['DEPLOYMENT_FAILURE'] },
    { enabled: true, events: 'DEPLOYMENT_FAILURE' },
    { enabled: true, events: ['NOT_AN_EVENT'] },
    { enabled: true, events: [] },
    { enabled: true, events: [POISON] },
  ];

  for (const autoRollbackConfiguration of bad) {
    test(`${JSON.stringify(autoRollbackConfiguration)} → InvalidAutoRollbackConfigException, no deployment`, async () => {
      await refused(
        'CreateDeployment',
        { applicationName: 'app', deploymentGroupName: 'dg', revision: REVISION, autoRollbackConfiguration },
        'InvalidAutoRollbackConfigException',
      );
      assert.deepEqual((await ok('ListDeployments', { applicationName: 'app', deploymentGroupName: 'dg' })).deployments, [deploymentId]);
    });
  }

  test('the same shapes are refused for a group', async () => {
    for (const autoRollbackConfiguration of bad) {
      await refused(
        'CreateDeploymentGroup',
        { applicationName: 'app', deploymentGroupName: 'rb', serviceRoleArn: ROLE, autoRollbackConfiguration },
        'InvalidAutoRollbackConfigException',
      );
    }
    await refused('GetDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'rb' }, 'DeploymentGroupDoesNotExistException');
  });
});

describe('CreateDeploymentConfig bounds its intervals to the model\'s Integer', () => {
  const routing = (kind: 'Canary' | 'Linear', interval: unknown) =>
    kind === 'Canary'
      ? { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: interval } }
      : { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: interval } };

  for (const kind of ['Canary', 'Linear'] as const) {
    for (const interval of [1e308, 2 ** 31, 0, 1.5, '5', POISON]) {
      test(`${kind} interval ${JSON.stringify(interval)} → InvalidTrafficRoutingConfigurationException, no config`, async () => {
        await refused(
          'CreateDeploymentConfig',
          { deploymentConfigName: 'big', computePlatform: 'Lambda', trafficRoutingConfig: routing(kind, interval) },
          'InvalidTrafficRoutingConfigurationException',
        );
        await refused('GetDeploymentConfig', { deploymentConfigName: 'big' }, 'DeploymentConfigDoesNotExistException');
      });
    }

    test(`${kind} interval 2^31 - 1 is the largest accepted`, async () => {
      await ok('CreateDeploymentConfig', { deploymentConfigName: `max-${kind}`, computePlatform: 'Lambda', trafficRoutingConfig: routing(kind, 2 ** 31 - 1) });
      await ok('DeleteDeploymentConfig', { deploymentConfigName: `max-${kind}` });
    });
  }
});

describe('ListDeployments: a time range and a token of the wrong type', () => {
  for (const createTimeRange of [{ start: true }, { start: 'not a time' }, { end: {} }, { start: '' }, 'x', [1]]) {
    test(`createTimeRange ${JSON.stringify(createTimeRange)} → InvalidTimeRangeException`, async () => {
      await refused('ListDeployments', { createTimeRange }, 'InvalidTimeRangeException');
    });
  }

  test('a time as epoch seconds, a numeric string or ISO text still filters', async () => {
    const future = Date.now() / 1000 + 86_400;
    assert.deepEqual((await ok('ListDeployments', { createTimeRange: { start: future } })).deployments, []);
    assert.deepEqual((await ok('ListDeployments', { createTimeRange: { start: String(future) } })).deployments, []);
    assert.deepEqual((await ok('ListDeployments', { createTimeRange: { end: new Date(future * 1000).toISOString() } })).deployments, [deploymentId]);
  });

  for (const nextToken of [5, true, ['MA=='], { a: 1 }]) {
    test(`nextToken ${JSON.stringify(nextToken)} → InvalidNextTokenException`, async () => {
      await refused('ListDeployments', { nextToken }, 'InvalidNextTokenException');
      await refused('ListApplications', { nextToken }, 'InvalidNextTokenException');
    });
  }
});

describe('a group\'s alarm configuration and deployment style must be structures of the model\'s types', () => {
  const cases: [member: string, value: unknown, type: string][] = [
    ['alarmConfiguration', 'x', 'InvalidAlarmConfigException'],
    ['alarmConfiguration', [], 'InvalidAlarmConfigException'],
    ['alarmConfiguration', { alarms: 'a' }, 'InvalidAlarmConfigException'],
    ['alarmConfiguration', { enabled: 'true', alarms: [{ name: 'a' }] }, 'InvalidAlarmConfigException'],
    ['alarmConfiguration', { alarms: [{ name: 'a' }], ignorePollAlarmFailure: 1 }, 'InvalidAlarmConfigException'],
    ['deploymentStyle', 'x', 'InvalidDeploymentStyleException'],
    ['deploymentStyle', [], 'InvalidDeploymentStyleException'],
  ];
  for (const [member, value, type] of cases) {
    test(`${member} ${JSON.stringify(value)} → ${type}, no group; the group's own is unchanged`, async () => {
      await refused('CreateDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'shaped', serviceRoleArn: ROLE, [member]: value }, type);
      await refused('GetDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'shaped' }, 'DeploymentGroupDoesNotExistException');
      const before = (await ok('GetDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'dg' })).deploymentGroupInfo;
      await refused('UpdateDeploymentGroup', { applicationName: 'app', currentDeploymentGroupName: 'dg', [member]: value }, type);
      assert.deepEqual((await ok('GetDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'dg' })).deploymentGroupInfo, before);
    });
  }
});

describe("CreateDeployment keeps the revision's model members only", () => {
  test('a sha256 that is not a string → InvalidRevisionException, no deployment', async () => {
    const revisions = [
      { revisionType: 'AppSpecContent', appSpecContent: { content: APPSPEC, sha256: POISON } },
      { revisionType: 'AppSpecContent', appSpecContent: { content: APPSPEC, sha256: 5 } },
      { revisionType: 'String', string: { content: APPSPEC, sha256: [POISON] } },
    ];
    for (const revision of revisions) {
      await refused('CreateDeployment', { applicationName: 'app', deploymentGroupName: 'dg', revision }, 'InvalidRevisionException');
    }
    assert.deepEqual((await ok('ListDeployments', { applicationName: 'app', deploymentGroupName: 'dg' })).deployments, [deploymentId]);
  });

  test('members outside the model are not stored; GetDeployment shows the revision as the model has it', async () => {
    await ok('CreateDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'revision-members', serviceRoleArn: ROLE });
    const created = await ok('CreateDeployment', {
      applicationName: 'app',
      deploymentGroupName: 'revision-members',
      description: null,
      revision: { ...REVISION, appSpecContent: { content: APPSPEC, sha256: 'abc', extra: [1] }, s3Location: { bucket: POISON }, gitHubLocation: [1], string: 5, extra: { a: [1] } },
    });
    const got = await ok('GetDeployment', { deploymentId: created.deploymentId });
    const info = got.deploymentInfo as Record<string, unknown>;
    assert.deepEqual(info.revision, { revisionType: 'AppSpecContent', appSpecContent: { content: APPSPEC, sha256: 'abc' } });
    assert.equal(info.description, undefined);
  });
});

describe('an AppSpec value that holds itself (a YAML alias) is InvalidRevisionException', () => {
  test('CurrentVersion: &a [*a] → 400, no deployment', async () => {
    // JSON.stringify of the value in the error message threw on the cycle: a 500
    const content = 'version: 0.0\nResources:\n  - fn:\n      Type: AWS::Lambda::Function\n      Properties:\n        Name: fn\n        Alias: live\n        CurrentVersion: &a [*a]\n        TargetVersion: 2\n';
    const a = await refused('CreateDeployment', { applicationName: 'app', deploymentGroupName: 'dg', revision: { revisionType: 'AppSpecContent', appSpecContent: { content } } }, 'InvalidRevisionException');
    assert.match(String(a.body.message), /CurrentVersion must be a valid positive integer/);
    assert.deepEqual((await ok('ListDeployments', { applicationName: 'app', deploymentGroupName: 'dg' })).deployments, [deploymentId]);
  });
});

describe('UpdateDeploymentGroup: a member sent as null is left as it is, as one left out', () => {
  test('null serviceRoleArn, newDeploymentGroupName, deploymentConfigName, alarm, rollback and style change nothing', async () => {
    await ok('CreateDeploymentGroup', {
      applicationName: 'app',
      deploymentGroupName: 'nulls',
      serviceRoleArn: ROLE,
      deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    });
    const before = (await ok('GetDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'nulls' })).deploymentGroupInfo;
    await ok('UpdateDeploymentGroup', {
      applicationName: 'app',
      currentDeploymentGroupName: 'nulls',
      newDeploymentGroupName: null,
      serviceRoleArn: null,
      deploymentConfigName: null,
      alarmConfiguration: null,
      autoRollbackConfiguration: null,
      deploymentStyle: null,
    });
    const after = (await ok('GetDeploymentGroup', { applicationName: 'app', deploymentGroupName: 'nulls' })).deploymentGroupInfo;
    assert.deepEqual(after, before);
  });
});

describe('ListDeploymentTargets and BatchGetApplications: filters and lists of the wrong shape', () => {
  test('targetFilters that is not a map of known names to lists of strings → InvalidTargetFilterNameException', async () => {
    for (const targetFilters of ['x', ['TargetStatus'], { TargetStatus: 'Succeeded' }, { TargetStatus: [POISON] }, { Nonsense: ['x'] }]) {
      await refused('ListDeploymentTargets', { deploymentId, targetFilters }, 'InvalidTargetFilterNameException');
    }
    // a known filter, as the SDK sends it
    const listed = await ok('ListDeploymentTargets', { deploymentId, targetFilters: { TargetStatus: ['Succeeded'] } });
    assert.ok(Array.isArray(listed.targetIds));
  });

  test('applicationNames that is not a list → ApplicationNameRequiredException', async () => {
    for (const applicationNames of ['app', { app: 1 }, 5]) {
      await refused('BatchGetApplications', { applicationNames }, 'ApplicationNameRequiredException');
    }
    const got = await ok('BatchGetApplications', { applicationNames: ['app'] });
    assert.equal((got.applicationsInfo as unknown[]).length, 1);
  });
});

describe('a deployment id not in the deployment id format is InvalidDeploymentIdException; a well-formed unknown one DeploymentDoesNotExistException', () => {
  // every operation that takes a deployment id lists both errors
  // (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeployment.html#API_GetDeployment_Errors)
  const withId: [operation: string, input: (id: string) => Record<string, unknown>][] = [
    ['GetDeployment', (id) => ({ deploymentId: id })],
    ['StopDeployment', (id) => ({ deploymentId: id })],
    ['ListDeploymentTargets', (id) => ({ deploymentId: id })],
    ['BatchGetDeploymentTargets', (id) => ({ deploymentId: id, targetIds: ['fn:live'] })],
    ['GetDeploymentTarget', (id) => ({ deploymentId: id, targetId: 'fn:live' })],
    ['PutLifecycleEventHookExecutionStatus', (id) => ({ deploymentId: id, lifecycleEventHookExecutionId: 'x', status: 'Succeeded' })],
  ];
  for (const [operation, input] of withId) {
    test(`${operation}: 'bad', 'd-abcdefghi' and 'd-ABCDEFGH' are not ids; 'd-NOPE12345' is one that does not exist`, async () => {
      for (const bad of ['bad', 'd-abcdefghi', 'd-ABCDEFGH', 'd-ABCDEFGHIJ']) {
        const a = await refused(operation, input(bad), 'InvalidDeploymentIdException');
        assert.equal(a.body.message, `The deployment ID ${bad} was specified in an invalid format.`);
      }
      const a = await refused(operation, input('d-NOPE12345'), 'DeploymentDoesNotExistException');
      assert.equal(a.body.message, 'The deployment d-NOPE12345 could not be found');
    });
  }

  test('BatchGetDeployments: a malformed id is refused; a well-formed unknown one is left out of the answer', async () => {
    await refused('BatchGetDeployments', { deploymentIds: [deploymentId, 'bad'] }, 'InvalidDeploymentIdException');
    const got = await ok('BatchGetDeployments', { deploymentIds: [deploymentId, 'd-NOPE12345'] });
    assert.deepEqual((got.deploymentsInfo as { deploymentId: string }[]).map((d) => d.deploymentId), [deploymentId]);
  });
});
