/**
 * The Lambda target of an AWS_PROXY integration:
 * `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations`
 * ("Set up a Lambda proxy integration", API Gateway developer guide). The function ARN may carry
 * a qualifier (`...:function:fn:live`) or stage variables (`...:function:fn:${stageVariables.alias}`,
 * "Use stage variables for a REST API"), resolved per request because a canary request sees
 * different variables.
 */

const LAMBDA_URI = /^arn:[^:]+:apigateway:[^:]*:lambda:path\/\d{4}-\d{2}-\d{2}\/functions\/(.+)\/invocations\/?$/;
const STAGE_VARIABLE = /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g;

export interface LambdaTarget {
  functionName: string;
  qualifier?: string;
}

/** A parsed integration target: fixed, or a template of literal text and stage variable names. */
export interface LambdaUriTemplate {
  /** set when the URI uses no stage variables */
  fixed?: LambdaTarget;
  parts: (string | { variable: string })[];
}

export function parseLambdaUri(uri: string): LambdaUriTemplate | undefined {
  const m = LAMBDA_URI.exec(uri);
  if (!m) return undefined;
  const ref = m[1];
  const parts: LambdaUriTemplate['parts'] = [];
  let last = 0;
  for (const v of ref.matchAll(STAGE_VARIABLE)) {
    if (v.index! > last) parts.push(ref.slice(last, v.index));
    parts.push({ variable: v[1] });
    last = v.index! + v[0].length;
  }
  if (last < ref.length) parts.push(ref.slice(last));
  if (parts.every((p) => typeof p === 'string')) {
    const fixed = splitFunctionRef(ref);
    return fixed ? { fixed, parts } : undefined;
  }
  return { parts };
}

/** The function for this request, or undefined when a stage variable it needs is not set. */
export function resolveLambdaTarget(
  template: LambdaUriTemplate,
  stageVariables: Record<string, string> | undefined,
): LambdaTarget | undefined {
  if (template.fixed) return template.fixed;
  let ref = '';
  for (const p of template.parts) {
    if (typeof p === 'string') ref += p;
    else {
      const value = stageVariables?.[p.variable];
      if (value === undefined || value === '') return undefined;
      ref += value;
    }
  }
  return splitFunctionRef(ref);
}

/** `arn:aws:lambda:r:a:function:name[:qualifier]`, `name[:qualifier]` → name + qualifier */
export function splitFunctionRef(ref: string): LambdaTarget | undefined {
  if (ref.startsWith('arn:')) {
    const f = ref.split(':');
    if (f.length < 7 || f.length > 8 || f[2] !== 'lambda' || f[5] !== 'function' || !f[6]) return undefined;
    return f[7] ? { functionName: f[6], qualifier: f[7] } : { functionName: f[6] };
  }
  const [name, qualifier, extra] = ref.split(':');
  if (!name || extra !== undefined) return undefined;
  return qualifier ? { functionName: name, qualifier } : { functionName: name };
}
