/** Helpers the registry tests share: edit a registry's text by line, and read its problems. */
import { checkRegistry, formatProblem } from "../../src/registry";

/** `source` with line `n` (1-based) replaced by `text`. */
export function replaceLine(source: string, n: number, text: string): string {
  const lines = source.split("\n");
  lines[n - 1] = text;
  return lines.join("\n");
}

/** The formatted problems of an invalid registry text (named workflows.yaml); throws if valid. */
export function problemsOf(text: string): string[] {
  const result = checkRegistry(text, "workflows.yaml");
  if (result.ok) throw new Error("expected the registry to be invalid");
  return result.problems.map(formatProblem);
}
