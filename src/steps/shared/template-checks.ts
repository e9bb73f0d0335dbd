/**
 * Static checks of the learner's template.yaml: no cloud, run on every save. Each names what it
 * expects and what it found, with a hint for the usual mistake.
 */
import { blocked, passed, notYet, type CheckOutcome, type StaticCheck, type WorkspaceFiles } from '../../lab/check.js';
import { parseTemplate, TemplateError, UnknownReferenceError, IndentationError, type SamFunction, type SamTemplate, type TemplateValue } from '../../template/index.js';
import { APP_FUNCTION } from './app.js';
import { nearest } from '../../nearest.js';

/** The predefined Lambda deployment configurations, as SAM's Type names them (SAM A.1). */
export const LAMBDA_DEPLOYMENT_TYPES = [
  'Canary10Percent5Minutes',
  'Canary10Percent10Minutes',
  'Canary10Percent15Minutes',
  'Canary10Percent30Minutes',
  'Linear10PercentEvery1Minute',
  'Linear10PercentEvery2Minutes',
  'Linear10PercentEvery3Minutes',
  'Linear10PercentEvery10Minutes',
  'AllAtOnce',
] as const;

/** the prefix CodeDeploy's service role allows invoking (AWSCodeDeployRoleForLambda: lambda:InvokeFunction on function:CodeDeployHook_*) */
export const HOOK_PREFIX = 'CodeDeployHook_';

/**
 * The name the hint suggests for a hook function: the prefix and its logical id with a lower-case
 * first letter, as the reference names it (PreTrafficHook → CodeDeployHook_preTrafficHook, in
 * templates/hooks-failing/template.yaml), so the hint and "show me the change" agree.
 */
export function hookFunctionName(logicalId: string): string {
  return `${HOOK_PREFIX}${logicalId.charAt(0).toLowerCase()}${logicalId.slice(1)}`;
}

/** a template that does not parse: the parser's message, and its hint when it names a typo's fix */
type Parsed = { template: SamTemplate } | { error: string; hint?: string };

const cache = new WeakMap<WorkspaceFiles, Parsed>();

export function parsedTemplate(files: WorkspaceFiles): Parsed {
  const hit = cache.get(files);
  if (hit) return hit;
  const text = files.read('template.yaml');
  let result: Parsed;
  if (text === undefined) result = { error: 'sam-app/template.yaml is missing' };
  else {
    try {
      result = { template: parseTemplate(text, `${files.samApp}/template.yaml`, { region: 'us-east-1', accountId: '000000000000', stackName: 'ServerlessOps-stack' }) };
    } catch (err) {
      // a typo's hint (the name it meant) is the fix; a list of every known name is not, and for a
      // property nested at the wrong depth the indentation hint is the better one. A Ref to a name
      // the template lacks is no YAML problem: its hint names the close names the template has.
      const typo = err instanceof TemplateError && /did you mean /.test(`${err.message} ${err.hint ?? ''}`);
      // a mis-indented key's hint says the indentation its mapping has
      result = typo || err instanceof UnknownReferenceError || err instanceof IndentationError ? { error: err.message, hint: err.hint } : { error: (err as Error).message };
    }
  }
  cache.set(files, result);
  return result;
}

/** what stops every check of the template when it does not parse: shown once (runStaticChecks) */
const TEMPLATE_BROKEN = 'template.yaml does not parse';
const PARSE_HINT = 'the message names the line and column; YAML indentation is the usual cause';

/** the parser's own hint (a misspelt property's right name) before the general one, which blamed indentation for a typo */
function parseHint(p: { hint?: string }): string {
  return p.hint ?? PARSE_HINT;
}

