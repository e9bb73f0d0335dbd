/**
 * The invoke URL the CLI prints for a stage and path on the local cloud: the short form
 * `{endpoint}/execute-api/{apiId}/{stage}/{path}` that API Gateway's front door serves. (On AWS the
 * same resource is `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}/{path}`.)
 * Part of the emulator's outside contract, so it lives outside services/: targets/ uses it too.
 */
export function frontDoorUrl(endpoint: string, apiId: string, stage: string, path = '/'): string {
  const base = endpoint.replace(/\/+$/, '');
  const rest = path.startsWith('/') ? path : `/${path}`;
  return `${base}/execute-api/${apiId}/${stage}${rest === '/' ? '/' : rest}`;
}
