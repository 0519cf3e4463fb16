/**
 * The charts of the HTML report (four; cost per million tokens by model for a report from CUR;
 * cost per accepted outcome where workflows have outcomes), as Chart.js configurations built
 * from a `Report` here,
 * in typed code, so that the script shipped in the page only has to draw them (and add the
 * currency formatting that plain JSON cannot carry).
 *
 * Every series keeps the report's workflow order and one colour per workflow, so a workflow is
 * the same colour in every chart.
 */
// chart.js ships ESM type declarations; only its types are imported here (no runtime code).
import type { ChartConfiguration } from "chart.js" with { "resolution-mode": "import" };
import { tidy } from "../reconciler";
import type { Report, WorkflowReport } from "../reconciler";
import { shortDate } from "./format";

/** Okabe-Ito: distinguishable with the common colour-vision deficiencies, and in print. */
export const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#000000",
] as const;
const GREY = "#9AA0A6";
const LIGHT_GREY = "#D0D4D9";
const RED = "#C62828";
const REVIEW = "#7E57C2";
const REWORK = "#D55E00";
const EXCEPTIONS = "#CC79A7";
const SPENT = "#0072B2";

/** Colour of the workflow at `index` in the report. */
export function workflowColour(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/** Which value axis carries money, so the page can format its ticks and tooltips. */
export type MoneyAxis = "x" | "y" | "none";

/** A point the page labels in the chart itself (a credit's dip below zero). */
export interface PointLabel {
  readonly dataset: number;
  readonly index: number;
  /** The amount; the page writes it in the report's money style. */
  readonly amount: number;
}

export interface ChartSpec {
  /** The `<canvas>` element's id. */
  readonly canvasId: string;
  readonly moneyAxis: MoneyAxis;
  /** Doughnut tooltips also show each slice's share of the whole. */
  readonly showShare: boolean;
  /** Points the page writes their amount next to (empty for most charts). */
  readonly pointLabels: readonly PointLabel[];
  /** Decimals on the money axis's ticks (default 0: whole amounts); unit prices need more. */
  readonly tickDigits?: number;
  /**
   * Tooltips write unit amounts as `formatUnitMoney` does (up to four decimals below one),
   * where two decimals would round a cost per outcome or per token to nothing.
   */
  readonly unitAmounts?: boolean;
  readonly config: ChartConfig;
}

/** The chart types the report draws, with their data shapes (null = no value, e.g. no budget). */
export type ChartConfig =
  | ChartConfiguration<"bar", (number | null)[], string>
  | ChartConfiguration<"line", (number | null)[], string>
  | ChartConfiguration<"doughnut", number[], string>;

/** What the page's script receives (as JSON). */
export interface ChartModel {
  readonly currency: string;
  readonly charts: readonly ChartSpec[];
}

export const CHART_IDS = {
  spendVsBudget: "chart-spend-vs-budget",
  daily: "chart-daily-spend",
  fullyLoaded: "chart-fully-loaded",
  unownedShare: "chart-unowned-share",
} as const;

/** The chart a CUR report adds: what a million tokens cost, per model, per workflow. */
export const MODEL_CHART_ID = "chart-cost-per-million-tokens";

/** The chart of outcome economics: what one accepted outcome costs, by part, per workflow. */
export const OUTCOME_CHART_ID = "chart-cost-per-accepted";

/** The unregistered values shown as their own slice; the rest are grouped into one. */
export const MAX_UNREGISTERED_SLICES = 5;

/**
 * Spent so far, projected month end and budget, side by side per workflow. The projection is two
 * series (within budget, above budget) rather than one series with per-bar colours, so the
 * legend tells the truth about what red means; `skipNull` keeps an empty bar from taking space.
 */
function spendVsBudget(report: Report): ChartSpec {
  const ws = report.workflows;
  const above = (w: (typeof ws)[number]) => w.budget !== null && w.projectedSpend > w.budget;
  return {
    canvasId: CHART_IDS.spendVsBudget,
    moneyAxis: "y",
    showShare: false,
    pointLabels: [],
    config: {
      type: "bar",
      data: {
        labels: ws.map((w) => w.id),
        datasets: [
          {
            label: "Spent so far",
            data: ws.map((w) => w.spend),
            backgroundColor: SPENT,
          },
          {
            label: "Projected by month end",
            data: ws.map((w) => (above(w) ? null : w.projectedSpend)),
            backgroundColor: LIGHT_GREY,
          },
          {
            label: "Projected above budget",
            data: ws.map((w) => (above(w) ? w.projectedSpend : null)),
            backgroundColor: RED,
          },
          {
            label: "Monthly budget",
            data: ws.map((w) => w.budget),
            backgroundColor: "#FFFFFF",
            borderColor: "#333333",
            borderWidth: 2,
          },
        ],
      },
      options: { skipNull: true },
    },
  };
}

/** The days of the daily chart, in order. */
function chartDates(report: Report): string[] {
  return [...new Set(report.workflows.flatMap((w) => w.daily.map((d) => d.date)))].sort();
}

/** A day on which a workflow's spend was negative: a credit or refund larger than its spend. */
export interface Credit {
  readonly workflow: string;
  /** The day as the chart's axis writes it ("12 Nov"). */
  readonly day: string;
  readonly date: string;
  readonly amount: number;
}

/** Every negative day of every workflow, in the report's workflow order, then by date. */
export function credits(report: Report): Credit[] {
  return report.workflows.flatMap((w) =>
    [...w.daily]
      .filter((d) => d.amount < 0)
      .sort((a, b) => (a.date < b.date ? -1 : 1))
      .map((d) => ({ workflow: w.id, day: shortDate(d.date), date: d.date, amount: d.amount })),
  );
}

/**
 * Spend per day per workflow. A day below zero (a credit) gets a marked point and its amount
 * written beside it, so a dip in the line reads as a credit, not as a drawing error.
 */
function dailySpend(report: Report): ChartSpec {
  const dates = chartDates(report);
  const dateIndex = new Map(dates.map((date, index) => [date, index]));
  const workflowIndex = new Map(report.workflows.map((w, index) => [w.id, index]));
  return {
    canvasId: CHART_IDS.daily,
    moneyAxis: "y",
    showShare: false,
    pointLabels: credits(report).map((credit) => ({
      dataset: workflowIndex.get(credit.workflow)!,
      index: dateIndex.get(credit.date)!,
      amount: credit.amount,
    })),
    config: {
      type: "line",
      data: {
        labels: dates.map(shortDate),
        datasets: report.workflows.map((w, i) => {
          const byDate = new Map(w.daily.map((d) => [d.date, d.amount]));
          return {
            label: w.id,
            data: dates.map((date) => byDate.get(date) ?? null),
            borderColor: workflowColour(i),
            backgroundColor: workflowColour(i),
            pointRadius: dates.map((date) => ((byDate.get(date) ?? 0) < 0 ? 4 : 0)),
            borderWidth: 2,
            tension: 0,
          };
        }),
      },
      options: {},
    },
  };
}

function fullyLoaded(report: Report): ChartSpec {
  const ws = report.workflows;
  return {
    canvasId: CHART_IDS.fullyLoaded,
    moneyAxis: "x",
    showShare: false,
    pointLabels: [],
    config: {
      type: "bar",
      data: {
        labels: ws.map((w) => w.id),
        datasets: [
          { label: "Cloud spend", data: ws.map((w) => w.spend), backgroundColor: GREY },
          { label: "Review cost", data: ws.map((w) => w.reviewCost), backgroundColor: REVIEW },
        ],
      },
      options: {
        indexAxis: "y",
        scales: { x: { stacked: true }, y: { stacked: true } },
      },
    },
  };
}

/**
 * Where AI spend went: registered workflows, untagged, and each unregistered tag value (the
 * largest few; the rest grouped). A slice cannot be negative, so a net credit shows as zero;
 * the tables carry the exact figure.
 */
function unownedShare(report: Report): ChartSpec {
  const slices: { label: string; amount: number; colour: string }[] = [
    {
      label: "Registered workflows",
      amount: report.workflows.reduce((sum, w) => sum + w.spend, 0),
      colour: "#2E7D32",
    },
    { label: "Untagged (no workflow tag)", amount: report.unowned.spend, colour: RED },
  ];
  const unregistered = [...report.unregistered].sort((a, b) => b.spend - a.spend);
  const shown = unregistered.slice(0, MAX_UNREGISTERED_SLICES);
  const rest = unregistered.slice(MAX_UNREGISTERED_SLICES);
  shown.forEach((u, i) =>
    slices.push({
      label: `Unregistered tag "${u.value}"`,
      amount: u.spend,
      colour: ["#EF6C00", "#F9A825", "#FFB74D", "#FFCC80", "#FFE0B2"][i]!,
    }),
  );
  if (rest.length > 0) {
    slices.push({
      label: `${rest.length} other unregistered tag values`,
      amount: rest.reduce((sum, u) => sum + u.spend, 0),
      colour: "#BDBDBD",
    });
  }
  return {
    canvasId: CHART_IDS.unownedShare,
    moneyAxis: "none",
    showShare: true,
    pointLabels: [],
    config: {
      type: "doughnut",
      data: {
        labels: slices.map((s) => s.label),
        datasets: [
          {
            label: "AI spend",
            data: slices.map((s) => Math.max(0, s.amount)),
            backgroundColor: slices.map((s) => s.colour),
          },
        ],
      },
      options: {},
    },
  };
}

/** The models a report names, largest spend first (across workflows), then by name. */
export function reportModels(report: Report): string[] {
  const spend = new Map<string, number>();
  for (const w of report.workflows) {
    for (const m of w.models ?? []) spend.set(m.model, (spend.get(m.model) ?? 0) + m.spend);
  }
  return [...spend]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([model]) => model);
}

