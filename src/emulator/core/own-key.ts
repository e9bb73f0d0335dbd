/**
 * The one way services look records up by a name or id the user gave (a function, alias, API,
 * stage, bucket, key, alarm, application, deployment ...), when the records live in a plain object
 * because that object is what the state document persists.
 *
 * A plain object indexed by user input answers for names it never stored: `table['constructor']`
 * is Object's constructor, `table['toString']` a function, and `table['__proto__'] = x` replaces the
 * table's prototype instead of storing a record (and JSON.stringify then drops it). Names like these
 * are valid in AWS (`__proto__` matches Lambda's function-name pattern), so they must be stored and
 * found like any other: these helpers only ever see the object's own data properties.
 *
 * New state that is not a persisted document uses a `Map`, which has none of these traps.
 */

/** records by user-given key, as a state document holds them */
export type OwnTable<T> = Record<string, T>;

export function hasOwnKey(table: Readonly<OwnTable<unknown>> | undefined, key: string): boolean {
  return table !== undefined && Object.prototype.hasOwnProperty.call(table, key);
}

/** the record stored under `key`, or undefined; never anything inherited */
export function getOwn<T>(table: Readonly<OwnTable<T>> | undefined, key: string): T | undefined {
  return hasOwnKey(table, key) ? table![key] : undefined;
}

/**
 * Stores `value` under `key` as an own data property: `__proto__` becomes a record like any other
 * (plain assignment would set the prototype instead).
 */
export function setOwn<T>(table: OwnTable<T>, key: string, value: NoInfer<T>): void {
  // Only `__proto__` is an accessor on Object.prototype; assigning any other name (`constructor`,
  // `toString` ...) makes an own data property. defineProperty costs several times an assignment,
  // and the front door calls this for every header of every request.
  if (key === '__proto__') Object.defineProperty(table, key, { value, writable: true, enumerable: true, configurable: true });
  else table[key] = value;
}

/** removes `key`; true when it was there */
export function deleteOwn(table: OwnTable<unknown>, key: string): boolean {
  if (!hasOwnKey(table, key)) return false;
  delete table[key];
  return true;
}

/**
 * A copy of `source`'s own entries into `target`, each through setOwn: what Object.assign does,
 * except that a `__proto__` member of parsed JSON input is stored, not made the target's prototype.
 */
export function assignOwn<T>(target: OwnTable<T>, source: Readonly<OwnTable<T>> | undefined): OwnTable<T> {
  if (source) for (const key of Object.keys(source)) setOwn(target, key, source[key]);
  return target;
}

/** a fresh table holding `source`'s own entries (a `{ ...source }` that keeps `__proto__` as data) */
export function copyTable<T>(source: Readonly<OwnTable<T>> | undefined): OwnTable<T> {
  return assignOwn<T>({}, source);
}
