/**
 * The story the demo's bill tells, as data: about two months of Cost Explorer cost for the
 * example registry (`workflows.yaml`), ending on a fixed day so every run prints the same.
 *
 * `scripts/demo-bill.ts` turns this into `examples/cost-and-usage.csv` once; the demo and its
 * tests read that file, so the numbers are a recorded bill, not computed at run time. A test
 * regenerates the rows and compares, so the file and this description cannot drift apart.
 */
import { addDays, daysBetween } from "../util/dates";
import type { DatasetRow } from "../local-aws/datasets";

/**
 * The day the demo runs: the reconciler reports 1-27 November (the run date itself is partial
 * in Cost Explorer and never counted) and the policy gate judges review dates on this day.
 */
export const AS_OF = "2026-11-28";
/** First day of the bill: the month before the reported one, as the reconciler's query asks. */
export const BILL_START = "2026-10-01";
/** November is not closed yet: Cost Explorer marks its days `Estimated`. */
export const ESTIMATED_FROM = "2026-11-01";
/** The cost allocation tag key of the example registry. */
export const TAG_KEY = "workflow";
export const ACCOUNT = "111122223333";
/**
 * Groups per Cost Explorer page in the demo. AWS does not publish its page size; the local
 * endpoint's default (5,000) would fit this bill in one page, so the demo uses small pages to
 * show the paging (and the request count) a larger bill has.
 */
export const DEMO_GROUPS_PER_PAGE = 200;

/** How a series' daily amount moves over the bill. */
export type Shape =
  /** The same every day, give or take `jitter`. */
  | { readonly kind: "steady" }
  /** Multiplied by `factor` from `from` on (a price or volume change). */
  | { readonly kind: "step"; readonly from: string; readonly factor: number }
  /** Multiplied by `factor` once more every 7 days from `from` on (compounding growth). */
  | { readonly kind: "weekly-growth"; readonly from: string; readonly factor: number };

/**
 * One line of spend: a resource tag value (or none) and a caller's tag value (or none) on one
 * service, day after day.
 */
export interface Series {
  /** The resource's workflow tag value as billed, or null when the resource carries none. */
  readonly tag: string | null;
  /**
   * The workflow tag of the IAM role or user that called the model, as AWS bills it
   * (`iamPrincipal/workflow`), or null: an untagged caller, or not a model call.
   */
  readonly principalTag: string | null;
  /** The Cost Explorer SERVICE value, verbatim. */
  readonly service: string;
  /** Typical daily cost in USD before `shape`. */
  readonly perDay: number;
  readonly shape: Shape;
  /** Relative day-to-day wobble, 0..1 (a running endpoint is flat; model calls are not). */
  readonly jitter: number;
  /** Only on these days [first, last] (default: the whole bill). */
  readonly during?: readonly [string, string];
  /** What it stands for, and which review trigger it is there to raise. */
  readonly why: string;
}

