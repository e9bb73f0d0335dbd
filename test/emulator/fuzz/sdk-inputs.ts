/**
 * Inputs for every operation, generated from the operation's own input shape as the AWS SDK v3
 * client carries it (the Smithy schema on each Command: structure / list / map / simple types),
 * with values a learner or a broken tool could send: prototype names, path tricks, lone surrogates,
 * huge and negative numbers, empty and over-long strings.
 *
 * Schema encoding (@smithy/core/schema): a structure is `[3, ns, name, traits, memberNames,
 * memberSchemas]` (errors -3, unions 4), a list `[1, ns, name, traits, member]`, a map
 * `[2, ns, name, traits, key, value]`, a simple type with traits `[0, ns, name, traits, type]`;
 * simple types are numbers: 0 string, 1 number, 2 boolean, 4-7 timestamps, 15 document, 17/19 big
 * numbers, 21/42 blobs, `64 | t` a list of t, `128 | t` a map of t. A member is a schema, a thunk
 * returning one, or `[schema, traits]`.
 */
import fc from 'fast-check';

export const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__'];

/** strings that have broken parsers and lookups before */
const NASTY_STRINGS = [
  ...PROTOTYPE_KEYS,
  '',
  ' ',
  '../../etc/passwd',
  '..',
  '%',
  '%zz',
  '%00',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '💥',
  'a'.repeat(1025),
  'x'.repeat(70_000),
  '$LATEST',
  '1',
  '0',
  '-1',
  'arn:aws:lambda:us-east-1:000000000000:function:fn:1',
  'arn:aws:lambda:us-east-1:000000000000:function:__proto__',
  '{"a":',
  '<x>&</x>',
  'null',
  'true',
];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-zA-Z0-9_-]{1,64}$/) },
);

const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 31, -(2 ** 31), 2 ** 53, 1e308, -1e308, 0.5, Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

type Schema = unknown;

function resolveSchema(s: Schema): Schema {
  let v = s;
  for (let i = 0; i < 5 && typeof v === 'function'; i++) v = (v as () => unknown)();
  return v;
}

/** a member entry `[schema, traits]` → schema; anything else as it is */
function memberSchema(m: Schema): Schema {
  const v = resolveSchema(m);
  if (Array.isArray(v) && v.length === 2 && typeof v[1] !== 'string') return resolveSchema(v[0]);
  return v;
}

export function arbitraryFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = memberSchema(schema);
  if (typeof s === 'number') return simple(s, depth);
  if (!Array.isArray(s)) return fc.constant(undefined);
  const kind = s[0];
  if (depth > 4) return fc.constant(undefined);
  switch (kind) {
    case 0:
      return arbitraryFor(s[4], depth);
    case 1:
      return fc.array(arbitraryFor(s[4], depth + 1), { maxLength: 3 });
    case 2:
      return fc.dictionary(nastyString, arbitraryFor(s[5], depth + 1), { maxKeys: 3 });
    case 3:
    case -3:
    case 4: {
      const names = (s[4] ?? []) as string[];
      const members = (s[5] ?? []) as Schema[];
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      names.forEach((name, i) => (record[name] = arbitraryFor(members[i], depth + 1)));
      return fc.record(record, { requiredKeys: [] });
    }
    default:
      return fc.constant(undefined);
  }
}

function simple(type: number, depth: number): fc.Arbitrary<unknown> {
  if (type & 64) return fc.array(simple(type & ~64, depth + 1), { maxLength: 3 });
  if (type & 128) return fc.dictionary(nastyString, simple(type & ~128, depth + 1), { maxKeys: 3 });
  switch (type) {
    case 0:
      return nastyString;
    case 1:
    case 17:
    case 19:
      return nastyNumber;
    case 2:
      return fc.boolean();
    case 4:
    case 5:
    case 6:
    case 7:
      return fc.date({ noInvalidDate: true });
    case 21:
    case 42:
      return fc.uint8Array({ maxLength: 64 });
    case 15:
      return fc.jsonValue({ maxDepth: 2 });
    default:
      return nastyString;
  }
}

/** the input shape's member names (for wrong-typed raw bodies) */
export function memberNames(inputSchema: Schema): string[] {
  const s = memberSchema(inputSchema);
  return Array.isArray(s) && Array.isArray(s[4]) ? (s[4] as string[]) : [];
}