function withFunction(files: WorkspaceFiles, run: (fn: SamFunction, t: SamTemplate) => CheckOutcome): CheckOutcome {
  const p = parsedTemplate(files);
  if ('error' in p) return blocked(TEMPLATE_BROKEN, 'a template that parses', p.error, parseHint(p));
  const fn = p.template.functions.find((f) => f.logicalId === APP_FUNCTION);
  if (!fn) return notYet(`the function ${APP_FUNCTION}`, `no such function in template.yaml`, 'the lab follows the function GetInfoFunction; keep its logical id');
  return run(fn, p.template);
}

export const templateParses: StaticCheck = {
  name: 'template.yaml parses',
  file: 'template.yaml',
  run: (files) => {
    const p = parsedTemplate(files);
    return 'error' in p ? blocked(TEMPLATE_BROKEN, 'a valid SAM template', p.error, parseHint(p)) : passed();
  },
};

export const timeoutAbove3: StaticCheck = {
  name: 'the function Timeout is above 3 s',
  file: 'template.yaml',
  run: (files) =>
    withFunction(files, (fn) =>
      fn.timeout > 3
        ? passed(`${fn.timeout} s`)
        : notYet('more than 3 (seconds)', String(fn.timeout), 'app version 2 waits 3 s before it answers: with Timeout 3 every call times out and API Gateway answers 502. SAM\'s default is 3; the lab uses 10.'),
    ),
};

/**
 * The Type every release of the lab shifts with (each step's templates/STEP/template.yaml): 10 % a
 * minute, so that the live view shows both versions serving while it shifts, and an alarm has the
 * time to stop it.
 */
export const STEP_DEPLOYMENT_TYPE = 'Linear10PercentEvery1Minute';

/** how a known Type other than the step's moves traffic, for the hint */
function howTypeShifts(type: string): string {
  if (type === 'AllAtOnce') return 'AllAtOnce moves all the traffic to the new version at once';
  if (type.startsWith('Canary')) return `${type} moves 10 % of the traffic, then the rest at once`;
  return `${type} shifts 10 % at a slower pace than this lab's`;
}

/**
 * DeploymentPreference's Type is the step's: a known Type that is not (AllAtOnce, say) deploys,
 * and CodeDeploy releases with it; the live checks, which read a Linear10PercentEvery1Minute
 * release, then fail after the release is out, and the code that needs a new version has none.
 * Said here, before d deploys it.
 */
export const deploymentTypeIsStep: StaticCheck = {
  name: `DeploymentPreference Type is ${STEP_DEPLOYMENT_TYPE}`,
  file: 'template.yaml',
  run: (files) =>
    withFunction(files, (fn) => {
      const dp = fn.deploymentPreference;
      const expected = `Type: ${STEP_DEPLOYMENT_TYPE}`;
      if (!dp || !dp.enabled) return notYet(`DeploymentPreference with ${expected}`, 'no DeploymentPreference', 'uncomment the two lines under AutoPublishAlias, keeping their indentation');
      if (dp.type === STEP_DEPLOYMENT_TYPE) return passed(dp.type);
      const found = dp.type;
      if (dp.type.startsWith('CodeDeployDefault.')) return notYet(expected, found, `SAM adds the CodeDeployDefault.Lambda prefix itself: write ${expected}`);
      if ((LAMBDA_DEPLOYMENT_TYPES as readonly string[]).includes(dp.type)) {
        return notYet(
          expected,
          found,
          `${howTypeShifts(dp.type)}. This lab shifts 10 % more every minute, so that you see both versions serve while it shifts and an alarm has time to stop a bad release: write ${expected}`,
        );
      }
      const near = nearest(dp.type, LAMBDA_DEPLOYMENT_TYPES);
      return notYet(expected, found, `${near ? `did you mean ${near}? ` : ''}not a Lambda deployment Type (SAM knows ${LAMBDA_DEPLOYMENT_TYPES.join(', ')}); this lab's is ${STEP_DEPLOYMENT_TYPE}`);
    }),
};

function refName(v: TemplateValue | undefined): string | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v) && 'Ref' in v) return String((v as { Ref: unknown }).Ref);
  return undefined;
}

