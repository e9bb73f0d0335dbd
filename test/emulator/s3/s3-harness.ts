/**
 * Runs one request through the restXml codec and the S3 service the way the server's pipeline
 * does (parse → handle → serialize, or serializeError), without a socket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceError } from '../../../src/emulator/core/service-error.js';
import type { ServiceDefinition } from '../../../src/emulator/core/service.js';
import { StateStore } from '../../../src/emulator/core/store.js';
import { restXmlCodec } from '../../../src/emulator/protocols/rest-xml.js';
import type { ParsedCall, WireRequest, WireResponse } from '../../../src/emulator/protocols/types.js';
import { createS3Service, type S3Service } from '../../../src/emulator/services/s3/index.js';
import type { CapturedRequest } from './captured-requests.js';

export function wireRequest(c: CapturedRequest | { method: string; url: string; headers?: Record<string, string>; body?: Buffer | string }): WireRequest {
  // the raw path, as node's http server gives it: no dot-segment removal (a key may hold `../`)
  const q = c.url.indexOf('?');
  const path = q < 0 ? c.url : c.url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : c.url.slice(q + 1));
  const body = 'bodyHex' in c ? Buffer.from(c.bodyHex, 'hex') : Buffer.from(c.body ?? '');
  return { method: c.method, path, query, headers: { host: '127.0.0.1:4599', ...c.headers }, body };
}

export interface Harness {
  dir: string;
  store: StateStore;
  s3: S3Service;
  send(req: WireRequest): Promise<WireResponse & { call?: ParsedCall; text: string }>;
  restart(): void;
  close(): void;
}

export function s3Harness(now?: () => number): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'sol-s3-'));
  const state = join(dir, 'state');
  const h: Harness = {
    dir,
    store: new StateStore(state),
    s3: undefined as unknown as S3Service,
    async send(req) {
      let call: ParsedCall | undefined;
      let res: WireResponse;
      try {
        call = restXmlCodec.parse(req, h.s3);
        const output = await call.operation.handle(call.input, { requestId: 'req-1', region: 'us-east-1', accountId: '000000000000', endpoint: 'http://127.0.0.1:4599' });
        res = restXmlCodec.serialize(call, output, h.s3 as ServiceDefinition, 'req-1');
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        res = restXmlCodec.serializeError(err, h.s3, 'req-1', call?.operation);
      }
      return { ...res, call, text: Buffer.from(res.body).toString('utf8') };
    },
    restart() {
      h.store = new StateStore(state);
      h.s3 = createS3Service({ store: h.store, now });
    },
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  h.restart();
  return h;
}
