/**
 * ZOD INTERNALS: the one place that reads zod's private schema definitions (`schema._zod.def`).
 * zod 4 has no public API that lists the keys an object schema accepts below a path, and the
 * did-you-mean on unknown keys needs them. Everything here may break on a zod upgrade, so keep
 * it this small: the registry tests (unknown keys with their allowed-keys list) catch a change.
 */
import type { Path } from "./rules";

/** The private definition of a schema, as far as this file reads it. */
interface ZodDef {
  readonly type?: string;
  readonly innerType?: unknown;
  readonly shape?: unknown;
  readonly valueType?: unknown;
  readonly element?: unknown;
}

function defOf(schema: unknown): ZodDef | undefined {
  return (schema as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def;
}

/** Keys the object schema at `path` below `root` accepts (for did-you-mean on unknown keys). */
export function allowedKeysAt(root: unknown, path: Path): string[] {
  let schema: unknown = root;
  for (const segment of path) {
    const def = defOf(unwrap(schema));
    if (def === undefined) return [];
    if (def.type === "object") {
      schema = (def.shape as Record<string, unknown>)[String(segment)];
    } else if (def.type === "record") {
      schema = def.valueType;
    } else if (def.type === "array") {
      schema = def.element;
    } else {
      return [];
    }
  }
  const def = defOf(unwrap(schema));
  return def?.type === "object" ? Object.keys(def.shape as object) : [];
}

/** Past the wrappers that do not change which keys are accepted. */
function unwrap(schema: unknown): unknown {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (
      def?.innerType === undefined ||
      !["optional", "default", "nullable", "prefault"].includes(def.type ?? "")
    ) {
      return current;
    }
    current = def.innerType;
  }
}
