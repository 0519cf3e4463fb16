/**
 * What to do about the refusals a first-time user meets, appended to the error's message.
 */

export function hintFor(code: string): string {
  switch (code) {
    case "AccessDeniedException":
      return " — the caller needs ce:GetCostAndUsage (and ce:GetDimensionValues with --by-account)";
    case "DataUnavailableException":
      return " — Cost Explorer has no data for the period yet (a new account takes about 24 hours after enabling Cost Explorer)";
    case "BillExpirationException":
      return " — the period is older than Cost Explorer keeps (14 months at DAILY granularity)";
    case "ValidationException":
      return " — check the dates and that the workflow tag key is an activated cost allocation tag";
    default:
      return "";
  }
}
