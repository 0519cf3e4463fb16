/**
 * What a reconciliation produces: the `Report`, a JSON contract other tools read. Where the
 * rows come from and where the outputs go are the ports (`./ports`).
 */
import type { AttributionRoute } from "./attribution";
import type { CostMetric } from "./cost-metrics";
import type { CostSourceKind } from "./ports";
import type { Severity } from "./severity";
import type { Stage } from "../registry";

// ---------------------------------------------------------------------------------------------
// The report (JSON contract). Amounts are JSON numbers equal to the exact decimal sums of the
// source's amounts (no floating-point drift), in `currency`.

export type FlagKind =
  | "over-budget"
  | "forecast-over-budget"
  | "growth"
  | "past-review-date"
  | "no-spend"
  | "unregistered-tag"
  | "unowned-share"
  | "estimated-data"
  | "currency-mismatch"
  | "attribution-conflict";

export interface Flag {
  readonly kind: FlagKind;
  readonly severity: Severity;
  /** One plain sentence for an email: what happened and what to do. */
  readonly message: string;
}

export interface DailyAmount {
  readonly date: string;
  readonly amount: number;
}

export interface WorkflowReport {
  readonly id: string;
  readonly owner: string;
  readonly stage: Stage;
  /** Month-to-date cloud spend. */
  readonly spend: number;
  readonly spendByService: Readonly<Record<string, number>>;
  /**
   * `spend` by the route that attributed it: the resource tag, or the calling principal's tag
   * (only spend without a resource tag). The two sum to `spend`. The workflow's AWS budget and
   * anomaly monitor filter on the resource tag, so they see only `resourceTag`.
   */
  readonly attribution: Readonly<Record<AttributionRoute, number>>;
  /** Every day of the period, zero-filled. */
  readonly daily: readonly DailyAmount[];
  readonly lastMonthSpend: number;
  /** Projected month-end spend. */
  readonly projectedSpend: number;
  /** Monthly budget, or null when the workflow has none. */
  readonly budget: number | null;
  /** spend / budget (1 = 100%), or null without a budget. */
  readonly budgetUsed: number | null;
  /** Last 7 complete days / the 7 before; null when the earlier week had no spend. */
  readonly growth: number | null;
  readonly reviewCost: number;
  readonly reviewCostBasis: "measured" | "estimated";
  /** Items processed this month to date (measured or estimated), null when unknown. */
  readonly items: number | null;
  /** spend + reviewCost */
  readonly fullyLoaded: number;
  /** fullyLoaded / items, null without items. */
  readonly costPerItem: number | null;
  readonly flags: readonly Flag[];
}

export interface UnregisteredSpend {
  /** The tag value as it appears in the bill (attacker-controlled text: escape it). */
  readonly value: string;
  readonly spend: number;
  /** The registered id it probably meant, or null. */
  readonly suggestion: string | null;
  /** True when it differs from `suggestion` only in letter case. */
  readonly caseOnly: boolean;
  /** Which tag carried the value: a resource's, or the calling principal's. */
  readonly route: AttributionRoute;
}

/** Spend whose resource tag and calling principal's tag name different values. */
export interface AttributionConflict {
  /** The resource tag's value: what the spend was counted under (attacker-controlled text). */
  readonly resourceTag: string;
  /** The caller's principal tag's value (attacker-controlled text). */
  readonly principalTag: string;
  readonly spend: number;
}

export interface Report {
  /** Month-to-date period reported on: start inclusive, end exclusive (`YYYY-MM-DD`). */
  readonly period: { readonly start: string; readonly end: string };
  readonly generatedAt: string;
  readonly currency: string;
  readonly metric: CostMetric;
  /** The cost data read. */
  readonly source: CostSourceKind;
  /** Billable Cost Explorer requests this run made. */
  readonly ceRequests: number;
  readonly workflows: readonly WorkflowReport[];
  readonly unowned: {
    readonly spend: number;
    readonly byService: Readonly<Record<string, number>>;
  };
  readonly unregistered: readonly UnregisteredSpend[];
  readonly totals: {
    /** All spend in the period (AI and non-AI). */
    readonly spend: number;
    readonly aiSpend: number;
    /** Share of AI spend attributed to registered workflows, 0..1. */
    readonly attributedShare: number;
  };
  /**
   * AI spend by the route that attributed it (registered and unregistered values alike):
   * `resourceTag + principalTag + none` = `totals.aiSpend`, and `none` = `unowned.spend`.
   */
  readonly attribution: {
    readonly resourceTag: number;
    readonly principalTag: number;
    readonly none: number;
    /** Largest spend first. Counted under `resourceTag`; evidence, not more money. */
    readonly conflicts: readonly AttributionConflict[];
  };
  /** Report-level flags (unowned share, estimated data, foreign currency). */
  readonly flags: readonly Flag[];
  /** The account's AI resources that need action (`ai-spend-guard audit`); absent when off. */
  readonly audit?: ReportAudit;
  /** The attribution plumbing (`ai-spend-guard doctor`); absent when off. */
  readonly health?: ReportHealth;
}

/** The scheduled audit's findings, as the report carries them. */
export interface ReportAudit {
  /** Where the inventory came from; `none` when it could not be listed at all. */
  readonly source: "resource-explorer" | "tagging-api" | "none";
  /** False when part of the account could not be checked (see `notes`). */
  readonly complete: boolean;
  /** AI resources listed and judged. */
  readonly resources: number;
  /** Resources whose ARN shape the audit does not know (listed by the CLI, not judged). */
  readonly unrecognised: number;
  /** Whether stack exports were compared (else `outsideIac` is never true). */
  readonly iacChecked: boolean;
  /** Those with a mandatory finding or made outside IaC, worst first. */
  readonly needsAction: readonly ReportAuditResource[];
  readonly notes: readonly string[];
}

export interface ReportAuditResource {
  readonly arn: string;
  /** The Pulumi type the rules judged it as. */
  readonly type: string;
  readonly region: string;
  /** Whose it is when its tags say (owner tag, or the workflow's owner); null when they do not. */
  readonly owner: string | null;
  readonly outsideIac: boolean;
  readonly findings: readonly {
    readonly policy: string;
    readonly enforcement: "mandatory" | "advisory";
    readonly message: string;
  }[];
}

/** The scheduled doctor's items, as the report carries them. */
export interface ReportHealth {
  /** False when a check could not run. */
  readonly complete: boolean;
  readonly items: readonly ReportHealthItem[];
}

export interface ReportHealthItem {
  readonly check: string;
  readonly status: "ok" | "warning" | "error" | "unchecked";
  readonly subject: string;
  readonly message: string;
  /** The exact fix for a warning or an error; null otherwise. */
  readonly fix: string | null;
}
