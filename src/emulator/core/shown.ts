/**
 * A value from a request, as an error message shows it: a string as it is, anything else as its
 * JSON text (`5`, `null`, `{"toString":1}`, `["a"]`); a missing member as `null`.
 *
 * `String(value)` is not that: an object whose `toString` member is not a function
 * (`{"toString":1}`, valid JSON) makes it throw, and a message built from the client's bad input
 * then becomes a 500 instead of the 400 it reports. This never throws.
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    // not from a JSON body (a BigInt, a cycle): still never the reason a message fails
    return Object.prototype.toString.call(value);
  }
}
