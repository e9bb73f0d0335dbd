/**
 * The event as it travels to the function's thread. Lambda only accepts JSON events, and the
 * Lambda API checks a payload before it calls the runner (invoke.ts: checkInvokeInput), so what
 * arrives here is JSON text, bytes of it, or an event the function's thread builds itself.
 */
import type { EventOfMessage } from './messages.js';
import type { EventPayload } from './types.js';

/**
 * The event as the function's thread takes it: its JSON text (an empty payload is an empty object,
 * as with `aws lambda invoke` without --payload), or a built event's builder and parts.
 */
export function eventOfMessage(payload: EventPayload): EventOfMessage {
  if (typeof payload === 'string') return payload.length === 0 ? '{}' : payload;
  if (Buffer.isBuffer(payload)) return payload.length === 0 ? '{}' : payload.toString('utf8');
  return [payload.builder, payload.parts];
}
