/** Reading the values at a catalog path (`productionVariants[].instanceType`) out of raw inputs. */
import { isUnknown, known, NOT_KNOWN_YET, UNKNOWN } from "./unknown";
import type { AtPreview } from "./unknown";

/** Every string at a catalog path (`productionVariants[].instanceType`), known or not yet. */
export function valuesAt(root: unknown, path: string): AtPreview<string>[] {
  let current: unknown[] = [root];
  for (const raw of path.split(".")) {
    const isArray = raw.endsWith("[]");
    const key = isArray ? raw.slice(0, -2) : raw;
    const next: unknown[] = [];
    for (const node of current) {
      if (isUnknown(node)) {
        next.push(UNKNOWN);
        continue;
      }
      if (typeof node !== "object" || node === null) continue;
      const value = (node as Record<string, unknown>)[key];
      if (value === undefined || value === null) continue;
      if (isArray && !isUnknown(value)) {
        if (Array.isArray(value)) next.push(...value);
      } else {
        next.push(value);
      }
    }
    current = next;
  }
  return current.flatMap((v) => {
    if (isUnknown(v)) return [NOT_KNOWN_YET];
    return typeof v === "string" ? [known(v)] : [];
  });
}
