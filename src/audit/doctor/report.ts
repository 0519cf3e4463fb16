/** The doctor's result: every item, each check's status, and whether it could all be checked. */
import type { DoctorCheck, DoctorItem } from "./item";
import { DOCTOR_CHECKS, STATUS_ORDER } from "./item";

export interface DoctorReport {
  readonly today: string;
  readonly registry: string;
  /** In check order, the worst first within each check. */
  readonly items: readonly DoctorItem[];
  readonly summary: {
    readonly ok: number;
    readonly warning: number;
    readonly error: number;
    readonly unchecked: number;
  };
  /** False when an item is an error. */
  readonly passed: boolean;
  /** False when an item could not be checked. */
  readonly complete: boolean;
  /** The backfill `--fix` requested, when it did. */
  readonly backfill?: { readonly from: string; readonly status: string };
}

/** An item for a check that could not run. */
export function unchecked(check: DoctorCheck, subject: string, reason: string): DoctorItem {
  return { check, status: "unchecked", subject, message: reason, reason };
}

/** An item for a check that does not apply (a CUR check without CUR). */
export function skipped(check: DoctorCheck, subject: string, message: string): DoctorItem {
  return { check, status: "ok", subject, message };
}

export function doctorReport(
  items: readonly DoctorItem[],
  registry: string,
  today: string,
  backfill?: DoctorReport["backfill"],
): DoctorReport {
  const order = (item: DoctorItem) => DOCTOR_CHECKS.indexOf(item.check);
  const sorted = items
    .map((item, i) => ({ item, i }))
    .sort(
      (a, b) =>
        order(a.item) - order(b.item) ||
        STATUS_ORDER[a.item.status] - STATUS_ORDER[b.item.status] ||
        a.i - b.i,
    )
    .map(({ item }) => item);
  const count = (status: DoctorItem["status"]) => items.filter((i) => i.status === status).length;
  const summary = {
    ok: count("ok"),
    warning: count("warning"),
    error: count("error"),
    unchecked: count("unchecked"),
  };
  return {
    today,
    registry,
    items: sorted,
    summary,
    passed: summary.error === 0,
    complete: summary.unchecked === 0,
    ...(backfill === undefined ? {} : { backfill }),
  };
}
