/**
 * Exemptions from the registry: waivers as code. A valid exemption that matches a mandatory
 * finding (URN glob and policy name) turns it into an advisory that says who approved it, why and
 * until when. An expired or malformed one does not apply: we fail closed, and say so.
 */
import { POLICY_NAMES } from "../registry";
import type { Exemption, Registry } from "../registry";
import { isCalendarDate } from "../util/dates";
import { globMatch } from "../util/glob";
import type { Finding } from "./types";

export type ExemptionStatus =
  | { readonly kind: "valid" }
  | { readonly kind: "expired" }
  | { readonly kind: "malformed"; readonly problem: string };

/** Whether an exemption can apply today. The registry validates exemptions; this re-checks
 * because a registry can also be built in code, and a waiver must never apply by accident. */
export function exemptionStatus(exemption: Exemption, today: string): ExemptionStatus {
  const problems: string[] = [];
  if (typeof exemption.resource !== "string" || exemption.resource.trim() === "") {
    problems.push("no resource URN glob");
  }
  if (!(POLICY_NAMES as readonly string[]).includes(exemption.policy)) {
    problems.push(`unknown policy "${String(exemption.policy)}"`);
  }
  if (typeof exemption.reason !== "string" || exemption.reason.trim() === "") {
    problems.push("no reason");
  }
  if (typeof exemption.approvedBy !== "string" || !exemption.approvedBy.includes("@")) {
    problems.push("no approver email");
  }
  if (typeof exemption.expires !== "string" || !isCalendarDate(exemption.expires)) {
    problems.push(`expires "${String(exemption.expires)}" is not a YYYY-MM-DD date`);
  }
  if (problems.length > 0) return { kind: "malformed", problem: problems.join(", ") };
  // `expires` is the last day the exemption applies (inclusive); ISO dates compare as strings.
  return today > exemption.expires ? { kind: "expired" } : { kind: "valid" };
}

function matches(exemption: Exemption, finding: Finding): boolean {
  return (
    exemption.policy === finding.policy &&
    typeof exemption.resource === "string" &&
    globMatch(exemption.resource, finding.urn)
  );
}

/** Apply the registry's exemptions to findings (advisories pass through unchanged). */
export function applyExemptions(
  findings: readonly Finding[],
  registry: Registry,
  today: string,
): Finding[] {
  if (registry.exemptions.length === 0) return [...findings];
  return findings.map((finding) => {
    if (finding.enforcement !== "mandatory") return finding;
    const notes: string[] = [];
    for (const exemption of registry.exemptions) {
      if (!matches(exemption, finding)) continue;
      const status = exemptionStatus(exemption, today);
      if (status.kind === "valid") {
        return {
          ...finding,
          enforcement: "advisory",
          message: `Exempted (approved by ${exemption.approvedBy} until ${exemption.expires}: ${exemption.reason}). ${finding.message}`,
        };
      }
      notes.push(
        status.kind === "expired"
          ? ` An exemption in ${registry.source} (approved by ${exemption.approvedBy}) expired on ${exemption.expires}: renew it if it still applies.`
          : ` An exemption in ${registry.source} matches but does not apply because it is malformed (${status.problem}): fix it.`,
      );
    }
    return notes.length === 0 ? finding : { ...finding, message: finding.message + notes.join("") };
  });
}