/** the metric an alarm of the release must watch: what Lambda counts when the function throws */
export const ERRORS_METRIC = { namespace: 'AWS/Lambda', metricName: 'Errors' } as const;

/** the dimensions an Errors alarm of the release is given, as the template writes them (the fixes say it) */
export function errorsDimensions(functionId: string, alias: string): string {
  return `Dimensions FunctionName: !Ref ${functionId} and Resource: !Sub '\${${functionId}}:${alias}'`;
}

/** what another of Lambda's metrics counts, for the hint when an alarm watches it */
export const metricCounts = (metric: string): string | undefined => (Object.hasOwn(OTHER_LAMBDA_METRICS, metric) ? OTHER_LAMBDA_METRICS[metric] : undefined);

const OTHER_LAMBDA_METRICS: Record<string, string> = {
  Invocations: 'Invocations counts every request, good or bad: it goes off on ordinary traffic and rolls back any release, a good one too',
  Duration: 'Duration measures how long calls take (app version 2 waits 3 s in every one), not whether they fail',
  Throttles: 'Throttles counts requests refused for want of concurrency, not errors',
  ConcurrentExecutions: 'ConcurrentExecutions counts calls running at once, not errors',
};

/**
 * One alarm of DeploymentPreference's Alarms, as the template defines it, against what it must
 * watch: Lambda's Errors of the app's function, under a dimension set Lambda publishes it with
 * (FunctionName; FunctionName and Resource, the alias as `function:live`; those and
 * ExecutedVersion, the version behind the alias: the workshop's AliasErrorMetricGreaterThanZeroAlarm
 * and LatestVersionErrorMetricGreaterThanZeroAlarm;
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html). `outcome` is set
 * when it does not (a notYet saying what it watches); `read` is what the check read, for its
 * finding. A metric-math alarm (Metrics) is not read.
 */
