import { invalidRequestContent } from './errors.js';

/**
 * Readers for wire input members. The restJson1 codec hands over path labels, query and header
 * members as strings and the body's members as parsed JSON; these check each member's type the way
 * the model declares it. A member of the wrong type is refused before the backend sees it.
 * (Lambda reports unreadable bodies as InvalidRequestContentException, "Could not parse request
 * body into json: ..."; the wording after the colon is ours.)
 */
type Input = Record<string, unknown>;

const wrongType = (member: string, expected: string, value: unknown) =>
  invalidRequestContent(
    `Could not parse request body into json: Unexpected value for member '${member}': expected ${expected}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`,
  );

export function str(input: Input, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(member, 'a string', value);
  return value;
}

/** a path label (the codec has already percent-decoded it) */
export function label(input: Input, member: string): string {
  return str(input, member) ?? '';
}

export function int(input: Input, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw wrongType(member, 'an integer', value);
  return n;
}

export function bool(input: Input, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  if (typeof value !== 'boolean') throw wrongType(member, 'a boolean', value);
  return value;
}

export function obj(input: Input, member: string): Record<string, unknown> | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) throw wrongType(member, 'an object', value);
  return value as Record<string, unknown>;
}

export function strMap(input: Input, member: string): Record<string, string> | undefined {
  const map = obj(input, member);
  if (!map) return undefined;
  for (const [k, v] of Object.entries(map)) if (typeof v !== 'string') throw wrongType(`${member}.${k}`, 'a string', v);
  return map as Record<string, string>;
}

export function numMap(input: Input, member: string): Record<string, number> | undefined {
  const map = obj(input, member);
  if (!map) return undefined;
  for (const [k, v] of Object.entries(map)) if (typeof v !== 'number') throw wrongType(`${member}.${k}`, 'a number', v);
  return map as Record<string, number>;
}

export function strList(input: Input, member: string): string[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw wrongType(member, 'a list of strings', value);
  return value as string[];
}

/** a blob: base64 inside JSON, or raw bytes when the codec bound it as the payload */
export function blob(input: Input, member: string): Buffer | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string') {
    if (!/^[A-Za-z0-9+/=\s_-]*$/.test(value)) throw wrongType(member, 'base64 data', value);
    return Buffer.from(value, 'base64');
  }
  throw wrongType(member, 'base64 data', value);
}