/**
 * Cost per million tokens, by model (the categories) and workflow (one bar each, in the
 * workflow's colour): the same model costs more per token in a workflow that sends long prompts
 * and gets short answers. A workflow without the model has no bar. Only for a CUR report with
 * token spend; undefined otherwise.
 */
function costPerMillionTokens(report: Report): ChartSpec | undefined {
  if (report.source !== "cur") return undefined;
  const models = reportModels(report);
  const shown = report.workflows
    .map((w, index) => ({ w, index }))
    .filter(({ w }) => (w.models ?? []).some((m) => m.costPerMillionTokens !== null));
  if (shown.length === 0) return undefined;
  return {
    canvasId: MODEL_CHART_ID,
    moneyAxis: "y",
    showShare: false,
    pointLabels: [],
    tickDigits: 2,
    unitAmounts: true,
    config: {
      type: "bar",
      data: {
        labels: models,
        datasets: shown.map(({ w, index }) => {
          const byModel = new Map((w.models ?? []).map((m) => [m.model, m.costPerMillionTokens]));
          return {
            label: w.id,
            data: models.map((model) => byModel.get(model) ?? null),
            backgroundColor: workflowColour(index),
          };
        }),
      },
      options: { skipNull: true },
    },
  };
}

/** Why a workflow has no bar in the outcomes chart (null when it has one). */
export type OutcomeGap =
  | { readonly kind: "no-outcomes"; readonly flag: string | null }
  | { readonly kind: "nothing-accepted"; readonly flag: string | null };

