/**
 * The Lambda proxy integration's input event for a REST API, assembled in the function's own
 * thread from the parts API Gateway posts (proxy-event.ts makes them, and says what each member
 * holds): members in the documented order ("Input format of a Lambda function for proxy
 * integration"), so JSON.stringify(event) writes them as AWS does. This replaces writing 1.3 KB of
 * JSON text on the cloud's thread and parsing it on the function's. It imports nothing.
 */

/** One request's parts, as API Gateway posts them (a tuple: its structured clone is its values only). */
export type ProxyEventParts = [
  /** the route's resource path: `/items/{id}` */
  resource: string,
  resourceId: string,
  httpMethod: string,
  /** the resource path after the stage, as sent: `/items/42` */
  path: string,
  headers: Record<string, string> | null,
  multiValueHeaders: Record<string, string[]> | null,
  queryStringParameters: Record<string, string> | null,
  multiValueQueryStringParameters: Record<string, string[]> | null,
  pathParameters: Record<string, string> | null,
  stageVariables: Record<string, string> | null,
  stage: string,
  accountId: string,
  apiId: string,
  requestId: string,
  extendedRequestId: string,
  /** `10/Mar/2020:00:03:59 +0000` */
  requestTime: string,
  /** epoch ms, the cloud's time */
  requestTimeEpoch: number,
  domainName: string,
  domainPrefix: string,
  sourceIp: string,
  userAgent: string | null,
  body: string | null,
  isBase64Encoded: boolean,
];

/**
 * The event the function receives, from its parts as they arrive. Everything that takes a loop or
 * a decision (the maps, the time, the domain) was done when the parts were made, on the cloud's
 * thread, where that code is optimized once: here it would be compiled again in each of up to 50
 * execution environments' isolates. Parts are read by index, not destructured (destructuring walks
 * the array's iterator, slow in the baseline code a function's thread mostly runs).
 */
export function buildEvent(parts: ProxyEventParts): unknown {
  const resource = parts[0];
  const httpMethod = parts[2];
  const path = parts[3];
  const stage = parts[10];
  return {
    resource,
    path,
    httpMethod,
    headers: parts[4],
    multiValueHeaders: parts[5],
    queryStringParameters: parts[6],
    multiValueQueryStringParameters: parts[7],
    pathParameters: parts[8],
    stageVariables: parts[9],
    requestContext: {
      resourceId: parts[1],
      resourcePath: resource,
      httpMethod,
      extendedRequestId: parts[14],
      requestTime: parts[15],
      path: `/${stage}${path}`,
      accountId: parts[11],
      protocol: 'HTTP/1.1',
      stage,
      domainPrefix: parts[18],
      requestTimeEpoch: parts[16],
      requestId: parts[13],
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: parts[19],
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: parts[20],
        user: null,
      },
      domainName: parts[17],
      apiId: parts[12],
    },
    body: parts[21],
    isBase64Encoded: parts[22],
  };
}
