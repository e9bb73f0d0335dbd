/**
 * Invoke URLs. A template's outputs name AWS's URL
 * (`https://{apiId}.execute-api.{region}.amazonaws.com/{stage}/{path}`,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html); on the
 * local target the same API answers at the embedded cloud's short front-door form.
 */

/** `http://127.0.0.1:PORT/execute-api/{apiId}/{stage}/{path}` */
export function localInvokeUrl(endpoint: string, apiId: string, stage: string, path = ''): string {
  const base = endpoint.replace(/\/+$/, '');
  const rest = path.replace(/^\/+/, '');
  return `${base}/execute-api/${apiId}/${stage}/${rest}`;
}

const AWS_INVOKE_URL = /^https:\/\/([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^/?#]+)(\/[^?#]*)?([?#].*)?$/;

/**
 * The local URL for an AWS invoke URL of one of `apiIds`; any other string comes back as it was.
 */
export function toLocalUrl(value: string, endpoint: string, apiIds: ReadonlySet<string>): string {
  const m = AWS_INVOKE_URL.exec(value);
  if (!m || !apiIds.has(m[1])) return value;
  const [, apiId, , stage, path = '', tail = ''] = m;
  return localInvokeUrl(endpoint, apiId, stage, path) + tail;
}
