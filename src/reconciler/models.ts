/**
 * Outcome economics per model: the same figures as the workflow's, per model, and the finding
 * the essay asks for: the model that looks cheapest is not always the one whose accepted
 * outcomes are cheapest, once review, rework and escalations are counted. Pure.
 *
 * Per model m (outcomes from the `modelDimension` series, spend from `ModelSpend`):
 *   reworkCost_m    = reworked_m x reworkMinutes / 60 x review.hourlyRate
 *   exceptionCost_m = escalated_m x exceptions.minutesPerItem / 60 x exceptions.hourlyRate
 *   reviewCost_m    = the workflow's reviewCost x handled_m / handled (handled = accepted +
 *                     reworked + escalated: reviews are of outputs, and outputs of a model are
 *                     what its series count)
 *   costPerAccepted_m = (max(0, spend_m) + reviewCost_m + reworkCost_m + exceptionCost_m) / accepted_m
 * The per-model review, rework and exception costs sum to the workflow's when the series cover
 * the workflow's outcomes (the workflow's measured outcomes are the sum of the series).
 */
import { marketplaceModelName } from "./ai-services";
import { formatShare, tidy } from "./format";
import { costPerAccepted } from "./outcomes";
import type { OutcomeCounts } from "./outcomes";
import type { Flag, ModelReport, ModelSpend, OutcomeFigures, WorkflowOutcomes } from "./types";
import type { Workflow } from "../registry";
import { exceptionCost, reworkCost } from "../rules/review-cost";
import { formatMoney } from "../util/money";

/**
 * Per-model spend from the SERVICE breakdown: with Cost Explorer, Marketplace models are the
 * only ones whose spend carries their name (first-party Bedrock models share "Amazon Bedrock").
 * No token counts: those need CUR line items.
 */
export function marketplaceModelSpend(
  spendByService: Readonly<Record<string, number>>,
): ModelSpend[] {
  const models: ModelSpend[] = [];
  for (const [service, spend] of Object.entries(spendByService)) {
    const model = marketplaceModelName(service);
    if (model === undefined) continue;
    models.push({
      model,
      spend,
      inputTokens: null,
      outputTokens: null,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      costPerMillionTokens: null,
    });
  }
  return models.sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
}

/** The models of a workflow with their outcome figures where the series name them. */
export function modelEconomics(
  workflow: Workflow,
  models: readonly ModelSpend[],
  byModel: ReadonlyMap<string, OutcomeCounts>,
  outcomes: WorkflowOutcomes | null,
): ModelReport[] {
  const handledOf = (c: OutcomeCounts) => c.accepted + c.reworked + c.escalated;
  let handled = 0;
  for (const counts of byModel.values()) handled += handledOf(counts);
  return models.map((spend): ModelReport => {
    const counts = byModel.get(spend.model);
    if (counts === undefined || outcomes === null || outcomes.basis !== "measured") return spend;
    const reviewCost = handled > 0 ? tidy((outcomes.reviewCost * handledOf(counts)) / handled) : 0;
    const rework = tidy(reworkCost(counts.reworked, workflow.review));
    const exceptions = tidy(exceptionCost(counts.escalated, workflow.exceptions));
    return {
      ...spend,
      accepted: counts.accepted,
      reworked: counts.reworked,
      escalated: counts.escalated,
      reviewCost,
      reworkCost: rework,
      exceptionCost: exceptions,
      costPerAccepted: costPerAccepted(
        spend.spend,
        reviewCost + rework + exceptions,
        counts.accepted,
      ),
    };
  });
}

type Priced = ModelSpend & OutcomeFigures & { readonly costPerAccepted: number };

/**
 * The flag when the model that looks cheapest is not the one with the cheapest accepted
 * outcome. "Looks cheapest" is the lowest cost per million tokens when every compared model
 * has one (CUR), else the lowest model spend per output it produced (Cost Explorer knows no
 * tokens). Names both, and the difference per 1,000 accepted outcomes.
 */
export function cheapModelFinding(
  models: readonly ModelReport[],
  currency: string,
): Flag | undefined {
  const priced = models.filter(
    (m): m is Priced => "costPerAccepted" in m && m.costPerAccepted !== null,
  );
  if (priced.length < 2) return undefined;
  const byTokens = priced.every((m) => m.costPerMillionTokens !== null);
  const looks = (m: Priced): number =>
    byTokens
      ? m.costPerMillionTokens!
      : tidy(Math.max(0, m.spend) / (m.accepted + m.reworked + m.escalated));
  const lowest = (value: (m: Priced) => number) =>
    priced.reduce((best, m) => (value(m) < value(best) ? m : best));
  const cheap = lowest(looks);
  const best = lowest((m) => m.costPerAccepted);
  if (cheap.model === best.model || cheap.costPerAccepted <= best.costPerAccepted) return undefined;
  const money = (amount: number) => formatMoney(amount, currency);
  const perThousand = (m: Priced) => tidy(m.costPerAccepted * 1000);
  const difference = tidy(perThousand(cheap) - perThousand(best));
  const cheapFigure = byTokens
    ? `the lowest cost per million tokens (${money(looks(cheap))} against ${money(looks(best))})`
    : `the lowest model cost per output (${money(looks(cheap))} against ${money(looks(best))})`;
  const rework = (m: Priced) => {
    const handled = m.accepted + m.reworked + m.escalated;
    return handled > 0 ? formatShare(m.reworked / handled) : "0%";
  };
  return {
    kind: "cheap-model-dearer",
    severity: "warning",
    message: `${cheap.model} has ${cheapFigure}, but ${best.model} has the lowest cost per accepted outcome: 1,000 accepted outcomes cost ${money(perThousand(cheap))} with ${cheap.model} and ${money(perThousand(best))} with ${best.model}, ${money(difference)} more (rework ${rework(cheap)} against ${rework(best)}): rerun the case for ${cheap.model} with review, rework and escalations counted.`,
  };
}
