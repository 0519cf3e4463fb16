/**
 * The audit (AI resources the account has, judged by the pack's rules, managed or outside IaC)
 * and the doctor (the attribution plumbing). Pure; the AWS calls are in `./aws`.
 */
export * from "./actions";
export * from "./arn";
export * from "./arn-types";
export * from "./regions";
export * from "./managed";
export * from "./inventory";
export * from "./wording";
export * from "./doctor";
export * from "./report-sections";
