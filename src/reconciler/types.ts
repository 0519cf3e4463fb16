/**
 * Contracts of the reconciler: where cost rows come from (`CostSource`), and what a
 * reconciliation produces (`Report`, a JSON contract other tools read).
 *
 * The core never talks to AWS: a `CostSource` streams normalised rows, so a second source
 * (Athena over CUR 2.0 / FOCUS exports) plugs in without touching the core.
 */

export type CostMetric = "UnblendedCost" | "AmortizedCost" | "NetAmortizedCost";

export interface CostQuery {
  /** First day, `YYYY-MM-DD` (inclusive). */
  readonly start: string;
  /** Day after the last day, `YYYY-MM-DD` (exclusive, as Cost Explorer's TimePeriod.End). */
  readonly end: string;
  readonly metric: CostMetric;
  /** The cost allocation tag key that names the workflow (registry settings.tagKeys.workflow). */
  readonly tagKey: string;
  /** Also group by LINKED_ACCOUNT (costs more requests: only when asked). */
  readonly groupByAccount: boolean;
}

/** One day x one tag value x one service (x one account) of cost. */
export interface CostRow {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** The workflow tag's value; `null` when the spend carries no such tag (`workflow$`). */
  readonly tag: string | null;
  /** Cost Explorer SERVICE dimension value, verbatim. */
  readonly service: string;
  readonly account?: string;
  /** The amount exactly as the source gave it (a decimal string; may be negative: credits). */
  readonly amount: string;
  /** Currency code as the source gave it, e.g. "USD". */
  readonly unit: string;
  /** True when the period is not final yet (Cost Explorer's `Estimated`). */
  readonly estimated: boolean;
}

export interface FetchStats {
  /** Billable API requests made (Cost Explorer: $0.01 each), retries included. */
  requests: number;
  /** Of which retries after a throttle or fault. */
  retries: number;
  pages: number;
  rows: number;
}

/** Rows arrive page by page so a large month never has to sit in memory as one response. */
export interface CostFetch extends AsyncIterable<readonly CostRow[]> {
  /** Final once iteration has completed. */
  readonly stats: FetchStats;
}

export interface CostSource {
  readonly name: string;
  fetch(
    query: CostQuery,
    options?: {
      readonly signal?: AbortSignal;
      readonly onPage?: (page: number, rows: number) => void;
    },
  ): CostFetch;
}

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
  | "currency-mismatch";

export type Severity = "critical" | "warning" | "info";

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
  readonly stage: "run-rate" | "learning";
  /** Month-to-date cloud spend. */
  readonly spend: number;
  readonly spendByService: Readonly<Record<string, number>>;
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
}

export interface Report {
  /** Month-to-date period reported on: start inclusive, end exclusive (`YYYY-MM-DD`). */
  readonly period: { readonly start: string; readonly end: string };
  readonly generatedAt: string;
  readonly currency: string;
  readonly metric: CostMetric;
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
  /** Report-level flags (unowned share, estimated data, foreign currency). */
  readonly flags: readonly Flag[];
}
