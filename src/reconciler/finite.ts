/**
 * The last guard before a report leaves the core: every number in it is finite. JSON writes
 * Infinity and NaN as `null`, so a report holding one would be stored and read back as a
 * different report, and the CSV of it fails on every retry. Amounts are bounded where they are
 * read (`util/cost-amount`); this catches anything a computation could still overflow.
 */
import type { Report } from "./types";

/** A report with a number that is not finite; `path` says where (`workflows[2].spend`). */
export class NonFiniteReportError extends Error {
  override readonly name = "NonFiniteReportError";
  constructor(
    readonly path: string,
    value: number,
  ) {
    super(`the report's ${path} is ${String(value)}: not a finite number, so no report was made`);
  }
}

/** Throws `NonFiniteReportError` at the first number that is not finite. */
export function assertFiniteReport(report: Report): void {
  const visit = (value: unknown, path: string): void => {
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new NonFiniteReportError(path, value);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        visit(item, path === "" ? key : `${path}.${key}`);
      }
    }
  };
  visit(report, "");
}
