/**
 * The reconciler's ports: everything the core asks of the outside world, and nothing more. The
 * core never talks to AWS; `./aws` implements these on Cost Explorer, S3, SNS, CloudWatch and
 * EMF, and the tests and the offline demo plug in their own. The second cost source, CUR 2.0
 * line items on DuckDB or Athena (`./cur/source`), is one more `CostSource`.
 */
import type { CostMetric } from "./cost-metrics";
import type { CurQueryStats } from "./cur/engine";
import type { TokenClass } from "./cur/usage-types";
import type { Message } from "./digest";
import type { Report } from "./types";
import type { VolumeMetric } from "../registry";

// --- Cost rows in ------------------------------------------------------------------------

export interface CostQuery {
  /** First day, `YYYY-MM-DD` (inclusive). */
  readonly start: string;
  /** Day after the last day, `YYYY-MM-DD` (exclusive, as Cost Explorer's TimePeriod.End). */
  readonly end: string;
  readonly metric: CostMetric;
  /** The cost allocation tag key that names the workflow (registry settings.tagKeys.workflow). */
  readonly tagKey: string;
  /**
   * The caller's principal tag key (`iamPrincipal/<tagKey>`, see `./attribution`), or null when
   * the principal route is off (registry `settings.principalTags: false`).
   */
  readonly principalTagKey: string | null;
  /** Also group by LINKED_ACCOUNT (costs more requests: only when asked). */
  readonly groupByAccount: boolean;
}

/**
 * One day x one service (x one account) of cost, with the two attribution routes' tag values as
 * the source saw them. The core applies the one rule (`attribute` in `./attribution`) to each
 * row, so a line-level source (CUR) gives each line's two tags, and a grouped source (Cost
 * Explorer) gives rows whose tags already say which route decided (see `CostFetch.tagPairs`).
 */
export interface CostRow {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** The resource's workflow tag value; `null` when the spend carries no such tag (`workflow$`). */
  readonly resourceTag: string | null;
  /**
   * The calling principal's workflow tag value (`iamPrincipal/<key>`); `null` when the caller
   * had none, or when the source did not ask (the route is off, or the resource tag decided).
   */
  readonly principalTag: string | null;
  /** Cost Explorer SERVICE dimension value, verbatim. */
  readonly service: string;
  readonly account?: string;
  /** The amount exactly as the source gave it (a decimal string; may be negative: credits). */
  readonly amount: string;
  /** Currency code as the source gave it, e.g. "USD". */
  readonly unit: string;
  /** True when the period is not final yet (Cost Explorer's `Estimated`). */
  readonly estimated: boolean;
  /**
   * Line-level sources only (CUR): what the row's usage type says about tokens, when the row is
   * model usage or a Bedrock line whose usage type could not be read. Absent otherwise (Cost
   * Explorer cannot group by model and token class at the same time as by workflow).
   */
  readonly usage?: LineUsage;
  /** Line-level sources only: how many line items the row sums (for the unknown usage types). */
  readonly lineItems?: number;
  /**
   * Line-level sources only (CUR): the lines' usage type and summed usage amount (decimal text, in
   * the usage type's unit), so the core derives the unit-price trigger's `UsageTypeMonth`s from
   * the same rows as the spend, with no query of their own.
   */
  readonly usageType?: string;
  readonly usageAmount?: string;
  /**
   * Line-level sources only, on lines with neither workflow tag: the calling IAM principal's ARN
   * and, on AI-service lines, the billed resource id (absent when the line has none). They rank
   * the unowned AI spend by what could attribute it (a CUR report's `unownedBy`).
   */
  readonly principal?: string;
  readonly resourceId?: string;
}

/**
 * A row's token usage, as a line-level source read it from the usage type and pricing unit.
 * `unread`: a Bedrock line whose usage type (or pricing unit) names no token class we know: it
 * is counted and named in the report, never guessed into a token class.
 */
export type LineUsage =
  | {
      readonly kind: "tokens";
      /** The Marketplace model (product name without the edition suffix), or the first-party model. */
      readonly model: string;
      readonly tokenClass: TokenClass;
      /** Tokens, decimal text (usage amount x the pricing unit's tokens). */
      readonly tokens: string;
    }
  | {
      readonly kind: "unread";
      readonly usageType: string;
      /** Why it was not read, naming the part that was not understood. */
      readonly reason: string;
    };

export interface FetchStats {
  /** Billable API requests made (Cost Explorer: $0.01 each), retries included. */
  requests: number;
  /** Of which retries after a throttle or fault. */
  retries: number;
  pages: number;
  rows: number;
}

/**
 * Spend on lines that carry both a resource tag and a principal tag, summed per pair of values
 * over one period: how a source that cannot hand over lines (Cost Explorer groups them) makes
 * attribution conflicts visible. It is evidence, not more money: the same spend is in the rows.
 */
export interface TagPairSpend {
  /** The period the amount covers: `start` inclusive, `end` exclusive (`YYYY-MM-DD`). */
  readonly start: string;
  readonly end: string;
  readonly resourceTag: string;
  readonly principalTag: string;
  /** Decimal text, as the source gave it. */
  readonly amount: string;
  readonly unit: string;
}

/** Rows arrive page by page so a large month never has to sit in memory as one response. */
export interface CostFetch extends AsyncIterable<readonly CostRow[]> {
  /** Final once iteration has completed. */
  readonly stats: FetchStats;
  /**
   * Final once iteration has completed: the tag pairs of the reported month, from a source whose
   * rows cannot carry both tags of a line. A source whose rows are lines (each with both tags)
   * leaves it empty; the core finds those rows' conflicts itself.
   */
  readonly tagPairs: readonly TagPairSpend[];
  /**
   * Final once iteration has completed: the query a source over a query engine ran (CUR on
   * DuckDB or Athena): its engine, bytes scanned and cost. Absent for Cost Explorer.
   */
  readonly query?: CurQueryStats;
}

