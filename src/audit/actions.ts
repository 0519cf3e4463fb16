/**
 * The IAM actions the audit and the doctor call, named once: the adapters count and report
 * calls by these names, the stack grants exactly these, the README lists them.
 */
export const AUDIT_ACTIONS = {
  listIndexes: "resource-explorer-2:ListIndexes",
  search: "resource-explorer-2:Search",
  getResources: "tag:GetResources",
} as const;

export const DOCTOR_ACTIONS = {
  listTags: "ce:ListCostAllocationTags",
  getExport: "bcm-data-exports:GetExport",
  authorizationDetails: "iam:GetAccountAuthorizationDetails",
  /** Only with `doctor --fix`; never in the scheduled run. */
  backfill: "ce:StartCostAllocationTagBackfill",
} as const;

/**
 * What the scheduled run's account checks call: every audit action and the doctor's reads,
 * `bcm-data-exports:GetExport` only when the cost source is CUR, never the backfill.
 */
export function scheduledActions(cur: boolean): string[] {
  return [
    AUDIT_ACTIONS.listIndexes,
    AUDIT_ACTIONS.search,
    AUDIT_ACTIONS.getResources,
    DOCTOR_ACTIONS.listTags,
    DOCTOR_ACTIONS.authorizationDetails,
    ...(cur ? [DOCTOR_ACTIONS.getExport] : []),
  ];
}
