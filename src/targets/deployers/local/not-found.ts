/**
 * Whether an SDK call failed because the thing is not there, in any service's words. Its own file,
 * apart from the bucket code: `status` reads versions through function.ts and must not load the
 * S3 client for this check (test/cli/startup.test.ts).
 */
export function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.$metadata?.httpStatusCode === 404 || e?.name === 'NotFound' || e?.name === 'NoSuchBucket' || e?.name === 'NoSuchKey' || e?.name === 'NotFoundException' || e?.name === 'ResourceNotFoundException';
}

/** For `.catch()` of a delete: "already gone" is done, as CloudFormation takes it; anything else is thrown. */
export function ignoreNotFound(err: unknown): void {
  if (!isNotFound(err)) throw err;
}
