/** Errors raised while finding, reading and validating the registry. */

/** One problem in the registry file, positioned for an editor (1-based line and column). */
export interface RegistryProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Dotted path to the field, e.g. `workflows.support-triage.owner` ("" for the document). */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** `workflows.yaml:12:5  workflows.support-triage.owner: <message>` */
export function formatProblem(problem: RegistryProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.col}`;
  return problem.path === ""
    ? `${where}  ${problem.message}`
    : `${where}  ${problem.path}: ${problem.message}`;
}

/** The registry was read but is invalid. Carries every problem found, not just the first. */
export class RegistryValidationError extends Error {
  override readonly name = "RegistryValidationError";
  constructor(readonly problems: readonly RegistryProblem[]) {
    super(
      `${problems[0]?.file ?? "registry"} is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join("\n"),
    );
  }
}

/** The registry could not be found or read (missing file, permissions, not a file). */
export class RegistryLoadError extends Error {
  override readonly name = "RegistryLoadError";
}