export const SERIES: readonly Series[] = [
  {
    tag: "support-triage",
    principalTag: "support-triage",
    service: "Amazon Bedrock Service",
    perDay: 13.5,
    shape: { kind: "weekly-growth", from: "2026-11-14", factor: 2.2 },
    jitter: 0.05,
    why: "model calls through support-triage's tagged application inference profile, by its own tagged role (both tags agree); a prompt change sends every ticket to a larger model: spend more than doubles week on week (growth trigger 2.0)",
  },
  {
    tag: "support-triage",
    principalTag: null,
    service: "AWS Lambda",
    perDay: 0.6,
    shape: { kind: "steady" },
    jitter: 0.1,
    why: "the plumbing around the model calls: tagged spend counts whatever the service",
  },
  {
    tag: null,
    principalTag: "invoice-matching",
    service: "Amazon Bedrock",
    perDay: 16,
    shape: { kind: "steady" },
    jitter: 0.08,
    why: "on-demand model calls by invoice-matching's tagged role: no resource tag, only the caller's (the common case); a healthy run-rate workflow, inside its budget",
  },
  {
    tag: "invoice-matching",
    principalTag: null,
    service: "Amazon Textract",
    perDay: 6.5,
    shape: { kind: "steady" },
    jitter: 0.08,
    why: "document extraction before the model matches",
  },
  {
    tag: null,
    principalTag: "contract-drafting",
    service: "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
    perDay: 15,
    shape: { kind: "step", from: "2026-11-01", factor: 1.35 },
    jitter: 0.06,
    why: "on-demand Claude calls by the drafting service's tagged role; longer drafts since November: over its 600 budget before the month ends (over-budget), which its AWS budget, filtering on resource tags, cannot see",
  },
  {
    tag: null,
    principalTag: "contract-drafting",
    service: "Claude Haiku 4.5 (Amazon Bedrock Edition)",
    perDay: 5,
    shape: { kind: "steady" },
    jitter: 0.08,
    during: ["2026-11-01", "2026-11-27"],
    why: "since November half the drafts go to Haiku, a third of Sonnet's price per token; the lawyer redoes far more of them (DRAFT_OUTCOMES): dearer per accepted draft (cheap-model-dearer)",
  },
  {
    tag: "knowledge-search",
    principalTag: null,
    service: "Amazon Kendra",
    perDay: 33.6,
    // The hours are the same; the hourly price rose (KENDRA_PRICE in ./usage-lines).
    shape: { kind: "step", from: "2026-11-01", factor: 1.25 },
    jitter: 0.005,
    why: "an index billed by the hour, 24 hours a day: its hourly price rose 25% in November (unit-price-change, trigger 10%)",
  },
  {
    tag: "knowledge-search",
    principalTag: null,
    service: "Amazon SageMaker",
    perDay: 33.9,
    shape: { kind: "steady" },
    jitter: 0.005,
    why: "an ml.g5.xlarge embedding endpoint, running around the clock",
  },
  {
    tag: "board-memo-pilot",
    principalTag: null,
    service: "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
    perDay: 6.2,
    shape: { kind: "steady" },
    jitter: 0.1,
    during: ["2026-11-04", "2026-11-05"],
    why: "a learning workflow that runs twice a month through its tagged inference profile: tiny spend, large review cost",
  },
  {
    tag: "board-memo-pilot",
    principalTag: null,
    service: "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
    perDay: 5.8,
    shape: { kind: "steady" },
    jitter: 0.1,
    during: ["2026-10-05", "2026-10-06"],
    why: "last month's board memo",
  },
  {
    tag: "ai-spend-guard",
    principalTag: null,
    service: "AWS Lambda",
    perDay: 0.04,
    shape: { kind: "steady" },
    jitter: 0.1,
    why: "the guard's own reconciler, reconciled like any other workflow",
  },
  {
    tag: "support-triage",
    principalTag: "invoice-matching",
    service: "Amazon Bedrock Service",
    perDay: 1.8,
    shape: { kind: "steady" },
    jitter: 0.1,
    during: ["2026-11-09", "2026-11-27"],
    why: "invoice-matching's role calling support-triage's inference profile: an attribution conflict, counted under support-triage (the resource tag decides) and reported to both owners",
  },
  {
    tag: null,
    principalTag: null,
    service: "Amazon Bedrock",
    perDay: 11,
    shape: { kind: "steady" },
    jitter: 0.15,
    why: "model calls through a shared gateway whose role carries no tags: unowned AI spend above the 5% alert (unowned-share)",
  },
  {
    tag: null,
    principalTag: null,
    service: "Amazon Elastic Compute Cloud - Compute",
    perDay: 96,
    shape: { kind: "steady" },
    jitter: 0.03,
    why: "untagged ordinary cloud spend: counted in all spend, not the guard's business",
  },
  {
    tag: null,
    principalTag: null,
    service: "Amazon Simple Storage Service",
    perDay: 14,
    shape: { kind: "steady" },
    jitter: 0.03,
    why: "the same, on storage",
  },
  {
    tag: null,
    principalTag: "Support-Triage",
    service: "Amazon Bedrock Service",
    perDay: 2.4,
    shape: { kind: "steady" },
    jitter: 0.1,
    during: ["2026-11-10", "2026-11-27"],
    why: "a hand-tagged test function's role: its caller tag differs from support-triage only in letter case",
  },
  {
    tag: "knowledge-serch",
    principalTag: null,
    service: "Amazon SageMaker",
    perDay: 4.8,
    shape: { kind: "steady" },
    jitter: 0.02,
    during: ["2026-11-16", "2026-11-27"],
    why: "the typo the policy gate catches in the preview, already deployed elsewhere (did you mean)",
  },
  {
    tag: "shadow-experiment",
    principalTag: null,
    service: "Claude 3 Haiku (Amazon Bedrock Edition)",
    perDay: 3.1,
    shape: { kind: "steady" },
    jitter: 0.2,
    during: ["2026-11-18", "2026-11-22"],
    why: "a tag value no registry lists and nothing resembles, on a Marketplace model edition",
  },
];

