/**
 * The protocol registry: one codec per AWS protocol, none of them knowing any service.
 * restXml (S3) lives in rest-xml.ts and is registered by wiring.
 */
import { awsJson10Codec, awsJson11Codec } from './aws-json.js';
import { queryCodec } from './query.js';
import { rpcv2CborCodec } from './rpcv2-cbor.js';
import { restJsonCodec } from './rest-json.js';
import type { Protocol } from '../core/service.js';
import type { ProtocolCodec } from './types.js';

const codecs = new Map<Protocol, ProtocolCodec>([
  ['restJson1', restJsonCodec],
  ['awsJson1_0', awsJson10Codec],
  ['awsJson1_1', awsJson11Codec],
  ['rpcv2Cbor', rpcv2CborCodec],
  ['awsQuery', queryCodec],
]);

/** add a codec (rest-xml.ts registers itself from wiring, or a later protocol) */
export function registerCodec(protocol: Protocol, codec: ProtocolCodec): void {
  codecs.set(protocol, codec);
}

export function codecFor(protocol: Protocol): ProtocolCodec | undefined {
  return codecs.get(protocol);
}
