/** The audit's and the doctor's AWS calls (SDK clients), over the pure core in `src/audit`. */
export { Caller, AwsCallError, isAccessDenied, isRegionNotEnabled } from "./calls";
export type { CallCounts, CallOptions } from "./calls";
export { createAuditClients } from "./clients";
export type { AuditClientConfig, AuditClients } from "./clients";
export { listInventory, searchQuery, ACTIONS as INVENTORY_ACTIONS } from "./inventory";
export { readIam, iamDetailsOf, decodeDocument, GET_AUTHORIZATION_DETAILS } from "./iam";
export { runDoctor } from "./doctor";
export type { DoctorOptions } from "./doctor";
export { runAudit } from "./audit";
