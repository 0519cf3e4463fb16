/** One finding of the doctor: a piece of the attribution plumbing, and what to do about it. */

/** The doctor's checks, in the order it prints them. */
export const DOCTOR_CHECKS = ["tag-activation", "cur-export", "spend-routes", "invokers"] as const;
export type DoctorCheck = (typeof DOCTOR_CHECKS)[number];

interface ItemCommon {
  readonly check: DoctorCheck;
  /** What the item is about: a tag key, the export, a role. */
  readonly subject: string;
  readonly message: string;
}

export type DoctorItem =
  | (ItemCommon & { readonly status: "ok" })
  | (ItemCommon & {
      readonly status: "warning" | "error";
      /** Exactly what to run or change. */
      readonly fix: string;
      /** Set when the fix is a tag backfill the doctor can request itself (`--fix`). */
      readonly backfillFrom?: string;
    })
  /** The check could not run (an API denied): the doctor's result is incomplete. */
  | (ItemCommon & { readonly status: "unchecked"; readonly reason: string });

export type DoctorStatus = DoctorItem["status"];

export const STATUS_ORDER: Readonly<Record<DoctorStatus, number>> = {
  error: 0,
  unchecked: 1,
  warning: 2,
  ok: 3,
};