function alarmWatchesErrors(id: string, props: Record<string, TemplateValue>, fn: SamFunction, t: SamTemplate): { outcome?: CheckOutcome; read: string } {
  if (props.Metrics !== undefined) return { read: `${id}: Metrics (metric math, not read here)` };
  const expected = `${id} on ${ERRORS_METRIC.namespace} ${ERRORS_METRIC.metricName} of ${fn.logicalId}`;
  const ns = typeof props.Namespace === 'string' ? props.Namespace : undefined;
  const metric = typeof props.MetricName === 'string' ? props.MetricName : undefined;
  const alias = fn.autoPublishAlias ?? 'live';
  const dims = errorsDimensions(fn.logicalId, alias);
  if (ns !== ERRORS_METRIC.namespace || metric !== ERRORS_METRIC.metricName) {
    const found = `${id} on ${ns ?? 'no Namespace'} ${metric ?? '(no MetricName)'}`;
    const counts = ns === ERRORS_METRIC.namespace && metric ? metricCounts(metric) : undefined;
    const what = counts ? `${counts}. ` : '';
    return {
      outcome: notYet(expected, found, `${what}The alarm must go off when the new version fails, and Lambda counts that in ${ERRORS_METRIC.metricName} (what the function throws): write Namespace: ${ERRORS_METRIC.namespace} and MetricName: ${ERRORS_METRIC.metricName}, with ${dims}.`),
      read: found,
    };
  }
  // the dimensions, with the function's references resolved to names the check can compare
  const token = (s: string) => `{${s}}`;
  const resolver = { ref: (ref: string) => token(ref), getAtt: (ref: string, attribute: string) => token(`${ref}.${attribute}`) };
  const dimensions = new Map<string, string>();
  for (const d of asList(props.Dimensions)) {
    if (!isMap(d) || typeof d.Name !== 'string') continue;
    let value: TemplateValue;
    try {
      value = t.evaluate(d.Value ?? '', resolver);
    } catch {
      value = JSON.stringify(d.Value);
    }
    dimensions.set(d.Name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  const fnName = token(fn.logicalId);
  const written = typeof fn.functionName === 'string' ? fn.functionName : undefined;
  const isFunction = (v: string | undefined) => v === fnName || (written !== undefined && v === written);
  const resource = dimensions.get('Resource');
  const version = dimensions.get('ExecutedVersion');
  const shown = [...dimensions].map(([k, v]) => `${k}=${v.replace(/\{([^}]+)\}/g, '${$1}')}`).join(', ') || 'no Dimensions';
  const ok =
    isFunction(dimensions.get('FunctionName')) &&
    [...dimensions.keys()].every((k) => ['FunctionName', 'Resource', 'ExecutedVersion'].includes(k)) &&
    (resource === undefined || resource === `${fnName}:${alias}` || (written !== undefined && resource === `${written}:${alias}`)) &&
    (version === undefined ? true : resource !== undefined && version === token(`${fn.versionLogicalId}.Version`));
  if (!ok) {
    const found = `${id} on ${ns} ${metric} with ${shown}`;
    return {
      outcome: notYet(
        `${expected}: ${dims}`,
        found,
        `Lambda publishes ${fn.logicalId}'s Errors under FunctionName (its name, !Ref ${fn.logicalId}), and with Resource the alias ${alias} (!Sub '\${${fn.logicalId}}:${alias}'); an alarm whose dimensions match none of them watches a metric with no data, and never goes off. Give it ${dims}.`,
      ),
      read: found,
    };
  }
  return { read: `${id}: ${ns} ${metric} (${shown})` };
}

/**
 * The release's alarms watch the function's Errors: DeploymentPreference names them (Alarms: !Ref
 * each), and each is an AWS::CloudWatch::Alarm of the template on Lambda's Errors. An alarm on
 * Invocations went off on ordinary traffic: hooks-alarm's release was stopped with no
 * set-alarm-state, and hooks-errors passed on a count of calls read as "real Errors". Said before
 * the deploy. An alarm named by a string (one outside this template) is not read.
 */
export const alarmsWatchErrors: StaticCheck = {
  name: "the release's alarm watches the function's Errors",
  file: 'template.yaml',
  run: (files) =>
    withFunction(files, (fn, t) => {
      const alarms = fn.deploymentPreference?.enabled ? fn.deploymentPreference.alarms : [];
      const add = `Alarms: [!Ref <an alarm on ${fn.logicalId}'s Errors>] under DeploymentPreference`;
      if (!alarms.length) return notYet(add, 'no Alarms under DeploymentPreference', `CodeDeploy stops a release and rolls it back only on an alarm that DeploymentPreference names: add Alarms with - !Ref to an AWS::CloudWatch::Alarm on ${ERRORS_METRIC.namespace} ${ERRORS_METRIC.metricName} of ${fn.logicalId}`);
      const read: string[] = [];
      for (const a of alarms) {
        const id = refName(a);
        const spec = id ? t.alarms.find((x) => x.logicalId === id) : undefined;
        if (typeof a === 'string') {
          if (t.alarms.some((x) => x.logicalId === a)) return notYet(`- !Ref ${a}`, `- ${a}`, `${a} is the alarm's logical id; CodeDeploy needs its name, which !Ref ${a} gives: write - !Ref ${a}`);
          read.push(`${a} (not in this template, not read)`);
          continue;
        }
        if (!id || !spec) return notYet(`- !Ref <an AWS::CloudWatch::Alarm of this template>`, JSON.stringify(a), `name each alarm with !Ref to an AWS::CloudWatch::Alarm resource of template.yaml${t.alarms.length ? ` (it has ${t.alarms.map((x) => x.logicalId).join(', ')})` : ''}`);
        const r = alarmWatchesErrors(id, spec.properties, fn, t);
        if (r.outcome) return r.outcome;
        read.push(r.read);
      }
      return passed(read.join('; '));
    }),
};

/** what stops every check of the hooks when DeploymentPreference names none: shown once (runStaticChecks) */
const NO_HOOKS = 'no hooks in DeploymentPreference';
const NO_HOOK_FUNCTION = 'a hook that is not a function of this template';

/**
 * The hook functions the app's DeploymentPreference names (`!Ref` to functions of this template),
 * or, when there is none to check, the outcome that says so; `blocked` so that the second check of
 * the hooks says "not run" rather than the same thing again.
 */
function withHooks(files: WorkspaceFiles, run: (hooks: SamFunction[]) => CheckOutcome): CheckOutcome {
  return withFunction(files, (fn, t) => {
    const hooks = fn.deploymentPreference?.hooks ?? {};
    const refs = [hooks.preTraffic, hooks.postTraffic].filter((h) => h !== undefined);
    if (!refs.length) return blocked(NO_HOOKS, 'Hooks: PreTraffic: !Ref <hook function>', NO_HOOKS);
    const found: SamFunction[] = [];
    for (const r of refs) {
      const id = refName(r);
      const hook = id ? t.functions.find((f) => f.logicalId === id) : undefined;
      if (!hook) return blocked(NO_HOOK_FUNCTION, 'a hook that is a function of this template (!Ref)', JSON.stringify(r));
      found.push(hook);
    }
    return run(found);
  });
}

export const hooksPrefixed: StaticCheck = {
  name: `hook functions are named ${HOOK_PREFIX}…`,
  file: 'template.yaml',
  run: (files) =>
    withHooks(files, (hooks) => {
      const names: string[] = [];
      for (const hook of hooks) {
        const name = typeof hook.functionName === 'string' ? hook.functionName : undefined;
        if (!name || !name.startsWith(HOOK_PREFIX)) {
          return notYet(
            `FunctionName: ${HOOK_PREFIX}…`,
            name ? `FunctionName: ${name}` : `no FunctionName on ${hook.logicalId}`,
            `the role SAM creates for CodeDeploy may only invoke functions named ${HOOK_PREFIX}*; any other name fails the deployment with IAM_ROLE_PERMISSIONS. Give the hook FunctionName: ${hookFunctionName(hook.logicalId)}.`,
          );
        }
        names.push(name);
      }
      return passed(names.join(', '));
    }),
};

/** the IAM action a hook calls to report its result */
export const HOOK_STATUS_ACTION = 'codedeploy:PutLifecycleEventHookExecutionStatus';

/**
 * Managed policies (a Policies item given by name or ARN) that obviously allow the action:
 * AWSCodeDeployFullAccess allows "codedeploy:*" on "*"
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployFullAccess.html),
 * AdministratorAccess "*". No SAM policy template grants a CodeDeploy action.
 */
const GRANTING_MANAGED_POLICIES = ['AWSCodeDeployFullAccess', 'AdministratorAccess'];

/** an IAM action pattern (`*` and `?` wildcards, case-insensitive, as IAM matches actions) that covers `action` */
function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

function asList(v: TemplateValue | undefined): TemplateValue[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

const isMap = (v: TemplateValue | undefined): v is Record<string, TemplateValue> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Whether one item of a function's Policies allows `action`. Accepted: a policy document whose
 * Statement (one or a list) has Effect: Allow and an Action (a string or a list) that covers it
 * (`codedeploy:PutLifecycleEventHookExecutionStatus`, `codedeploy:*`, `codedeploy:Put*`, `*`),
 * any Resource; a managed policy of GRANTING_MANAGED_POLICIES by name or ARN (plain or `!Sub`).
 * Not read: NotAction, Conditions, a Deny elsewhere, and SAM policy templates (none grants it).
 */
function policyAllows(policy: TemplateValue, action: string): boolean {
  const name = typeof policy === 'string' ? policy : isMap(policy) && typeof policy['Fn::Sub'] === 'string' ? policy['Fn::Sub'] : undefined;
  if (name !== undefined) return GRANTING_MANAGED_POLICIES.some((m) => name === m || name.endsWith(`:policy/${m}`));
  if (!isMap(policy)) return false;
  return asList(policy.Statement).some(
    (s) => isMap(s) && s.Effect === 'Allow' && asList(s.Action).some((a) => typeof a === 'string' && actionMatches(a, action)),
  );
}

/**
 * The hook reports its result with PutLifecycleEventHookExecutionStatus, under its own execution
 * role, which allows only what its Policies say: SAM's hook tutorials give the hook a statement
 * allowing codedeploy:PutLifecycleEventHookExecutionStatus (CodeDeploy User Guide, "Create your
 * AWS SAM template": https://docs.aws.amazon.com/codedeploy/latest/userguide/tutorial-lambda-sam-template.html;
 * the action: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html;
 * SAM's Hooks: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-hooks.html).
 * Without it the call is denied on AWS, the hook never reports, and "The deployment is considered
 * to have failed if CodeDeploy is not notified by the Lambda validation function within one hour"
 * (AppSpec 'hooks' section for Lambda:
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-lambda).
 * The local cloud does not enforce IAM, so only this check catches it. A hook with a Role of its
 * own passes: SAM then creates no role from Policies, and the role's policies are not read here.
 */
export const hookMayReport: StaticCheck = {
  name: `hook functions may call ${HOOK_STATUS_ACTION.split(':')[1]}`,
  file: 'template.yaml',
  run: (files) =>
    withHooks(files, (hooks) => {
      const found: string[] = [];
      for (const hook of hooks.map(reportPermission)) {
        if (hook.allowed === undefined) {
          found.push(`${hook.logicalId}: its own Role (not read here)`);
          continue;
        }
        if (hook.allowed === false) {
          return notYet(
            `Policies on ${hook.logicalId} allowing ${HOOK_STATUS_ACTION}`,
            hook.found,
            `the hook reports Succeeded or Failed with this call, under its own role, which allows only what its Policies say. The local cloud does not enforce IAM and would let it pass, but on AWS the call is denied and the deployment waits for the hook's timeout (an hour) before it fails. Give ${grantReporting(hook.logicalId)} (or the deployment group's ARN, as the reference does).`,
          );
        }
        found.push(`${hook.logicalId}: ${HOOK_STATUS_ACTION}`);
      }
      return passed(found.join(', '));
    }),
};

/** what a hook function needs to report: `${logicalId} Policies with a statement …` (after "give") */
export const grantReporting = (logicalId: string): string => `${logicalId} Policies with a statement Effect: Allow, Action: ${HOOK_STATUS_ACTION}, Resource: '*'`;

/** What hookMayReport reads of one hook function: whether its Policies allow HOOK_STATUS_ACTION. */
export type HookReportPermission =
  /** allowed undefined: the hook has a Role of its own, whose policies are not read here */
  | { logicalId: string; allowed: true | undefined }
  /** found: what the static check found instead ("no Policies on PreTrafficHook") */
  | { logicalId: string; allowed: false; found: string };

function reportPermission(hook: SamFunction): HookReportPermission {
  if (hook.role !== undefined) return { logicalId: hook.logicalId, allowed: undefined };
  if (asList(hook.policies).some((p) => policyAllows(p, HOOK_STATUS_ACTION))) return { logicalId: hook.logicalId, allowed: true };
  return { logicalId: hook.logicalId, allowed: false, found: hook.policies === undefined ? `no Policies on ${hook.logicalId}` : `Policies on ${hook.logicalId} without ${HOOK_STATUS_ACTION}` };
}

/**
 * hookMayReport's reading of the template, for the hint on a deployment that waits for its hook:
 * one entry per hook function; undefined when the template does not parse or names no hook
 * function of its own (the static checks say why).
 */
export function hookReportPermissions(files: WorkspaceFiles): HookReportPermission[] | undefined {
  let read: HookReportPermission[] | undefined;
  withHooks(files, (hooks) => {
    read = hooks.map(reportPermission);
    return passed();
  });
  return read;
}
