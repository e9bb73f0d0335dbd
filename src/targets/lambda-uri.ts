/**
 * A Lambda proxy integration's URI, read: `arn:aws:apigateway:{region}:lambda:path/2015-03-31/
 * functions/{functionArn}/invocations`, the function ARN's qualifier (an alias or a version) after
 * its name, and `${stageVariables.NAME}` in it taking the stage's value ("Use stage variables for a
 * REST API in API Gateway"). No imports: `deploy` reads it at start-up.
 */

const VARIABLE = /\$\{stageVariables\.([^}]*)\}/g;

/** `…/functions/{functionArn}/invocations` → function name and qualifier (null: none, $LATEST) */
export function lambdaTarget(uri: string): { functionName: string; qualifier: string | null } | undefined {
  const m = /:lambda:path\/[^/]+\/functions\/([^/]+)\/invocations$/.exec(uri);
  if (!m) return undefined;
  const parts = m[1]!.split(':');
  // arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}], or a bare name
  const [name, qualifier] = parts[0] === 'arn' ? [parts[6], parts.slice(7).join(':')] : [parts[0], parts.slice(1).join(':')];
  return name ? { functionName: name, qualifier: qualifier || null } : undefined;
}

/** `text` with each `${stageVariables.NAME}` replaced by the value in `vars` ('' where unset) */
export function withStageVariables(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE, (_, k: string) => (Object.hasOwn(vars, k) ? vars[k]! : ''));
}
