/**
 * What a reconciliation produces: the `Report`, a JSON contract other tools read. Where the
 * rows come from and where the outputs go are the ports (`./ports`).
 */
import type { AttributionRoute } from "./attribution";
import type { CostMetric } from "./cost-metrics";
import type { CurEngineName } from "./cur/engine";
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
  | "attribution-conflict"
  | "outcomes-unmeasured"
  | "nothing-accepted"
  | "cheap-model-dearer"
  | "review-queue"
  | "unit-price-change"
  | "rework-rate"
  | "renewal-due";

export interface Flag {
  readonly kind: FlagKind;
  readonly severity: Severity;
  /** One plain sentence for an email: what happened and what to do. */
  readonly message: string;
  /**
   * Who else hears of it besides the workflow's owner (the reviewer of a review-queue flag),
   * absent when only the owner does.
   */
  readonly alsoTo?: readonly string[];
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
  /** Outcome economics, null when the registry gives the workflow no outcomes (or none could be had: a flag says why). */
  readonly outcomes: WorkflowOutcomes | null;
  /**
   * Spend per model, largest first. From CUR: every model, with its tokens. From Cost Explorer:
   * only Marketplace models (their SERVICE names them; first-party Bedrock models share one
   * SERVICE and are not split), without tokens. Empty when the source names no model.
   */
  readonly models: readonly ModelReport[];
  readonly flags: readonly Flag[];
}

/** The query a CUR report ran: what the engine read and what that cost. */
export interface QueryCost {
  readonly engine: CurEngineName;
  /** Athena's DataScannedInBytes; DuckDB: the compressed bytes of the columns read. */
  readonly bytesScanned: number;
  /** USD: Athena's USD 5 per TB scanned, 10 MB minimum; 0 for DuckDB. */
  readonly cost: number;
}

/**
 * Month-to-date spend on Bedrock lines whose usage type (or pricing unit) names no token class
 * the parser knows: counted and named, never guessed into a model's tokens.
 */
export interface UnknownUsageTypeSpend {
  /** `line_item_usage_type`, verbatim (untrusted text: escape it). */
  readonly usageType: string;
  /** The service (product name) the lines were billed under. */
  readonly service: string;
  /** Why it was not read, e.g. `word "turbo" not understood`. */
  readonly reason: string;
  readonly lineItems: number;
  readonly spend: number;
}

/** The outcome figures of a workflow, or of one model in it (see `./outcomes` for the formulas). */
export interface OutcomeFigures {
  readonly accepted: number;
  readonly reworked: number;
  readonly escalated: number;
  /** A workflow's review cost (the same figure as its `reviewCost`); a model's share of it. */
  readonly reviewCost: number;
  readonly reworkCost: number;
  readonly exceptionCost: number;
  /** (max(0, spend) + reviewCost + reworkCost + exceptionCost) / accepted; null when none accepted. */
  readonly costPerAccepted: number | null;
}

/** Outcome economics of a workflow. */
export interface WorkflowOutcomes extends OutcomeFigures {
  /** Measured from the registry's CloudWatch metrics, or estimated from outcomes.expected. */
  readonly basis: "measured" | "estimated";
  /** Why the figures are estimated (a metric not named, without data, or unreadable); null when measured. */
  readonly basisReason: string | null;
}

/**
 * One model's month to date in one workflow: CUR lines whose usage type names a token class
 * (credits on those lines included), or a Marketplace SERVICE from Cost Explorer.
 */
export interface ModelSpend {
  /** Third-party: the Marketplace product name without " (Amazon Bedrock Edition)"; first-party: the usage type's model. */
  readonly model: string;
  readonly spend: number;
  /** Token counts, null when the source has none (Cost Explorer). */
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly cacheReadTokens: number | null;
  readonly cacheWriteTokens: number | null;
  /** spend / all four token counts x 1,000,000; null without tokens (Cost Explorer, or credits only). */
  readonly costPerMillionTokens: number | null;
}

/** A model's entry, with its outcome figures where outcomes are measured per model (`modelDimension`). */
export type ModelReport = ModelSpend | (ModelSpend & OutcomeFigures);

/** The human cost one team carries for workflows others own. */
export interface TeamReport {
  readonly team: string;
  /** Sum of the rows below. */
  readonly absorbs: number;
  readonly workflows: readonly {
    readonly id: string;
    readonly owner: string;
    readonly review: number;
    readonly rework: number;
    readonly exceptions: number;
  }[];
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

/** Unowned AI spend of one calling IAM principal (CUR `line_item_iam_principal`). */
export interface UnownedPrincipalSpend {
  /** The caller's ARN, verbatim (untrusted text: escape it). */
  readonly principal: string;
  readonly spend: number;
}

/** Unowned AI spend of one billed resource (CUR `line_item_resource_id`). */
export interface UnownedResourceSpend {
  /** The resource id, verbatim (untrusted text: escape it). */
  readonly resourceId: string;
  /** The service (product name) the resource was billed under. */
  readonly service: string;
  readonly spend: number;
}

/** What a capped ranking left out: how many entries, and their spend. */
export interface RankingRest {
  readonly count: number;
  readonly spend: number;
}

/**
 * A CUR report's unowned AI spend (`unowned.spend`) ranked by what could attribute it: the
 * untagged callers (one untagged gateway role puts every call through it on nobody) and the
 * untagged resources. Each ranking is largest first and capped (`UNOWNED_RANKED`); for each,
 * ranked + rest + without = `unowned.spend`. A field of its own, not in `unowned`, so that
 * `unowned` means the same in both sources' reports.
 */
export interface UnownedBy {
  readonly principals: readonly UnownedPrincipalSpend[];
  /** What the cap left out of `principals`. */
  readonly principalsRest: RankingRest;
  /** Spend on lines naming no caller (not a model call, or no IAM principal data in the export). */
  readonly withoutPrincipal: number;
  readonly resources: readonly UnownedResourceSpend[];
  /** What the cap left out of `resources`. */
  readonly resourcesRest: RankingRest;
  /** Spend on lines naming no resource id (an on-demand model call has none). */
  readonly withoutResource: number;
}

/** What every report has, whatever its source. */
export interface ReportCommon {
  /** Month-to-date period reported on: start inclusive, end exclusive (`YYYY-MM-DD`). */
  readonly period: { readonly start: string; readonly end: string };
  readonly generatedAt: string;
  readonly currency: string;
  readonly metric: CostMetric;
  /** Billable Cost Explorer requests this run made (0 from CUR). */
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
    /** Registered workflows' spend by stage: sums to their attributed spend. */
    readonly byStage: { readonly "run-rate": number; readonly learning: number };
  };
  /** Human cost teams carry for workflows others own, largest first. */
  readonly teams: readonly TeamReport[];
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

/** A report from Cost Explorer: the contract as it was before the CUR source. */
export interface CostExplorerReport extends ReportCommon {
  /** The cost data read. */
  readonly source: "cost-explorer";
}

/** A report from CUR 2.0 line items: the common contract, plus the query and the usage types. */
export interface CurReport extends ReportCommon {
  readonly source: "cur";
  readonly engine: CurEngineName;
  readonly query: QueryCost;
  /** The unowned AI spend by caller and by resource. */
  readonly unownedBy: UnownedBy;
  /** Largest spend first; empty when every Bedrock line was read. */
  readonly unknownUsageTypes: readonly UnknownUsageTypeSpend[];
}

export type Report = CostExplorerReport | CurReport;
