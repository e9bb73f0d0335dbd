/**
 * Invoke URLs. A template's outputs name AWS's URL
 * (`https://{apiId}.execute-api.{region}.amazonaws.com/{stage}/{path}`,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html); on the
 * local target the same API answers at the embedded cloud's short front-door form.
 */
import { frontDoorUrl } from '../emulator/front-door-url.js';

const AWS_INVOKE_URL = /^https:\/\/([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^/?#]+)(\/[^?#]*)?([?#].*)?$/;

/**
 * The local URL for an AWS invoke URL of one of `apiIds`; any other string comes back as it was.
 */
export function toLocalUrl(value: string, endpoint: string, apiIds: ReadonlySet<string>): string {
  const m = AWS_INVOKE_URL.exec(value);
  if (!m || !apiIds.has(m[1])) return value;
  const [, apiId, , stage, path = '', tail = ''] = m;
  return frontDoorUrl(endpoint, apiId, stage, path) + tail;
}
