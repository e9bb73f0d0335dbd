/**
 * One request through the deployed API, as a learner's curl sends it: the steps' single look at
 * the app from outside (steps/shared/app.ts reads what it answered). The canary's many requests
 * are version-split.ts's. Here, not in steps/, as the SDK clients are: steps reach the cloud
 * through targets/.
 */
export interface ApiAnswer {
  status: number;
  /** the body as sent */
  text: string;
  /** from the request to the end of the body */
  ms: number;
  /** the bundled app's X-Function-Version header: the Lambda version that answered */
  functionVersion?: string;
}

/** POST `body` (JSON) to `url`; rejects on a network error or an abort */
export async function postJson(url: string, body: string, signal: AbortSignal): Promise<ApiAnswer> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal });
  const text = await res.text();
  return { status: res.status, text, ms: Math.round(performance.now() - started), functionVersion: res.headers.get('x-function-version') ?? undefined };
}
