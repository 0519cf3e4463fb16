/**
 * Human review as a first-class cost line: the people who check a workflow's output are part
 * of what it costs. cost = items x share x minutesPerItem / 60 x hourlyRate.
 */
import type { Review } from "../registry/types";

export function reviewCost(items: number, review: Review): number {
  return (items * review.share * review.minutesPerItem * review.hourlyRate) / 60;
}

/** Hours of reviewer time the items need (for the "who checks it" column). */
export function reviewHours(items: number, review: Review): number {
  return (items * review.share * review.minutesPerItem) / 60;
}
