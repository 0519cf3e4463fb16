/**
 * Outcome economics of a workflow: how many outputs were accepted, redone and escalated, what
 * the people around the model cost, and what one accepted outcome costs in all. Pure: the
 * measured counts arrive as `MetricResult`s read through the `MetricReader` port.
 *
 *   reviewCost      = items x review.share x review.minutesPerItem / 60 x review.hourlyRate
 *   reworkCost      = reworked x review.reworkMinutes / 60 x review.hourlyRate
 *   exceptionCost   = escalated x exceptions.minutesPerItem / 60 x exceptions.hourlyRate
 *   costPerAccepted = (max(0, spend) + reviewCost + reworkCost + exceptionCost) / accepted
 *
 * `costPerAccepted` is null when nothing was accepted (with a flag when anything was spent).
 * Credits can bring the month's spend below zero; they lower the model's part to zero at most,
 * so a credit never makes an outcome look like it earned money.
 *
 * Basis: measured (the registry's CloudWatch metrics, summed over the days reported) wins;
 * otherwise the registry's expected shares of the workflow's items, and the report says why
 * (no metrics named, no data points, a read that failed).
 */
import { roundItems, tidy } from "./format";
import type { MetricQuery, MetricResult } from "./ports";
import type { Flag, TeamReport, WorkflowOutcomes } from "./types";
import type { OutcomeMetrics, Workflow } from "../registry";
import { exceptionCost, reworkCost } from "../rules/review-cost";
import { formatMoney } from "../util/money";

export const OUTCOME_KINDS = ["accepted", "reworked", "escalated"] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export interface OutcomeCounts {
  readonly accepted: number;
  readonly reworked: number;
  readonly escalated: number;
}

/** What the metrics said about a workflow's outcomes. */
export type OutcomeReading =
  /** The registry names no outcome metrics. */
  | { readonly kind: "none" }
  | {
      readonly kind: "measured";
      readonly counts: OutcomeCounts;
      /** Per value of `modelDimension` (empty without one). Sums to `counts`. */
      readonly byModel: ReadonlyMap<string, OutcomeCounts>;
    }
  | { readonly kind: "unmeasured"; readonly reason: string };

/** The query id of one outcome metric of one workflow. */
export function outcomeQueryId(workflowId: string, kind: OutcomeKind): string {
  return `outcome:${workflowId}:${kind}`;
}

function metricNameOf(metrics: OutcomeMetrics, kind: OutcomeKind): string | undefined {
  return metrics[kind];
}

/** The metric queries of every workflow that names outcome metrics (daily Sum). */
export function outcomeQueries(workflows: readonly Workflow[]): MetricQuery[] {
  const queries: MetricQuery[] = [];
  for (const workflow of workflows) {
    const metrics = workflow.outcomes?.metrics;
    if (metrics === undefined) continue;
    for (const kind of OUTCOME_KINDS) {
      const name = metricNameOf(metrics, kind);
      if (name === undefined) continue;
      queries.push({
        id: outcomeQueryId(workflow.id, kind),
        namespace: metrics.namespace,
        name,
        dimensions: metrics.dimensions,
        stat: "Sum",
        splitBy: metrics.modelDimension,
      });
    }
  }
  return queries;
}

const ZERO_COUNTS: OutcomeCounts = { accepted: 0, reworked: 0, escalated: 0 };

/**
 * The workflow's outcomes as the metrics read them. The accepted metric must have data (no data
 * points reads as "not measured", never as "nothing accepted": a misspelt name would otherwise
 * make every outcome free); a reworked or escalated metric without data points counts zero, as
 * a month without rework is normal. Any metric that failed makes the whole reading unmeasured,
 * so the three counts always come from one basis.
 */
export function readOutcomes(
  workflow: Workflow,
  results: ReadonlyMap<string, MetricResult>,
): OutcomeReading {
  const metrics = workflow.outcomes?.metrics;
  if (metrics === undefined) return { kind: "none" };
  const counts: Record<OutcomeKind, number> = { accepted: 0, reworked: 0, escalated: 0 };
  const byModel = new Map<string, Record<OutcomeKind, number>>();
  for (const kind of OUTCOME_KINDS) {
    const name = metricNameOf(metrics, kind);
    if (name === undefined) continue;
    const where = `${metrics.namespace}/${name}`;
    const result = results.get(outcomeQueryId(workflow.id, kind));
    if (result === undefined) {
      return { kind: "unmeasured", reason: `${where} was not read (no metric reader)` };
    }
    if (result.kind === "failed") {
      return { kind: "unmeasured", reason: `reading ${where} failed: ${result.reason}` };
    }
    if (kind === "accepted" && result.series.length === 0) {
      return { kind: "unmeasured", reason: `${where} has no data points this month` };
    }
    for (const series of result.series) {
      const total = series.points.reduce((sum, p) => sum + p.value, 0);
      counts[kind] += total;
      if (series.label !== null) {
        const model = byModel.get(series.label) ?? { accepted: 0, reworked: 0, escalated: 0 };
        model[kind] += total;
        byModel.set(series.label, model);
      }
    }
  }
  const rounded = (c: Record<OutcomeKind, number>): OutcomeCounts => ({
    accepted: roundItems(c.accepted),
    reworked: roundItems(c.reworked),
    escalated: roundItems(c.escalated),
  });
  return {
    kind: "measured",
    counts: rounded(counts),
    byModel: new Map([...byModel].map(([model, c]) => [model, rounded(c)])),
  };
}

