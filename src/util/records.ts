/**
 * Lookup tables keyed by strings from outside (a resource type, a step op): with a null
 * prototype, `table["constructor"]` or `table["__proto__"]` is absent, as it should be, rather
 * than one of Object's own members.
 */
export function lookupTable<T extends object>(entries: T): T {
  return Object.freeze(Object.assign(Object.create(null) as T, entries));
}
