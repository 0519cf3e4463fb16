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
 * The source-specific part of the contract: a CUR report names its engine (the same as its
 * query's); a Cost Explorer report has none, and its models (Marketplace only) carry no tokens.
 */
function checkSource(report: Report): void {
  const source = (report as { source: unknown }).source;
  if (source === "cur") {
    const cur = report as Extract<Report, { source: "cur" }>;
    if (cur.engine !== "duckdb" && cur.engine !== "athena") {
      throw new ReportRenderError(
        "engine",
        `expected "duckdb" or "athena", got ${JSON.stringify(cur.engine)}`,
      );
    }
    if (cur.query?.engine !== cur.engine) {
      throw new ReportRenderError(
        "query.engine",
        `expected ${JSON.stringify(cur.engine)}, the report's engine`,
      );
    }
    if (!Array.isArray(cur.unknownUsageTypes)) {
      throw new ReportRenderError("unknownUsageTypes", "expected a list in a CUR report");
    }
    report.workflows.forEach((w, i) => {
      if (!Array.isArray(w.models)) {
        throw new ReportRenderError(`workflows[${i}].models`, "expected a list in a CUR report");
      }
    });
    checkUnownedRankings(cur);
  } else if (source === "cost-explorer") {
    if ("unownedBy" in report) {
      throw new ReportRenderError(
        "unownedBy",
        "a Cost Explorer report has no unowned spend by caller or resource (Cost Explorer cannot say which)",
      );
    }
    report.workflows.forEach((w, i) => {
      (w.models ?? []).forEach((m, j) => {
        if (m.inputTokens !== null || m.outputTokens !== null) {
          throw new ReportRenderError(
            `workflows[${i}].models[${j}]`,
            "a Cost Explorer report has no token counts (Cost Explorer cannot say which tokens)",
          );
        }
      });
    });
  } else {
    throw new ReportRenderError(
      "source",
      `expected "cost-explorer" or "cur", got ${JSON.stringify(source)}`,
    );
  }
}

/** Half a cent: the most two sums of the same exact amounts, as JSON numbers, may differ by. */
const FOOTING = 0.005;

/**
 * A CUR report's unowned rankings (`unownedBy`): lists, and for each, the ranked entries + the
 * rest + the spend naming no caller (resource) = `unowned.spend`. A ranking that does not foot
 * would show a caller's share of the unowned spend wrongly.
 */
function checkUnownedRankings(report: Extract<Report, { source: "cur" }>): void {
  const by = report.unownedBy as Partial<typeof report.unownedBy> | undefined;
  if (typeof by !== "object" || by === null) {
    throw new ReportRenderError("unownedBy", "expected an object in a CUR report");
  }
  for (const [list, rest, without] of [
    ["principals", "principalsRest", "withoutPrincipal"],
    ["resources", "resourcesRest", "withoutResource"],
  ] as const) {
    const entries = by[list] as readonly { spend: number }[] | undefined;
    if (!Array.isArray(entries)) {
      throw new ReportRenderError(`unownedBy.${list}`, "expected a list in a CUR report");
    }
    const restSpend = by[rest]?.spend;
    const withoutSpend = by[without];
    if (typeof restSpend !== "number" || typeof withoutSpend !== "number") {
      throw new ReportRenderError(
        `unownedBy.${typeof restSpend !== "number" ? `${rest}.spend` : without}`,
        "expected a number in a CUR report",
      );
    }
    const total = entries.reduce((so, e) => so + e.spend, 0) + restSpend + withoutSpend;
    if (Math.abs(total - report.unowned.spend) > FOOTING) {
      throw new ReportRenderError(
        `unownedBy.${list}`,
        `${list} + ${rest} + ${without} is ${total}, not unowned.spend ${report.unowned.spend}`,
      );
    }
  }
}

/** Figures that are never below zero: a negative one is an upstream bug, not a credit. */
const NON_NEGATIVE_OUTCOME_FIELDS = [
  "accepted",
  "reworked",
  "escalated",
  "reviewCost",
  "reworkCost",
  "exceptionCost",
  "costPerAccepted",
] as const;

/**
 * Throws `ReportRenderError` for the first number that is NaN or infinite, a report whose
 * source-specific fields do not match its `source`, an outcome figure below zero (credits
 * lower spend, never a count, a human cost or a cost per outcome), and an `audit` / `health`
 * section (optional: a run with the account checks off has neither) whose lists are not lists.
 */
export function assertRenderable(report: Report): void {
  checkSource(report);
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
  // A report from before outcomes existed has none (read back from JSON): nothing to check.
  (report.workflows ?? []).forEach((workflow, i) => {
    const outcomes = workflow.outcomes as Report["workflows"][number]["outcomes"] | undefined;
    if (outcomes === null || outcomes === undefined) return;
    for (const field of NON_NEGATIVE_OUTCOME_FIELDS) {
      const value = outcomes[field];
      if (value !== null && value < 0) {
        throw new ReportRenderError(
          `workflows[${i}].outcomes.${field}`,
          `expected a number >= 0, got ${value}`,
        );
      }
    }
  });
}
