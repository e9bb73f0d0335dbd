import { invalidParameter, validationException } from './errors.js';

/**
 * Model constraints checked the way Lambda's front end reports them: every violation collected,
 * then one `ValidationException` "N validation errors detected: a; b". Member names in the
 * messages are the model's, lower-camel (`functionName`, `timeout`, `memorySize`).
 */
export class Violations {
  readonly list: string[] = [];

  private add(value: unknown, member: string, constraint: string): void {
    this.list.push(`Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  pattern(value: string, member: string, re: RegExp, shown: string): this {
    if (!re.test(value)) this.add(value, member, `Member must satisfy regular expression pattern: ${shown}`);
    return this;
  }

  length(value: string, member: string, min: number, max: number): this {
    if (value.length < min) this.add(value, member, `Member must have length greater than or equal to ${min}`);
    if (value.length > max) this.add(value, member, `Member must have length less than or equal to ${max}`);
    return this;
  }

  range(value: number | undefined, member: string, min: number, max?: number): this {
    if (value === undefined) return this;
    if (value < min) this.add(value, member, `Member must have value greater than or equal to ${min}`);
    if (max !== undefined && value > max) this.add(value, member, `Member must have value less than or equal to ${max}`);
    return this;
  }

  oneOf(value: string | undefined, member: string, allowed: readonly string[], suffix = ''): this {
    if (value !== undefined && !allowed.includes(value)) {
      this.add(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]${suffix}`);
    }
    return this;
  }

  throwIfAny(): void {
    if (this.list.length) throw validationException(this.list);
  }
}

/**
 * FunctionName shape (max 140): name, name:qualifier, partial ARN or full ARN, as Lambda's front
 * end states it today (test_function_arns invalid_function_name_exc in LocalStack's AWS-validated
 * snapshots); Invoke's allows dots in the name and `$LATEST.PUBLISHED` (test_invalid_invoke).
 */
export const FUNCTION_REF_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
export const FUNCTION_REF_RE = new RegExp(`^${FUNCTION_REF_PATTERN}$`);
export const INVOKE_FUNCTION_REF_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?';
export const INVOKE_FUNCTION_REF = { re: new RegExp(`^${INVOKE_FUNCTION_REF_PATTERN}$`), pattern: INVOKE_FUNCTION_REF_PATTERN };

/** Alias shape: 1-128, not all digits (a number would read as a version). */
export const ALIAS_PATTERN = '(?!^[0-9]+$)([a-zA-Z0-9-_]+)';
export const ALIAS_RE = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;

/** Version shape. */
export const VERSION_PATTERN = '(\\$LATEST|[0-9]+)';
export const VERSION_RE = /^(\$LATEST|[0-9]+)$/;

/** Qualifier shape (query string `?Qualifier=`). */
export const QUALIFIER_PATTERN = '(|[a-zA-Z0-9$_-]+)';
export const QUALIFIER_RE = /^(|[a-zA-Z0-9$_-]+)$/;

/**
 * Runtime enum of the model (botocore lambda 2015-03-31). A value outside it is a
 * ValidationException; a value inside it that the embedded cloud cannot run is refused below.
 */
export const AWS_RUNTIMES = [
  'nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x',
  'java8', 'java8.al2', 'java11', 'python2.7', 'python3.6', 'python3.7', 'python3.8', 'python3.9',
  'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'dotnet6', 'dotnet8', 'nodejs4.3-edge',
  'go1.x', 'ruby2.5', 'ruby2.7', 'provided', 'provided.al2', 'nodejs18.x', 'python3.10', 'java17', 'ruby3.2',
  'ruby3.3', 'ruby3.4', 'python3.11', 'nodejs20.x', 'provided.al2023', 'python3.12', 'java21', 'python3.13',
  'nodejs22.x', 'nodejs24.x', 'python3.14', 'java25', 'dotnet10', 'ruby4.0',
] as const;

/**
 * The runtimes a function can be created with today, in the order AWS lists them when it refuses
 * another (test_create_lambda_exceptions invalid_runtime_exc, LocalStack's AWS-validated snapshots).
 */
export const CREATABLE_RUNTIMES = [
  'nodejs20.x', 'python3.14', 'provided.al2023', 'python3.12', 'python3.13', 'nodejs24.x', 'nodejs22.x', 'java25',
  'python3.10', 'python3.11', 'java21', 'ruby3.3', 'ruby3.4', 'ruby3.2', 'python3.8', 'python3.9', 'java17',
  'nodejs16.x', 'dotnet10', 'dotnet8', 'java11', 'dotnet6', 'nodejs18.x', 'provided.al2', 'java8.al2',
] as const;

/** What the worker-thread runner executes. */
export const SUPPORTED_RUNTIMES = ['nodejs18.x', 'nodejs20.x', 'nodejs22.x'] as const;

/** Node.js runtimes AWS no longer accepts for create/update (Lambda runtime deprecation policy). */
const DEPRECATED_NODE = ['nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x'];

/**
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtime-support-policy
 * AWS's text for a deprecated runtime: "The runtime parameter of nodejs14.x is no longer supported
 * for creating or updating AWS Lambda functions. We recommend you use a supported runtime while
 * creating or updating functions." Runtimes AWS still runs but this emulator does not (python,
 * java ...) get the same exception with a sentence naming what it runs.
 */
export function checkRuntime(runtime: string): void {
  if (!(AWS_RUNTIMES as readonly string[]).includes(runtime)) {
    // not the model's enum and not a "1 validation error" list: the runtimes it accepts today
    throw invalidParameter(
      `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${CREATABLE_RUNTIMES.join(', ')}] or be a valid ARN`,
    );
  }
  if ((SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) return;
  if (DEPRECATED_NODE.includes(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. ` +
        'We recommend you use a supported runtime while creating or updating functions.',
    );
  }
  throw invalidParameter(
    `The runtime parameter of ${runtime} is not supported by the embedded cloud, which runs ${SUPPORTED_RUNTIMES.join(', ')}.`,
  );
}

export const MAX_TIMEOUT = 900;
export const MIN_MEMORY = 128;
export const MAX_MEMORY = 10240;

/**
 * Timeout 1-900 s and MemorySize 128-10240 MB (Lambda quotas). AWS reports a memory size over the
 * account's maximum as InvalidParameterValueException "'MemorySize' value failed to satisfy
 * constraint: Member must have value less than or equal to 10240"; the rest are model constraints.
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export function checkTimeoutAndMemory(timeout: number | undefined, memorySize: number | undefined): void {
  new Violations().range(timeout, 'timeout', 1, MAX_TIMEOUT).range(memorySize, 'memorySize', MIN_MEMORY).throwIfAny();
  if (memorySize !== undefined && memorySize > MAX_MEMORY) {
    throw invalidParameter(`'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to ${MAX_MEMORY}`);
  }
}

/**
 * Architectures: one of x86_64 and arm64, as Lambda's front end reports a list it refuses
 * (test_create_lambda_exceptions multiple_architectures, uppercase_architecture).
 */
export function checkArchitectures(list: string[] | undefined): void {
  if (!list) return;
  const shown = `[${list.join(', ')}]`;
  const v = new Violations();
  if (list.length > 1) v.list.push(`Value '${shown}' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1`);
  else if (list.some((a) => a !== 'x86_64' && a !== 'arm64')) {
    v.list.push(
      `Value '${shown}' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]`,
    );
  }
  v.throwIfAny();
}

/** Description: 0-256 characters. */
export function checkDescription(description: string | undefined): void {
  if (description !== undefined) new Violations().length(description, 'description', 0, 256).throwIfAny();
}
