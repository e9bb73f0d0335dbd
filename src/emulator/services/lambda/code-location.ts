import type { FrontDoor, WireRequest, WireResponse } from '../../protocols/types.js';
import type { LambdaCore } from './state.js';

/**
 * GetFunction's `Code.Location`: on AWS a presigned S3 URL, valid for 10 minutes, from which the
 * deployment package can be downloaded (https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCodeLocation.html).
 * Here `<endpoint>/_lab/lambda/code/<hex sha-256>.zip` on the emulator's own port (functions.ts
 * builds it). Only packages that a function or version still refers to are served; anything else
 * answers as S3 does for a missing key (404 NoSuchKey, XML).
 */
export const CODE_LOCATION_PREFIX = '/_lab/lambda/code/';
const CODE_FILE = /^([0-9a-f]{64})\.zip$/;

export function codeLocationPath(codeSha256: string): string {
  return `${CODE_LOCATION_PREFIX}${Buffer.from(codeSha256, 'base64').toString('hex')}.zip`;
}

export class CodeLocationDoor implements FrontDoor {
  readonly name = 'lambda-code';

  constructor(private readonly core: LambdaCore) {}

  matches(req: WireRequest): boolean {
    return req.path.startsWith(CODE_LOCATION_PREFIX);
  }

  async handle(req: WireRequest): Promise<WireResponse> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
    const hex = CODE_FILE.exec(req.path.slice(CODE_LOCATION_PREFIX.length))?.[1];
    const sha = hex === undefined ? undefined : Buffer.from(hex, 'hex').toString('base64');
    if (sha === undefined || !this.core.state.referencedCode().has(sha)) {
      return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    }
    let zip: Buffer;
    try {
      zip = this.core.code.zipOf(sha);
    } catch {
      return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    }
    const headers = { 'Content-Type': 'application/zip', 'Content-Length': String(zip.length) };
    return { status: 200, headers, body: req.method === 'HEAD' ? Buffer.alloc(0) : zip };
  }
}

/** the shape of an S3 error answer (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html) */
function s3Error(status: number, code: string, message: string): WireResponse {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  return { status, headers: { 'Content-Type': 'application/xml' }, body };
}
