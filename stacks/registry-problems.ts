/**
 * Problems the stack finds in registry fields (a Bedrock profile name, a currency AWS Budgets
 * refuses), reported like the registry's own: `file:line:col path: message`, at the field in
 * the YAML, so the editor jumps to it. The registry has been validated by then; these are
 * AWS's rules, which the registry schema does not know.
 */
import { LineCounter, parseDocument } from "yaml";
import { formatPath, RegistryValidationError } from "../src/registry";
import type { RegistryProblem } from "../src/registry";

export type FieldPath = readonly (string | number)[];

export interface FieldProblem {
  /** The field named in the message, e.g. `["settings", "currency"]`. */
  readonly path: FieldPath;
  /** Where to point in the file, when more precise than `path` (e.g. one key under it). */
  readonly at?: FieldPath;
  readonly message: string;
}

/** The problems, positioned in `registryText`, as the registry's own validation error. */
export function registryFieldError(
  registryText: string,
  source: string,
  problems: readonly FieldProblem[],
): RegistryValidationError {
  const lineCounter = new LineCounter();
  const doc = parseDocument(registryText, { lineCounter, uniqueKeys: false });
  const offsetOf = (path: FieldPath): number => {
    // The key of the deepest field of the path that exists (where an editor shows the field).
    for (let depth = path.length; depth > 0; depth--) {
      const parent = doc.getIn(path.slice(0, depth - 1), true) as {
        items?: { key?: { value?: unknown; range?: [number, number] } }[];
      } | null;
      const key = parent?.items?.find((item) => item.key?.value === path[depth - 1])?.key;
      if (key?.range !== undefined) return key.range[0];
      const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number] } | null;
      if (node?.range !== undefined) return node.range[0];
    }
    return 0;
  };
  const positioned: RegistryProblem[] = problems.map((problem) => {
    const { line, col } = lineCounter.linePos(offsetOf(problem.at ?? problem.path));
    return {
      file: source,
      line,
      col,
      path: formatPath([...problem.path]),
      message: problem.message,
    };
  });
  return new RegistryValidationError(positioned);
}
