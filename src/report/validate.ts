/**
 * The renderers' boundary check. A report read back from JSON, or produced by a buggy
 * upstream, may carry a number that is not finite; `JSON.stringify` would turn it into `null`
 * and a chart or a spreadsheet would show a silent zero. Refuse it and name the field.
 */
import type { Report } from "../reconciler";

export class ReportRenderError extends Error {
  override readonly name = "ReportRenderError";
  constructor(
    /** Where in the report, e.g. `workflows[2].spend`. */
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

function walk(value: unknown, path: string): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new ReportRenderError(path, `expected a finite number, got ${String(value)}`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      walk(item, path === "" ? key : `${path}.${key}`);
    }
  }
}

/**
 * Throws `ReportRenderError` for the first number that is NaN or infinite, or for an `audit` /
 * `health` section (optional: a run with the account checks off has neither) whose lists are
 * not lists.
 */
export function assertRenderable(report: Report): void {
  walk(report, "");
  const lists: [string, unknown][] = [
    ...(report.audit === undefined
      ? []
      : ([
          ["audit.needsAction", report.audit.needsAction],
          ["audit.notes", report.audit.notes],
        ] as [string, unknown][])),
    ...(report.health === undefined
      ? []
      : ([["health.items", report.health.items]] as [string, unknown][])),
  ];
  for (const [path, value] of lists) {
    if (!Array.isArray(value)) throw new ReportRenderError(path, "expected a list");
  }
}