/**
 * Why `w` is not drawn in the outcomes chart: it has no outcome figures (the registry gives it
 * none, or a flag says why none could be had), or nothing was accepted (no cost per accepted
 * outcome exists). Null when it is drawn. A gap is listed with its reason, never drawn as zero.
 */
export function outcomeGap(w: WorkflowReport): OutcomeGap | null {
  const flag = (kind: string) => w.flags.find((f) => f.kind === kind)?.message ?? null;
  if (w.outcomes === null) return { kind: "no-outcomes", flag: flag("outcomes-unmeasured") };
  if (w.outcomes.costPerAccepted === null)
    return { kind: "nothing-accepted", flag: flag("nothing-accepted") };
  return null;
}

/** The parts of one accepted outcome's cost, each divided by the accepted count. */
export interface CostPerAcceptedParts {
  readonly model: number;
  readonly review: number;
  readonly rework: number;
  readonly exceptions: number;
}

/**
 * The cost per accepted outcome split by part: the model's (spend, credits lowering it to zero
 * at most, as the reconciler counts it), review, rework and exceptions, each / accepted. The
 * parts sum to `outcomes.costPerAccepted` (to float noise). Null when `w` has no such cost.
 */
export function costPerAcceptedParts(w: WorkflowReport): CostPerAcceptedParts | null {
  const o = w.outcomes;
  if (o === null || o.costPerAccepted === null || !(o.accepted > 0)) return null;
  const per = (amount: number) => tidy(amount / o.accepted);
  return {
    model: per(Math.max(0, w.spend)),
    review: per(o.reviewCost),
    rework: per(o.reworkCost),
    exceptions: per(o.exceptionCost),
  };
}

/**
 * Cost per accepted outcome per workflow, one horizontal bar each, stacked by part (model,
 * review, rework, exceptions): a cheap model whose output is redone shows a long rework part.
 * Only workflows with a cost per accepted outcome; undefined when none has one.
 */
function costPerAcceptedChart(report: Report): ChartSpec | undefined {
  const drawn = report.workflows.flatMap((w) => {
    const parts = costPerAcceptedParts(w);
    return parts === null ? [] : [{ w, parts }];
  });
  if (drawn.length === 0) return undefined;
  const part = (label: string, colour: string, pick: (p: CostPerAcceptedParts) => number) => ({
    label,
    data: drawn.map(({ parts }) => pick(parts)),
    backgroundColor: colour,
  });
  return {
    canvasId: OUTCOME_CHART_ID,
    moneyAxis: "x",
    showShare: false,
    pointLabels: [],
    tickDigits: 2,
    unitAmounts: true,
    config: {
      type: "bar",
      data: {
        labels: drawn.map(({ w }) => w.id),
        datasets: [
          part("Model", GREY, (p) => p.model),
          part("Review", REVIEW, (p) => p.review),
          part("Rework", REWORK, (p) => p.rework),
          part("Exceptions", EXCEPTIONS, (p) => p.exceptions),
        ],
      },
      options: {
        indexAxis: "y",
        scales: { x: { stacked: true }, y: { stacked: true } },
      },
    },
  };
}

/** The charts of a report, in the order the page shows them. */
export function chartModel(report: Report): ChartModel {
  const perToken = costPerMillionTokens(report);
  const perAccepted = costPerAcceptedChart(report);
  return {
    currency: report.currency,
    charts: [
      spendVsBudget(report),
      dailySpend(report),
      fullyLoaded(report),
      unownedShare(report),
      ...(perToken === undefined ? [] : [perToken]),
      ...(perAccepted === undefined ? [] : [perAccepted]),
    ],
  };
}
