/**
 * The human cost of a workflow as first-class cost lines: the people who check its output, who
 * redo what was not good enough, and who handle what was escalated are part of what it costs.
 *
 *   review    = items x share x minutesPerItem / 60 x hourlyRate
 *   rework    = reworked x reworkMinutes / 60 x review.hourlyRate
 *   exception = escalated x exceptions.minutesPerItem / 60 x exceptions.hourlyRate
 */
import type { Exceptions, Review } from "../registry/types";

export function reviewCost(items: number, review: Review): number {
  return (items * review.share * review.minutesPerItem * review.hourlyRate) / 60;
}

/** Hours of reviewer time the items need (for the "who checks it" column). */
export function reviewHours(items: number, review: Review): number {
  return (items * review.share * review.minutesPerItem) / 60;
}

/** Redoing reworked outputs, at the reviewer's rate (0 without reworkMinutes). */
export function reworkCost(reworked: number, review: Review | undefined): number {
  if (review?.reworkMinutes === undefined) return 0;
  return (reworked * review.reworkMinutes * review.hourlyRate) / 60;
}

/** The exception path: escalated items at the exception handlers' rate (0 without one). */
export function exceptionCost(escalated: number, exceptions: Exceptions | undefined): number {
  if (exceptions === undefined) return 0;
  return (escalated * exceptions.minutesPerItem * exceptions.hourlyRate) / 60;
}
