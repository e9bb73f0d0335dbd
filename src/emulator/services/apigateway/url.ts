/**
 * The invoke URL the CLI prints for a stage and path on the local cloud: the short form
 * `{endpoint}/execute-api/{apiId}/{stage}/{path}` that the front door serves. (On AWS the
 * same resource is `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}/{path}`.)
 */
export function frontDoorUrl(endpoint: string, apiId: string, stage: string, path = '/'): string {
  const base = endpoint.replace(/\/+$/, '');
  const rest = path.startsWith('/') ? path : `/${path}`;
  return `${base}/execute-api/${apiId}/${stage}${rest === '/' ? '/' : rest}`;
}

/** The invoke URL on AWS itself, for the `aws` target and for comparison. */
export function awsInvokeUrl(region: string, apiId: string, stage: string, path = '/'): string {
  const rest = path.startsWith('/') ? path : `/${path}`;
  return `https://${apiId}.execute-api.${region}.amazonaws.com/${stage}${rest}`;
}
