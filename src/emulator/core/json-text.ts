/**
 * JSON text written piece by piece, for the few documents the cloud builds on every request (the
 * API Gateway proxy event). Each piece is what JSON.stringify writes for that value: the text is
 * the same, only cheaper to make than a whole object handed to JSON.stringify.
 */

// what JSON.stringify escapes in a string: the quote, the backslash, control characters, and lone
// surrogates (well-formed JSON.stringify, ES2019); a surrogate pair is left to JSON.stringify too.
// (A charCodeAt loop is no faster than this regex, even for strings of a few characters.)
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify(text). JSON.stringify is a call into the runtime (about 0.15 µs even for a short
 * string); most strings need no escape and are only quoted.
 */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * JSON.stringify(text) without its two quotes: for text written between quotes that are already
 * part of a larger piece (`"path":"` + jsonChars(path) + `"`), one piece less to join.
 */
export function jsonChars(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}

/** JSON.stringify(text), or `null` when there is none */
export function jsonStringOrNull(text: string | null | undefined): string {
  return text === null || text === undefined ? 'null' : jsonString(text);
}

/** JSON.stringify(n): a finite number as its shortest text, anything else null */
export function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/** JSON.stringify(values) for a list of strings */
export function jsonStrings(values: readonly string[]): string {
  if (values.length === 1) return `[${jsonString(values[0])}]`;
  let text = '[';
  for (let i = 0; i < values.length; i++) text += (i === 0 ? '' : ',') + jsonString(values[i]);
  return `${text}]`;
}
