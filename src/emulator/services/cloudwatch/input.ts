/**
 * Reading CloudWatch's wire input the same way from JSON 1.0, CBOR and Query: Query sends every
 * scalar as text (`Period=60`, `ActionsEnabled=true`) and an empty list as an empty string, JSON and
 * CBOR send numbers, booleans and (CBOR) Dates. A member of the wrong shape is a validation error
 * naming it, as AWS's are.
 */
import { dateFrom } from '../../protocols/json-values.js';
import { validationError } from './errors.js';
import type { Dimension } from './metric-store.js';

export type In = Record<string, unknown>;

const lowerFirst = (name: string) => name[0].toLowerCase() + name.slice(1);

function wrongType(name: string, what: string): never {
  throw validationError([`Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must be ${what}`]);
}

export function str(input: In, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return wrongType(name, 'a string');
}

export function num(input: In, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) wrongType(name, 'a number');
  return n;
}

export function int(input: In, name: string): number | undefined {
  const n = num(input, name);
  if (n !== undefined && !Number.isInteger(n)) wrongType(name, 'an integer');
  return n;
}

export function bool(input: In, name: string): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return wrongType(name, 'a boolean');
}

export function date(input: In, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null || v === '') return undefined;
  try {
    return dateFrom(v)!.getTime();
  } catch {
    return wrongType(name, 'a timestamp');
  }
}

export function list(input: In, name: string): unknown[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (v === '') return []; // Query's empty list
  if (!Array.isArray(v)) return wrongType(name, 'a list');
  return v;
}

export function strList(input: In, name: string): string[] | undefined {
  const items = list(input, name);
  if (items === undefined) return undefined;
  return items.map((item) => {
    if (typeof item !== 'string') wrongType(name, 'a list of strings');
    return item;
  });
}

export function struct(value: unknown, name: string): In {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return wrongType(name, 'a structure');
  return value as In;
}

export function structList(input: In, name: string): In[] | undefined {
  return list(input, name)?.map((item) => struct(item, name));
}

/** `Dimensions` as [{Name, Value}]; `Value` may be left out in a ListMetrics filter */
export function dimensions(input: In, name = 'Dimensions', valueRequired = true): Dimension[] {
  return (structList(input, name) ?? []).map((d) => {
    const dimName = str(d, 'Name');
    const value = str(d, 'Value');
    if (dimName === undefined) throw validationError([`Value null at '${lowerFirst(name)}.member.name' failed to satisfy constraint: Member must not be null`]);
    if (valueRequired && value === undefined) throw validationError([`Value null at '${lowerFirst(name)}.member.value' failed to satisfy constraint: Member must not be null`]);
    return { Name: dimName, Value: value as string };
  });
}
