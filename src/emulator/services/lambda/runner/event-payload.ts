/**
 * Lambda only accepts JSON events. The Lambda API checks the payload before it calls the runner
 * and answers 400 InvalidRequestContentException when it is not JSON
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors:
 * "The request body could not be parsed as JSON"). AWS's message looks like
 * `Could not parse request body into json: Could not parse payload into json: Unrecognized token
 * 'abc': was expecting ...`; the second half is the JSON parser's own words, so ours differs there.
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

/**
 * undefined when the payload is a JSON document, else the message for
 * InvalidRequestContentException.
 */
export function invalidEventPayloadMessage(payload: Buffer): string | undefined {
  if (payload.length === 0) return undefined;
  try {
    JSON.parse(payload.toString('utf8'));
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return `Could not parse request body into json: Could not parse payload into json: ${reason}`;
  }
}
