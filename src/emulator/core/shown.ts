/**
 * A value from a request, as an error message shows it: a string as it is, anything else as its
 * JSON text (`5`, `null`, `{"toString":1}`, `["a"]`); a missing member as `null`. A long one is cut
 * at SHOWN_MAX characters, with how long it was: a message (and the log line that may carry it)
 * names the bad value, it does not copy 70 KB of it.
 *
 * `String(value)` is not that: an object whose `toString` member is not a function
 * (`{"toString":1}`, valid JSON) makes it throw, and a message built from the client's bad input
 * then becomes a 500 instead of the 400 it reports. This never throws.
 */
export const SHOWN_MAX = 256;

export function shown(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? 'null';
    } catch {
      // not from a JSON body (a BigInt, a cycle): still never the reason a message fails
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}… (${text.length} characters)` : text;
}
