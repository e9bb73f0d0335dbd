import { invalidParameter } from './errors.js';
import { FUNCTION_REF_PATTERN, FUNCTION_REF_RE, QUALIFIER_PATTERN, QUALIFIER_RE, Violations } from './validation.js';

/** A function as a caller named it: the name and the qualifier (version or alias), if any. */
export interface FunctionRef {
  name: string;
  qualifier?: string;
  /** the Region a full ARN names */
  region?: string;
}

/**
 * Accepts every form the Lambda API accepts for `FunctionName` (API_GetFunction "Name formats"):
 * `my-function`, `my-function:v1`, `123456789012:function:my-function`,
 * `arn:aws:lambda:us-west-2:123456789012:function:my-function[:qualifier]`, plus a separate
 * `Qualifier` (query string). A qualifier in both places must agree.
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html#API_GetFunction_RequestParameters
 */
export function parseFunctionRef(
  ref: unknown,
  explicitQualifier?: unknown,
  member = 'functionName',
  shape: { re: RegExp; pattern: string } = { re: FUNCTION_REF_RE, pattern: FUNCTION_REF_PATTERN },
): FunctionRef {
  const text = typeof ref === 'string' ? ref : ref === undefined || ref === null ? '' : String(ref);
  const v = new Violations();
  v.length(text, member, 1, 140);
  if (text.length) v.pattern(text, member, shape.re, shape.pattern);
  const qualifierText = explicitQualifier === undefined || explicitQualifier === null ? undefined : String(explicitQualifier);
  if (qualifierText !== undefined) {
    v.length(qualifierText, 'qualifier', 0, 128).pattern(qualifierText, 'qualifier', QUALIFIER_RE, QUALIFIER_PATTERN);
  }
  v.throwIfAny();

  const parts = text.split(':');
  const at = parts.indexOf('function');
  let name: string;
  let derived: string | undefined;
  if (at >= 0 && at + 1 < parts.length && (parts[0] === 'arn' || /^\d{12}$/.test(parts[at - 1] ?? ''))) {
    name = parts[at + 1];
    derived = parts[at + 2];
  } else {
    name = parts[0];
    derived = parts[1];
  }
  const explicit = qualifierText || undefined;
  if (derived !== undefined && explicit !== undefined && derived !== explicit) {
    // AWS's text when `fn:1` is sent with `?Qualifier=2`
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  const region = parts[0] === 'arn' && parts.length > 3 && parts[3] ? parts[3] : undefined;
  return { name, qualifier: derived ?? explicit, ...(region ? { region } : {}) };
}

export interface ArnScope {
  region: string;
  accountId: string;
}

/** `arn:aws:lambda:us-east-1:000000000000:function:name[:qualifier]` */
export function functionArn(scope: ArnScope, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${name}`;
  return qualifier ? `${base}:${qualifier}` : base;
}
