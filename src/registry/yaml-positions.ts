/**
 * Where things are in the registry's YAML: offsets -> 1-based line and column (the yaml
 * package's LineCounter), a field's path -> the offset of its key or value, and a path as text.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter } from "yaml";
import type { Node as YamlNode } from "yaml";
import type { RegistryProblem } from "./errors";
import type { Path } from "./rules";

/** A problem at an offset of the document. */
export type At = (offset: number, path: string, message: string) => RegistryProblem;

/**
 * A LineCounter to hand to `parseDocument`, and the `At` that positions problems with it once
 * the document is parsed.
 */
export function yamlPositions(source: string): {
  readonly lineCounter: LineCounter;
  readonly at: At;
} {
  const lineCounter = new LineCounter();
  const at: At = (offset, path, message) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: source, line, col, path, message };
  };
  return { lineCounter, at };
}

/** `["workflows", "support-triage", "budget", "alerts", 1]` -> `workflows.support-triage.budget.alerts[1]` */
export function formatPath(path: Path): string {
  return path
    .map((segment, index) =>
      typeof segment === "number" ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join("");
}

/** Offset of the node at `path` below `root` (its key when `atKey`), or of the nearest ancestor. */
export function locate(root: unknown, path: Path, atKey: boolean): number {
  let node: unknown = root;
  let offset = (root as YamlNode | null)?.range?.[0] ?? 0;
  // The key of the node we are in: a missing field is reported there (the workflow's id line),
  // not at the first field of its value (which reads as if that field were wrong).
  let keyOffset: number | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const isLast = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.findLast(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) return keyOffset ?? offset;
      const keyNode = pair.key as YamlNode;
      keyOffset = keyNode.range?.[0] ?? keyOffset;
      const valueNode = pair.value as YamlNode | null;
      offset =
        isLast && atKey
          ? (keyNode.range?.[0] ?? offset)
          : (valueNode?.range?.[0] ?? keyNode.range?.[0] ?? offset);
      if (!isLast && valueNode === null) return keyNode.range?.[0] ?? offset;
      node = valueNode;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as YamlNode | undefined;
      if (item === undefined) return offset;
      offset = item.range?.[0] ?? offset;
      keyOffset = offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}
