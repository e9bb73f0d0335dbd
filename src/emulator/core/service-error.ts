/**
 * An error as an AWS service reports it. Services throw these; the protocol codecs turn them into
 * each protocol's error shape (`__type`, `x-amzn-ErrorType`, `<Error><Code>` ...).
 */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    /** AWS's error code / shape name, e.g. `ResourceNotFoundException` */
    readonly code: string,
    message: string,
    /** HTTP status as AWS sends it */
    readonly status = 400,
    /** extra members of the error structure, e.g. `{ Type: 'User', Reason: '...' }` */
    readonly fields: Record<string, unknown> = {},
    /** extra response headers, e.g. `{ 'Retry-After': '1' }` */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** `Sender` for 4xx, `Receiver` for 5xx (the awsQuery fault). */
  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}
