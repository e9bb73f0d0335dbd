/**
 * The event as it travels to the function's thread. Lambda only accepts JSON events, and the
 * Lambda API checks a payload before it calls the runner (invoke.ts: checkInvokeInput), so what
 * arrives here is JSON text, bytes of it, or an event the function's thread builds itself.
 */
import type { EventOfMessage } from './messages.js';
import type { EventPayload } from './types.js';

/**
 * What an environment's worker was last sent with a built event. The worker keeps it, so the next
 * message leaves out what is the same: most of a proxy event's strings are (the stage, the API id
 * and its resource, the account, the host, the source IP, the user agent, the request time within
 * a second), and each one posted is a copy written on the cloud's thread and a string made in the
 * function's, for every request.
 */
export interface SentEvent {
  builder: string;
  parts: readonly unknown[];
}

/** the parts whose sameness `same` can say: one bit each of a 32-bit integer */
const MARKED_PARTS = 31;

/**
 * The event as the function's thread takes it: its JSON text (an empty payload is an empty object,
 * as with `aws lambda invoke` without --payload), or a built event's builder and parts, less what
 * `sent` (the worker's last built event) already had: the builder, and each string part equal to
 * the one at the same index (messages.ts: EventOfMessage).
 */
export function eventOfMessage(payload: EventPayload, sent: SentEvent | undefined): EventOfMessage {
  if (typeof payload === 'string') return payload.length === 0 ? '{}' : payload;
  if (Buffer.isBuffer(payload)) return payload.length === 0 ? '{}' : payload.toString('utf8');
  const parts = payload.parts;
  if (sent === undefined || sent.builder !== payload.builder) return [payload.builder, parts as unknown[], 0];
  const before = sent.parts;
  const n = Math.min(parts.length, before.length, MARKED_PARTS);
  let posted: unknown[] | undefined;
  let same = 0;
  for (let i = 0; i < n; i++) {
    const part = parts[i];
    // a map the same object as the last one (proxy-event.ts: headerMapsOf) is unchanged: no one
    // changes a built event's parts once made (types.ts: BuiltEvent)
    if (part === before[i] && (typeof part === 'string' || (typeof part === 'object' && part !== null))) {
      // the caller's parts are its own (types.ts: BuiltEvent): a copy is posted
      (posted ??= parts.slice())[i] = null;
      same |= 1 << i;
    }
  }
  return [undefined, posted ?? (parts as unknown[]), same];
}