/** Credits and refunds: negative amounts netted into that day's charge, as Cost Explorer does. */
export const CREDITS: readonly {
  readonly date: string;
  readonly tag: string | null;
  readonly principalTag: string | null;
  readonly service: string;
  readonly amount: number;
  readonly why: string;
}[] = [
  {
    date: "2026-11-01",
    tag: null,
    principalTag: "invoice-matching",
    service: "Amazon Bedrock",
    amount: -60,
    why: "a promotional credit larger than the day's charge: the day's amount is negative",
  },
];

/**
 * Items processed per day by the workflow that names a CloudWatch metric (support-triage's
 * `Support/Triage TicketsTriaged`): served by the local CloudWatch, so its review cost is
 * measured while the others' is estimated from the registry.
 */
export const MEASURED_VOLUME = {
  namespace: "Support/Triage",
  name: "TicketsTriaged",
  perDay: 1150,
  jitter: 0.12,
} as const;

/**
 * contract-drafting's outcome metrics (the registry's `outcomes.metrics`), per model in the
 * `ModelId` dimension, published by the drafting service since November: drafts the lawyer
 * accepted, redid (reworked) and wrote from scratch (escalated), a day, per model. The model
 * values are the billed model names, which is how the report matches them to spend.
 */
export const DRAFT_OUTCOMES = {
  namespace: "Sales/Contracts",
  dimension: "ModelId",
  metrics: { accepted: "DraftsAccepted", reworked: "DraftsReworked", escalated: "DraftsEscalated" },
  from: "2026-11-01",
  models: [
    { model: "Claude Sonnet 4.5", perDay: { accepted: 6, reworked: 0.4, escalated: 0.1 } },
    { model: "Claude Haiku 4.5", perDay: { accepted: 4, reworked: 2.2, escalated: 0.5 } },
  ],
  jitter: 0.25,
} as const;

/**
 * contract-drafting's review queue (the registry's `triggers.reviewQueue`): drafts waiting for
 * the lawyer, as the day's maximum. Steady in October; since November Haiku's redone drafts pile
 * up by `growthPerDay` a day, past the registry's limit in the last week (review-queue).
 */
export const REVIEW_QUEUE = {
  namespace: "Sales/Contracts",
  name: "DraftsAwaitingReview",
  base: 6,
  from: "2026-11-01",
  growthPerDay: 1.2,
  jitter: 0.15,
} as const;