/** Which kind of cost data a source reads (the report's `source`). */
export type CostSourceKind = "cost-explorer" | "cur";

export interface CostSource {
  readonly name: string;
  readonly kind: CostSourceKind;
  fetch(
    query: CostQuery,
    options?: {
      readonly signal?: AbortSignal;
      readonly onPage?: (page: number, rows: number) => void;
    },
  ): CostFetch;
}

// --- Volumes in --------------------------------------------------------------------------

export interface VolumeRequest {
  readonly workflowId: string;
  readonly metric: VolumeMetric;
}

/** Measures items per workflow over [start, end) (dates, `YYYY-MM-DD`). */
export interface VolumeSource {
  readonly name: string;
  /**
   * Items per workflow id. A workflow missing from the result was not measured (no data
   * points, or the query failed for it): its volume falls back to the estimate.
   */
  measure(
    requests: readonly VolumeRequest[],
    range: { readonly start: string; readonly end: string },
    options?: { readonly signal?: AbortSignal },
  ): Promise<ReadonlyMap<string, number>>;
}

// --- Registry-named metrics in (outcomes, review queues) ---------------------------------

/** How a metric's datapoints are folded into one value a day. */
export type MetricStat = "Sum" | "Maximum";

export interface MetricQuery {
  /** The caller's key for the answer. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly stat: MetricStat;
  /**
   * Read one series per value of this dimension (e.g. the model), found by listing the metric:
   * in CloudWatch a metric with one more dimension is another series.
   */
  readonly splitBy?: string;
}

/** One series of daily values; `label` is the `splitBy` dimension's value, else null. */
export interface MetricSeries {
  readonly label: string | null;
  /** Days with data only (`YYYY-MM-DD`), ascending. */
  readonly points: readonly { readonly date: string; readonly value: number }[];
}

/** A query's answer: its series (none when the metric has no data points), or why it failed. */
export type MetricResult =
  | { readonly kind: "read"; readonly series: readonly MetricSeries[] }
  | { readonly kind: "failed"; readonly reason: string };

/** Reads registry-named metrics day by day over [start, end) (CloudWatch in production). */
export interface MetricReader {
  readonly name: string;
  /** One answer per query id; a fault for the whole call throws (each query then "failed"). */
  read(
    queries: readonly MetricQuery[],
    range: { readonly start: string; readonly end: string },
    options?: { readonly signal?: AbortSignal },
  ): Promise<ReadonlyMap<string, MetricResult>>;
}

// --- Unit prices in (usage types) --------------------------------------------------------

/** A workflow's cost and usage of one usage type over one month. */
export interface UsageTypeMonth {
  readonly workflowId: string;
  readonly usageType: string;
  /** First day of the month, `YYYY-MM-DD`. */
  readonly month: string;
  /** Decimal text, as the source gave it. */
  readonly cost: string;
  /** Usage amount in the usage type's unit (tokens, hours...), as the source gave it. */
  readonly usage: string;
}

/**
 * Cost and usage per workflow and usage type, for the month before the reported month and the
 * reported month to date: what the unit-price trigger compares. A line-level source (CUR) needs
 * none: the aggregator derives the months from its rows (`Aggregates.usageTypes`). With Cost
 * Explorer it costs one more query (see `./aws/cost-explorer/usage-types`).
 */
export interface UsageTypeSource {
  readonly name: string;
  fetch(
    query: { readonly start: string; readonly end: string } & Pick<CostQuery, "metric" | "tagKey">,
    options?: { readonly signal?: AbortSignal },
  ): Promise<{ readonly months: readonly UsageTypeMonth[]; readonly requests: number }>;
}

// --- Outputs -----------------------------------------------------------------------------

/**
 * Object storage for reports, delivery records and the run's claim (S3 in production). A read
 * that fails for any reason but "no such object" (a 403 included) throws: "cannot read the
 * records" must never pass for "no records", or everything would be sent again.
 */
export interface ReportStore {
  /** The object's text, or undefined when it does not exist. */
  get(key: string): Promise<string | undefined>;
  /** The object's text and its version tag (S3: the ETag), or undefined when it does not exist. */
  getVersioned(key: string): Promise<{ readonly body: string; readonly etag: string } | undefined>;
  /** Writes only when no object has the key: "exists" when one already did. */
  putIfAbsent(key: string, body: string, contentType: string): Promise<"written" | "exists">;
  /** Overwrites only while the object still has version `etag`: "changed" when it has not. */
  replaceIfMatch(
    key: string,
    body: string,
    contentType: string,
    etag: string,
  ): Promise<"written" | "changed">;
}

/** Sends one message to its recipient (SNS in production). */
export interface Publisher {
  publish(message: Message): Promise<{ readonly messageId: string }>;
}

/** Per-workflow metrics (CloudWatch Embedded Metric Format in production). */
export interface MetricsSink {
  emit(report: Report): void;
}

// --- Logging -----------------------------------------------------------------------------

/**
 * What the reconciliation and the delivery tell their caller along the way (Powertools Logger
 * fits). Attributes carry workflow ids and recipient hashes, never an address.
 */
export interface ReconcilerLog {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** A log that drops everything (the default when the caller passes none). */
export const SILENT_LOG: ReconcilerLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
