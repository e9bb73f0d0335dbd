import { ServiceError } from '../../core/service-error.js';
import type { FrontDoor, WireRequest, WireResponse } from '../../protocols/types.js';
import { noSuchKey } from '../s3/errors.js';
import type { LambdaCore } from './state.js';

/**
 * GetFunction's `Code.Location`: on AWS a presigned S3 URL, valid for 10 minutes, from which the
 * deployment package can be downloaded (https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCodeLocation.html).
 * Here `<endpoint>/_lab/lambda/code/<hex sha-256>.zip` on the emulator's own port (functions.ts
 * builds it). Only packages that a function or version still refers to are served; anything else
 * answers as S3 does for a missing key (404 NoSuchKey): S3's own error, which the server writes
 * with the restXml codec, as S3's answers are (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 */
export const CODE_LOCATION_PREFIX = '/_lab/lambda/code/';
const CODE_FILE = /^([0-9a-f]{64})\.zip$/;

export function codeLocationPath(codeSha256: string): string {
  return `${CODE_LOCATION_PREFIX}${Buffer.from(codeSha256, 'base64').toString('hex')}.zip`;
}

export class CodeLocationDoor implements FrontDoor {
  readonly name = 'lambda-code';
  readonly errorProtocol = 'restXml';

  constructor(private readonly core: LambdaCore) {}

  matches(req: WireRequest): boolean {
    return req.path.startsWith(CODE_LOCATION_PREFIX);
  }

  async handle(req: WireRequest): Promise<WireResponse> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // as S3 refuses a method on an object (the restXml codec's own refusal)
      throw new ServiceError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: req.method, ResourceType: 'OBJECT' });
    }
    const key = decodedKey(req.path.slice(CODE_LOCATION_PREFIX.length));
    const hex = CODE_FILE.exec(key)?.[1];
    const sha = hex === undefined ? undefined : Buffer.from(hex, 'hex').toString('base64');
    if (sha === undefined || !this.core.state.referencedCode().has(sha)) throw noSuchKey(key);
    let zip: Buffer;
    try {
      zip = this.core.code.zipOf(sha);
    } catch {
      throw noSuchKey(key);
    }
    const headers = { 'Content-Type': 'application/zip', 'Content-Length': String(zip.length) };
    return { status: 200, headers, body: req.method === 'HEAD' ? Buffer.alloc(0) : zip };
  }
}

/** the key as S3 names it in an error, decoded (the path is still percent-encoded); as sent when it does not decode */
function decodedKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