/** The bill's rows, day by day from BILL_START to the day before AS_OF. */
export function scenarioRows(): DatasetRow[] {
  const rows: DatasetRow[] = [];
  for (let date = BILL_START; date < AS_OF; date = addDays(date, 1)) {
    SERIES.forEach((series, index) => {
      if (series.during && (date < series.during[0] || date > series.during[1])) return;
      let amount = series.perDay * shapeFactor(series.shape, date);
      amount *= 1 + series.jitter * wobble(index, date);
      for (const credit of CREDITS) {
        if (
          credit.date === date &&
          credit.tag === series.tag &&
          credit.principalTag === series.principalTag &&
          credit.service === series.service
        )
          amount += credit.amount;
      }
      rows.push({
        date,
        tag: series.tag,
        principalTag: series.principalTag,
        service: series.service,
        account: ACCOUNT,
        amount: amount.toFixed(6),
      });
    });
  }
  return rows;
}

/** Daily item counts for `MEASURED_VOLUME`, whole numbers. */
export function scenarioVolume(): { readonly at: string; readonly value: number }[] {
  const points = [];
  for (let date = BILL_START; date < AS_OF; date = addDays(date, 1)) {
    const value = MEASURED_VOLUME.perDay * (1 + MEASURED_VOLUME.jitter * wobble(-1, date));
    points.push({ at: date, value: Math.round(value) });
  }
  return points;
}

/** A local CloudWatch series: a metric, its dimensions, its daily points. */
export interface ScenarioMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly points: readonly { readonly at: string; readonly value: number }[];
}

/**
 * Daily whole counts at `perDay` (give or take `jitter`) from `from` to the day before AS_OF,
 * rounded on the running total so that a rate below one a day still adds up over the month.
 */
function dailyCounts(perDay: number, jitter: number, seed: number, from: string) {
  const points = [];
  let total = 0;
  for (let date = from; date < AS_OF; date = addDays(date, 1)) {
    const before = Math.round(total);
    total += perDay * (1 + jitter * wobble(seed, date));
    points.push({ at: date, value: Math.round(total) - before });
  }
  return points;
}

/** contract-drafting's outcome series: one per metric and model (DRAFT_OUTCOMES). */
export function scenarioOutcomes(): ScenarioMetric[] {
  const o = DRAFT_OUTCOMES;
  return o.models.flatMap((m, i) =>
    (["accepted", "reworked", "escalated"] as const).map((kind, k) => ({
      namespace: o.namespace,
      name: o.metrics[kind],
      dimensions: { [o.dimension]: m.model },
      points: dailyCounts(m.perDay[kind], o.jitter, -10 - 3 * i - k, o.from),
    })),
  );
}

/** contract-drafting's review queue, a point a day over the whole bill (REVIEW_QUEUE). */
export function scenarioReviewQueue(): ScenarioMetric {
  const q = REVIEW_QUEUE;
  const points = [];
  for (let date = BILL_START; date < AS_OF; date = addDays(date, 1)) {
    const grown = date >= q.from ? q.growthPerDay * (daysBetween(q.from, date) + 1) : 0;
    points.push({
      at: date,
      value: Math.round((q.base + grown) * (1 + q.jitter * wobble(-2, date))),
    });
  }
  return { namespace: q.namespace, name: q.name, points };
}

/** Everything the demo's local CloudWatch serves: volume, outcomes, the review queue. */
export function scenarioMetrics(): ScenarioMetric[] {
  return [
    { namespace: MEASURED_VOLUME.namespace, name: MEASURED_VOLUME.name, points: scenarioVolume() },
    ...scenarioOutcomes(),
    scenarioReviewQueue(),
  ];
}

function shapeFactor(shape: Shape, date: string): number {
  switch (shape.kind) {
    case "steady":
      return 1;
    case "step":
      return date >= shape.from ? shape.factor : 1;
    case "weekly-growth":
      return date >= shape.from
        ? shape.factor ** (Math.floor(daysBetween(shape.from, date) / 7) + 1)
        : 1;
  }
}

/** A deterministic value in [-1, 1] per series and day (no randomness: the bill is fixed). */
function wobble(series: number, date: string): number {
  let h = 2166136261 ^ (series + 7);
  for (const c of date) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  h ^= h >>> 13;
  return ((h >>> 0) / 0xffffffff) * 2 - 1;
}
