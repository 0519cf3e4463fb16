/**
 * A registry change against the version it replaces (`validate --base`): the review date, the
 * stage and the budget move only through a renewal, so a change that moves them without one is
 * an error, positioned in the new file. Pure: both versions arrive parsed, the new one with its
 * text for the positions.
 *
 * - `reviewBy` moved later without a new renewal (one the base does not have) whose `until` is
 *   the new date;
 * - a learning workflow turned run-rate without a new `graduate` renewal;
 * - a monthly budget raised by more than `BUDGET_RAISE_LIMIT` without a new renewal;
 * - an owner change is reported (a notice, not an error: owners change; the new one should know).
 */
import { parseDocument } from "yaml";
import type { RegistryProblem } from "./errors";
import type { Path } from "./rules";
import type { Registry, Renewal, Workflow } from "./types";
import { formatPath, locate, yamlPositions } from "./yaml-positions";

/** A budget may grow by half without a renewal; more is a decision to record. */
export const BUDGET_RAISE_LIMIT = 0.5;

export interface RegistryChanges {
  /** Changes that need a renewal and have none. */
  readonly errors: readonly RegistryProblem[];
  /** Changes worth saying (owner changes). */
  readonly notices: readonly RegistryProblem[];
}

const sameRenewal = (a: Renewal, b: Renewal) =>
  a.date === b.date && a.until === b.until && a.decision === b.decision;

/** Renewals of `head` that `base` does not have. */
function newRenewals(base: Workflow, head: Workflow): Renewal[] {
  return head.renewals.filter((r) => !base.renewals.some((b) => sameRenewal(b, r)));
}

export function compareRegistries(
  base: Registry,
  head: Registry,
  headText: string,
): RegistryChanges {
  const { lineCounter, at } = yamlPositions(head.source);
  const counted = parseDocument(headText, { lineCounter, uniqueKeys: false });
  const problem = (path: Path, message: string): RegistryProblem =>
    at(locate(counted.contents, path, false), formatPath(path), message);

  const errors: RegistryProblem[] = [];
  const notices: RegistryProblem[] = [];
  for (const now of head.workflows) {
    const before = base.workflows.find((w) => w.id === now.id);
    if (before === undefined) continue;
    const path: Path = ["workflows", now.id];
    const added = newRenewals(before, now);
    if (
      now.reviewBy !== undefined &&
      before.reviewBy !== undefined &&
      now.reviewBy > before.reviewBy &&
      !added.some((r) => r.until === now.reviewBy)
    ) {
      errors.push(
        problem(
          [...path, "reviewBy"],
          `moved from ${before.reviewBy} to ${now.reviewBy} without a renewal: add one to renewals (date, decision, until: ${now.reviewBy}, result, lesson, decidedBy), so the new date rests on a result and a cost lesson`,
        ),
      );
    }
    if (
      before.stage === "learning" &&
      now.stage === "run-rate" &&
      !added.some((r) => r.decision === "graduate")
    ) {
      errors.push(
        problem(
          [...path, "stage"],
          "turned from learning to run-rate without a graduate renewal: add a renewal with `decision: graduate` (its result and lesson are the case for running it for real)",
        ),
      );
    }
    const was = before.budget?.monthly;
    const is = now.budget?.monthly;
    if (
      was !== undefined &&
      is !== undefined &&
      is > was * (1 + BUDGET_RAISE_LIMIT) &&
      added.length === 0
    ) {
      errors.push(
        problem(
          [...path, "budget", "monthly"],
          `raised from ${was} to ${is} (+${Math.round((is / was - 1) * 100)}%, more than ${BUDGET_RAISE_LIMIT * 100}%) without a renewal: add a renewal that records the decision, or raise it by ${BUDGET_RAISE_LIMIT * 100}% or less`,
        ),
      );
    }
    if (before.owner !== now.owner) {
      notices.push(
        problem(
          [...path, "owner"],
          `owner changes from ${before.owner} to ${now.owner}: the new owner receives this workflow's digests from the next run`,
        ),
      );
    }
  }
  return { errors, notices };
}
