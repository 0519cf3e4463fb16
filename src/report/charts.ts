/**
 * The charts of the HTML report (four, and a fifth, cost per million tokens by model, for a
 * report from CUR), as Chart.js configurations built from a `Report` here,
 * in typed code, so that the script shipped in the page only has to draw them (and add the
 * currency formatting that plain JSON cannot carry).
 *
 * Every series keeps the report's workflow order and one colour per workflow, so a workflow is
 * the same colour in every chart.
 */
// chart.js ships ESM type declarations; only its types are imported here (no runtime code).
import type { ChartConfiguration } from "chart.js" with { "resolution-mode": "import" };
import type { Report } from "../reconciler";
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

/** The charts of a report, in the order the page shows them. */
export function chartModel(report: Report): ChartModel {
  const perToken = costPerMillionTokens(report);
  return {
    currency: report.currency,
    charts: [
      spendVsBudget(report),
      dailySpend(report),
      fullyLoaded(report),
      unownedShare(report),
      ...(perToken === undefined ? [] : [perToken]),
    ],
  };
}