/** (max(0, spend) + human cost) / accepted, or null when nothing was accepted. */
export function costPerAccepted(spend: number, humanCost: number, accepted: number): number | null {
  if (!(accepted > 0)) return null;
  return tidy((Math.max(0, spend) + humanCost) / accepted);
}

export interface OutcomeInput {
  readonly workflow: Workflow;
  /** Month-to-date spend (may be negative: credits). */
  readonly spend: number;
  /** The report's item count (measured or estimated), null when unknown. */
  readonly items: number | null;
  /** The report's review cost of those items. */
  readonly reviewCost: number;
  readonly reading: OutcomeReading;
  readonly currency: string;
}

/** The workflow's `outcomes` and the flags they raise (null without an outcomes block). */
export function workflowOutcomes(input: OutcomeInput): {
  readonly outcomes: WorkflowOutcomes | null;
  readonly flags: readonly Flag[];
} {
  const { workflow, reading } = input;
  const config = workflow.outcomes;
  if (config === undefined) return { outcomes: null, flags: [] };

  let basis: WorkflowOutcomes["basis"];
  let basisReason: string | null = null;
  let counts: OutcomeCounts;
  if (reading.kind === "measured") {
    basis = "measured";
    counts = reading.counts;
  } else {
    const why =
      reading.kind === "unmeasured" ? reading.reason : "the registry names no outcome metrics";
    if (config.expected === undefined || input.items === null) {
      return {
        outcomes: null,
        flags: [
          {
            kind: "outcomes-unmeasured",
            severity: "warning",
            message: `No outcome figures this month: ${why}, and ${config.expected === undefined ? "outcomes.expected gives no estimate to fall back on" : "the workflow's items are unknown"}: check the metric names and dimensions in outcomes.metrics, or add outcomes.expected shares.`,
          },
        ],
      };
    }
    basis = "estimated";
    basisReason = `${why}: estimated from outcomes.expected`;
    const items = input.items;
    counts = {
      accepted: roundItems(items * config.expected.acceptedShare),
      reworked: roundItems(items * (config.expected.reworkShare ?? 0)),
      escalated: roundItems(items * (config.expected.escalationShare ?? 0)),
    };
  }
  const rework = tidy(reworkCost(counts.reworked, workflow.review));
  const exceptions = tidy(exceptionCost(counts.escalated, workflow.exceptions));
  const perAccepted = costPerAccepted(
    input.spend,
    input.reviewCost + rework + exceptions,
    counts.accepted,
  );
  const flags: Flag[] = [];
  const human = input.reviewCost + rework + exceptions;
  if (perAccepted === null && (input.spend > 0 || human > 0)) {
    flags.push({
      kind: "nothing-accepted",
      severity: "warning",
      message: `No output was accepted this month (${basis}) although it cost ${formatMoney(Math.max(0, input.spend) + human, input.currency)} with its human time: there is no cost per accepted outcome; find out why nothing passed review, or check the accepted metric.`,
    });
  }
  return {
    outcomes: {
      basis,
      basisReason,
      accepted: counts.accepted,
      reworked: counts.reworked,
      escalated: counts.escalated,
      reviewCost: input.reviewCost,
      reworkCost: rework,
      exceptionCost: exceptions,
      costPerAccepted: perAccepted,
    },
    flags,
  };
}

/** One workflow's human cost lines, for the team view. */
export interface HumanCost {
  readonly workflow: Workflow;
  readonly review: number;
  readonly rework: number;
  readonly exceptions: number;
}

/**
 * The human cost each team carries for workflows others own: review and rework go to
 * `review.team`, the exception path to `exceptions.team`; a line counts when that team is not
 * the workflow's own `team` (a workflow that declares no team owns none of them). Largest
 * first; zero lines left out.
 */
export function teamsAbsorbing(costs: readonly HumanCost[]): TeamReport[] {
  const teams = new Map<
    string,
    Map<string, { id: string; owner: string; review: number; rework: number; exceptions: number }>
  >();
  const charge = (
    team: string | undefined,
    cost: HumanCost,
    line: "review" | "rework" | "exceptions",
    amount: number,
  ) => {
    if (team === undefined || team === cost.workflow.team || !(amount > 0)) return;
    const rows = teams.get(team) ?? new Map();
    teams.set(team, rows);
    const row = rows.get(cost.workflow.id) ?? {
      id: cost.workflow.id,
      owner: cost.workflow.owner,
      review: 0,
      rework: 0,
      exceptions: 0,
    };
    row[line] = tidy(row[line] + amount);
    rows.set(cost.workflow.id, row);
  };
  for (const cost of costs) {
    charge(cost.workflow.review?.team, cost, "review", cost.review);
    charge(cost.workflow.review?.team, cost, "rework", cost.rework);
    charge(cost.workflow.exceptions?.team, cost, "exceptions", cost.exceptions);
  }
  return [...teams]
    .map(([team, rows]) => {
      const workflows = [...rows.values()];
      const absorbs = tidy(
        workflows.reduce((sum, w) => sum + w.review + w.rework + w.exceptions, 0),
      );
      return { team, absorbs, workflows };
    })
    .sort((a, b) => b.absorbs - a.absorbs || (a.team < b.team ? -1 : a.team > b.team ? 1 : 0));
}

export { ZERO_COUNTS };
