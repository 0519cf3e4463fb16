/** Small structural checks on untrusted JSON, with errors that name the offending path. */

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A structural problem at `path` (e.g. `steps[3].urn`); the reader adds the file name. */
export class ShapeError extends Error {
  override readonly name = "ShapeError";
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path}: expected ${expected}`);
  }
}

/**
 * A document this tool must refuse rather than read in part (an engine op it does not know, a
 * state feature it does not support): the message is complete, the reader adds the file name.
 */
export class RefusedError extends Error {
  override readonly name = "RefusedError";
}

export function requireObject(value: unknown, path: string): JsonObject {
  if (!isObject(value)) throw new ShapeError(path, `an object, got ${describe(value)}`);
  return value;
}

export function requireString(value: unknown, path: string): string {
  if (typeof value !== "string" || value === "") {
    throw new ShapeError(path, `a non-empty string, got ${describe(value)}`);
  }
  return value;
}

export function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : requireString(value, path);
}

export function optionalArray(value: unknown, path: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ShapeError(path, `an array, got ${describe(value)}`);
  return value;
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value === "" ? "an empty string" : "a string";
  return `a ${typeof value}`;
}

/**
 * The URNs a resource depends on: the engine's `dependencies` plus every URN in
 * `propertyDependencies` (a preview may carry only the latter), deduplicated, in order.
 */
export function dependenciesOf(state: JsonObject | undefined): string[] {
  if (state === undefined) return [];
  const urns = new Set<string>();
  const add = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const urn of list) if (typeof urn === "string" && urn !== "") urns.add(urn);
  };
  add(state.dependencies);
  if (isObject(state.propertyDependencies)) {
    for (const list of Object.values(state.propertyDependencies)) add(list);
  }
  return [...urns];
}
